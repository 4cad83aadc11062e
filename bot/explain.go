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
// department's own.
func (d *Desk) Explain(r *Request, evs []Event, viewer string, now time.Time) string {
	hide := !d.Dir().MaySeePrivate(viewer, r)
	if hide {
		r = d.Dir().Redacted(r)
	}
	dep := d.Dir().StandardOf(r)
	if dep == nil {
		return fmt.Sprintf("*%s* · %s · %s (its department %q is no longer configured)", r.ID, r.State, Escape(r.Title), r.Dept)
	}
	loc := dep.Calendar.Location
	vt := d.viewerTimes(viewer, dep, now)
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* · %s · %s priority · %s\n", r.ID, Escape(dep.DisplayName), r.Priority, stateLabel(r))
	fmt.Fprintf(&b, "%s, filed by %s %s\n", Escape(r.Title), Mention(r.Requester), vt.full(r.CreatedAt))
	if t := d.Dir().TypeDisplay(r); t != "" {
		priv := ""
		if r.Private {
			priv = " (private: only the requester and " + Escape(dep.DisplayName) + "'s members see its text and fields)"
		}
		fmt.Fprintf(&b, "Type: %s%s\n", Escape(t), priv)
	}
	for _, f := range d.Dir().FieldLines(r) {
		fmt.Fprintf(&b, "%s\n", f)
	}
	if j := journeyLine(r, dep, now, vt.full); j != "" {
		fmt.Fprintf(&b, "%s\n", capitalize(j))
	}
	fmt.Fprintf(&b, "Business hours: %s (%s)\n", HoursSummary(dep.Calendar), loc)
	fmt.Fprintf(&b, "%s\n", vt.legend())
	if dep.Revision > 0 {
		when := "filed"
		if r.Transfers > 0 {
			when = "transferred to " + Escape(dep.DisplayName)
		}
		fmt.Fprintf(&b, "Runs on %s's service standard revision %d, the one in force when it was %s (`/ask standards %s %d`).\n",
			Escape(dep.DisplayName), dep.Revision, when, dep.Name, dep.Revision)
	}

	first, res := r.Clocks(dep)
	for _, c := range []SLAClock{first, res} {
		if c.Name == "resolution" && r.State == Cancelled && r.FirstResponseAt.IsZero() {
			continue
		}
		s := c.Status(dep.Calendar, now)
		fmt.Fprintf(&b, "\n*%s*\n", capitalize(clockLine(c.Name, s, vt.full, vt.full)))
		b.WriteString(targetLine(c, dep, r, vt.full(c.Start)))
		b.WriteString(explainSegments(c.Explain(dep.Calendar, now), s, vt))
	}

	b.WriteString(d.explainParts(evs, now))
	b.WriteString("\n*History*\n")
	for _, ev := range evs {
		if hide {
			ev.Text = ""
		}
		fmt.Fprintf(&b, "• %s: %s\n", vt.short(ev.At), d.describeEvent(ev))
	}
	return strings.TrimRight(b.String(), "\n")
}

// targetLine says a clock's target, how it counts and how much time that
// came to from the clock's start, so the figures below can be checked.
func targetLine(c SLAClock, dep *Department, r *Request, started string) string {
	words := TargetWords(c.Spec, dep.Calendar)
	whose := fmt.Sprintf("for %s priority%s", r.Priority, typeTargetNote(dep, r))
	switch {
	case c.Spec.Kind == CalendarTime:
		return fmt.Sprintf("Target: %s, %s: nights, weekends and holidays count; only waiting on the requester pauses it. Started %s.\n",
			words, whose, started)
	case c.Spec.Days > 0:
		return fmt.Sprintf("Target: %s %s, which from its start came to %s of business time. Started %s.\n",
			words, whose, FormatSpan(c.Target), started)
	}
	return fmt.Sprintf("Target: %s %s. Started %s.\n", words, whose, started)
}

// explainSegments lists the stretches of a clock and their totals.
func explainSegments(segs []ClockSegment, s ClockStatus, vt viewerTimes) string {
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
		fmt.Fprintf(&b, "  … %d earlier stretches (included in the totals below)\n", len(segs)-maxExplainLines)
	}
	span := vt.span
	for _, sg := range shown {
		switch sg.Kind {
		case Counted:
			fmt.Fprintf(&b, "  ✓ %s  counted %s", span(sg.Start, sg.End), FormatSpan(sg.End.Sub(sg.Start)))
			if sg.Why != "" {
				fmt.Fprintf(&b, ", %s", Escape(sg.Why))
			}
			b.WriteString("\n")
		case Paused:
			fmt.Fprintf(&b, "  ‖ %s  paused, %s\n", span(sg.Start, sg.End), sg.Why)
		case Skipped:
			fmt.Fprintf(&b, "  · %s  not counted, %s\n", span(sg.Start, sg.End), sg.Why)
		}
	}
	if s.Spec.Kind == CalendarTime {
		fmt.Fprintf(&b, "  Calendar time counted: %s · paused: %s", FormatSpan(counted), FormatSpan(paused))
	} else {
		fmt.Fprintf(&b, "  Business time counted: %s · paused: %s · outside business hours: %s", FormatSpan(counted), FormatSpan(paused), FormatSpan(skipped))
	}
	if s.Breached {
		fmt.Fprintf(&b, " · breached %s", vt.full(s.BreachedAt))
	}
	b.WriteString("\n")
	return b.String()
}

// describeEvent says what an event did, for histories, in English.
func (d *Desk) describeEvent(ev Event) string { return describeEventIn(nil, ev) }

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
// English): "周一–周五 09:00–12:00, 13:00–18:00".
func HoursSummaryIn(p *i18n.Printer, c *Calendar) string {
	order := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	spansText := func(ss []Span) string {
		parts := make([]string, len(ss))
		for i, s := range ss {
			parts[i] = fmt.Sprintf("%02d:%02d–%02d:%02d", s.Start/60, s.Start%60, s.End/60, s.End%60)
		}
		return strings.Join(parts, ", ")
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
	return strings.Join(groups, "; ")
}

// typeTargetNote says when a request runs on its type's own targets rather
// than the department's: ", Reimbursement's own".
func typeTargetNote(dep *Department, r *Request) string {
	if t := dep.typeByName(r.Type); t != nil {
		if _, ok := t.Target(r.Priority); ok {
			return ", " + Escape(t.DisplayName) + "'s own"
		}
	}
	return ""
}

// explainParts lists the parts of the departments that passed the request
// on, each measured on its own calendar (docs/sla.md, "Transfers"); empty
// for a request never transferred.
func (d *Desk) explainParts(evs []Event, now time.Time) string {
	parts, err := Parts(evs)
	if err != nil || len(parts) < 2 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n*Earlier departments' parts* (each is measured only on the time it held the request)\n")
	for _, p := range parts[:len(parts)-1] {
		dep, to := d.Dir().StandardOf(&p.Request), d.Dir().ByName(p.To)
		if dep == nil || to == nil {
			fmt.Fprintf(&b, "• %s: %s – %s, passed on to %s\n", Escape(p.Dept), p.Start.UTC().Format("Mon 2 Jan 15:04 MST"), p.PassedOn.UTC().Format("Mon 2 Jan 15:04 MST"), Escape(p.To))
			continue
		}
		loc := dep.Calendar.Location
		first, _ := p.Request.Statuses(dep, now)
		fmt.Fprintf(&b, "• %s held it %s – %s (%s): %s; passed on to %s, which counts as neither resolved nor late\n",
			Escape(dep.DisplayName), FormatWhen(p.Start, now, loc), FormatWhen(p.PassedOn, now, loc), loc,
			ClockLine("first response", first, now, loc), Escape(to.DisplayName))
	}
	return b.String()
}
