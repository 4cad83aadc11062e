package bot

import "time"

// Stepping an instant by whole business days again and again, as a clock's
// daily nudges are spaced, without walking the calendar afresh at each
// step: a calendar's days are read once into a table, and each step moves
// along it. A step gives what Calendar.Deadline gives for a duration of
// whole days (calendar_days_test.go holds them to each other); the sweep
// of a store with thousands of requests overdue for weeks takes tens of
// thousands of such steps, which Deadline took microseconds each.

// dayTables holds the day tables of the calendars one sweep steps on. They
// live as long as the sweep, so a calendar changed meanwhile is read again
// by the next one.
type dayTables map[tableKey]*dayTable

// tableKey is a calendar and how a duration counts on it (see
// Calendar.For).
type tableKey struct {
	cal  *Calendar
	kind DurationKind
}

// of returns the table of c for durations of kind k, made on first use.
func (ts dayTables) of(c *Calendar, k DurationKind) *dayTable {
	key := tableKey{c, k}
	t := ts[key]
	if t == nil {
		t = &dayTable{cal: c.For(k)}
		ts[key] = t
	}
	return t
}

// dayTable is what a calendar says about a run of local dates, by day
// number (days since 1970-01-01), grown as dates are asked for: days[i] is
// date first+i, and sum[i] the business time of the dates before it in the
// table, so that the business time between two instants far apart is one
// subtraction.
type dayTable struct {
	cal   *Calendar
	first int64
	days  []calDay
	sum   []time.Duration
}

// calDay is one local date of a calendar: its midnight, its business
// intervals (Calendar.OpenOn) and their total length.
type calDay struct {
	midnight time.Time
	open     []Interval
	length   time.Duration
}

// day returns date n. The entry stays valid as the table grows.
func (t *dayTable) day(n int64) *calDay {
	t.cover(n)
	return &t.days[n-t.first]
}

// cover grows the table to hold date n, by at least as many dates again
// as it holds, so that growing costs little per date.
func (t *dayTable) cover(n int64) {
	last := t.first + int64(len(t.days)) - 1
	if len(t.days) > 0 && n >= t.first && n <= last {
		return
	}
	lo, hi := n, n
	if len(t.days) > 0 {
		grow := int64(len(t.days))
		lo, hi = min(n, t.first), max(n, last)
		if n < t.first {
			lo = min(lo, t.first-grow)
		} else {
			hi = max(hi, last+grow)
		}
	}
	days := make([]calDay, hi-lo+1)
	for i := range days {
		k := lo + int64(i)
		if old := k - t.first; len(t.days) > 0 && old >= 0 && old < int64(len(t.days)) {
			days[i] = t.days[old]
			continue
		}
		y, m, d := time.Unix(k*86400, 0).UTC().Date()
		days[i] = calDay{midnight: time.Date(y, m, d, 0, 0, 0, 0, t.cal.Location), open: t.cal.OpenOn(y, m, d)}
		for _, iv := range days[i].open {
			days[i].length += iv.End.Sub(iv.Start)
		}
	}
	sum := make([]time.Duration, len(days)+1)
	for i, d := range days {
		sum[i+1] = sum[i] + d.length
	}
	t.first, t.days, t.sum = lo, days, sum
}

// dayNumber is the number of the local date of at in loc.
func dayNumber(at time.Time, loc *time.Location) int64 {
	y, m, d := at.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// between returns cal.Between(a, b): the business time in [a, b).
func (t *dayTable) between(a, b time.Time) time.Duration {
	if !a.Before(b) {
		return 0
	}
	loc := t.cal.Location
	da, db := dayNumber(a, loc), dayNumber(b, loc)
	t.cover(da)
	t.cover(db)
	within := func(n int64) time.Duration { // date n's business time in [a, b)
		var sum time.Duration
		for _, iv := range t.day(n).open {
			if s, e := maxTime(iv.Start, a), minTime(iv.End, b); s.Before(e) {
				sum += e.Sub(s)
			}
		}
		return sum
	}
	if da == db {
		return within(da)
	}
	return within(da) + t.sum[db-t.first] - t.sum[da+1-t.first] + within(db)
}

// nextOpenDay returns the number of the first date after n with business
// hours; false when there is none within maxScanDays.
func (t *dayTable) nextOpenDay(n int64) (int64, bool) {
	for i := int64(1); i < maxScanDays; i++ {
		if len(t.day(n+i).open) > 0 {
			return n + i, true
		}
	}
	return 0, false
}

// addDays returns cal.Deadline(at, BusinessDuration{Days: k}) (k > 0) and
// the number of its local date, for at inside business hours on date n;
// false when at is not, or the calendar gives out, and Deadline must walk.
func (t *dayTable) addDays(at time.Time, n int64, k int) (time.Time, int64, bool) {
	today := t.day(n)
	// How far into its day's business hours at is (Calendar.AddDays's
	// offset), and whether it is inside them at all.
	var offset time.Duration
	inside := false
	for _, iv := range today.open {
		if !iv.Start.After(at) && at.Before(iv.End) {
			inside = true
			offset += at.Sub(maxTime(iv.Start, today.midnight))
			break
		}
		offset += iv.End.Sub(maxTime(iv.Start, today.midnight))
	}
	if !inside {
		return time.Time{}, 0, false
	}
	day := n
	for range k {
		next, ok := t.nextOpenDay(day)
		if !ok {
			return time.Time{}, 0, false
		}
		day = next
	}
	// The same position on that day's business clock, or its close when
	// it is shorter; then, as Deadline's Add(…, 0), the next opening when
	// that falls at the end of a stretch.
	target := t.day(day)
	rem := min(offset, target.length)
	for i, iv := range target.open {
		if span := iv.End.Sub(iv.Start); rem > span {
			rem -= span
			continue
		}
		if x := iv.Start.Add(rem); x.Before(iv.End) {
			return x, day, true
		}
		if i+1 < len(target.open) {
			return target.open[i+1].Start, day, true
		}
		after, ok := t.nextOpenDay(day)
		if !ok {
			return time.Time{}, 0, false
		}
		return t.day(after).open[0].Start, after, true
	}
	return time.Time{}, 0, false
}

// dayStepper returns a function that steps an instant by every, as
// cal.Deadline(t, every) does: along tables' day table for a duration of
// whole days, by Deadline itself otherwise (or with no tables).
func dayStepper(tables dayTables, cal *Calendar, every BusinessDuration) func(time.Time) time.Time {
	deadline := func(at time.Time) time.Time { return cal.Deadline(at, every) }
	if tables == nil || every.Days <= 0 || every.Time != 0 {
		return deadline
	}
	tab := tables.of(cal, every.Kind)
	loc := tab.cal.Location
	var last time.Time // the previous step's result, on date lastDay
	var lastDay int64
	return func(at time.Time) time.Time {
		n := lastDay
		if last.IsZero() || !at.Equal(last) {
			n = dayNumber(at, loc)
		}
		next, day, ok := tab.addDays(at, n, every.Days)
		if !ok {
			next, day = deadline(at), 0
			if !next.IsZero() {
				day = dayNumber(next, loc)
			}
		}
		last, lastDay = next, day
		return next
	}
}

// nextOpen is Calendar.nextOpen along the table: the business interval
// that holds at, clipped to start at at, or else the first one after.
func (t *dayTable) nextOpen(at time.Time) (Interval, bool) {
	n := dayNumber(at, t.cal.Location)
	for i := int64(0); i < maxScanDays; i++ {
		for _, iv := range t.day(n + i).open {
			if iv.End.After(at) {
				if iv.Start.Before(at) {
					iv.Start = at
				}
				return iv, true
			}
		}
	}
	return Interval{}, false
}

// add is Calendar.Add along the table.
func (t *dayTable) add(at time.Time, d time.Duration) time.Time {
	if t.cal.wall {
		return t.cal.Add(at, d) // one step: the wall clock is always open
	}
	for {
		iv, ok := t.nextOpen(at)
		if !ok {
			return at
		}
		if n := iv.End.Sub(iv.Start); d <= n {
			return iv.Start.Add(d)
		} else {
			d -= n
		}
		at = iv.End
	}
}

// addDaysFrom is Calendar.AddDays along the table, from any instant.
func (t *dayTable) addDaysFrom(at time.Time, n int) time.Time {
	if n <= 0 {
		return at
	}
	start := at
	if iv, ok := t.nextOpen(at); ok {
		start = iv.Start
	}
	first := dayNumber(start, t.cal.Location)
	offset := t.between(t.day(first).midnight, start)
	for i := int64(1); i < maxScanDays; i++ {
		day := t.day(first + i)
		if len(day.open) == 0 {
			continue
		}
		if n--; n == 0 {
			return t.add(day.open[0].Start, min(offset, day.length))
		}
	}
	return start
}

// tabled is the business-time arithmetic of a calendar along a sweep's
// day tables; plain is the calendar's own. Both give the same answers
// (calendar_days_test.go); the sweep asks of thousands of requests.
type arithmetic interface {
	between(k DurationKind, a, b time.Time) time.Duration
	add(k DurationKind, at time.Time, d time.Duration) time.Time
	deadline(at time.Time, bd BusinessDuration) time.Time
}

type plain struct{ cal *Calendar }

func (p plain) between(k DurationKind, a, b time.Time) time.Duration {
	return p.cal.For(k).Between(a, b)
}
func (p plain) add(k DurationKind, at time.Time, d time.Duration) time.Time {
	return p.cal.For(k).Add(at, d)
}
func (p plain) deadline(at time.Time, bd BusinessDuration) time.Time { return p.cal.Deadline(at, bd) }

type tabled struct {
	tables dayTables
	cal    *Calendar
}

func (t tabled) between(k DurationKind, a, b time.Time) time.Duration {
	return t.tables.of(t.cal, k).between(a, b)
}
func (t tabled) add(k DurationKind, at time.Time, d time.Duration) time.Time {
	return t.tables.of(t.cal, k).add(at, d)
}
func (t tabled) deadline(at time.Time, bd BusinessDuration) time.Time {
	tab := t.tables.of(t.cal, bd.Kind)
	return tab.add(tab.addDaysFrom(at, bd.Days), bd.Time)
}

// arithmeticOf is cal's arithmetic: along tables when there are any.
func arithmeticOf(tables dayTables, cal *Calendar) arithmetic {
	if tables == nil {
		return plain{cal}
	}
	return tabled{tables, cal}
}

// resolve is Calendar.Resolve in ar.
func resolve(ar arithmetic, at time.Time, bd BusinessDuration) time.Duration {
	return ar.between(bd.Kind, at, ar.deadline(at, bd))
}
