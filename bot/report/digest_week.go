package report

import (
	"github.com/askdesk/askdesk/bot"

	"fmt"
	"strconv"
	"strings"
	"time"
)

// ISOWeek is an ISO 8601 week: weeks run Monday to Sunday, and week 1 is
// the week holding the year's first Thursday, so a week belongs wholly to
// one ISO year (2026-W53 ends on Sunday 3 January 2027).
type ISOWeek struct {
	Year, Week int
}

// ParseISOWeek reads "2026-W47" (also "2026-w47" and "2026W47"). It returns
// EINVALID for anything else, including week 53 of a year that has none.
func ParseISOWeek(s string) (year, week int, err error) {
	bad := func() (int, int, error) {
		return 0, 0, bot.E(bot.EINVALID, "digest.err.bad_week", "Text", bot.Escape(s))
	}
	y, w, ok := strings.Cut(strings.ToUpper(strings.TrimSpace(s)), "W")
	y = strings.TrimSuffix(y, "-")
	if !ok || len(y) != 4 || len(w) < 1 || len(w) > 2 {
		return bad()
	}
	year, err1 := strconv.Atoi(y)
	week, err2 := strconv.Atoi(w)
	if err1 != nil || err2 != nil || year < 1000 || w[0] == '+' || w[0] == '-' {
		return bad()
	}
	if week < 1 || week > WeeksIn(year) {
		return 0, 0, bot.E(bot.EINVALID, "digest.err.bad_week_number", "Text", bot.Escape(s), "Year", year, "Weeks", WeeksIn(year))
	}
	return year, week, nil
}

// WeeksIn returns the number of ISO weeks in year: 52 or 53.
func WeeksIn(year int) int {
	_, w := time.Date(year, time.December, 28, 12, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// WeekOf returns the ISO week holding t in loc.
func WeekOf(t time.Time, loc *time.Location) ISOWeek {
	y, w := t.In(loc).ISOWeek()
	return ISOWeek{y, w}
}

// LastCompleteWeek returns the latest week that has ended at now in loc:
// on a Monday morning, the week before.
func LastCompleteWeek(now time.Time, loc *time.Location) ISOWeek {
	return WeekOf(now, loc).Add(-1)
}

// String formats the week as "2026-W47".
func (w ISOWeek) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Week) }

// monday returns the week's Monday as a civil date.
func (w ISOWeek) monday() (int, time.Month, int) {
	// 4 January is always in week 1.
	jan4 := time.Date(w.Year, time.January, 4, 12, 0, 0, 0, time.UTC)
	back := (int(jan4.Weekday()) + 6) % 7 // days since Monday
	d := time.Date(w.Year, time.January, 4-back+7*(w.Week-1), 12, 0, 0, 0, time.UTC)
	return d.Date()
}

// Range returns the week in loc: from Monday 00:00 to the next Monday
// 00:00, local time. Across a DST change the week is an hour shorter or
// longer than 168 hours.
func (w ISOWeek) Range(loc *time.Location) (from, to time.Time) {
	y, m, d := w.monday()
	return time.Date(y, m, d, 0, 0, 0, 0, loc), time.Date(y, m, d+7, 0, 0, 0, 0, loc)
}

// Add returns the week n weeks later (earlier when n < 0).
func (w ISOWeek) Add(n int) ISOWeek {
	y, m, d := w.monday()
	return WeekOf(time.Date(y, m, d+7*n, 12, 0, 0, 0, time.UTC), time.UTC)
}

// Before reports whether w comes before v.
func (w ISOWeek) Before(v ISOWeek) bool {
	return w.Year < v.Year || (w.Year == v.Year && w.Week < v.Week)
}
