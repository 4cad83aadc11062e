package report

import (
	"github.com/askdesk/askdesk/bot"

	"sort"
	"time"
)

// bizIndex answers a calendar's questions in constant time over a span of
// dates, from running sums of each day's open time: business time between
// a and b is sum(b) - sum(a). Calendar walks day by day (11 µs for a
// two-day target, 165 µs for 200 days), which is right for one request and
// too slow for a year of them; a digest reads up to hundreds of thousands.
//
// Every answer equals the Calendar's: the index holds the very intervals
// Calendar.OpenOn gives, and defers to the Calendar for instants outside
// its span. TestBizIndexMatchesCalendar checks the two agree.
type bizIndex struct {
	cal      *bot.Calendar
	day0     int64 // civil day number of the first date
	y, d     int   // the first date
	m        time.Month
	n        int              // days indexed
	lo, hi   time.Time        // midnight before the first date, after the last
	before   []time.Duration  // before[i]: open time of days [0, i); n+1 entries
	open     [][]bot.Interval // each day's business intervals
	openDays []int            // indexes of the days with business hours
	rank     []int            // rank[i]: open days before day i; n+1 entries
}

// civilDay numbers a date: days since 1970-01-01.
func civilDay(y int, m time.Month, d int) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// newBizIndex indexes the local dates from the one holding from to the one
// holding to, inclusive.
func newBizIndex(cal *bot.Calendar, from, to time.Time) *bizIndex {
	y, m, d := from.In(cal.Location).Date()
	ty, tm, td := to.In(cal.Location).Date()
	x := &bizIndex{cal: cal, day0: civilDay(y, m, d), y: y, m: m, d: d}
	x.n = max(int(civilDay(ty, tm, td)-x.day0)+1, 1)
	x.lo = time.Date(y, m, d, 0, 0, 0, 0, cal.Location)
	x.hi = time.Date(y, m, d+x.n, 0, 0, 0, 0, cal.Location)
	x.before = make([]time.Duration, x.n+1)
	x.open = make([][]bot.Interval, x.n)
	x.rank = make([]int, x.n+1)
	for i := range x.n {
		x.open[i] = cal.OpenOn(y, m, d+i)
		sum := time.Duration(0)
		for _, iv := range x.open[i] {
			sum += iv.End.Sub(iv.Start)
		}
		x.before[i+1] = x.before[i] + sum
		x.rank[i+1] = x.rank[i]
		if len(x.open[i]) > 0 {
			x.openDays = append(x.openDays, i)
			x.rank[i+1]++
		}
	}
	return x
}

// day returns the index of the local date holding t.
func (x *bizIndex) day(t time.Time) (int, bool) {
	y, m, d := t.In(x.cal.Location).Date()
	i := int(civilDay(y, m, d) - x.day0)
	return i, i >= 0 && i < x.n
}

// sum returns the business time from the index's start to t.
func (x *bizIndex) sum(t time.Time) (time.Duration, bool) {
	if t.Before(x.lo) || t.After(x.hi) {
		return 0, false
	}
	if t.Equal(x.hi) {
		return x.before[x.n], true
	}
	i, ok := x.day(t)
	if !ok {
		return 0, false
	}
	s := x.before[i]
	for _, iv := range x.open[i] {
		if !t.After(iv.Start) {
			break
		}
		s += minTime(t, iv.End).Sub(iv.Start)
	}
	return s, true
}

// between is Calendar.Between.
func (x *bizIndex) between(a, b time.Time) time.Duration {
	if !a.Before(b) {
		return 0
	}
	sa, ok1 := x.sum(a)
	sb, ok2 := x.sum(b)
	if !ok1 || !ok2 {
		return x.cal.Between(a, b)
	}
	return sb - sa
}

// instant returns the earliest instant at which the running sum reaches s
// (s > 0): where Calendar.Add lands.
func (x *bizIndex) instant(s time.Duration) (time.Time, bool) {
	if s <= 0 || s > x.before[x.n] {
		return time.Time{}, false
	}
	i := sort.Search(x.n+1, func(k int) bool { return x.before[k] >= s }) - 1
	rest := s - x.before[i]
	for _, iv := range x.open[i] {
		if l := iv.End.Sub(iv.Start); rest <= l {
			return iv.Start.Add(rest), true
		} else {
			rest -= l
		}
	}
	return time.Time{}, false
}

// resolve is Calendar.Resolve: the business time from t to its deadline
// Deadline(t, bd) = Add(AddDays(t, bd.Days), bd.Time).
func (x *bizIndex) resolve(t time.Time, bd bot.BusinessDuration) time.Duration {
	st, ok := x.sum(t)
	if !ok || bd.Kind == bot.CalendarTime {
		return x.cal.Resolve(t, bd)
	}
	at := st // the running sum at AddDays(t, bd.Days)
	if bd.Days > 0 {
		// AddDays keeps the position on the business clock: the business
		// time since midnight of the day NextOpen(t) falls on, the same
		// amount into the bd.Days-th open day after it, or that day's close.
		i, ok := x.day(t)
		if !ok {
			return x.cal.Resolve(t, bd)
		}
		for ; i < x.n && (len(x.open[i]) == 0 || !x.open[i][len(x.open[i])-1].End.After(t)); i++ {
		}
		if i >= x.n {
			return x.cal.Resolve(t, bd)
		}
		midnight, ok := x.sum(time.Date(x.y, x.m, x.d+i, 0, 0, 0, 0, x.cal.Location))
		r := x.rank[i+1] + bd.Days - 1
		if !ok || r >= len(x.openDays) {
			return x.cal.Resolve(t, bd)
		}
		j := x.openDays[r]
		at = x.before[j] + min(st-midnight, x.before[j+1]-x.before[j])
	}
	if at+bd.Time > x.before[x.n] {
		return x.cal.Resolve(t, bd)
	}
	return at + bd.Time - st
}

// clocks is Request.Clocks with the index's arithmetic.
func (x *bizIndex) clocks(r *bot.Request, dep *bot.Department) (first, resolution bot.SLAClock) {
	t := dep.RequestTarget(r.Type, r.Priority)
	return clocksOf(r, t, x.resolve(r.HeldFrom(), t.FirstResponse), x.resolve(r.ResolutionStart, t.Resolution))
}

// clocksOf is Request.Clocks for targets t already worked out in business
// time: firstTarget from the part's start, resTarget from its resolution
// clock's.
func clocksOf(r *bot.Request, t bot.Target, firstTarget, resTarget time.Duration) (first, resolution bot.SLAClock) {
	end := time.Time{}
	switch {
	case r.State == bot.Cancelled:
		end = r.ClosedAt
	case !r.PassedOnAt.IsZero():
		end = r.PassedOnAt
	}
	start := r.HeldFrom()
	first = bot.SLAClock{Name: "first response", Start: start, //i18n:ok the clock's name, as bot names it; clockName says it
		Target: firstTarget, Spec: t.FirstResponse, Stop: r.FirstResponseAt}
	if first.Stop.IsZero() {
		first.Stop = end
	}
	resolution = bot.SLAClock{Name: "resolution", Start: r.ResolutionStart,
		Target: resTarget, Spec: t.Resolution, Pauses: r.Pauses, Stop: r.ResolvedAt}
	if resolution.Stop.IsZero() {
		resolution.Stop = end
	}
	return first, resolution
}

// elapsed is SLAClock.Elapsed. A clock on calendar time needs no index:
// the calendar's own arithmetic is a subtraction.
func (x *bizIndex) elapsed(c bot.SLAClock, now time.Time) time.Duration {
	if c.Spec.Kind == bot.CalendarTime {
		return c.Elapsed(x.cal, now)
	}
	end := c.End(now)
	d := x.between(c.Start, end)
	for _, p := range c.ClosedPauses(end) {
		d -= x.between(maxTime(p.Start, c.Start), minTime(p.End, end))
	}
	return d
}

// clockBetween is the time in [a, b) as clock c counts it: business time,
// or calendar time for a target in calendar time.
func (x *bizIndex) clockBetween(c bot.SLAClock, a, b time.Time) time.Duration {
	if c.Spec.Kind == bot.CalendarTime {
		return x.cal.WallClock().Between(a, b)
	}
	return x.between(a, b)
}

// breached returns the clock's elapsed time at now and whether it is past
// its target, as SLAClock.Status says.
func (x *bizIndex) breached(c bot.SLAClock, now time.Time) (time.Duration, bool) {
	e := x.elapsed(c, now)
	if e != c.Target {
		return e, e > c.Target
	}
	// Exactly on target: a deadline at a day's close. Whether it was missed
	// depends on instants, which the calendar settles.
	return e, c.Status(x.cal, now).Breached
}

// due is SLAClock.Due for a clock without pauses: when the target is reached.
func (x *bizIndex) due(c bot.SLAClock, now time.Time) time.Time {
	if len(c.Pauses) == 0 && c.Target > 0 && c.Spec.Kind != bot.CalendarTime {
		if s, ok := x.sum(c.Start); ok {
			if t, ok := x.instant(s + c.Target); ok {
				return t
			}
		}
	}
	return c.Due(x.cal, now)
}

// buildIndexes makes each department's business-time index, from where
// its earliest clock loaded starts (or from) to past now and to, since
// the deadlines of what is still open reach past now.
func buildIndexes(d *digestData, deps []*bot.Department, from, to, now time.Time) {
	for _, dep := range deps {
		start, fs := from, d.byDept[dep.Name]
		for i, f := range fs {
			if i == 0 || f.r.HeldFrom().Before(start) {
				start = f.r.HeldFrom()
			}
		}
		start = maxTime(start, now.Add(-indexSpan))
		d.index[dep.Name] = newBizIndex(dep.Calendar, minTime(start, from), maxTime(now, to).Add(62*24*time.Hour))
	}
}
