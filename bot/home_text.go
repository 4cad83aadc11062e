package bot

import (
	"fmt"
	"strings"
)

// The Home's words, in the desk's text (richtext.go), shared by the
// adapters: the Slack app puts them in Block Kit, the console prints them.

// HomeLine is one request on a Home: "⚠ *FIN-3* · Finance · acknowledged ·
// title — first response overdue by 1h".
func HomeLine(it HomeItem) string {
	mark := ""
	if it.Breached {
		mark = "⚠ "
	}
	line := fmt.Sprintf("%s*%s* · %s · %s · %s", mark, it.Request.ID, Escape(it.Dept), it.Status, Escape(it.Request.Title))
	if it.Clock != "" {
		line += " — " + it.Clock
	}
	return line
}

// StandingLines are a lead's view of a department's standards against
// what it achieved this week and this quarter; without figures (s nil),
// the standards alone.
func StandingLines(dep *Department, s *Standing) []string {
	t := dep.Target(Normal)
	cal := dep.Calendar
	lines := []string{fmt.Sprintf("Standards (normal priority): first response within %s, resolution within %s",
		TargetWords(t.FirstResponse, cal), TargetWords(t.Resolution, cal))}
	if q := dep.Quality; q.RightFirstTime > 0 || q.Satisfaction > 0 {
		var parts []string
		if q.RightFirstTime > 0 {
			parts = append(parts, "right first time "+PercentText(q.RightFirstTime))
		}
		if q.Satisfaction > 0 {
			parts = append(parts, fmt.Sprintf("satisfaction %g", q.Satisfaction))
		}
		lines[0] += "; " + strings.Join(parts, ", ")
	}
	if s == nil {
		return lines
	}
	for _, f := range []StandingFigures{s.Week, s.Quarter} {
		label := f.Label
		if label != "" {
			label = strings.ToUpper(label[:1]) + label[1:]
		}
		lines = append(lines, fmt.Sprintf("%s: first response met %s · resolution met %s · right first time %s · satisfaction %s",
			label, shareText(f.FirstResponsesMet, f.FirstResponses),
			shareText(f.ResolutionsMet, f.Resolved), RightFirstTimeText(f.RightFirstTime, f.Resolved, dep.Quality.RightFirstTime),
			SatisfactionText(f.Average, f.Ratings, dep.Quality.Satisfaction)))
	}
	return lines
}

// shareText is "91% (10 of 11)", or "–" when nothing was counted.
func shareText(n, of int) string {
	if of == 0 {
		return "– (none yet)"
	}
	return fmt.Sprintf("%d%% (%d of %d)", n*100/of, n, of)
}

// AwayLine is who is away in a lead's department: "<@U1> until Mon 7 Dec".
func (h *Home) AwayLine(p LeadPanel) string {
	if len(p.Away) == 0 {
		return "Nobody is away."
	}
	var parts []string
	for _, a := range p.Away {
		s := Mention(a.User)
		if !a.Until.IsZero() {
			s += " until " + FormatWhen(a.Until, h.Now, h.Loc)
		} else {
			s += " (no return date)"
		}
		parts = append(parts, s)
	}
	return "Away: " + strings.Join(parts, ", ")
}

// HomeText is the whole Home as text, for the console (:home).
func HomeText(h *Home) string {
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	if h.Notice != "" {
		line(h.Notice)
	}
	line("*My requests*")
	if len(h.Open) == 0 {
		line("Nothing open. File a request with `/ask <dept> <what you need>`.")
	}
	for _, it := range h.Open {
		line("• " + HomeLine(it) + buttonsText(it.Buttons))
	}
	if h.MoreOpen {
		line("… and more; `/ask list` shows them all.")
	}
	if len(h.Closed) > 0 {
		line("_Recently closed_")
		for _, it := range h.Closed {
			line("• " + HomeLine(it) + buttonsText(it.Buttons))
		}
	}
	if q := h.Queue; q != nil {
		line("")
		line("*My queue* (unclaimed and assigned to me, most urgent first)" + queueFilterText(q.Query))
		if len(q.Items) == 0 {
			line("Nothing waiting.")
		}
		for _, it := range q.Items {
			line("• " + HomeLine(it) + buttonsText(it.Buttons))
		}
		if q.More || q.Query.Page > 0 {
			more := ""
			if q.More {
				more = fmt.Sprintf("; `:home page %d` for the next", q.Query.Page+2)
			}
			line(fmt.Sprintf("Page %d%s.", q.Query.Page+1, more))
		}
	}
	for _, p := range h.Leads {
		line("")
		line("*" + Escape(p.Dept.DisplayName) + "* (you lead it)")
		for _, s := range StandingLines(p.Dept, p.Standing) {
			line(s)
		}
		if len(p.Breaches) > 0 {
			line("Oldest breaches:")
			for _, it := range p.Breaches {
				line("• " + HomeLine(it))
			}
		} else {
			line("No breaches open.")
		}
		line(h.AwayLine(p))
	}
	return b.String()
}

func buttonsText(bs []Button) string {
	var acts []string
	for _, b := range bs {
		if b.Action == ActRate {
			if !strings.Contains(strings.Join(acts, " "), "rate") {
				acts = append(acts, "rate 1–5")
			}
			continue
		}
		acts = append(acts, strings.ToLower(b.Label))
	}
	if len(acts) == 0 {
		return ""
	}
	return " [" + strings.Join(acts, ", ") + "]"
}

func queueFilterText(q HomeQuery) string {
	var parts []string
	if q.Dept != "" {
		parts = append(parts, "dept "+q.Dept)
	}
	if q.State != "" {
		parts = append(parts, "state "+string(q.State))
	}
	if q.Priority != "" {
		parts = append(parts, "priority "+string(q.Priority))
	}
	if q.Type != "" {
		parts = append(parts, "type "+q.Type)
	}
	if q.Mine {
		parts = append(parts, "assigned to me")
	}
	if len(parts) == 0 {
		return ""
	}
	return " · filtered: " + strings.Join(parts, ", ")
}
