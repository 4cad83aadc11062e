package store_test

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/store"
)

// profileFinder answers a profile's department field and counts the reads.
type profileFinder struct {
	words string
	reads atomic.Int32
}

func (p *profileFinder) ProfileDept(context.Context, string) (string, error) {
	p.reads.Add(1)
	return p.words, nil
}

// TestRequesterDeptLearnedOnceAndStamped: a requester the config does not
// place has their department read from their profile once, kept for 30
// days, and stamped on each request, where every read of it finds it.
func TestRequesterDeptLearnedOnceAndStamped(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		ctx := context.Background()
		db := open(t)
		clock := bot.NewManualClock(t0)
		desk := bot.New(exampleDir(t), db, &bottest.Recorder{}, clock, nil)
		prof := &profileFinder{words: "  Finance "}
		desk.Profiles = prof
		const newbie = "U0NEWBIE1" // in no [people] entry, on no staff
		file := func() *bot.Request {
			t.Helper()
			r, err := desk.File(ctx, bot.Filing{Requester: newbie, Dept: "it", Text: "laptop", Source: "slash"})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		r1 := file()
		clock.Advance(24 * time.Hour)
		file()
		if got := prof.reads.Load(); got != 1 {
			t.Fatalf("profile read %d times for two filings a day apart, want once", got)
		}
		got, err := db.Request(ctx, r1.ID)
		if err != nil || got.RequesterDept != "finance" {
			t.Fatalf("stored request's requester department %q, %v; want finance", got.RequesterDept, err)
		}
		evs, err := db.Events(ctx, r1.ID)
		if err != nil || evs[0].RequesterDept != "finance" {
			t.Fatalf("creation event's requester department %q, %v", evs[0].RequesterDept, err)
		}
		rs, err := db.RequestsActiveDuring(ctx, []string{"it"}, t0.Add(-time.Hour), clock.Now().Add(time.Minute))
		if err != nil || len(rs) != 2 || rs[0].RequesterDept != "finance" {
			t.Fatalf("report rows %+v, %v", rs, err)
		}
		// Stale after 30 days: read again, and a move is seen on new
		// requests while old ones keep what was true when filed.
		prof.words = "Field Marketing"
		clock.Advance(31 * 24 * time.Hour)
		if r := file(); r.RequesterDept != "Field Marketing" || prof.reads.Load() != 2 {
			t.Fatalf("after 31 days: %q with %d reads; want Field Marketing, 2", r.RequesterDept, prof.reads.Load())
		}
		if got, _ := db.Request(ctx, r1.ID); got.RequesterDept != "finance" {
			t.Fatalf("the first request's department changed to %q", got.RequesterDept)
		}
	})
}

// TestPeopleStore: learned departments, user groups and absences round
// trip and replace what was there.
func TestPeopleStore(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		ctx := context.Background()
		db := open(t)
		if _, ok, err := db.LearnedDept(ctx, "U1"); ok || err != nil {
			t.Fatalf("nothing learned yet: ok %v, %v", ok, err)
		}
		for _, dept := range []string{"finance", ""} {
			l := bot.LearnedDept{User: "U1", Dept: dept, Source: "profile", At: t0}
			if err := db.LearnDept(ctx, l); err != nil {
				t.Fatal(err)
			}
			if got, ok, err := db.LearnedDept(ctx, "U1"); !ok || err != nil || got != l {
				t.Fatalf("learned %+v, %v, %v; want %+v", got, ok, err, l)
			}
		}

		g := bot.Group{ID: "S0IT", Handle: "it-team", Members: []string{"U2", "U1", "U2"}, SyncedAt: t0}
		if err := db.SetGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		if err := db.SetGroup(ctx, bot.Group{ID: "S0EMPTY", SyncedAt: t0}); err != nil {
			t.Fatal(err)
		}
		want := []bot.Group{{ID: "S0EMPTY", SyncedAt: t0}, {ID: "S0IT", Handle: "it-team", Members: []string{"U1", "U2"}, SyncedAt: t0}}
		if got, err := db.Groups(ctx); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("groups %+v, %v; want %+v", got, err, want)
		}
		g.Members = []string{"U3"}
		if err := db.SetGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Groups(ctx); !reflect.DeepEqual(got[1].Members, []string{"U3"}) {
			t.Fatalf("members after a change %v, want [U3]", got[1].Members)
		}

		until := t0.Add(48 * time.Hour)
		for _, a := range []bot.Away{{User: "U1", Since: t0, Until: until}, {User: "U2", Since: t0}} {
			if err := db.SetAway(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		away := func(at time.Time) []bot.Away {
			t.Helper()
			as, err := db.Absences(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			return as
		}
		if got := away(t0.Add(-time.Minute)); len(got) != 0 {
			t.Errorf("away before it began: %+v", got)
		}
		if got := away(t0.Add(time.Hour)); len(got) != 2 || got[0].Until != until || !got[1].Until.IsZero() {
			t.Errorf("away during: %+v", got)
		}
		if got := away(until); len(got) != 1 || got[0].User != "U2" {
			t.Errorf("away at U1's date: %+v, want only U2", got)
		}
		if was, err := db.Back(ctx, "U2"); !was || err != nil {
			t.Errorf("back: %v, %v", was, err)
		}
		if was, err := db.Back(ctx, "U2"); was || err != nil {
			t.Errorf("back twice: %v, %v", was, err)
		}
		if got := away(t0.Add(time.Hour)); len(got) != 1 || got[0].User != "U1" {
			t.Errorf("away after U2 is back: %+v", got)
		}
	})
}
