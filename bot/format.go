package bot

import (
	"fmt"
	"strings"
	"time"
)

// Location returns the zone to phrase times in for user: their own when the
// config knows it, else the department's.
func (d *Desk) Location(user string, dep *Department) *time.Location {
	if loc, ok := d.userZone(user); ok {
		return loc
	}
	if dep != nil && dep.Calendar != nil {
		return dep.Calendar.Location
	}
	return time.UTC
}

// userZone returns user's own zone, from the config's [people] or else the
// chat's profile; false when neither knows it.
func (d *Desk) userZone(user string) (*time.Location, bool) {
	if p, ok := d.Dir().People[user]; ok && p.Timezone != "" {
		if loc, err := d.zone(p.Timezone); err == nil {
			return loc, true
		}
	}
	if d.Zones != nil {
		if name, ok := d.Zones.UserZone(user); ok {
			if loc, err := d.zone(name); err == nil {
				return loc, true
			}
		}
	}
	return nil, false
}

// zone loads a time zone once.
func (d *Desk) zone(name string) (*time.Location, error) {
	if loc, ok := d.zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err == nil {
		d.zones.Store(name, loc)
	}
	return loc, err
}

// ZoneFinder tells a user's own time zone when the chat knows it (Slack
// profiles do). It must answer at once; the config's [people] come first.
type ZoneFinder interface {
	UserZone(user string) (string, bool)
}

// FormatWhen renders an instant for people in loc: "Tue 14:00" within the
// coming week, "Tue 3 Dec 14:00" otherwise.
func FormatWhen(t, now time.Time, loc *time.Location) string {
	t, now = t.In(loc), now.In(loc)
	if d := t.Sub(now); d > -6*24*time.Hour && d < 6*24*time.Hour {
		return t.Format("Mon 15:04")
	}
	if t.Year() != now.Year() {
		return t.Format("Mon 2 Jan 2006 15:04")
	}
	return t.Format("Mon 2 Jan 15:04")
}

// ClockLine describes one SLA clock in a sentence, in loc:
// "first response due by Tue 14:00 (Asia/Shanghai), in 3h 20m of business
// time". Amounts are in the time the clock counts (business or calendar),
// and the target is said with TargetWords.
func ClockLine(name string, s ClockStatus, now time.Time, loc *time.Location) string {
	when := func(t time.Time) string { return FormatWhen(t, now, loc) + " (" + loc.String() + ")" }
	return clockLine(name, s, when, func(t time.Time) string { return FormatWhen(t, now, loc) })
}

// clockLine is ClockLine with the times said by when (a deadline, with its
// zone) and bare (when it was done, right after a deadline).
func clockLine(name string, s ClockStatus, when, bare func(time.Time) string) string {
	kind := TimeKindWords(s.Spec.Kind)
	switch {
	case s.Stopped && s.Breached:
		return fmt.Sprintf("%s missed: due by %s, done %s, %s of %s against a target of %s",
			name, when(s.BreachedAt), bare(s.StoppedAt), FormatSpan(s.Elapsed), kind, statusTarget(s))
	case s.Stopped:
		return fmt.Sprintf("%s met in %s of %s, within a target of %s", name, FormatSpan(s.Elapsed), kind, statusTarget(s))
	case s.Paused:
		return fmt.Sprintf("%s clock paused while waiting on the requester, %s of %s left", name, FormatSpan(s.Remaining), kind)
	case s.Breached && -s.Remaining < time.Minute && s.Spec.Kind == CalendarTime:
		return fmt.Sprintf("%s overdue since %s", name, when(s.Due))
	case s.Breached && -s.Remaining < time.Minute:
		return fmt.Sprintf("%s overdue since %s (no business hours have passed since)", name, when(s.Due))
	case s.Breached:
		return fmt.Sprintf("%s overdue by %s of %s; it was due by %s", name, FormatSpan(-s.Remaining), kind, when(s.Due))
	default:
		return fmt.Sprintf("%s due by %s, in %s of %s", name, when(s.Due), FormatSpan(s.Remaining), kind)
	}
}

// statusTarget says a clock's target: as published when the clock knows
// it, else the amount it counts down.
func statusTarget(s ClockStatus) string {
	if s.Spec.IsZero() {
		return FormatSpan(s.Target) + " of " + TimeKindWords(s.Spec.Kind)
	}
	return targetWords(nil, s.Spec, s.WorkingDay)
}

// Statuses evaluates a request's clocks at now.
func (r *Request) Statuses(dep *Department, now time.Time) (first, resolution ClockStatus) {
	f, res := r.Clocks(dep)
	return f.Status(dep.Calendar, now), res.Status(dep.Calendar, now)
}

// slaSummary is the SLA part of a card or a list line: the clock that is
// still running, or both outcomes when done.
func slaSummary(r *Request, dep *Department, now time.Time, loc *time.Location) string {
	first, res := r.Statuses(dep, now)
	switch {
	case r.State == Cancelled:
		return "cancelled"
	case !first.Stopped:
		return ClockLine("first response", first, now, loc)
	case r.State.Active():
		return ClockLine("resolution", res, now, loc)
	}
	return ClockLine("resolution", res, now, loc)
}

// stateLabel says a request's status in words, with the assignee.
func stateLabel(r *Request) string { return stateLabelIn(nil, r) }

// CardText renders a card in the desk's text (richtext.go), for the console and as the fallback
// text of the Slack card.
func (d *Desk) CardText(c *Card, now time.Time) string {
	r, dep := c.Request, c.Dept
	loc := dep.Calendar.Location
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* · %s\n", r.ID, Escape(r.Title))
	fmt.Fprintf(&b, "%s · from %s · %s priority · %s\n", Escape(dep.DisplayName), Mention(r.Requester), r.Priority, stateLabel(r))
	if c.Type != "" {
		fmt.Fprintf(&b, "Type: %s\n", Escape(c.Type))
	}
	for _, f := range c.Fields {
		fmt.Fprintf(&b, "%s\n", f)
	}
	if c.Private {
		fmt.Fprintf(&b, "%s\n", PrivateCardNote(dep, r.ID))
	} else if strings.TrimSpace(r.Text) != strings.TrimSpace(r.Title) {
		fmt.Fprintf(&b, "> %s\n", strings.ReplaceAll(Escape(r.Text), "\n", "\n> "))
	}
	b.WriteString("SLA: " + slaSummary(r, dep, now, loc))
	if c.Journey != "" {
		b.WriteString("\n" + capitalize(c.Journey))
	}
	if c.LastChange != "" {
		b.WriteString("\n_" + c.LastChange + "_")
	}
	return b.String()
}

// ListLine is one request in a list: "FIN-3 · normal · acknowledged · title — SLA".
func (d *Desk) ListLine(r *Request, viewer string, now time.Time) string {
	if !d.Dir().MaySeePrivate(viewer, r) {
		r = d.Dir().Redacted(r)
	}
	dep := d.Dir().StandardOf(r)
	if dep == nil {
		return fmt.Sprintf("*%s* · %s · %s", r.ID, r.State, Escape(r.Title))
	}
	mark := ""
	if first, res := r.Statuses(dep, now); r.State.Active() && (first.Breached && !first.Stopped || res.Breached) {
		mark = "⚠ "
	}
	return fmt.Sprintf("%s*%s* · %s · %s · %s · %s — %s", mark, r.ID, Escape(dep.DisplayName), r.Priority, stateLabel(r),
		Escape(r.Title), slaSummary(r, dep, now, d.Location(viewer, dep)))
}

// JourneyLine is the requester's view of a transferred request: the wall
// time since it was filed, which runs on through transfers, and since when
// the department now holding it has had it: "open 3 days 2 hours in all;
// with Purchasing since Wed 14:00". It is empty for a request never
// transferred, whose clocks already start at its filing.
func JourneyLine(r *Request, dep *Department, now time.Time, loc *time.Location) string {
	return journeyLine(r, dep, now, func(t time.Time) string { return FormatWhen(t, now, loc) })
}

// journeyLine is JourneyLine with the time said by when.
func journeyLine(r *Request, dep *Department, now time.Time, when func(time.Time) string) string {
	if r.Transfers == 0 || r.HeldSince.IsZero() {
		return ""
	}
	var span string
	switch r.State {
	case Resolved, Closed:
		span = "resolved " + FormatAge(r.ResolvedAt.Sub(r.CreatedAt)) + " after it was filed"
	case Cancelled:
		span = "cancelled " + FormatAge(r.ClosedAt.Sub(r.CreatedAt)) + " after it was filed"
	default:
		span = "open " + FormatAge(now.Sub(r.CreatedAt)) + " in all"
	}
	return fmt.Sprintf("%s; with %s since %s", span, Escape(dep.DisplayName), when(r.HeldSince))
}

// FormatAge renders wall time for people, to the minute and in its two
// largest units: "3 days 2 hours", "5 hours 10 minutes", "1 minute".
func FormatAge(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	m := int(d / time.Minute)
	units := []struct {
		n    int
		name string
	}{{m / (24 * 60), "day"}, {m / 60 % 24, "hour"}, {m % 60, "minute"}}
	var parts []string
	for _, u := range units {
		if len(parts) == 0 && u.n == 0 {
			continue
		}
		if u.n > 0 {
			s := fmt.Sprintf("%d %s", u.n, u.name)
			if u.n != 1 {
				s += "s"
			}
			parts = append(parts, s)
		}
		if len(parts) == 2 || (len(parts) == 1 && u.n == 0) {
			break
		}
	}
	if len(parts) == 0 {
		return "0 minutes"
	}
	return strings.Join(parts, " ")
}
