package bot

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/askdesk/askdesk/bot/i18n"
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
func StandingLines(dep *Department, s *Standing) []string { return StandingLinesIn(nil, dep, s) }

// StandingLinesIn is StandingLines in p's language (nil: English).
func StandingLinesIn(p *i18n.Printer, dep *Department, s *Standing) []string {
	t := dep.Target(Normal)
	cal := dep.Calendar
	lines := []string{p.T("home.standards.line", "First", TargetWordsIn(p, t.FirstResponse, cal), "Resolution", TargetWordsIn(p, t.Resolution, cal))}
	if q := dep.Quality; q.RightFirstTime > 0 || q.Satisfaction > 0 {
		var parts []string
		if q.RightFirstTime > 0 {
			parts = append(parts, p.T("home.standards.right_first_time", "Percent", PercentText(q.RightFirstTime)))
		}
		if q.Satisfaction > 0 {
			parts = append(parts, p.T("home.standards.satisfaction", "Score", strconv.FormatFloat(q.Satisfaction, 'g', -1, 64)))
		}
		lines[0] = p.T("home.standards.quality", "Line", lines[0], "Quality", strings.Join(parts, p.T("home.list_sep")))
	}
	if s == nil {
		return lines
	}
	for _, f := range []StandingFigures{s.Week, s.Quarter} {
		label := f.Label
		if !f.Since.IsZero() {
			label = standingLabel(p, f)
		}
		if r, n := utf8.DecodeRuneInString(label); n > 0 {
			label = string(unicode.ToUpper(r)) + label[n:]
		}
		lines = append(lines, p.T("home.standards.figures", "Label", label,
			"First", shareText(p, f.FirstResponsesMet, f.FirstResponses),
			"Resolution", shareText(p, f.ResolutionsMet, f.Resolved),
			"RightFirstTime", RightFirstTimeTextIn(p, f.RightFirstTime, f.Resolved, dep.Quality.RightFirstTime),
			"Satisfaction", SatisfactionTextIn(p, f.Average, f.Ratings, dep.Quality.Satisfaction)))
	}
	return lines
}

// standingLabel names a period of a lead's figures in p's language: "this
// week (from Mon 30 Nov)", "this quarter (2026-Q4, so far)".
func standingLabel(p *i18n.Printer, f StandingFigures) string {
	if f.Quarter != nil {
		return p.T("report.standing.quarter", "Quarter", p.Quarter(f.Quarter.Year, f.Quarter.Q))
	}
	return p.T("report.standing.week", "Date", p.Date(f.Since))
}

// shareText is "91% (10 of 11)", or "– (none yet)" when nothing was
// counted.
func shareText(p *i18n.Printer, n, of int) string {
	if of == 0 {
		return p.T("home.none_yet")
	}
	return p.Share(n, of)
}

// AwayLine is who is away in a lead's department: "<@U1> until Mon 7 Dec".
func (h *Home) AwayLine(pl LeadPanel) string {
	p := h.P
	if len(pl.Away) == 0 {
		return p.T("home.nobody_away")
	}
	var parts []string
	for _, a := range pl.Away {
		if !a.Until.IsZero() {
			parts = append(parts, p.T("home.away_until", "Who", Mention(a.User), "When", p.When(a.Until, h.Now, h.Loc)))
		} else {
			parts = append(parts, p.T("home.away_open", "Who", Mention(a.User)))
		}
	}
	return p.T("home.away", "People", strings.Join(parts, p.T("home.list_sep")))
}

// HomeText is the whole Home as text, for the console (:home), in the
// viewer's language (h.P).
func HomeText(h *Home) string {
	p := h.P
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	if h.Notice != "" {
		line(h.Notice)
	}
	line(p.T("home.mine"))
	if len(h.Open) == 0 {
		line(p.T("home.nothing_open"))
	}
	for _, it := range h.Open {
		line("• " + HomeLine(it) + buttonsText(p, it.Buttons))
	}
	if h.MoreOpen {
		line(p.T("home.more_open"))
	}
	if len(h.Closed) > 0 {
		line(p.T("home.recently_closed"))
		for _, it := range h.Closed {
			line("• " + HomeLine(it) + buttonsText(p, it.Buttons))
		}
	}
	if q := h.Queue; q != nil {
		line("")
		line(p.T("home.queue") + queueFilterText(p, q.Query))
		if len(q.Items) == 0 {
			line(p.T("home.nothing_waiting"))
		}
		for _, it := range q.Items {
			line("• " + HomeLine(it) + buttonsText(p, it.Buttons))
		}
		if q.More {
			line(p.T("home.page_more", "Page", q.Query.Page+1, "Next", q.Query.Page+2))
		} else if q.Query.Page > 0 {
			line(p.T("home.page", "Page", q.Query.Page+1))
		}
	}
	for _, pl := range h.Leads {
		line("")
		line(p.T("home.lead", "Dept", Escape(pl.Dept.DisplayName)))
		for _, s := range StandingLinesIn(p, pl.Dept, pl.Standing) {
			line(s)
		}
		if len(pl.Breaches) > 0 {
			line(p.T("home.oldest_breaches"))
			for _, it := range pl.Breaches {
				line("• " + HomeLine(it))
			}
		} else {
			line(p.T("home.no_breaches"))
		}
		line(h.AwayLine(pl))
	}
	return b.String()
}

func buttonsText(p *i18n.Printer, bs []Button) string {
	var acts []string
	rate := false
	for _, b := range bs {
		if b.Action == ActRate {
			if !rate {
				acts = append(acts, p.T("home.rate"))
				rate = true
			}
			continue
		}
		acts = append(acts, strings.ToLower(b.Label))
	}
	if len(acts) == 0 {
		return ""
	}
	return p.T("home.buttons", "Acts", strings.Join(acts, p.T("home.list_sep")))
}

func queueFilterText(p *i18n.Printer, q HomeQuery) string {
	var parts []string
	if q.Dept != "" {
		parts = append(parts, p.T("home.filter.dept", "Dept", q.Dept))
	}
	if q.State != "" {
		parts = append(parts, p.T("home.filter.state", "State", homeStateName(p, q.State)))
	}
	if q.Priority != "" {
		parts = append(parts, p.T("home.filter.priority", "Priority", homePriorityName(p, q.Priority)))
	}
	if q.Type != "" {
		parts = append(parts, p.T("home.filter.type", "Type", q.Type))
	}
	if q.Mine {
		parts = append(parts, p.T("home.filter.mine"))
	}
	if len(parts) == 0 {
		return ""
	}
	return p.T("home.filter.filtered", "Parts", strings.Join(parts, p.T("home.list_sep")))
}

// homeStateName is a state as a filter names it: "waiting" in English
// (what the filter menu says), its name in other languages.
func homeStateName(p *i18n.Printer, s State) string {
	if p.Tag() == i18n.En {
		return string(s)
	}
	if w, err := p.Text("home.status." + string(s)); err == nil {
		return w
	}
	return string(s)
}

// homePriorityName is a priority as a filter names it.
func homePriorityName(p *i18n.Printer, pr Priority) string {
	if w, err := p.Text("home.priority." + string(pr)); err == nil {
		return w
	}
	return string(pr)
}
