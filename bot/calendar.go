package bot

import (
	"time"

	"github.com/askdesk/askdesk/bot/i18n"
)

// Span is one stretch of business hours within a day, in minutes since local
// midnight: [Start, End). End may be 1440 (midnight at the day's end).
type Span struct {
	Start, End int
}

// Calendar is a department's business time: its zone, its weekly hours,
// its holidays and its extra working days. All SLA arithmetic goes through
// it.
type Calendar struct {
	Location *time.Location
	// Hours holds each weekday's spans, indexed by time.Weekday, sorted and
	// non-overlapping. A day with no spans is closed.
	Hours [7][]Span
	// Holidays maps local dates ("2006-01-02") to a name ("" when unnamed).
	Holidays map[string]string
	// Workdays maps local dates that are normally closed but worked (China's
	// make-up working days, 调休) to what they are. A date is never both a
	// holiday and a workday (config validation sees to it).
	Workdays map[string]Workday

	wall bool // open around the clock: calendar time (see WallClock)
	// memo remembers OpenOn by date once Memoize was called
	// (calendar_memo.go); nil otherwise.
	memo *openMemo
}

// Workday is an extra working day: its name ("" when unnamed) and its
// hours, which are Monday's when Hours is nil.
type Workday struct {
	Name  string
	Hours []Span
}

// WallClock returns a calendar in c's zone that is always open, so that the
// same arithmetic counts calendar time: nights, weekends and holidays
// included.
func (c *Calendar) WallClock() *Calendar {
	if c.wall {
		return c
	}
	return &Calendar{Location: c.Location, wall: true}
}

// For returns the calendar a duration of kind k counts on: c for business
// time, c.WallClock() for calendar time.
func (c *Calendar) For(k DurationKind) *Calendar {
	if k == CalendarTime {
		return c.WallClock()
	}
	return c
}

// WorkingDay returns the typical opening hours of a working day: the
// length shared by most open weekdays (the longer on a tie), or zero for a
// calendar closed all week. It turns business hours into "about N working
// days" for people.
func (c *Calendar) WorkingDay() time.Duration {
	if c.wall {
		return 24 * time.Hour
	}
	var lengths [7]int
	for i, spans := range c.Hours {
		for _, s := range spans {
			lengths[i] += s.End - s.Start
		}
	}
	best, bestN := 0, 0
	for _, n := range lengths {
		if n == 0 {
			continue
		}
		k := 0
		for _, m := range lengths {
			if m == n {
				k++
			}
		}
		if k > bestN || k == bestN && n > best {
			best, bestN = n, k
		}
	}
	return time.Duration(best) * time.Minute
}

// Interval is a stretch of absolute time [Start, End). A zero End means the
// interval is still open (a pause that has not ended).
type Interval struct {
	Start, End time.Time
}

// maxScanDays bounds every walk over the calendar, so a calendar that is
// closed for years (all holidays) ends in an error-free zero rather than a
// hang. Config validation guarantees at least one open day per week.
const maxScanDays = 3 * 366

const dateLayout = "2006-01-02"

// OpenOn returns the business intervals of the local date that contains day,
// in order. Wall times that DST skips or repeats resolve as time.Date does.
func (c *Calendar) OpenOn(y int, m time.Month, d int) []Interval {
	if c.memo != nil {
		return c.openOnMemo(y, m, d)
	}
	return c.openOn(y, m, d)
}

func (c *Calendar) openOn(y int, m time.Month, d int) []Interval {
	if c.wall {
		return []Interval{{time.Date(y, m, d, 0, 0, 0, 0, c.Location), time.Date(y, m, d+1, 0, 0, 0, 0, c.Location)}}
	}
	noon := time.Date(y, m, d, 12, 0, 0, 0, c.Location)
	spans := c.Hours[noon.Weekday()]
	// Most calendars name a few dates, many none: the date's key is made
	// only for them, and without an allocation (the sweep asks of
	// thousands of dates).
	if len(c.Holidays) > 0 || len(c.Workdays) > 0 {
		var buf [len(dateLayout)]byte
		date := dateKey(buf[:0], noon)
		if _, hol := c.Holidays[string(date)]; hol {
			return nil
		}
		if wd, ok := c.Workdays[string(date)]; ok {
			spans = wd.Hours
			if spans == nil {
				spans = c.Hours[time.Monday]
			}
		}
	}
	if len(spans) == 0 {
		return nil
	}
	out := make([]Interval, 0, len(spans))
	for _, s := range spans {
		start := time.Date(y, m, d, s.Start/60, s.Start%60, 0, 0, c.Location)
		end := time.Date(y, m, d, s.End/60, s.End%60, 0, 0, c.Location)
		if end.After(start) {
			out = append(out, Interval{start, end})
		}
	}
	return out
}

// dateKey appends t's date as dateLayout writes it: by hand for the years
// it writes with four digits, by Format otherwise.
func dateKey(buf []byte, t time.Time) []byte {
	y, m, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(buf, dateLayout)
	}
	return append(buf, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+d/10), byte('0'+d%10))
}

// nextOpen returns the business interval that contains t, clipped to start
// at t, or else the first one after t. ok is false when none exists within
// maxScanDays.
func (c *Calendar) nextOpen(t time.Time) (iv Interval, ok bool) {
	if c.wall {
		return Interval{t, t.AddDate(maxScanDays/366, 0, 0)}, true
	}
	y, m, d := t.In(c.Location).Date()
	for i := 0; i < maxScanDays; i++ {
		for _, iv := range c.OpenOn(y, m, d+i) {
			if iv.End.After(t) {
				if iv.Start.Before(t) {
					iv.Start = t
				}
				return iv, true
			}
		}
	}
	return Interval{}, false
}

// IsOpen reports whether t falls within business hours.
func (c *Calendar) IsOpen(t time.Time) bool {
	iv, ok := c.nextOpen(t)
	return ok && !iv.Start.After(t)
}

// NextOpen returns t when it is within business hours, else the next opening.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	if iv, ok := c.nextOpen(t); ok {
		return iv.Start
	}
	return t
}

// Between returns the business time in [a, b); zero when b is not after a.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	var sum time.Duration
	for t := a; t.Before(b); {
		iv, ok := c.nextOpen(t)
		if !ok || !iv.Start.Before(b) {
			break
		}
		sum += minTime(iv.End, b).Sub(iv.Start)
		t = iv.End
	}
	return sum
}

// Add returns the instant at which d of business time has passed since t.
// The result is always within business hours, possibly at the very end of a
// span (18:00 when the day closes at 18:00). Add(t, 0) is NextOpen(t).
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	for {
		iv, ok := c.nextOpen(t)
		if !ok {
			return t
		}
		if n := iv.End.Sub(iv.Start); d <= n {
			return iv.Start.Add(d)
		} else {
			d -= n
		}
		t = iv.End
	}
}

// AddDays returns the same position on the business clock n business days
// after t: Tuesday 14:00 plus 3 days is Friday 14:00 when all are open. If t
// is outside business hours it counts from the next opening; if the target
// day is shorter, the result is that day's close.
func (c *Calendar) AddDays(t time.Time, n int) time.Time {
	if n <= 0 {
		return t
	}
	start := c.NextOpen(t)
	y, m, d := start.In(c.Location).Date()
	offset := c.Between(time.Date(y, m, d, 0, 0, 0, 0, c.Location), start)
	for i := 1; i < maxScanDays; i++ {
		if len(c.OpenOn(y, m, d+i)) == 0 {
			continue
		}
		if n--; n == 0 {
			day := c.OpenOn(y, m, d+i)
			var length time.Duration
			for _, iv := range day {
				length += iv.End.Sub(iv.Start)
			}
			return c.Add(day[0].Start, min(offset, length))
		}
	}
	return start
}

// Deadline returns when bd will have passed since t: business time on c,
// or calendar time when bd is of that kind.
func (c *Calendar) Deadline(t time.Time, bd BusinessDuration) time.Time {
	c = c.For(bd.Kind)
	return c.Add(c.AddDays(t, bd.Days), bd.Time)
}

// Resolve turns bd into a fixed amount of time measured from t, so that a
// clock can count it down, pause it and report a share of it: business
// time, or calendar time when bd is of that kind (the clock must then count
// on c.WallClock(), as SLAClock does for a target of that kind).
func (c *Calendar) Resolve(t time.Time, bd BusinessDuration) time.Duration {
	c = c.For(bd.Kind)
	return c.Between(t, c.Deadline(t, bd))
}

// Segment is a stretch of time as the calendar sees it: open for business or
// closed, and why.
type Segment struct {
	Start, End time.Time
	Open       bool
	// Why says why a closed segment is closed ("outside business hours",
	// "holiday: Christmas") or, for an open one, what is unusual about it
	// ("make-up working day: 春节调休"); "" for ordinary opening hours.
	Why string
}

// Segments splits [a, b) into open and closed stretches, for explaining a
// clock to a person, with the reasons in English.
func (c *Calendar) Segments(a, b time.Time) []Segment { return c.SegmentsIn(nil, a, b) }

// SegmentsIn is Segments with the reasons (Segment.Why) in p's language
// (nil: English): "节假日：元旦", "调休上班日：春节调休".
func (c *Calendar) SegmentsIn(p *i18n.Printer, a, b time.Time) []Segment {
	var out []Segment
	t := a
	for t.Before(b) {
		iv, ok := c.nextOpen(t)
		if !ok || !iv.Start.Before(b) {
			out = append(out, Segment{Start: t, End: b, Why: c.closedWhy(p, t, b)})
			break
		}
		if iv.Start.After(t) {
			out = append(out, Segment{Start: t, End: iv.Start, Why: c.closedWhy(p, t, iv.Start)})
		}
		end := minTime(iv.End, b)
		why := c.openWhy(p, iv.Start)
		if n := len(out); n > 0 && out[n-1].Open && out[n-1].End.Equal(iv.Start) && out[n-1].Why == why {
			out[n-1].End = end // a span ending at midnight joins the next day's
		} else {
			out = append(out, Segment{Start: iv.Start, End: end, Open: true, Why: why})
		}
		t = iv.End
	}
	return out
}

// openWhy names the extra working day that t falls on, or "".
func (c *Calendar) openWhy(p *i18n.Printer, t time.Time) string {
	if len(c.Workdays) == 0 {
		return ""
	}
	wd, ok := c.Workdays[t.In(c.Location).Format(dateLayout)]
	switch {
	case !ok:
		return ""
	case wd.Name == "":
		return p.T("calendar.why.workday")
	}
	return p.T("calendar.why.workday_named", "Name", wd.Name)
}

// closedWhy names the reason [a, b) is closed: a holiday it covers, else
// plain closing hours.
func (c *Calendar) closedWhy(p *i18n.Printer, a, b time.Time) string {
	y, m, d := a.In(c.Location).Date()
	for i := 0; i < maxScanDays; i++ {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, c.Location)
		if !day.Before(b) && i > 0 {
			break
		}
		if name, ok := c.Holidays[day.Format(dateLayout)]; ok && len(c.Hours[day.Weekday()]) > 0 {
			if name == "" {
				return p.T("calendar.why.holiday")
			}
			return p.T("calendar.why.holiday_named", "Name", name)
		}
	}
	return p.T("calendar.why.closed")
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
