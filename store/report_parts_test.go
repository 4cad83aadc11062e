package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// wholeRequests is the store as figures saw it before parts were kept: it
// has every hook but report.PartRows, so digests, scorecards and the map
// work each request out from its record and history: the reference.
type wholeRequests struct {
	report.Reports
	report.RatingReports
	report.RatingRows
	report.SurveyReports
	report.LowRatedReports
	report.SelfServedReports
}

func reference(db *store.DB) wholeRequests { return wholeRequests{db, db, db, db, db, db} }

// randomDesk files and works requests at random on db across Finance (New
// York), IT (Shanghai) and Purchasing (London): claims, replies, waits,
// transfers, resolutions, reopenings, cancellations and ratings, the clock
// moving minutes to days between acts. Acts the desk refuses are skipped.
type randomDesk struct {
	t     *testing.T
	rng   *rand.Rand
	desk  *bot.Desk
	clock *bot.ManualClock
	ids   []string
	asker map[string]string
	dept  map[string]string // each request's department now
	// brisk: the staff work the last few requests within minutes, so
	// that people resolve in time and are recognised in scorecards.
	brisk bool
}

// randomStaff are the members of each department (bottest's company with
// Purchasing).
var randomStaff = map[string][]string{"finance": {bottest.Frank, bottest.Fiona}, "it": {bottest.Ivan}, "purchasing": {bottest.Pat}}

var randomDepts = []string{"finance", "it", "purchasing"}

func (g *randomDesk) run(n int) {
	ctx := context.Background()
	staff := []string{bottest.Frank, bottest.Fiona, bottest.Ivan, bottest.Pat}
	customers := []string{bottest.Sam, bottest.Tina}
	for range n {
		step, recent := time.Duration(g.rng.IntN(30*60))*time.Minute/time.Duration(1+g.rng.IntN(8)), 25
		if g.brisk {
			step, recent = step/60, 3
		}
		g.clock.Advance(step)
		if len(g.ids) == 0 || g.rng.IntN(4) == 0 {
			who := customers[g.rng.IntN(len(customers))]
			r, err := g.desk.File(ctx, bot.Filing{Requester: who, Dept: randomDepts[g.rng.IntN(len(randomDepts))],
				Priority: bot.Priorities[g.rng.IntN(len(bot.Priorities))], Text: fmt.Sprintf("thing %d", len(g.ids)), Source: "slash"})
			g.check(err)
			if err == nil {
				g.ids = append(g.ids, r.ID)
				g.asker[r.ID], g.dept[r.ID] = who, r.Dept
			}
			continue
		}
		// Recent requests are worked most, as on a desk, mostly by their
		// department's staff.
		id := g.ids[max(0, len(g.ids)-1-g.rng.IntN(min(len(g.ids), recent)))]
		by := staff[g.rng.IntN(len(staff))]
		if own := randomStaff[g.dept[id]]; len(own) > 0 && g.rng.IntN(10) > 0 {
			by = own[g.rng.IntN(len(own))]
		}
		act := bot.Act{Actor: by, ID: id}
		switch k := g.rng.IntN(20); {
		case k < 4:
			act.Action = bot.ActClaim
		case k < 6:
			act.Action, act.Text = bot.ActReply, "on it"
		case k < 7:
			act.Action, act.Text = bot.ActWait, "waiting on you"
		case k < 8:
			act.Action = bot.ActResume
		case k < 12:
			act.Action, act.Text = bot.ActResolve, "done"
		case k < 13:
			act.Action = bot.ActClose
		case k < 14:
			act.Action, act.Actor, act.Text = bot.ActReopen, g.asker[id], "not fixed"
		case k < 15:
			act.Action, act.Actor = bot.ActCancel, g.asker[id]
		case k < 17:
			act.Action, act.Target, act.Text = bot.ActTransfer, randomDepts[g.rng.IntN(len(randomDepts))], "theirs"
		default:
			_, err := g.desk.Rate(ctx, g.asker[id], id, fmt.Sprint(1+g.rng.IntN(5)))
			g.check(err)
			continue
		}
		if g.brisk && act.Action == bot.ActResolve {
			// Brisk staff claim what they resolve, so it counts as theirs.
			_, err := g.desk.Do(ctx, bot.Act{Actor: act.Actor, ID: id, Action: bot.ActClaim})
			g.check(err)
		}
		r, err := g.desk.Do(ctx, act)
		g.check(err)
		if err != nil {
			continue
		}
		g.dept[id] = r.Dept
		if r.State == bot.Resolved && g.rng.IntN(2) == 0 {
			// Rated soon after, while the prompt is open.
			g.clock.Advance(time.Duration(g.rng.IntN(120)) * time.Minute)
			_, err := g.desk.Rate(ctx, g.asker[id], id, fmt.Sprint(1+g.rng.IntN(5)))
			g.check(err)
		}
		if r.State == bot.Resolved && g.rng.IntN(6) == 0 {
			g.clock.Advance(time.Duration(g.rng.IntN(48*60)) * time.Minute)
			_, err := g.desk.Do(ctx, bot.Act{Actor: g.asker[id], Action: bot.ActReopen, ID: id, Text: "not fixed"})
			g.check(err)
		}
	}
}

// check fails on any error but the desk's refusals.
func (g *randomDesk) check(err error) {
	g.t.Helper()
	var be *bot.Error
	if err != nil && !errors.As(err, &be) {
		g.t.Fatal(err)
	}
}

// TestPartsCountAsWholeRequests: on stores filled at random, every digest,
// scorecard, map, trend and standing computed from the stored parts equals
// the one computed from whole requests and their histories, before and
// after more changes and a new revision of Finance's standard, and at an
// instant in the middle of the history as well as at its end.
func TestPartsCountAsWholeRequests(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(tb testing.TB) *store.DB) {
		for seed := range uint64(2) {
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
				db := open(t)
				dirA := bottest.WithPurchasing(t, bottest.Directory(t))
				dirA.ByName("finance").Revision = 1
				dirB := bottest.WithPurchasing(t, bottest.Directory(t))
				fin := dirB.ByName("finance")
				fin.Revision = 2
				fin.Targets = map[bot.Priority]bot.Target{bot.Normal: fin.Target(bot.Urgent), bot.Urgent: fin.Target(bot.Low), bot.Low: fin.Target(bot.Normal)}
				dirB.AddStandard(dirA.ByName("finance"))

				start := time.Date(2026, 8, 3, 14, 0, 0, 0, time.UTC)
				clock := bot.NewManualClock(start)
				g := &randomDesk{t: t, rng: rand.New(rand.NewPCG(seed, 17)), clock: clock, asker: map[string]string{}, dept: map[string]string{},
					desk: bot.New(dirA, db, &bottest.Recorder{}, clock, nil)}
				g.run(250)
				middle := clock.Now()
				compareFigures(t, db, dirA, start, middle)
				g.run(250)
				compareFigures(t, db, dirA, start, clock.Now())
				g.desk.SetDir(dirB)
				g.run(250)
				compareFigures(t, db, dirB, start, clock.Now())
				compareFigures(t, db, dirB, start, middle)
				g.brisk = true
				g.run(250)
				if ranked := compareFigures(t, db, dirB, start, clock.Now()); ranked == 0 {
					t.Errorf("no one recognised in any scorecard after brisk work: people's figures went unchecked")
				}
				sameCellsAsRebuilt(t, db, dirB, clock.Now())
			})
		}
	})
}

// compareFigures computes every figure over the history from start to now
// both ways and fails on any difference. It returns how many people the
// scorecards recognised, so a caller can tell that people were compared.
func compareFigures(t *testing.T, db *store.DB, dir *bot.Directory, start, now time.Time) (ranked int) {
	t.Helper()
	ctx := context.Background()
	ref := reference(db)
	org := bottest.MustZone(t, "America/New_York")
	same := func(what string, got, want any, gotErr, wantErr error) {
		t.Helper()
		if (gotErr != nil) != (wantErr != nil) {
			t.Fatalf("%s at %s: parts say %v, whole requests %v", what, now, gotErr, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s at %s differs:\nparts          %+v\nwhole requests %+v", what, now, got, want)
		}
	}
	first, last := report.WeekOf(start, org), report.WeekOf(now, org)
	for w := first; w.String() <= last.String(); w = w.Add(1) {
		got, gerr := report.ComputeDigests(ctx, db, dir, w, org, now)
		want, werr := report.ComputeDigests(ctx, ref, dir, w, org, now)
		same("digests of "+w.String(), digestFigures(got), digestFigures(want), gerr, werr)
	}
	got, gerr := report.Trend(ctx, db, dir, nil, last, 8, org, now)
	want, werr := report.Trend(ctx, ref, dir, nil, last, 8, org, now)
	same("trend", got, want, gerr, werr)
	for _, q := range []bot.Quarter{bot.QuarterOf(start, time.UTC), bot.QuarterOf(now, time.UTC)} {
		opts := report.ReportOptions{Period: report.QuarterPeriod(q), OrgZone: org, Now: now, MinPersonResolved: 2, MinDeptResolved: 3}
		got, gerr := report.ComputeReport(ctx, db, dir, opts)
		want, werr := report.ComputeReport(ctx, ref, dir, opts)
		same("scorecards of "+q.String(), got, want, gerr, werr)
		if got != nil {
			ranked += len(got.BestPeople)
			for _, d := range got.Depts {
				ranked += len(d.People)
			}
		}
	}
	p, err := report.DatePeriod(start.AddDate(0, 0, 3), now.AddDate(0, 0, -2))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []report.Period{p, report.QuarterPeriod(bot.QuarterOf(now, time.UTC))} {
		got, gerr := report.ComputeMap(ctx, db, dir, p, now)
		want, werr := report.ComputeMap(ctx, ref, dir, p, now)
		same("map of "+p.String(), got, want, gerr, werr)
	}
	for _, dep := range dir.Departments {
		got, gerr := report.ComputeStanding(ctx, db, dir, dep, now)
		want, werr := report.ComputeStanding(ctx, ref, dir, dep, now)
		same("standing of "+dep.Name, got, want, gerr, werr)
	}
	return ranked
}

// sameCellsAsRebuilt: the cells kept as parts and ratings changed are
// those made afresh from the parts and the ratings.
func sameCellsAsRebuilt(t *testing.T, db *store.DB, dir *bot.Directory, now time.Time) {
	t.Helper()
	kept, ratings, recounted, err := store.RollupCellsForTest(db)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) == 0 || len(ratings) == 0 {
		t.Fatalf("no cells kept (%d) or no rating cells (%d)", len(kept), len(ratings))
	}
	if !reflect.DeepEqual(ratings, recounted) {
		t.Errorf("rating cells kept by the triggers differ from a recount:\nkept      %v\nrecounted %v", ratings, recounted)
	}
	if err := store.ExecForTest(db, `UPDATE report_rollup_state SET ready = 0`); err != nil {
		t.Fatal(err)
	}
	if err := report.RefreshParts(context.Background(), db, dir, now); err != nil {
		t.Fatal(err)
	}
	rebuilt, _, _, err := store.RollupCellsForTest(db)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(kept, rebuilt) {
		t.Errorf("cells kept as parts changed differ from those rebuilt:\nkept    %d %v\nrebuilt %d %v", len(kept), kept, len(rebuilt), rebuilt)
	}
}

// digestFigures are what a digest says, without the pointers to the
// directory it shares with its twin.
func digestFigures(ds []*report.Digest) []string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s %v %+v %+v %+v %+v %+v %+v %d", d.Week, d.Dept != nil, d.Figures, d.Prev, d.Worst,
			d.Satisfaction, d.People, d.Departments, d.SelfServed))
	}
	return out
}

// TestPartsMarkMadeAgainStays: a request changed while its parts are being
// worked out stays marked, whether the change made a new version (a
// claim) or not (its title redacted), so the next report works it out
// again; and once worked out, it is marked no more.
func TestPartsMarkMadeAgainStays(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(tb testing.TB) *store.DB) {
		ctx := context.Background()
		db := open(t)
		f := transferDesk(t, db)
		r := f.File(t, bottest.Sam, "finance", "office chairs")
		marks, rs, err := db.StaleRequests(ctx, 10)
		if err != nil || len(marks) != 1 || len(rs) != 1 || marks[0].RequestID != r.ID {
			t.Fatalf("stale after filing: %+v %d, %v", marks, len(rs), err)
		}
		f.Do(t, bottest.Frank, bot.ActClaim, r.ID) // meanwhile
		done := []report.StaleMark{{RequestID: r.ID, Version: rs[0].Version, Seq: marks[0].Seq}}
		if err := db.SaveParts(ctx, done, nil); err != nil {
			t.Fatal(err)
		}
		if again, _, err := db.StaleRequests(ctx, 10); err != nil || len(again) != 1 {
			t.Fatalf("after a claim meanwhile: %+v, %v; want it still marked", again, err)
		}
		if err := report.RefreshParts(ctx, db, f.Desk.Dir(), f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if left, _, err := db.StaleRequests(ctx, 10); err != nil || len(left) != 0 {
			t.Fatalf("after a refresh: %+v, %v; want none", left, err)
		}
		if err := store.ExecForTest(db, `UPDATE requests SET title = '[redacted]' WHERE id = ?`, r.ID); err != nil {
			t.Fatal(err)
		}
		if again, _, err := db.StaleRequests(ctx, 10); err != nil || len(again) != 1 {
			t.Fatalf("after the title changed: %+v, %v; want it marked", again, err)
		}
	})
}

// TestPartsStandardsSameForTheSameConfig: the fingerprint of a
// department's standard depends on the config, not on where the
// directory sits in memory: a directory built again from the same config
// leaves the parts as they are, where a changed target has them worked out
// again.
func TestPartsStandardsSameForTheSameConfig(t *testing.T) {
	ctx := context.Background()
	db := bottest.OpenStore(t)
	now := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	fingerprints := func(dir *bot.Directory) map[string]string {
		t.Helper()
		if err := report.RefreshParts(ctx, db, dir, now); err != nil {
			t.Fatal(err)
		}
		fps, err := db.PartStandards(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return fps
	}
	first, again := fingerprints(exampleDir(t)), fingerprints(exampleDir(t))
	if len(first) == 0 || !reflect.DeepEqual(first, again) {
		t.Fatalf("the same config gave other fingerprints:\n%v\n%v", first, again)
	}
	changed := exampleDir(t)
	fin := changed.ByName("finance")
	fin.Targets = map[bot.Priority]bot.Target{bot.Normal: fin.Target(bot.Urgent)}
	if got := fingerprints(changed); got["finance"] == first["finance"] || got["it"] != first["it"] {
		t.Errorf("after Finance's targets changed: %v, was %v", got, first)
	}
}

// TestPartsRatedLowElsewhere: a request IT resolved and its requester
// rated 1, reopened, passed to Finance and resolved there. Finance's
// resolution is right first time in Finance's own digest (IT's rating is
// not among the ratings it reads) and not in the company's: its part is
// counted apart from the cells, and every figure equals the one from
// whole requests, on both engines.
func TestPartsRatedLowElsewhere(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(tb testing.TB) *store.DB) {
		db := open(t)
		f := transferDesk(t, db)
		start := f.Clock.Now()
		r := f.File(t, bottest.Sam, "it", "laptop")
		f.Clock.Advance(time.Hour)
		f.Do(t, bottest.Ivan, bot.ActResolve, r.ID, "done")
		f.Clock.Advance(10 * time.Minute)
		if _, err := f.Desk.Rate(f.Ctx, bottest.Sam, r.ID, "1"); err != nil {
			t.Fatal(err)
		}
		f.Clock.Advance(time.Hour)
		f.Do(t, bottest.Sam, bot.ActReopen, r.ID, "not fixed")
		f.Clock.Advance(time.Hour)
		f.Do(t, bottest.Ivan, bot.ActTransfer, r.ID, "finance")
		f.Clock.Advance(time.Hour)
		f.Do(t, bottest.Frank, bot.ActResolve, r.ID, "done")
		resolved := f.Clock.Now()
		f.Clock.Advance(6 * 24 * time.Hour) // the map's dates need a few days
		now := f.Clock.Now()
		compareFigures(t, db, f.Desk.Dir(), start, now)
		org := bottest.MustZone(t, "America/New_York")
		week := report.WeekOf(resolved, org)
		fin, err := report.ComputeDigest(f.Ctx, db, f.Desk.Dir(), f.Desk.Dir().ByName("finance"), week, org, now)
		if err != nil {
			t.Fatal(err)
		}
		all, err := report.ComputeDigest(f.Ctx, db, f.Desk.Dir(), nil, week, org, now)
		if err != nil {
			t.Fatal(err)
		}
		if fin.Figures.Resolved != 1 || fin.Figures.RightFirstTime != 1 || all.Figures.RightFirstTime != 0 {
			t.Errorf("Finance resolved %d, %d right first time; the company %d right first time; want 1, 1, 0",
				fin.Figures.Resolved, fin.Figures.RightFirstTime, all.Figures.RightFirstTime)
		}
	})
}

// TestPartStandardMarksEveryPartInBatches: a changed standard marks every
// request with a part held by the department, however many transactions
// the marking takes (here three parts to one), and none of another's.
func TestPartStandardMarksEveryPartInBatches(t *testing.T) {
	defer store.SetStandardMarkBatchForTest(3)()
	eachBackend(t, func(t *testing.T, open func(tb testing.TB) *store.DB) {
		ctx := context.Background()
		db := open(t)
		f := transferDesk(t, db)
		want := map[string]bool{}
		for i := range 10 {
			r := f.File(t, bottest.Sam, "finance", fmt.Sprintf("chairs %d", i))
			want[r.ID] = true
			if i%3 == 0 {
				f.Do(t, bottest.Frank, bot.ActResolve, r.ID)
			}
		}
		f.File(t, bottest.Sam, "it", "a laptop")
		if err := report.RefreshParts(ctx, db, f.Desk.Dir(), f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if err := db.SetPartStandard(ctx, "finance", "changed"); err != nil {
			t.Fatal(err)
		}
		marks, _, err := db.StaleRequests(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, m := range marks {
			got[m.RequestID] = true
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("marked %v, want Finance's %v", got, want)
		}
		if fps, err := db.PartStandards(ctx); err != nil || fps["finance"] != "changed" {
			t.Errorf("fingerprints %v, %v", fps, err)
		}
	})
}

// TestRefreshersAtOnceKeepCellsExact: four refreshers working out the
// parts of a random desk at once (serve's leader and reports on other
// replicas do) all succeed, and leave the cells a rebuild from the parts
// makes and the figures whole requests give, on both engines. On
// PostgreSQL, without the lock SaveParts takes, two of them start from the
// same cell and one undoes the other's change, or they deadlock.
func TestRefreshersAtOnceKeepCellsExact(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(tb testing.TB) *store.DB) {
		db := open(t)
		dir := bottest.WithPurchasing(t, bottest.Directory(t))
		start := time.Date(2026, 8, 3, 14, 0, 0, 0, time.UTC)
		clock := bot.NewManualClock(start)
		g := &randomDesk{t: t, rng: rand.New(rand.NewPCG(3, 17)), clock: clock, asker: map[string]string{}, dept: map[string]string{},
			desk: bot.New(dir, db, &bottest.Recorder{}, clock, nil)}
		for round := range 2 {
			g.run(400)
			now := clock.Now()
			var wg sync.WaitGroup
			errs := make([]error, 4)
			for i := range errs {
				wg.Go(func() { errs[i] = report.RefreshParts(context.Background(), db, dir, now) })
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("round %d, refresher %d: %v", round, i, err)
				}
			}
		}
		compareFigures(t, db, dir, start, clock.Now())
		sameCellsAsRebuilt(t, db, dir, clock.Now())
	})
}
