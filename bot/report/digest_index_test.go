package report_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

// TestBizIndexMatchesCalendar checks the digest's fast arithmetic against
// Calendar and SLAClock on random instants: lunch breaks, a holiday,
// weekends, both DST changes of 2026 in New York, a 24-hour calendar, extra
// working days, targets in calendar time and instants outside the index
// (where it defers to the calendar).
func TestBizIndexMatchesCalendar(t *testing.T) {
	fin := testDir(t).ByName("finance")
	allNY := allDay(t, "America/New_York")
	allNY.Holidays = map[string]string{"2026-11-03": "Election day"}
	sat := weekdays(t, "Asia/Kolkata", bot.Span{Start: hm(9, 30), End: hm(13, 30)}, bot.Span{Start: hm(14, 30), End: hm(18, 30)})
	sat.Hours[time.Saturday] = []bot.Span{{Start: hm(10, 0), End: hm(13, 0)}}
	targets := []bot.BusinessDuration{{Time: 30 * time.Minute}, {Time: 4 * time.Hour}, {Days: 1}, {Days: 2},
		{Days: 3, Time: 90 * time.Minute}, {Days: 10}, {Time: 26 * time.Hour},
		{Time: 24 * time.Hour, Kind: bot.CalendarTime}, {Days: 2, Kind: bot.CalendarTime}, {Time: 90 * time.Minute, Kind: bot.CalendarTime}}
	// Shanghai with the 2026 holidays and make-up working days of May and
	// October, one of them with short hours.
	makeUp := weekdays(t, "Asia/Shanghai", bot.Span{Start: hm(8, 30), End: hm(12, 0)}, bot.Span{Start: hm(13, 0), End: hm(17, 30)})
	for _, d := range []string{"2026-05-01", "2026-05-04", "2026-05-05", "2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"} {
		makeUp.Holidays[d] = "holiday"
	}
	makeUp.Workdays = map[string]bot.Workday{"2026-05-09": {Name: "make-up"}, "2026-09-20": {}, "2026-10-10": {Hours: []bot.Span{{Start: hm(9, 0), End: hm(12, 0)}}}}
	lo := time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)
	hi := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(4, 7))
	instant := func() time.Time {
		// Minutes, so instants often fall on span edges.
		return lo.Add(time.Duration(rng.Int64N(int64(hi.Sub(lo)/time.Minute))) * time.Minute)
	}
	for _, c := range []struct {
		name string
		cal  *bot.Calendar
	}{{"Finance", fin.Calendar}, {"AllDayNY", allNY}, {"Saturdays", sat}, {"MakeUpDays", makeUp}} {
		t.Run(c.name, func(t *testing.T) {
			// The index covers March to November; instants outside defer.
			x := report.NewDigestIndex(c.cal, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
			dep := &bot.Department{Name: "d", Calendar: c.cal, Targets: map[bot.Priority]bot.Target{}}
			for i := 0; i < 4000; i++ {
				a, b := instant(), instant()
				if rng.IntN(2) == 0 {
					b = a.Add(time.Duration(rng.IntN(5*24*60)) * time.Minute)
				}
				if got, want := x.Between(a, b), c.cal.Between(a, b); got != want {
					t.Fatalf("Between(%s, %s) = %s, want %s", a, b, got, want)
				}
				bd := targets[rng.IntN(len(targets))]
				if got, want := x.Resolve(a, bd), c.cal.Resolve(a, bd); got != want {
					t.Fatalf("Resolve(%s, %s) = %s, want %s", a.In(c.cal.Location), bd, got, want)
				}
				dep.Targets[bot.Normal] = bot.Target{FirstResponse: targets[rng.IntN(len(targets))], Resolution: bd}
				r := randomRequest(rng, a)
				f1, r1 := x.Clocks(r, dep)
				f2, r2 := r.Clocks(dep)
				if !sameClock(f1, f2) || !sameClock(r1, r2) {
					t.Fatalf("Clocks(%+v) = %+v, %+v; want %+v, %+v", r, f1, r1, f2, r2)
				}
				now := b
				for _, clk := range []bot.SLAClock{f2, r2} {
					st := clk.Status(c.cal, now)
					if el, br := x.Breached(clk, now); el != st.Elapsed || br != st.Breached {
						t.Fatalf("%s at %s: elapsed %s, breached %v; want %s, %v", clk.Name, now, el, br, st.Elapsed, st.Breached)
					}
				}
				if got, want := x.Due(f2, now), f2.Due(c.cal, now); !got.Equal(want) {
					t.Fatalf("Due(%+v) = %s, want %s", f2, got, want)
				}
			}
		})
	}
}

// randomRequest is a request filed at t that may have been answered,
// paused, resolved or cancelled since.
func randomRequest(rng *rand.Rand, t time.Time) *bot.Request {
	step := func() time.Duration { return time.Duration(rng.IntN(3*24*60)) * time.Minute }
	r := &bot.Request{ID: "X-1", Priority: bot.Normal, State: bot.Acknowledged, CreatedAt: t, ResolutionStart: t}
	if rng.IntN(4) > 0 {
		r.FirstResponseAt = t.Add(step())
	}
	if rng.IntN(3) == 0 {
		p := r.CreatedAt.Add(step())
		r.Pauses = []bot.Interval{{Start: p, End: p.Add(step())}}
		if rng.IntN(3) == 0 {
			r.Pauses[0].End = time.Time{}
			r.State = bot.Waiting
		}
	}
	switch rng.IntN(3) {
	case 0:
		if r.State != bot.Waiting {
			r.State, r.ResolvedAt = bot.Resolved, t.Add(step()+step())
		}
	case 1:
		r.State, r.ClosedAt = bot.Cancelled, t.Add(step())
	}
	return r
}

func sameClock(a, b bot.SLAClock) bool {
	return a.Name == b.Name && a.Start.Equal(b.Start) && a.Target == b.Target && a.Spec == b.Spec && a.Stop.Equal(b.Stop) &&
		slices.EqualFunc(a.Pauses, b.Pauses, func(p, q bot.Interval) bool { return p.Start.Equal(q.Start) && p.End.Equal(q.End) })
}
