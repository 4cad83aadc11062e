package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot/i18n"
)

// maxExplainLines bounds the stretches listed per clock; older ones are
// summed up in one line so a long-lived request still fits a message.
const maxExplainLines = 12

// Explain renders /ask status: the request, each SLA clock with the
// arithmetic behind it (business time counted, paused and skipped
// stretches, when it breached), and the history. Times are in the viewer's
// zone, labelled, with the department's (whose calendar the clocks run on)
// beside them where its clock differs; the business hours are the
// department's own. It is in the viewer's language.
func (d *Desk) Explain(r *Request, evs []Event, viewer string, now time.Time) string {
	dep := d.Dir().StandardOf(r)
	p := d.Printer(viewer, dep)
	hide := !d.Dir().MaySeePrivate(viewer, r)
	if hide {
		r = d.Dir().RedactedIn(p, r)
	}
	if dep == nil {
		state := string(r.State) // as errors say it: "waiting"
		if s, ok := stateArg(r.State).(Sub); ok {
			state = p.T(s.Key)
		}
		return p.T("explain.request.gone", "ID", r.ID, "State", state, "Title", Escape(r.Title), "Dept", r.Dept)
	}
	loc := dep.Calendar.Location
	vt := d.viewerTimes(p, viewer, dep, now)
	var b strings.Builder
	b.WriteString(p.T("explain.request.head", "ID", r.ID, "Dept", Escape(dep.DisplayName), "Priority", PriorityWord(p, r.Priority),
		"State", stateLabelIn(p, r)) + "\n")
	b.WriteString(p.T("explain.request.filed", "Title", Escape(r.Title), "Who", Mention(r.Requester), "When", vt.full(r.CreatedAt)) + "\n")
	if t := d.Dir().TypeDisplay(r); t != "" {
		priv := ""
		if r.Private {
			priv = p.T("explain.request.private", "Dept", Escape(dep.DisplayName))
		}
		b.WriteString(p.T("explain.request.type", "Type", Escape(t), "Private", priv) + "\n")
	}
	for _, f := range d.Dir().FieldLinesIn(p, r) {
		fmt.Fprintf(&b, "%s\n", f)
	}
	if j := journeyLine(p, r, dep, now, vt.full); j != "" {
		fmt.Fprintf(&b, "%s\n", capitalize(j))
	}
	b.WriteString(p.T("explain.hours.line", "Hours", HoursSummaryIn(p, dep.Calendar), "Zone", loc.String()) + "\n")
	fmt.Fprintf(&b, "%s\n", vt.legend())
	if dep.Revision > 0 {
		when := p.T("explain.standard.filed")
		if r.Transfers > 0 {
			when = p.T("explain.standard.transferred", "Dept", Escape(dep.DisplayName))
		}
		b.WriteString(p.T("explain.standard.line", "Dept", Escape(dep.DisplayName), "Rev", dep.Revision, "When", when,
			"Name", dep.Name) + "\n")
	}

	first, res := r.Clocks(dep)
	for _, c := range []SLAClock{first, res} {
		if c.Name == ResolutionClock && r.State == Cancelled && r.FirstResponseAt.IsZero() {
			continue
		}
		s := c.Status(dep.Calendar, now)
		fmt.Fprintf(&b, "\n*%s*\n", capitalize(clockLine(p, c.Name, s, vt.full, vt.full)))
		b.WriteString(targetLine(p, c, dep, r, vt.full(c.Start)))
		b.WriteString(explainSegments(p, c.ExplainIn(p, dep.Calendar, now), s, vt))
	}

	b.WriteString(d.explainParts(p, evs, now))
	b.WriteString("\n" + p.T("explain.history.title") + "\n")
	for _, ev := range evs {
		if hide {
			ev.Text = ""
		}
		if p.Tag() != i18n.En {
			// English names departments as configured ("with finance");
			// other languages by their display names (向财务部提交).
			ev.Dept, ev.FromDept = d.deptDisplay(ev.Dept), d.deptDisplay(ev.FromDept)
		}
		b.WriteString(p.T("explain.history.line", "When", vt.short(ev.At), "What", describeEventIn(p, ev)) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// deptDisplay is the display name of the department called name, escaped;
// name itself when no department is.
func (d *Desk) deptDisplay(name string) string {
	if dep := d.Dir().ByName(name); dep != nil {
		return Escape(dep.DisplayName)
	}
	return name
}

// targetLine says a clock's target, how it counts and how much time that
// came to from the clock's start, so the figures below can be checked.
func targetLine(p *i18n.Printer, c SLAClock, dep *Department, r *Request, started string) string {
	words := TargetWordsIn(p, c.Spec, dep.Calendar)
	whose := p.T("explain.target.whose", "Priority", PriorityWord(p, r.Priority), "Type", typeTargetNote(p, dep, r))
	switch {
	case c.Spec.Kind == CalendarTime:
		return p.T("explain.target.calendar", "Words", words, "Whose", whose, "Started", started) + "\n"
	case c.Spec.Days > 0:
		return p.T("explain.target.days", "Words", words, "Whose", whose, "Span", p.Span(c.Target), "Started", started) + "\n"
	}
	return p.T("explain.target.line", "Words", words, "Whose", whose, "Started", started) + "\n"
}

// explainSegments lists the stretches of a clock and their totals.
func explainSegments(p *i18n.Printer, segs []ClockSegment, s ClockStatus, vt viewerTimes) string {
	var b strings.Builder
	var counted, paused, skipped time.Duration
	for _, sg := range segs {
		switch sg.Kind {
		case Counted:
			counted += sg.End.Sub(sg.Start)
		case Paused:
			paused += sg.End.Sub(sg.Start)
		case Skipped:
			skipped += sg.End.Sub(sg.Start)
		}
	}
	shown := segs
	if len(segs) > maxExplainLines {
		shown = segs[len(segs)-maxExplainLines:]
		b.WriteString(p.T("explain.segment.earlier", "N", len(segs)-maxExplainLines) + "\n")
	}
	span := vt.span
	for _, sg := range shown {
		switch sg.Kind {
		case Counted:
			b.WriteString(p.T("explain.segment.counted", "Span", span(sg.Start, sg.End), "Len", p.Span(sg.End.Sub(sg.Start))))
			if sg.Why != "" {
				b.WriteString(p.T("explain.segment.why", "Why", Escape(sg.Why)))
			}
			b.WriteString("\n")
		case Paused:
			why := sg.Why
			if why == "" { // the one reason a clock pauses
				why = p.T("explain.segment.waiting")
			}
			b.WriteString(p.T("explain.segment.paused", "Span", span(sg.Start, sg.End), "Why", why) + "\n")
		case Skipped:
			b.WriteString(p.T("explain.segment.skipped", "Span", span(sg.Start, sg.End), "Why", sg.Why) + "\n")
		}
	}
	if s.Spec.Kind == CalendarTime {
		b.WriteString(p.T("explain.segment.totals_calendar", "Counted", p.Span(counted), "Paused", p.Span(paused)))
	} else {
		b.WriteString(p.T("explain.segment.totals", "Counted", p.Span(counted), "Paused", p.Span(paused), "Skipped", p.Span(skipped)))
	}
	if s.Breached {
		b.WriteString(p.T("explain.segment.breached", "When", vt.full(s.BreachedAt)))
	}
	b.WriteString("\n")
	return b.String()
}

// describeEventIn says what an event did, for histories, in p's language
// (nil: English).
func describeEventIn(p *i18n.Printer, ev Event) string {
	who := Mention(ev.Actor)
	var s string
	switch ev.Kind {
	case EvCreated:
		s = p.T("explain.event.created", "Who", who, "Dept", ev.Dept, "Priority", priorityWord(p, ev.Priority))
	case EvClaimed, EvReplied, EvCommented, EvWaiting, EvResumed, EvResolved, EvClosed, EvReopened, EvCancelled:
		s = p.T("explain.event."+string(ev.Kind), "Who", who)
	case EvReassigned:
		s = p.T("explain.event.reassigned", "To", Mention(ev.Assignee), "Who", who)
	case EvTransferred:
		s = p.T("explain.event.transferred", "From", ev.FromDept, "To", ev.Dept, "Who", who)
	default:
		s = p.T("explain.event.unknown", "Kind", string(ev.Kind), "Who", who)
	}
	if ev.Text != "" && ev.Kind == EvClosed && ev.Actor == SystemActor {
		// askdesk's own reason (Sweep), whatever language it was stored in.
		ev.Text = p.T("remind.auto_closed")
	}
	if ev.Text != "" && ev.Kind != EvCreated {
		s = p.T("explain.event.text", "Event", s, "Text", Escape(Title(ev.Text)))
	}
	return s
}

// priorityWord names a priority in p's language; a priority the catalogue
// does not know is said as written.
func priorityWord(p *i18n.Printer, pr Priority) string {
	switch pr {
	case Urgent, Normal, Low:
		return p.T("explain.priority." + string(pr))
	}
	return string(pr)
}

// HoursSummary renders a weekly schedule compactly, grouping consecutive
// days with the same hours: "Mon–Fri 09:00–12:00, 13:00–18:00; Sat 10:00–14:00".
func HoursSummary(c *Calendar) string { return HoursSummaryIn(nil, c) }

// HoursSummaryIn is HoursSummary with the days named in p's language (nil:
// English): "周一–周五 09:00–12:00、13:00–18:00；周六 10:00–14:00".
func HoursSummaryIn(p *i18n.Printer, c *Calendar) string {
	order := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	spansText := func(ss []Span) string {
		parts := make([]string, len(ss))
		for i, s := range ss {
			parts[i] = fmt.Sprintf("%02d:%02d–%02d:%02d", s.Start/60, s.Start%60, s.End/60, s.End%60)
		}
		return strings.Join(parts, p.T("explain.hours.span_sep"))
	}
	var groups []string
	for i := 0; i < len(order); {
		txt := spansText(c.Hours[order[i]])
		j := i
		for j+1 < len(order) && spansText(c.Hours[order[j+1]]) == txt {
			j++
		}
		if txt != "" {
			days := p.Weekday(order[i])
			if j > i {
				days += "–" + p.Weekday(order[j])
			}
			groups = append(groups, days+" "+txt)
		}
		i = j + 1
	}
	if len(groups) == 0 {
		return p.T("explain.hours.closed")
	}
	return strings.Join(groups, p.T("explain.hours.day_sep"))
}

// typeTargetNote says when a request runs on its type's own targets rather
// than the department's: ", Reimbursement's own".
func typeTargetNote(p *i18n.Printer, dep *Department, r *Request) string {
	if t := dep.typeByName(r.Type); t != nil {
		if _, ok := t.Target(r.Priority); ok {
			return p.T("explain.target.type_own", "Type", Escape(t.DisplayName))
		}
	}
	return ""
}

// explainParts lists the parts of the departments that passed the request
// on, each measured on its own calendar (docs/sla.md, "Transfers"); empty
// for a request never transferred.
func (d *Desk) explainParts(p *i18n.Printer, evs []Event, now time.Time) string {
	parts, err := Parts(evs)
	if err != nil || len(parts) < 2 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n" + p.T("explain.parts.head") + "\n")
	utc := func(t time.Time) string {
		t = t.UTC()
		return p.T("explain.parts.utc", "Date", p.Date(t), "Clock", t.Format("15:04"))
	}
	for _, pt := range parts[:len(parts)-1] {
		dep, to := d.Dir().StandardOf(&pt.Request), d.Dir().ByName(pt.To)
		if dep == nil || to == nil {
			b.WriteString(p.T("explain.parts.gone", "Dept", Escape(pt.Dept), "From", utc(pt.Start), "To", utc(pt.PassedOn),
				"Next", Escape(pt.To)) + "\n")
			continue
		}
		loc := dep.Calendar.Location
		first, _ := pt.Request.Statuses(dep, now)
		b.WriteString(p.T("explain.parts.line", "Dept", Escape(dep.DisplayName), "From", p.When(pt.Start, now, loc),
			"To", p.When(pt.PassedOn, now, loc), "Zone", loc.String(),
			"Clock", ClockLineIn(p, FirstResponseClock, first, now, loc), "Next", Escape(to.DisplayName)) + "\n")
	}
	return b.String()
}
