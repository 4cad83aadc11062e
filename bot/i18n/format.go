package i18n

import (
	"time"
)

// Formats of times, spans and shares in the printer's language. English
// renders exactly what bot.FormatWhen, bot.FormatSpan and bot.FormatAge
// print (the tests compare them), Chinese as a Chinese office writes them:
// "12月8日 周二 14:00", "3小时20分钟", "3天2小时". Digits are ASCII and never
// grouped, in every language.

var weekdays = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

var months = [...]string{"", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// Weekday names a day of the week, short: "Tue", "周二".
func (p *Printer) Weekday(d time.Weekday) string { return p.T("fmt.weekday." + weekdays[d]) }

// Month names a month as dates write it: "Dec", "12" (before 月).
func (p *Printer) Month(m time.Month) string { return p.T("fmt.month." + months[m]) }

// When renders an instant for people in loc: within six days of now,
// "Tue 14:00" / "周二 14:00"; else "Tue 8 Dec 14:00" / "12月8日 周二 14:00",
// with the year when it is not now's: "Tue 5 Jan 2027 14:00" /
// "2027年1月5日 周二 14:00".
func (p *Printer) When(t, now time.Time, loc *time.Location) string {
	t, now = t.In(loc), now.In(loc)
	key := "fmt.when.date"
	if d := t.Sub(now); d > -6*24*time.Hour && d < 6*24*time.Hour {
		key = "fmt.when.near"
	} else if t.Year() != now.Year() {
		key = "fmt.when.year"
	}
	return p.T(key, "Weekday", p.Weekday(t.Weekday()), "Day", t.Day(), "Month", p.Month(t.Month()),
		"Year", t.Year(), "Clock", t.Format("15:04"))
}

// Date renders a day without its year: "Mon 7 Dec", "12月7日 周一".
func (p *Printer) Date(t time.Time) string {
	return p.T("fmt.date.short", "Weekday", p.Weekday(t.Weekday()), "Day", t.Day(), "Month", p.Month(t.Month()))
}

// DateYear renders a day with its year: "Mon 7 Dec 2026", "2026年12月7日 周一".
func (p *Printer) DateYear(t time.Time) string {
	return p.T("fmt.date.long", "Weekday", p.Weekday(t.Weekday()), "Day", t.Day(), "Month", p.Month(t.Month()), "Year", t.Year())
}

// WeekRange renders a week from its first to its last day (civil dates):
// "Mon 7 Dec – Sun 13 Dec 2026", "2026年12月7日 周一 – 12月13日 周日".
func (p *Printer) WeekRange(first, last time.Time) string {
	key := "fmt.week_range.same_year"
	if first.Year() != last.Year() {
		key = "fmt.week_range.years"
	}
	return p.T(key,
		"FromWeekday", p.Weekday(first.Weekday()), "FromDay", first.Day(), "FromMonth", p.Month(first.Month()),
		"ToWeekday", p.Weekday(last.Weekday()), "ToDay", last.Day(), "ToMonth", p.Month(last.Month()),
		"Year", last.Year(), "ToYear", last.Year())
}

// DateRange renders a period of days (a quarter, a report's span):
// "1 Oct – 31 Dec 2026", "2026年10月1日至12月31日"; both years when they
// differ.
func (p *Printer) DateRange(first, last time.Time) string {
	key := "fmt.range.same_year"
	if first.Year() != last.Year() {
		key = "fmt.range.years"
	}
	return p.T(key,
		"FromDay", first.Day(), "FromMonth", p.Month(first.Month()), "FromYear", first.Year(),
		"ToDay", last.Day(), "ToMonth", p.Month(last.Month()), "ToYear", last.Year(), "Year", last.Year())
}

// Week labels an ISO 8601 week: "2026-W47" (the machine form English
// shows), "2026年第47周".
func (p *Printer) Week(year, week int) string {
	return p.T("fmt.week", "Year", year, "Week", week)
}

// Quarter labels a calendar quarter: "2026-Q4" (the machine form English
// shows), "2026年第4季度".
func (p *Printer) Quarter(year, q int) string {
	return p.T("fmt.quarter", "Year", year, "Q", q)
}

// Span renders an amount of business or wall time compactly, rounded to the
// minute, in hours and minutes: "3h 20m", "45m", "2h"; "3小时20分钟",
// "45分钟", "2小时". A negative span is said as its size.
func (p *Printer) Span(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Minute)
	h := int(d / time.Hour)
	m := int(d % time.Hour / time.Minute)
	switch {
	case h == 0:
		return p.T("fmt.span.m", "M", m)
	case m == 0:
		return p.T("fmt.span.h", "H", h)
	default:
		return p.T("fmt.span.hm", "H", h, "M", m)
	}
}

// Age renders a wall-clock age in its two largest units, down to the
// minute: "3 days 2 hours", "1 minute", "0 minutes"; "3天2小时", "0分钟".
// A unit of zero ends it ("3 days", not "3 days 5 minutes").
func (p *Printer) Age(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	m := int(d / time.Minute)
	units := []struct {
		n   int
		key string
	}{{m / (24 * 60), "fmt.age.day"}, {m / 60 % 24, "fmt.age.hour"}, {m % 60, "fmt.age.minute"}}
	var parts []string
	for _, u := range units {
		if len(parts) == 0 && u.n == 0 {
			continue
		}
		if u.n > 0 {
			parts = append(parts, p.N(u.key, u.n))
		}
		if len(parts) == 2 || (len(parts) == 1 && u.n == 0) {
			break
		}
	}
	switch len(parts) {
	case 0:
		return p.N("fmt.age.minute", 0)
	case 1:
		return parts[0]
	}
	return p.T("fmt.age.pair", "Big", parts[0], "Small", parts[1])
}

// Percent renders a whole percentage: "95%".
func (p *Printer) Percent(pct int) string { return p.T("fmt.percent", "N", pct) }

// Share renders n of of as a percentage with its counts, rounded down:
// "95% (19 of 20)", "95%（19/20）". of must not be zero.
func (p *Printer) Share(n, of int) string {
	return p.T("fmt.share", "Percent", p.Percent(n*100/of), "N", n, "Of", of)
}
