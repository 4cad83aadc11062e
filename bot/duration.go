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
const durationForms = `write business hours like "4h" or "2h30m", working days like "1wd" or "1wd4h" ("3d" also means working days), or calendar time like "24h calendar"`

// ParseBusinessDuration parses a duration. Business time: "30m", "4h",
// "2h30m" (business hours), "1wd" or "3d" (working days), "1wd4h" or
// "1d4h". Calendar time: the same followed by the word "calendar", as
// "24h calendar" or "2d calendar", where "d" is a calendar day. Units come
// at most once each, in the order days, hours, minutes.
func ParseBusinessDuration(s string) (BusinessDuration, error) {
	var bd BusinessDuration
	rest := strings.TrimSpace(s)
	if rest == "" {
		return bd, fmt.Errorf("empty duration: %s", durationForms)
	}
	if i := strings.LastIndexFunc(rest, unicode.IsSpace); i >= 0 {
		word := rest[i+1:]
		if !strings.EqualFold(word, "calendar") {
			return bd, fmt.Errorf("bad duration %q: %q is not a unit; the only word allowed after the amount is \"calendar\"; %s", s, word, durationForms)
		}
		bd.Kind = CalendarTime
		rest = strings.TrimSpace(rest[:i])
		if rest == "" || strings.ContainsFunc(rest, unicode.IsSpace) {
			return BusinessDuration{}, fmt.Errorf("bad duration %q: %s", s, durationForms)
		}
	}
	seen := -1 // index of the last unit: 0 days, 1 hours, 2 minutes
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) {
			return BusinessDuration{}, fmt.Errorf("bad duration %q: %s", s, durationForms)
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n > 100000 {
			return BusinessDuration{}, fmt.Errorf("bad duration %q: number too large", s)
		}
		rest = rest[i:]
		var u int
		switch {
		case strings.HasPrefix(rest, "wd"):
			if bd.Kind == CalendarTime {
				return BusinessDuration{}, fmt.Errorf("bad duration %q: working days (wd) are business time; for calendar days write \"%dd calendar\"", s, n)
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
			return BusinessDuration{}, fmt.Errorf("bad duration %q: unit %q is not wd, d, h or m; %s", s, r, durationForms)
		}
		if u <= seen {
			return BusinessDuration{}, fmt.Errorf("bad duration %q: units must appear once each, in the order days, hours, minutes", s)
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
