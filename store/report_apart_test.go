package store_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// TestPartsApartGivesTheRunningBeganBefore: EachPartApart gives, each
// once, every part counted apart (running or ended) and, given an
// instant, every running part in cells that began before it, and no
// other: the running parts are one read for both.
func TestPartsApartGivesTheRunningBeganBefore(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(tb testing.TB) *store.DB) {
		db := open(t)
		dir := bottest.WithPurchasing(t, bottest.Directory(t))
		start := time.Date(2026, 8, 3, 14, 0, 0, 0, time.UTC)
		clock := bot.NewManualClock(start)
		g := &randomDesk{t: t, rng: rand.New(rand.NewPCG(7, 41)), clock: clock, asker: map[string]string{}, dept: map[string]string{},
			desk: bot.New(dir, db, &bottest.Recorder{}, clock, nil)}
		g.run(600)
		ctx := context.Background()
		// A part counted apart that ended: rated low in finance, then
		// reopened, passed to IT and resolved there (the rating is not
		// IT's own).
		must := func(r *bot.Request, err error) *bot.Request {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		r := must(g.desk.File(ctx, bot.Filing{Requester: bottest.Sam, Dept: "finance", Priority: bot.Priorities[0], Text: "rated low, then IT's", Source: "slash"}))
		clock.Advance(time.Hour)
		must(g.desk.Do(ctx, bot.Act{Actor: bottest.Frank, ID: r.ID, Action: bot.ActResolve, Text: "done"}))
		if _, err := g.desk.Rate(ctx, bottest.Sam, r.ID, "1"); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Hour)
		must(g.desk.Do(ctx, bot.Act{Actor: bottest.Sam, ID: r.ID, Action: bot.ActReopen, Text: "not fixed"}))
		must(g.desk.Do(ctx, bot.Act{Actor: bottest.Frank, ID: r.ID, Action: bot.ActTransfer, Target: "it", Text: "theirs"}))
		clock.Advance(time.Hour)
		must(g.desk.Do(ctx, bot.Act{Actor: bottest.Ivan, ID: r.ID, Action: bot.ActResolve, Text: "done"}))
		clock.Advance(time.Hour)
		if err := report.RefreshParts(ctx, db, dir, clock.Now()); err != nil {
			t.Fatal(err)
		}
		spans, err := store.PartSpansForTest(db)
		if err != nil {
			t.Fatal(err)
		}
		var kinds [3]int // apart and running, apart and ended, running in cells
		for _, p := range spans {
			switch {
			case p.Apart && p.EndKey == math.MaxInt64:
				kinds[0]++
			case p.Apart:
				kinds[1]++
			case p.EndKey == math.MaxInt64:
				kinds[2]++
			}
		}
		if kinds[0] == 0 || kinds[1] == 0 || kinds[2] == 0 {
			t.Fatalf("parts apart running, apart ended, running in cells: %d, %d, %d; each kind is needed", kinds[0], kinds[1], kinds[2])
		}
		rng := rand.New(rand.NewPCG(3, 9))
		span := clock.Now().Sub(start)
		for i := range 40 {
			var before time.Time
			if i > 0 {
				before = start.Add(time.Duration(rng.Int64N(int64(span + time.Hour))))
			}
			depts := randomDepts[:1+rng.IntN(len(randomDepts))]
			got := map[string]int{}
			if err := db.EachPartApart(ctx, depts, before, func(p report.PartRow) error {
				got[fmt.Sprint(p.Dept, "/", p.RequestID, "/", p.Part)]++
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			want := map[string]int{}
			for _, p := range spans {
				in := false
				for _, d := range depts {
					in = in || d == p.Dept
				}
				running := p.EndKey == math.MaxInt64
				if in && (p.Apart || (running && !before.IsZero() && p.StartAt < before.UnixMilli())) {
					want[fmt.Sprint(p.Dept, "/", p.RequestID, "/", p.Part)] = 1
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("EachPartApart(%v, %s): got %d parts, want %d:\ngot  %v\nwant %v", depts, before, len(got), len(want), got, want)
			}
		}
	})
}

// TestHistoriesOfAreEachRequestsEvents: HistoriesOf gives each request
// named its whole history in order, as Events does, once however often
// it is named (across the statements' batches too), and leaves out a
// request that has none.
func TestHistoriesOfAreEachRequestsEvents(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(tb testing.TB) *store.DB) {
		db := open(t)
		dir := bottest.WithPurchasing(t, bottest.Directory(t))
		clock := bot.NewManualClock(time.Date(2026, 8, 3, 14, 0, 0, 0, time.UTC))
		g := &randomDesk{t: t, rng: rand.New(rand.NewPCG(2, 5)), clock: clock, asker: map[string]string{}, dept: map[string]string{},
			desk: bot.New(dir, db, &bottest.Recorder{}, clock, nil)}
		g.run(150)
		ctx := context.Background()
		var ids []string
		for id := range g.asker {
			ids = append(ids, id)
		}
		if len(ids) < 10 {
			t.Fatalf("only %d requests filed", len(ids))
		}
		// Over 500 names, each request named several times, and one
		// unknown: the batches of 500 meet the same request again.
		var asked []string
		for len(asked) < 1200 {
			asked = append(asked, ids...)
		}
		asked = append(asked, "NOPE-1")
		got, err := db.HistoriesOf(ctx, asked)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := got["NOPE-1"]; ok {
			t.Errorf("a request with no events was given a history")
		}
		if len(got) != len(ids) {
			t.Errorf("got %d histories, want %d", len(got), len(ids))
		}
		for _, id := range ids {
			want, err := db.Events(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got[id], want) {
				t.Errorf("history of %s: got %d events, want %d (%v / %v)", id, len(got[id]), len(want), got[id], want)
			}
		}
	})
}
