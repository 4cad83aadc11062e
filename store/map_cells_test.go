package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// newcomer files requests before askdesk can place them in a department:
// their requests carry no stamped department, and the map places them by
// the directory of the day.
const newcomer = "U0NINA"

// TestMapCellsAsWholeRequests: on stores filled at random, with requests
// from a requester askdesk cannot place, ratings given long after their
// request ended (whose request a map may not read) and, later, requesters
// moved to other departments, every map counted from the map cells (30
// days back from each week, sliding weeks, quarters, as of now and of an
// earlier instant) equals the map computed from whole requests; and the
// map cells kept as parts and ratings changed are those rebuilt afresh.
func TestMapCellsAsWholeRequests(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(tb testing.TB) *store.DB) {
		for seed := range uint64(2) {
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
				db := open(t)
				dirA := bottest.WithPurchasing(t, bottest.Directory(t))
				start := time.Date(2026, 8, 3, 14, 0, 0, 0, time.UTC)
				clock := bot.NewManualClock(start)
				rng := rand.New(rand.NewPCG(seed, 29))
				g := &randomDesk{t: t, rng: rng, clock: clock, asker: map[string]string{}, dept: map[string]string{},
					desk: bot.New(dirA, db, &bottest.Recorder{}, clock, nil)}
				g.run(150)
				newcomerFiles(t, g, 15)
				g.run(150)
				lateRatings(t, db, g, 40)
				middle := clock.Now()
				g.run(100)
				lateRatings(t, db, g, 20)
				sameMaps(t, db, dirA, start, clock.Now())
				sameMaps(t, db, dirA, start, middle)

				// Tina moves to Sales; the newcomer is placed in Finance.
				dirB := bottest.WithPurchasing(t, bottest.Directory(t))
				tina := *dirB.People[bottest.Tina]
				tina.Department = "sales"
				dirB.People[bottest.Tina] = &tina
				dirB.People[newcomer] = &bot.Person{ID: newcomer, Name: "nina", Department: "finance"}
				g.desk.SetDir(dirB)
				newcomerFiles(t, g, 5)
				g.run(100)
				lateRatings(t, db, g, 20)
				sameMaps(t, db, dirB, start, clock.Now())
				sameMaps(t, db, dirB, start, middle)
				sameMapCellsAsRebuilt(t, db, dirB, clock.Now())
			})
		}
	})
}

// newcomerFiles has the newcomer file n requests, which the random desk
// then works with the others.
func newcomerFiles(t *testing.T, g *randomDesk, n int) {
	t.Helper()
	for i := range n {
		g.clock.Advance(time.Duration(g.rng.IntN(300)) * time.Minute)
		r, err := g.desk.File(context.Background(), bot.Filing{Requester: newcomer, Dept: randomDepts[g.rng.IntN(len(randomDepts))],
			Text: fmt.Sprint("newcomer's thing ", i), Source: "slash"})
		if err != nil {
			t.Fatal(err)
		}
		g.ids = append(g.ids, r.ID)
		g.asker[r.ID], g.dept[r.ID] = newcomer, r.Dept
	}
}

// lateRatings records n ratings of resolved requests at random, asked
// days after the resolution (some skipped, some withdrawn), as a rating
// recorded without its prompt is: a map of a period after the request
// ended reads the rating but not its request.
func lateRatings(t *testing.T, db *store.DB, g *randomDesk, n int) {
	t.Helper()
	for range n {
		id := g.ids[g.rng.IntN(len(g.ids))]
		delay := time.Duration(1+g.rng.IntN(20*24)) * time.Hour
		skipped, score := "", any(1+g.rng.IntN(5))
		switch g.rng.IntN(8) {
		case 0:
			skipped, score = "fatigue", nil
		case 1:
			score = nil
		}
		err := store.ExecForTest(db, `INSERT INTO ratings (request_id, round, requester, dept, asked_at, skipped, score, rated_at)
			SELECT id, 50 + reopens, requester, dept, resolved_at + ?, ?, ?, resolved_at + ? FROM requests
			WHERE id = ? AND resolved_at IS NOT NULL ON CONFLICT DO NOTHING`,
			delay.Milliseconds(), skipped, score, delay.Milliseconds(), id)
		if err != nil {
			t.Fatal(err)
		}
	}
}

// sameMaps computes the maps of the 30 days up to each week's end, of
// each week, and of the quarters from start to now, from the map cells and
// from whole requests, and fails on any difference.
func sameMaps(t *testing.T, db *store.DB, dir *bot.Directory, start, now time.Time) {
	t.Helper()
	ctx := context.Background()
	ref := reference(db)
	var periods []report.Period
	for day := start.Truncate(24 * time.Hour); !day.After(now); day = day.AddDate(0, 0, 7) {
		for _, days := range []int{30, 7} {
			p, err := report.DatePeriod(day.AddDate(0, 0, 1-days), day)
			if err != nil {
				t.Fatal(err)
			}
			periods = append(periods, p)
		}
	}
	today := now.Truncate(24 * time.Hour)
	p, err := report.DatePeriod(today.AddDate(0, 0, -29), today) // /ask map's
	if err != nil {
		t.Fatal(err)
	}
	periods = append(periods, p, report.QuarterPeriod(bot.QuarterOf(start, time.UTC)), report.QuarterPeriod(bot.QuarterOf(now, time.UTC)))
	rated := 0
	for _, p := range periods {
		got, gerr := report.ComputeMap(ctx, db, dir, p, now)
		want, werr := report.ComputeMap(ctx, ref, dir, p, now)
		if (gerr != nil) != (werr != nil) {
			t.Fatalf("map of %s at %s: cells say %v, whole requests %v", p, now, gerr, werr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("map of %s at %s differs:\ncells          %+v\nwhole requests %+v", p, now, got, want)
		}
		if got != nil {
			for _, pr := range got.Pairs {
				rated += pr.CSAT.Asked
			}
		}
	}
	if rated == 0 {
		t.Errorf("no rating on any map at %s: ratings went unchecked", now)
	}
}

// sameMapCellsAsRebuilt: the map cells, the ratings' and the late
// ratings kept as parts and ratings changed are those made afresh.
func sameMapCellsAsRebuilt(t *testing.T, db *store.DB, dir *bot.Directory, now time.Time) {
	t.Helper()
	cells, ratings, late, err := store.MapCellsForTest(db)
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) == 0 || len(ratings) == 0 || len(late) == 0 {
		t.Fatalf("no map cells kept (%d), no rating cells (%d) or no late ratings (%d)", len(cells), len(ratings), len(late))
	}
	if err := store.ExecForTest(db, `UPDATE report_rollup_state SET ready = 0`); err != nil {
		t.Fatal(err)
	}
	if err := report.RefreshParts(context.Background(), db, dir, now); err != nil {
		t.Fatal(err)
	}
	cells2, ratings2, late2, err := store.MapCellsForTest(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		what          string
		kept, rebuilt []string
	}{{"map cells", cells, cells2}, {"map rating cells", ratings, ratings2}, {"late ratings", late, late2}} {
		if !reflect.DeepEqual(x.kept, x.rebuilt) {
			t.Errorf("%s kept differ from those made afresh:\nkept    %d %v\nrebuilt %d %v", x.what, len(x.kept), x.kept, len(x.rebuilt), x.rebuilt)
		}
	}
}

// TestMapLeavesOutEmptyPairs: a pair with nothing counted and no rating
// asked is not on the map, from cells or whole requests, even when a
// skipped prompt of a request the map does not read names it.
func TestMapLeavesOutEmptyPairs(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(tb testing.TB) *store.DB) {
		ctx := context.Background()
		db := open(t)
		dir := bottest.WithPurchasing(t, bottest.Directory(t))
		clock := bot.NewManualClock(time.Date(2026, 9, 1, 14, 0, 0, 0, time.UTC))
		desk := bot.New(dir, db, &bottest.Recorder{}, clock, nil)
		r, err := desk.File(ctx, bot.Filing{Requester: bottest.Tina, Dept: "finance", Text: "office chairs", Source: "slash"})
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Hour)
		if _, err := desk.Do(ctx, bot.Act{Actor: bottest.Frank, ID: r.ID, Action: bot.ActResolve, Text: "done"}); err != nil {
			t.Fatal(err)
		}
		// A skipped prompt ten days on, and Tina since moved to Sales.
		if err := store.ExecForTest(db, `INSERT INTO ratings (request_id, round, requester, dept, asked_at, skipped)
			SELECT id, 9, requester, dept, resolved_at + 864000000, 'fatigue' FROM requests WHERE id = ?`, r.ID); err != nil {
			t.Fatal(err)
		}
		tina := *dir.People[bottest.Tina]
		tina.Department = "sales"
		dir.People[bottest.Tina] = &tina
		p, err := report.DatePeriod(time.Date(2026, 9, 8, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 9, 20, 0, 0, 0, 0, time.UTC)
		for name, reports := range map[string]report.Reports{"cells": db, "whole requests": reference(db)} {
			m, err := report.ComputeMap(ctx, reports, dir, p, now)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Pairs) != 0 {
				t.Errorf("map from %s lists %+v; want no pair", name, m.Pairs)
			}
		}
	})
}
