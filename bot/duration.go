package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// BusinessDuration is an SLA target or a policy delay in business time:
// whole business days plus hours and minutes. A business day is not a fixed
// number of hours: "3d" from Tuesday 14:00 is Friday 14:00 on the business
// clock, whatever each day's hours are.
type BusinessDuration struct {
	Days int
	Time time.Duration // hours and minutes, under any length
}

// ParseBusinessDuration parses "30m", "4h", "3d", "1d4h", "2h30m". Units are
// d (business days), h and m; at least one is required, each at most once,
// in that order.
func ParseBusinessDuration(s string) (BusinessDuration, error) {
	var bd BusinessDuration
	rest := strings.TrimSpace(s)
	if rest == "" {
		return bd, fmt.Errorf("empty duration: write it like 30m, 4h, 3d or 1d4h")
	}
	order := "dhm"
	seen := -1
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) {
			return BusinessDuration{}, fmt.Errorf("bad duration %q: write it like 30m, 4h, 3d or 1d4h", s)
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n > 100000 {
			return BusinessDuration{}, fmt.Errorf("bad duration %q: number too large", s)
		}
		u := strings.IndexByte(order, rest[i])
		if u < 0 {
			return BusinessDuration{}, fmt.Errorf("bad duration %q: unit %q is not d, h or m", s, rest[i])
		}
		if u <= seen {
			return BusinessDuration{}, fmt.Errorf("bad duration %q: units must appear once each, in the order d, h, m", s)
		}
		seen = u
		switch order[u] {
		case 'd':
			bd.Days = n
		case 'h':
			bd.Time += time.Duration(n) * time.Hour
		case 'm':
			bd.Time += time.Duration(n) * time.Minute
		}
		rest = rest[i+1:]
	}
	return bd, nil
}

// IsZero reports whether the duration is empty.
func (d BusinessDuration) IsZero() bool { return d.Days == 0 && d.Time == 0 }

// String formats the duration the way it is written in config: "1d4h30m".
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
	return b.String()
}

// FormatSpan renders an amount of business or wall time compactly for
// people: "3h 20m", "45m", "2d 1h" (a day here is 24 hours of wall time only
// when wall is true; business spans are shown in hours).
func FormatSpan(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Minute)
	h := int(d / time.Hour)
	m := int(d % time.Hour / time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	default:
		return fmt.Sprintf("%dh %dm", h, m)
	}
}
