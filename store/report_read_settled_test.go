package store_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// settleMidway is the store with another refresher (serve's keepParts, a
// report on another replica) committing, after this report has read the
// parts counted apart and before its goroutine sums the cells, the parts
// of a running request just cancelled: it moves from apart to the cells.
type settleMidway struct {
	*store.DB
	dept  string
	fire  func()
	once  sync.Once
	fired chan struct{}
}

func (s *settleMidway) EachPartApart(ctx context.Context, depts []string, runningBefore time.Time, fn func(report.PartRow) error) error {
	err := s.DB.EachPartApart(ctx, depts, runningBefore, fn)
	if slices.Contains(depts, s.dept) {
		s.once.Do(func() { s.fire(); close(s.fired) })
	}
	return err
}

func (s *settleMidway) EachCell(ctx context.Context, dept string, level int, kinds []string, from, to time.Time, fn func(string, time.Time, []byte) error) error {
	if dept == s.dept {
		<-s.fired
	}
	return s.DB.EachCell(ctx, dept, level, kinds, from, to, fn)
}

// TestPartSettledWhileAScorecardReadsCountsOnce: another refresher (serve's,
// or a report on another replica) moves a just-cancelled request's part
// from those counted apart into the cells between a scorecard's reading
// of the one and summing of the other; the scorecard reads again and
// counts it once, as whole requests do.
func TestPartSettledWhileAScorecardReadsCountsOnce(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	dir := bottest.WithPurchasing(t, bottest.Directory(t))
	start := time.Date(2026, 8, 3, 14, 0, 0, 0, time.UTC)
	clock := bot.NewManualClock(start)
	g := &randomDesk{t: t, rng: rand.New(rand.NewPCG(1, 29)), clock: clock, asker: map[string]string{}, dept: map[string]string{},
		desk: bot.New(dir, db, &bottest.Recorder{}, clock, nil)}
	g.run(200)
	var victim *bot.Request
	if err := report.RefreshParts(ctx, db, dir, clock.Now()); err != nil {
		t.Fatal(err)
	}
	_ = db.EachPartApart(ctx, []string{"purchasing", "finance", "it"}, time.Time{}, func(row report.PartRow) error {
		r, err := db.Request(ctx, row.RequestID)
		if err == nil && victim == nil && r.State.Active() && r.Dept == row.Dept && g.asker[r.ID] != "" {
			victim = r
		}
		return nil
	})
	if victim == nil {
		t.Fatal("the random desk left no request running to settle")
	}
	clock.Advance(time.Hour)
	now := clock.Now()
	if err := report.RefreshParts(ctx, db, dir, now); err != nil {
		t.Fatal(err)
	}
	w := &settleMidway{DB: db, dept: victim.Dept, fired: make(chan struct{}), fire: func() {
		if _, err := g.desk.Do(ctx, bot.Act{Actor: g.asker[victim.ID], ID: victim.ID, Action: bot.ActCancel}); err != nil {
			t.Error(err)
		}
		if err := report.RefreshParts(ctx, db, dir, now); err != nil {
			t.Error(err)
		}
	}}
	opts := report.ReportOptions{Period: report.QuarterPeriod(bot.QuarterOf(start, time.UTC)), Now: now, MinPersonResolved: 2, MinDeptResolved: 3}
	got, err := report.ComputeReport(ctx, w, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	want, err := report.ComputeReport(ctx, reference(db), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want.Depts {
		if g, w := got.Depts[i], want.Depts[i]; !reflect.DeepEqual(g.Figures, w.Figures) {
			t.Errorf("%s (victim %s of %s):\ngot  %+v\nwant %+v", w.Dept.Name, victim.ID, victim.Dept, g.Figures, w.Figures)
		}
	}
}

// resetMidway is the store with `askdesk report rebuild` (ResetReportParts)
// committing after a report has worked its parts out and before it reads
// them: what an operator's rebuild does to a report serve is computing.
type resetMidway struct {
	*store.DB
	t    *testing.T
	done bool
}

func (r *resetMidway) LatestPart(ctx context.Context, depts []string) (time.Time, error) {
	if !r.done {
		r.done = true
		if err := r.DB.ResetReportParts(ctx); err != nil {
			r.t.Fatal(err)
		}
	}
	return r.DB.LatestPart(ctx, depts)
}

// TestRebuildWhileAMapReadsKeepsItExact: askdesk report rebuild commits
// after a map has worked out its parts and before it reads the cells,
// which are then empty; the map reads again (working everything out
// first) and equals the one counted from whole requests.
func TestRebuildWhileAMapReadsKeepsItExact(t *testing.T) {
	db := MustOpenStore(t)
	dir := bottest.WithPurchasing(t, bottest.Directory(t))
	start := time.Date(2026, 8, 3, 14, 0, 0, 0, time.UTC)
	clock := bot.NewManualClock(start)
	g := &randomDesk{t: t, rng: rand.New(rand.NewPCG(1, 29)), clock: clock, asker: map[string]string{}, dept: map[string]string{},
		desk: bot.New(dir, db, &bottest.Recorder{}, clock, nil)}
	g.run(200)
	now := clock.Now()
	ctx := context.Background()
	if err := report.RefreshParts(ctx, db, dir, now); err != nil {
		t.Fatal(err)
	}
	p := report.QuarterPeriod(bot.QuarterOf(start, time.UTC))
	want, err := report.ComputeMap(ctx, reference(db), dir, p, now)
	if err != nil {
		t.Fatal(err)
	}
	got, err := report.ComputeMap(ctx, &resetMidway{DB: db, t: t}, dir, p, now)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("map with a rebuild committed midway differs:\ngot  %d pairs %+v\nwant %d pairs %+v", len(got.Pairs), got.Pairs, len(want.Pairs), want.Pairs)
	}
}

// TestPartsWorkedOutAgainAsTheyWereMoveNothing: requests worked out again
// unchanged (two refreshers on the same marks) leave RollupSeq where it was,
// so figures being read meanwhile need not read again; a request that
// settles moves it.
func TestPartsWorkedOutAgainAsTheyWereMoveNothing(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(tb testing.TB) *store.DB) {
		ctx := context.Background()
		db := open(t)
		dir := bottest.WithPurchasing(t, bottest.Directory(t))
		clock := bot.NewManualClock(time.Date(2026, 8, 3, 14, 0, 0, 0, time.UTC))
		g := &randomDesk{t: t, rng: rand.New(rand.NewPCG(2, 31)), clock: clock, asker: map[string]string{}, dept: map[string]string{},
			desk: bot.New(dir, db, &bottest.Recorder{}, clock, nil)}
		g.run(150)
		now := clock.Now()
		if err := report.RefreshParts(ctx, db, dir, now); err != nil {
			t.Fatal(err)
		}
		before, err := db.RollupSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.ExecForTest(db, `INSERT INTO report_stale (request_id, version) SELECT id, version FROM requests WHERE true
			ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = report_stale.seq + 1`); err != nil {
			t.Fatal(err)
		}
		if err := report.RefreshParts(ctx, db, dir, now); err != nil {
			t.Fatal(err)
		}
		if after, err := db.RollupSeq(ctx); err != nil || after != before {
			t.Errorf("every request worked out again as it was: seq %d → %d (%v), want unmoved", before, after, err)
		}
		var victim string
		for id, asker := range g.asker {
			if r, err := db.Request(ctx, id); err == nil && r.State.Active() && asker != "" {
				victim = id
				break
			}
		}
		if victim == "" {
			t.Fatal("the random desk left no request running")
		}
		if _, err := g.desk.Do(ctx, bot.Act{Actor: g.asker[victim], ID: victim, Action: bot.ActCancel}); err != nil {
			t.Fatal(err)
		}
		if err := report.RefreshParts(ctx, db, dir, now); err != nil {
			t.Fatal(err)
		}
		if after, err := db.RollupSeq(ctx); err != nil || after == before {
			t.Errorf("%s cancelled and worked out again: seq %d → %d (%v), want moved", victim, before, after, err)
		}
	})
}
