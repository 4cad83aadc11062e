package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/askdesk/askdesk/bot/i18n"
)

// DurationKind says how a duration counts.
type DurationKind uint8

const (
	// BusinessTime counts only the department's opening hours: hours are
	// business hours and days are working days.
	BusinessTime DurationKind = iota
	// CalendarTime counts wall-clock time, nights, weekends and holidays
	// included; a day is a calendar day.
	CalendarTime
)

// BusinessDuration is an SLA target or a policy delay: whole days plus hours
// and minutes, in business time (the default) or calendar time. A working
// day is not a fixed number of hours: "3wd" from Tuesday 14:00 is Friday
// 14:00 on the business clock, whatever each day's hours are. A calendar
// day is the same wall-clock time the next day.
type BusinessDuration struct {
	Days int
	Time time.Duration // hours and minutes, under any length
	Kind DurationKind
}

// durationForms is what every parse error shows: the forms allowed.
func durationForms() Sub { return S("config.duration.forms") }

// cjkUnits are the Chinese units a duration may be written with ("2小时",
// "3个工作日"), longest first, each with the unit it stands for.
var cjkUnits = []struct{ word, unit string }{
	{"个工作小时", "h"}, {"个工作日", "wd"}, {"工作小时", "h"}, {"工作日", "wd"}, {"个小时", "h"}, //i18n:ok units people type, matched, never shown
	{"小时", "h"}, {"分钟", "m"}, {"天", "d"}, {"日", "d"}, //i18n:ok units people type, matched, never shown
}

// ParseBusinessDuration parses a duration. Business time: "30m", "4h",
// "2h30m" (business hours), "1wd" or "3d" (working days), "1wd4h" or
// "1d4h". Calendar time: the same followed by the word "calendar", as
// "24h calendar" or "2d calendar", where "d" is a calendar day. Units come
// at most once each, in the order days, hours, minutes. The units may be
// written in Chinese too: "4小时", "3个工作日", "3天" (d), "30分钟".
// Errors are EINVALID, in the reader's language through ErrorText.
func ParseBusinessDuration(s string) (BusinessDuration, error) {
	var bd BusinessDuration
	rest := strings.TrimSpace(s)
	if rest == "" {
		return bd, E(EINVALID, "config.duration.empty", "Forms", durationForms())
	}
	q := strconv.Quote(s)
	if i := strings.LastIndexFunc(rest, unicode.IsSpace); i >= 0 {
		word := rest[i+1:]
		if !strings.EqualFold(word, "calendar") {
			return bd, E(EINVALID, "config.duration.word", "Value", q, "Word", strconv.Quote(word), "Forms", durationForms())
		}
		bd.Kind = CalendarTime
		rest = strings.TrimSpace(rest[:i])
		if rest == "" || strings.ContainsFunc(rest, unicode.IsSpace) {
			return BusinessDuration{}, E(EINVALID, "config.duration.bad", "Value", q, "Forms", durationForms())
		}
	}
	seen := -1 // index of the last unit: 0 days, 1 hours, 2 minutes
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) {
			return BusinessDuration{}, E(EINVALID, "config.duration.bad", "Value", q, "Forms", durationForms())
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n > 100000 {
			return BusinessDuration{}, E(EINVALID, "config.duration.too_large", "Value", q)
		}
		rest = rest[i:]
		if rest[0] >= utf8.RuneSelf {
			for _, c := range cjkUnits {
				if after, ok := strings.CutPrefix(rest, c.word); ok {
					rest = c.unit + after
					break
				}
			}
		}
		var u int
		switch {
		case strings.HasPrefix(rest, "wd"):
			if bd.Kind == CalendarTime {
				return BusinessDuration{}, E(EINVALID, "config.duration.wd_calendar", "Value", q, "N", n)
			}
			u, rest = 0, rest[2:]
		case rest[0] == 'd':
			u, rest = 0, rest[1:]
		case rest[0] == 'h':
			u, rest = 1, rest[1:]
		case rest[0] == 'm':
			u, rest = 2, rest[1:]
		default:
			r, _ := utf8.DecodeRuneInString(rest)
			return BusinessDuration{}, E(EINVALID, "config.duration.unit", "Value", q, "Unit", fmt.Sprintf("%q", r), "Forms", durationForms())
		}
		if u <= seen {
			return BusinessDuration{}, E(EINVALID, "config.duration.order", "Value", q)
		}
		seen = u
		switch u {
		case 0:
			bd.Days = n
		case 1:
			bd.Time += time.Duration(n) * time.Hour
		case 2:
			bd.Time += time.Duration(n) * time.Minute
		}
	}
	return bd, nil
}

// IsZero reports whether the duration is empty.
func (d BusinessDuration) IsZero() bool { return d.Days == 0 && d.Time == 0 }

// String formats the duration the way it is written in config: "1d4h30m",
// "24h calendar". It is read back by ParseBusinessDuration; for people, say
// it with TargetWords.
func (d BusinessDuration) String() string {
	if d.IsZero() {
		return "0m"
	}
	var b strings.Builder
	if d.Days > 0 {
		fmt.Fprintf(&b, "%dd", d.Days)
	}
	if h := int(d.Time / time.Hour); h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m := int(d.Time % time.Hour / time.Minute); m > 0 {
		fmt.Fprintf(&b, "%dm", m)
	}
	if d.Kind == CalendarTime {
		b.WriteString(" calendar")
	}
	return b.String()
}

// FormatSpan renders an amount of business or wall time compactly for
// people: "3h 20m", "45m", "2h" (i18n.Printer.Span in English; business
// spans are shown in hours, never days).
func FormatSpan(d time.Duration) string { return (*i18n.Printer)(nil).Span(d) }
