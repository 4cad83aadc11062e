package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// Right first time reads which requests were rated 1 or 2 (report.LowRatedReports).
func TestLowRated(t *testing.T) { eachBackend(t, testLowRated) }

func testLowRated(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	h := time.Hour
	var rs []*bot.Request
	for _, dept := range []string{"finance", "finance", "finance", "finance", "finance", "it"} {
		rs = append(rs, mustCreate(t, db, "X", dept, sam, "r", t0, time.Time{}))
	}
	rate := func(r *bot.Request, at time.Time, score int) {
		t.Helper()
		row := bot.Rating{RequestID: r.ID, Requester: sam, Dept: r.Dept, AskedAt: at, Score: score, RatedAt: at}
		if _, err := db.SetScore(ctx, row); err != nil {
			t.Fatal(err)
		}
	}
	rate(rs[0], t0.Add(h), 1)  // low
	rate(rs[1], t0.Add(h), 2)  // low
	rate(rs[2], t0.Add(h), 3)  // not low
	rate(rs[3], t0.Add(h), 2)  // low, then withdrawn
	rate(rs[3], t0.Add(h), 0)  //
	rate(rs[4], t0.Add(-h), 1) // asked before since
	rate(rs[5], t0.Add(h), 1)  // another department
	got, err := db.LowRated(ctx, []string{"finance"}, t0)
	want := map[string]bool{rs[0].ID: true, rs[1].ID: true}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("LowRated = %v, %v; want %v", got, err, want)
	}
	if got, err := db.LowRated(ctx, []string{"finance", "it"}, t0.Add(-2*h)); err != nil || len(got) != 4 {
		t.Errorf("LowRated of both since earlier = %v, %v; want 4", got, err)
	}
}
