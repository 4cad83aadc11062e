package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot/i18n"
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
// coming week, "Tue 3 Dec 14:00" otherwise (i18n.Printer.When in English).
func FormatWhen(t, now time.Time, loc *time.Location) string {
	return (*i18n.Printer)(nil).When(t, now, loc)
}

// The SLA clocks' names, as reminders, series and explanations know them.
// People read them through ClockWord.
const (
	FirstResponseClock = "first response" //i18n:ok the clock's name, an identifier; people read ClockWord
	ResolutionClock    = "resolution"
)

// ClockWord names an SLA clock in p's language: "first response", 首次响应.
// A name the catalogue does not know is said as it is.
func ClockWord(p *i18n.Printer, name string) string {
	switch name {
	case FirstResponseClock:
		return p.T("status.clock.first_response")
	case ResolutionClock:
		return p.T("status.clock.resolution")
	}
	return name
}

// ClockLine describes one SLA clock in a sentence, in loc:
// "first response due by Tue 14:00 (Asia/Shanghai), in 3h 20m of business
// time". Amounts are in the time the clock counts (business or calendar),
// and the target is said with TargetWords.
func ClockLine(name string, s ClockStatus, now time.Time, loc *time.Location) string {
	return ClockLineIn(nil, name, s, now, loc)
}

// ClockLineIn is ClockLine in p's language (nil: English): "首次响应须在周二
// 14:00（Asia/Shanghai）前完成，还剩3小时20分钟（工作时间）".
func ClockLineIn(p *i18n.Printer, name string, s ClockStatus, now time.Time, loc *time.Location) string {
	when := func(t time.Time) string {
		return p.T("status.clock.zoned", "When", p.When(t, now, loc), "Zone", loc.String())
	}
	return clockLine(p, name, s, when, func(t time.Time) string { return p.When(t, now, loc) })
}

// clockLine is ClockLineIn with the times said by when (a deadline, with
// its zone) and bare (when it was done, right after a deadline).
func clockLine(p *i18n.Printer, name string, s ClockStatus, when, bare func(time.Time) string) string {
	c, k := ClockWord(p, name), TimeKindWordsIn(p, s.Spec.Kind)
	switch {
	case s.Stopped && s.Breached:
		return p.T("status.clock.missed", "Clock", c, "Kind", k, "Due", when(s.BreachedAt), "Done", bare(s.StoppedAt),
			"Elapsed", p.Span(s.Elapsed), "Target", statusTarget(p, s))
	case s.Stopped:
		return p.T("status.clock.met", "Clock", c, "Kind", k, "Elapsed", p.Span(s.Elapsed), "Target", statusTarget(p, s))
	case s.Paused:
		return p.T("status.clock.paused", "Clock", c, "Kind", k, "Left", p.Span(s.Remaining))
	case s.Breached && -s.Remaining < time.Minute && s.Spec.Kind == CalendarTime:
		return p.T("status.clock.overdue_since", "Clock", c, "Due", when(s.Due))
	case s.Breached && -s.Remaining < time.Minute:
		return p.T("status.clock.overdue_since_closed", "Clock", c, "Due", when(s.Due))
	case s.Breached:
		return p.T("status.clock.overdue_by", "Clock", c, "Kind", k, "Late", p.Span(-s.Remaining), "Due", when(s.Due))
	default:
		return p.T("status.clock.due", "Clock", c, "Kind", k, "Due", when(s.Due), "Left", p.Span(s.Remaining))
	}
}

// statusTarget says a clock's target: as published when the clock knows
// it, else the amount it counts down.
func statusTarget(p *i18n.Printer, s ClockStatus) string {
	if s.Spec.IsZero() {
		return p.T("status.clock.target_of", "Span", p.Span(s.Target), "Kind", TimeKindWordsIn(p, s.Spec.Kind))
	}
	return targetWords(p, s.Spec, s.WorkingDay)
}

// Statuses evaluates a request's clocks at now.
func (r *Request) Statuses(dep *Department, now time.Time) (first, resolution ClockStatus) {
	f, res := r.Clocks(dep)
	return f.Status(dep.Calendar, now), res.Status(dep.Calendar, now)
}

// slaSummary is the SLA part of a card or a list line: the clock that is
// still running, or both outcomes when done.
func slaSummary(p *i18n.Printer, r *Request, dep *Department, now time.Time, loc *time.Location) string {
	first, res := r.Statuses(dep, now)
	switch {
	case r.State == Cancelled:
		return p.T("status.card.cancelled")
	case !first.Stopped:
		return ClockLineIn(p, FirstResponseClock, first, now, loc)
	}
	return ClockLineIn(p, ResolutionClock, res, now, loc)
}

// StateWord names a request's state in p's language: "waiting on
// requester", 等待提出人回复. A state the catalogue does not know is said as
// it is.
func StateWord(p *i18n.Printer, s State) string {
	if w, err := p.Text("home.status." + string(s)); err == nil {
		return w
	}
	return string(s)
}

// CardText renders a card in the desk's text (richtext.go), for the console
// and as the fallback text of the Slack card, in the language of the
// department's channel.
func (d *Desk) CardText(c *Card, now time.Time) string {
	return CardTextIn(d.ChannelPrinter(c.Dept), c, now)
}

// CardTextIn is CardText in p's language (nil: English): that of the
// channel the card is in, which for the card a transfer left behind is not
// the owning department's.
func CardTextIn(p *i18n.Printer, c *Card, now time.Time) string {
	r, dep := c.Request, c.Dept
	loc := dep.Calendar.Location
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* · %s\n", r.ID, Escape(r.Title))
	b.WriteString(p.T("status.card.head", "Dept", Escape(dep.DisplayName), "Who", Mention(r.Requester),
		"Priority", PriorityWord(p, r.Priority), "State", stateLabelIn(p, r)) + "\n")
	if c.Type != "" {
		b.WriteString(p.T("status.card.type", "Type", Escape(c.Type)) + "\n")
	}
	for _, f := range c.Fields {
		fmt.Fprintf(&b, "%s\n", f)
	}
	if c.Private {
		fmt.Fprintf(&b, "%s\n", PrivateCardNoteIn(p, dep, r.ID))
	} else if strings.TrimSpace(r.Text) != strings.TrimSpace(r.Title) {
		fmt.Fprintf(&b, "> %s\n", strings.ReplaceAll(Escape(r.Text), "\n", "\n> "))
	}
	b.WriteString(p.T("status.card.sla", "Clock", slaSummary(p, r, dep, now, loc)))
	if c.Journey != "" {
		b.WriteString("\n" + capitalize(c.Journey))
	}
	if c.LastChange != "" {
		b.WriteString("\n_" + c.LastChange + "_")
	}
	return b.String()
}

// ListLine is one request in a list: "FIN-3 · normal · acknowledged · title
// — SLA", in the viewer's language.
func (d *Desk) ListLine(r *Request, viewer string, now time.Time) string {
	dep := d.Dir().StandardOf(r)
	p := d.Printer(viewer, dep)
	if !d.Dir().MaySeePrivate(viewer, r) {
		r = d.Dir().RedactedIn(p, r)
	}
	if dep == nil {
		return fmt.Sprintf("*%s* · %s · %s", r.ID, StateWord(p, r.State), Escape(r.Title))
	}
	mark := ""
	if first, res := r.Statuses(dep, now); r.State.Active() && (first.Breached && !first.Stopped || res.Breached) {
		mark = "⚠ "
	}
	return fmt.Sprintf("%s*%s* · %s · %s · %s · %s — %s", mark, r.ID, Escape(dep.DisplayName), PriorityWord(p, r.Priority),
		stateLabelIn(p, r), Escape(r.Title), slaSummary(p, r, dep, now, d.Location(viewer, dep)))
}

// JourneyLine is the requester's view of a transferred request: the wall
// time since it was filed, which runs on through transfers, and since when
// the department now holding it has had it: "open 3 days 2 hours in all;
// with Purchasing since Wed 14:00". It is empty for a request never
// transferred, whose clocks already start at its filing.
func JourneyLine(r *Request, dep *Department, now time.Time, loc *time.Location) string {
	return JourneyLineIn(nil, r, dep, now, loc)
}

// JourneyLineIn is JourneyLine in p's language (nil: English).
func JourneyLineIn(p *i18n.Printer, r *Request, dep *Department, now time.Time, loc *time.Location) string {
	return journeyLine(p, r, dep, now, func(t time.Time) string { return p.When(t, now, loc) })
}

// journeyLine is JourneyLineIn with the time said by when.
func journeyLine(p *i18n.Printer, r *Request, dep *Department, now time.Time, when func(time.Time) string) string {
	if r.Transfers == 0 || r.HeldSince.IsZero() {
		return ""
	}
	var span string
	switch r.State {
	case Resolved, Closed:
		span = p.T("status.journey.resolved", "Age", p.Age(r.ResolvedAt.Sub(r.CreatedAt)))
	case Cancelled:
		span = p.T("status.journey.cancelled", "Age", p.Age(r.ClosedAt.Sub(r.CreatedAt)))
	default:
		span = p.T("status.journey.open", "Age", p.Age(now.Sub(r.CreatedAt)))
	}
	return p.T("status.journey.line", "Span", span, "Dept", Escape(dep.DisplayName), "When", when(r.HeldSince))
}

// FormatAge renders wall time for people, to the minute and in its two
// largest units: "3 days 2 hours", "5 hours 10 minutes", "1 minute"
// (i18n.Printer.Age in English).
func FormatAge(d time.Duration) string { return (*i18n.Printer)(nil).Age(d) }
