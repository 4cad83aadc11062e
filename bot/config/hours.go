package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/askdesk/askdesk/bot"
)

// buildCalendar checks a department's zone, weekly hours, holidays and
// extra working days.
func buildCalendar(r *reporter, key string, d DepartmentConfig) *bot.Calendar {
	cal := &bot.Calendar{Holidays: map[string]string{}}
	if d.Timezone == "" {
		r.add(join(key, "timezone"), bot.E(bot.EINVALID, "config.timezone_required"))
	} else {
		cal.Location = loadZone(r, join(key, "timezone"), d.Timezone)
	}
	cal.Hours = weekHours(r, join(key, "hours"), d.Hours)

	for j, h := range d.Holidays {
		k := at(join(key, "holidays"), j)
		t, err := time.Parse(time.DateOnly, strings.TrimSpace(h.Date))
		if err != nil {
			r.add(k, bot.E(bot.EINVALID, "config.holiday_date", "Value", strconv.Quote(h.Date)))
			continue
		}
		date := t.Format(time.DateOnly)
		if _, dup := cal.Holidays[date]; dup {
			r.add(k, bot.E(bot.EINVALID, "config.holiday_twice", "Date", date))
			continue
		}
		cal.Holidays[date] = h.Name
	}
	cal.Workdays = workdays(r, join(key, "workdays"), d.Workdays, cal)
	// Complete: every filing's deadlines walk it from here on.
	return cal.Memoize()
}

// workdays checks the extra working days: real dates, each once, neither a
// holiday nor a day the department opens anyway, with hours of their own or
// Monday's.
func workdays(r *reporter, key string, list []Workday, cal *bot.Calendar) map[string]bot.Workday {
	if len(list) == 0 {
		return nil
	}
	out := map[string]bot.Workday{}
	for j, w := range list {
		k := at(key, j)
		t, err := time.Parse(time.DateOnly, strings.TrimSpace(w.Date))
		if err != nil {
			r.add(k, bot.E(bot.EINVALID, "config.workday_date", "Value", strconv.Quote(w.Date)))
			continue
		}
		date := t.Format(time.DateOnly)
		if _, dup := out[date]; dup {
			r.add(k, bot.E(bot.EINVALID, "config.workday_twice", "Date", date))
			continue
		}
		if name, hol := cal.Holidays[date]; hol {
			var named any = ""
			if name != "" {
				named = bot.S("config.workday_holiday_name", "Name", name)
			}
			r.add(k, bot.E(bot.EINVALID, "config.workday_holiday", "Date", date, "Name", named))
			continue
		}
		wd := bot.Workday{Name: w.Name}
		if strings.TrimSpace(w.Hours) != "" {
			spans, err := parseSpans(w.Hours)
			switch {
			case err != nil:
				r.addErr(join(k, "hours"), err)
				continue
			case len(spans) == 0:
				r.add(join(k, "hours"), bot.E(bot.EINVALID, "config.workday_closed"))
				continue
			}
			wd.Hours = spans
		} else {
			wd.Hours = cal.Hours[time.Monday]
			if len(wd.Hours) == 0 {
				r.add(k, bot.E(bot.EINVALID, "config.workday_no_monday", "Date", date))
				continue
			}
		}
		if day := t.Weekday(); len(cal.Hours[day]) > 0 {
			r.add(k, bot.E(bot.EINVALID, "config.workday_open", "Date", date, "Day", bot.S("config.weekday."+strings.ToLower(day.String()))))
			continue
		}
		out[date] = wd
	}
	return out
}

// loadZone loads an IANA zone, suggesting a spelling that loads when the
// given one does not.
func loadZone(r *reporter, key, name string) *time.Location {
	if name == "Local" {
		r.add(key, bot.E(bot.EINVALID, "config.timezone_local"))
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err == nil {
		return loc
	}
	// A host without zone data fails every name; say so rather than
	// blame the spelling.
	_, probe := time.LoadLocation("America/New_York")
	switch fixed := suggestZone(name); {
	case probe != nil:
		r.add(key, bot.E(bot.EINVALID, "config.timezone_no_data", "Value", strconv.Quote(name)))
	case fixed != "":
		r.add(key, bot.E(bot.EINVALID, "config.timezone_did_you_mean", "Value", strconv.Quote(name), "Fixed", strconv.Quote(fixed)))
	default:
		r.add(key, bot.E(bot.EINVALID, "config.timezone_unknown", "Value", strconv.Quote(name)))
	}
	return nil
}

// suggestZone fixes the usual slips in zone names: case ("europe/paris")
// and spaces ("America/New York").
func suggestZone(name string) string {
	fixed := strings.ReplaceAll(strings.TrimSpace(name), " ", "_")
	for _, c := range []string{fixed, titleZone(fixed), strings.ToUpper(fixed)} {
		if c == name || c == "" || c == "Local" {
			continue
		}
		if _, err := time.LoadLocation(c); err == nil {
			return c
		}
	}
	return ""
}

// titleZone capitalises each word of a zone name: "america/new_york" →
// "America/New_York".
func titleZone(s string) string {
	var b strings.Builder
	upper := true
	for _, c := range strings.ToLower(s) {
		if upper {
			c = unicode.ToUpper(c)
		}
		b.WriteRune(c)
		upper = c == '/' || c == '_' || c == '-'
	}
	return b.String()
}

// weekHours checks the hours table. A day given itself wins over weekdays,
// so "weekdays = 09:00-17:00" with "fri = 09:00-13:00" shortens Friday.
func weekHours(r *reporter, key string, h HoursConfig) [7][]bot.Span {
	var week [7][]bot.Span
	var weekdays []bot.Span
	weekdaysOK := true
	if h.Weekdays != "" {
		var err error
		if weekdays, err = parseSpans(h.Weekdays); err != nil {
			r.addErr(join(key, "weekdays"), err)
			weekdaysOK = false
		}
	}
	days := []struct {
		day time.Weekday
		key string
		val string
	}{
		{time.Monday, "mon", h.Mon}, {time.Tuesday, "tue", h.Tue}, {time.Wednesday, "wed", h.Wed},
		{time.Thursday, "thu", h.Thu}, {time.Friday, "fri", h.Fri},
		{time.Saturday, "sat", h.Sat}, {time.Sunday, "sun", h.Sun},
	}
	open, ok := false, weekdaysOK
	for _, d := range days {
		spans := weekdays
		if d.val != "" {
			var err error
			if spans, err = parseSpans(d.val); err != nil {
				r.addErr(join(key, d.key), err)
				ok = false
				continue
			}
		} else if d.day == time.Saturday || d.day == time.Sunday {
			spans = nil
		}
		week[d.day] = spans
		open = open || len(spans) > 0
	}
	// With a bad day we cannot tell; that problem is reported already.
	switch {
	case h == HoursConfig{}:
		r.add(key, bot.E(bot.EINVALID, "config.hours_required"))
	case ok && !open:
		r.add(key, bot.E(bot.EINVALID, "config.closed_all_week"))
	}
	return week
}

// parseSpans parses "09:00-12:00,13:00-17:30" into sorted spans, joining
// spans that touch. "closed" is an explicitly closed day.
func parseSpans(s string) ([]bot.Span, error) {
	if strings.EqualFold(strings.TrimSpace(s), "closed") {
		return nil, nil
	}
	var spans []bot.Span
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		from, to, found := strings.Cut(part, "-")
		if !found {
			return nil, bot.E(bot.EINVALID, "config.hours_spans", "Value", strconv.Quote(s))
		}
		start, err := clockMinutes(from, false)
		if err != nil {
			return nil, bot.E(bot.EINVALID, "config.hours_bad", "Value", strconv.Quote(s), "Problem", err)
		}
		end, err := clockMinutes(to, true)
		if err != nil {
			return nil, bot.E(bot.EINVALID, "config.hours_bad", "Value", strconv.Quote(s), "Problem", err)
		}
		if start >= end {
			return nil, bot.E(bot.EINVALID, "config.hours_backwards", "Value", strconv.Quote(s), "Span", part)
		}
		spans = append(spans, bot.Span{Start: start, End: end})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	out := spans[:1]
	for _, sp := range spans[1:] {
		last := &out[len(out)-1]
		switch {
		case sp.Start < last.End:
			return nil, bot.E(bot.EINVALID, "config.hours_overlap", "Value", strconv.Quote(s), "Span", formatSpan(sp), "Other", formatSpan(*last))
		case sp.Start == last.End:
			last.End = sp.End
		default:
			out = append(out, sp)
		}
	}
	return out, nil
}

// clockMinutes parses "09:00" (or "9:00") as minutes since midnight. Only
// the end of a span may be "24:00".
func clockMinutes(s string, end bool) (int, *bot.Error) {
	s = strings.TrimSpace(s)
	hh, mm, found := strings.Cut(s, ":")
	h, errH := strconv.Atoi(hh)
	m, errM := strconv.Atoi(mm)
	switch {
	case !found || len(hh) < 1 || len(hh) > 2 || len(mm) != 2 || errH != nil || errM != nil:
		return 0, bot.E(bot.EINVALID, "config.time_not_hhmm", "Value", strconv.Quote(s))
	case h == 24 && m == 0 && end:
		return 24 * 60, nil
	case h > 23 || m > 59 || h < 0 || m < 0:
		return 0, bot.E(bot.EINVALID, "config.time_range", "Value", strconv.Quote(s))
	}
	return h*60 + m, nil
}

func formatSpan(sp bot.Span) string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", sp.Start/60, sp.Start%60, sp.End/60, sp.End%60)
}
