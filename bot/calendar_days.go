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
type dayTables map[*Calendar]*dayTable

// of returns c's table, made on first use.
func (ts dayTables) of(c *Calendar) *dayTable {
	t := ts[c]
	if t == nil {
		t = &dayTable{cal: c, days: map[int64]*calDay{}}
		ts[c] = t
	}
	return t
}

// dayTable is what a calendar says about each local date looked at so far,
// by day number (days since 1970-01-01).
type dayTable struct {
	cal  *Calendar
	days map[int64]*calDay
}

// calDay is one local date of a calendar: its midnight, its business
// intervals (Calendar.OpenOn) and their total length.
type calDay struct {
	midnight time.Time
	open     []Interval
	length   time.Duration
}

func (t *dayTable) day(n int64) *calDay {
	if d, ok := t.days[n]; ok {
		return d
	}
	y, m, dd := time.Unix(n*86400, 0).UTC().Date()
	d := &calDay{midnight: time.Date(y, m, dd, 0, 0, 0, 0, t.cal.Location), open: t.cal.OpenOn(y, m, dd)}
	for _, iv := range d.open {
		d.length += iv.End.Sub(iv.Start)
	}
	t.days[n] = d
	return d
}

// dayNumber is the number of the local date of at in loc.
func dayNumber(at time.Time, loc *time.Location) int64 {
	y, m, d := at.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
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
	tab := tables.of(cal.For(every.Kind))
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
