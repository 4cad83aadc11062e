package store_test

import (
	"context"
	"errors"
	"github.com/askdesk/askdesk/store"
	"reflect"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

func TestExportIteration(t *testing.T) { eachBackend(t, testExportIteration) }

func testExportIteration(t *testing.T, open func(testing.TB) *store.DB) {
	db := open(t)
	ctx := context.Background()
	hour := time.Hour
	// Filed out of ID order, to check the order is by time of filing.
	late := mustCreate(t, db, "FIN", "finance", "U1", "late, \"quoted\"\nsecond line", t0.Add(2*hour), time.Time{})
	early := mustCreate(t, db, "IT", "it", "U2", "early", t0, time.Time{})
	mustCreate(t, db, "FIN", "finance", "U1", "after", t0.Add(5*hour), time.Time{})
	mustAct(t, db, early, bot.EvClaimed, t0.Add(3*hour))
	mustAct(t, db, late, bot.EvResolved, t0.Add(4*hour))
	if err := db.RecordAsk(ctx, bot.Rating{RequestID: late.ID, Requester: "U1", Dept: "finance", AskedAt: t0.Add(4 * hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetScore(ctx, bot.Rating{RequestID: late.ID, Requester: "U1", Dept: "finance", AskedAt: t0.Add(4 * hour), Score: 4, RatedAt: t0.Add(5 * hour)}); err != nil {
		t.Fatal(err)
	}

	t.Run("Requests", func(t *testing.T) {
		var ids []string
		err := db.EachRequest(ctx, t0, t0.Add(5*hour), func(r *bot.Request) error {
			ids = append(ids, r.ID)
			if r.ID == "FIN-1" && r.Text != "late, \"quoted\"\nsecond line" {
				t.Errorf("text %q", r.Text)
			}
			return nil
		})
		if err != nil || !reflect.DeepEqual(ids, []string{"IT-1", "FIN-1"}) {
			t.Errorf("[t0, t0+5h): %v, %v", ids, err)
		}
		n := 0
		if err := db.EachRequest(ctx, time.Time{}, time.Time{}, func(*bot.Request) error { n++; return nil }); err != nil || n != 3 {
			t.Errorf("unbounded: %d, %v", n, err)
		}
	})
	t.Run("Events", func(t *testing.T) {
		var got []string
		err := db.EachEvent(ctx, t0.Add(time.Minute), time.Time{}, func(ev bot.Event) error {
			got = append(got, ev.RequestID+" "+string(ev.Kind))
			return nil
		})
		want := []string{"FIN-1 created", "FIN-1 resolved", "FIN-2 created", "IT-1 claimed"} // by request, then sequence
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("events %v, %v; want %v", got, err, want)
		}
	})
	t.Run("Ratings", func(t *testing.T) {
		var got []bot.Rating
		err := db.EachRating(ctx, time.Time{}, time.Time{}, func(r bot.Rating) error { got = append(got, r); return nil })
		if err != nil || len(got) != 1 || got[0].Score != 4 || got[0].RequestID != "FIN-1" {
			t.Errorf("ratings %+v, %v", got, err)
		}
		n := 0
		db.EachRating(ctx, t0.Add(5*hour), time.Time{}, func(bot.Rating) error { n++; return nil })
		if n != 0 {
			t.Errorf("%d ratings asked at or after t0+5h", n)
		}
	})
	t.Run("StopsAtError", func(t *testing.T) {
		stop := errors.New("stop")
		n := 0
		err := db.EachEvent(ctx, time.Time{}, time.Time{}, func(bot.Event) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("%d calls, %v", n, err)
		}
	})
}
