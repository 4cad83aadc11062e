package report

import (
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"

	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Text renders the digest in English (TextIn with a nil printer).
func (d *Digest) Text() string { return d.TextIn(nil) }

// TextIn renders the digest in the desk's text (bot/richtext.go), which the
// Slack adapter and the terminal each render, in p's language (nil:
// English). Request titles are escaped; people are mentioned.
func (d *Digest) TextIn(p *i18n.Printer) string {
	var b strings.Builder
	line := func(key string, kv ...any) { b.WriteString(p.T(key, kv...) + "\n") }
	who := p.T("digest.all_departments")
	if d.Dept != nil {
		who = deptLabel(d.Dept)
	}
	from, sunday := d.From.In(d.Zone), d.To.In(d.Zone).AddDate(0, 0, -1)
	line("digest.title", "Who", who, "Week", weekLabel(p, d.Week))
	line("digest.span", "Range", p.WeekRange(from, sunday), "Zone", d.Zone.String(), "Prev", weekLabel(p, d.PrevWeek))
	if d.At.Before(d.To) {
		at := d.At.In(d.Zone)
		line("digest.so_far", "Weekday", p.Weekday(at.Weekday()), "Clock", at.Format("15:04"))
	}
	f, pf := d.Figures, d.Prev
	if f == (Figures{}) {
		line("digest.quiet")
		if pf != (Figures{}) {
			line("digest.quiet_last", "New", pf.New, "Resolved", pf.Resolved)
		}
		return strings.TrimRight(b.String(), "\n")
	}
	line("digest.volume", "New", f.New, "NewChange", countChangeIn(p, f.New, pf.New),
		"Resolved", f.Resolved, "ResolvedChange", countChangeIn(p, f.Resolved, pf.Resolved),
		"Open", f.Open, "OpenChange", countChangeIn(p, f.Open, pf.Open),
		"Overdue", f.Overdue, "OverdueChange", countChangeIn(p, f.Overdue, pf.Overdue))
	if f.Received+f.PassedOn > 0 {
		line("digest.transfers", "Received", f.Received, "PassedOn", f.PassedOn)
	}
	line("digest.first_response", "Line", slaLine(p, f.FirstResponsesMet, f.FirstResponses, pf.FirstResponsesMet, pf.FirstResponses,
		f.FirstResponseTime, pf.FirstResponseTime, p.T("digest.first_response_none")))
	line("digest.resolution", "Line", slaLine(p, f.ResolutionsMet, f.Resolved, pf.ResolutionsMet, pf.Resolved,
		f.ResolutionTime, pf.ResolutionTime, p.T("digest.resolution_none")))
	var quality bot.QualityTarget
	if d.Dept != nil {
		quality = d.Dept.Quality
	}
	line("digest.right_first_time", "Line", rightFirstTimeLine(p, f, pf, quality.RightFirstTime), "Rule", p.T("digest.rft_rule"))
	if len(d.Worst) == 0 {
		line("digest.worst_none")
	} else {
		line("digest.worst")
		for _, w := range d.Worst {
			by := p.T("digest.worst_by", "Span", p.Span(w.Overdue))
			if w.Overdue < time.Minute { // due at a day's close, no business time since
				by = p.T("digest.worst_since_close")
			}
			line("digest.worst_item", "ID", w.ID, "Title", bot.Escape(w.TitleIn(p)), "Clock", clockName(p, w.Clock), "By", by)
		}
	}
	line("digest.satisfaction", "Text", satisfactionText(p, d.Satisfaction, quality.Satisfaction))
	if d.SelfServed > 0 {
		line("digest.self_served", "Text", selfServedTextIn(p, d.SelfServed))
	}
	if d.Dept != nil {
		rule := recognitionRuleIn(p, RecognitionMinResolved, p.T("digest.in_week"))
		if len(d.People) == 0 {
			line("digest.served_best_none", "Rule", rule)
		} else {
			parts := make([]string, len(d.People))
			for i, pe := range d.People {
				parts[i] = bot.Mention(pe.User) + " " + personFactsIn(p, pe)
			}
			line("digest.served_best", "People", strings.Join(parts, " · "), "Rule", rule)
		}
	} else {
		line("digest.by_department")
		for _, df := range d.Departments {
			g := df.Figures
			if g == (Figures{}) {
				line("digest.dept_none", "Dept", deptLabel(df.Dept))
				continue
			}
			rft := pctOr(g.RightFirstTime, g.Resolved)
			if t := df.Dept.Quality.RightFirstTime; t > 0 {
				rft = p.T("digest.dept_rft_target", "RFT", rft, "Target", bot.PercentText(t))
			}
			line("digest.dept", "Dept", deptLabel(df.Dept), "New", g.New, "Resolved", g.Resolved, "Open", g.Open, "Overdue", g.Overdue,
				"FR", pctOr(g.FirstResponsesMet, g.FirstResponses), "Res", pctOr(g.ResolutionsMet, g.Resolved), "RFT", rft)
		}
		rule := deptRecognitionRuleIn(p, RecognitionMinResolved, p.T("digest.in_week"))
		if d.Best == nil {
			line("digest.best_dept_none", "Rule", rule)
		} else {
			g := d.Best.Figures
			line("digest.best_dept", "Dept", deptLabel(d.Best.Dept),
				"Pct", pct(g.FirstResponsesMet+g.ResolutionsMet, g.FirstResponses+g.Resolved), "N", g.FirstResponses+g.Resolved,
				"RFT", pctOr(g.RightFirstTime, g.Resolved), "Rule", rule)
		}
	}
	deps := []*bot.Department{d.Dept}
	for _, df := range d.Departments {
		deps = append(deps, df.Dept)
	}
	b.WriteString(p.T("digest.footer", "Calendar", calendarTimesNoteIn(p, deps...)))
	return b.String()
}

// weekLabel is an ISO week as written ("2026-W50") in p's language
// ("2026年第50周").
func weekLabel(p *i18n.Printer, week string) string {
	year, w, err := ParseISOWeek(week)
	if err != nil {
		return week
	}
	return p.Week(year, w)
}

// clockName is an SLA clock's name ("first response", "resolution") in p's
// language.
func clockName(p *i18n.Printer, name string) string {
	switch name {
	case "first response": //i18n:ok the clock's name as bot.SLAClock gives it, matched not shown
		return p.T("digest.clock_first_response")
	case "resolution": //i18n:ok the clock's name as bot.SLAClock gives it, matched not shown
		return p.T("digest.clock_resolution")
	}
	return name
}

func deptLabel(dep *bot.Department) string {
	if dep.DisplayName != "" {
		return bot.Escape(dep.DisplayName)
	}
	return bot.Escape(dep.Name)
}

// slaLine is "83% met (10 of 12) ▲5 pts · median 1h 20m ▼12%, p90 3h".
func slaLine(p *i18n.Printer, met, n, pmet, pn int, s, ps Spread, none string) string {
	if n == 0 && s.N == 0 {
		return none
	}
	var parts []string
	if n > 0 {
		if pn > 0 {
			parts = append(parts, p.T("digest.sla_met_change", "Percent", pct(met, n), "Met", met, "N", n,
				"Change", pointsChangeIn(p, float64(met)*100/float64(n), float64(pmet)*100/float64(pn))))
		} else {
			parts = append(parts, p.T("digest.sla_met", "Percent", pct(met, n), "Met", met, "N", n))
		}
	}
	if s.N > 0 {
		if ps.N > 0 {
			parts = append(parts, p.T("digest.sla_median_change", "Median", p.Span(s.Median), "Change", durationChangeIn(p, s.Median, ps.Median), "P90", p.Span(s.P90)))
		} else {
			parts = append(parts, p.T("digest.sla_median", "Median", p.Span(s.Median), "P90", p.Span(s.P90)))
		}
	}
	return strings.Join(parts, p.T("digest.sla_sep"))
}

// pct formats a share in whole percent, rounded down, so that 199 of 200
// reads 99%, not 100%.
func pct(n, of int) string {
	return fmt.Sprintf("%d%%", n*100/of)
}

func pctOr(n, of int) string {
	if of == 0 {
		return "–"
	}
	return pct(n, of)
}

func countChangeIn(p *i18n.Printer, cur, prev int) string {
	switch {
	case cur == prev:
		return p.T("digest.change_same")
	case prev == 0:
		return p.T("digest.change_from_zero")
	}
	return arrow(float64(cur-prev)*100/float64(prev)) + "%"
}

func pointsChangeIn(p *i18n.Printer, cur, prev float64) string {
	if math.Round(cur-prev) == 0 {
		return p.T("digest.change_same")
	}
	return p.T("digest.change_points", "Arrow", arrow(cur-prev))
}

func durationChangeIn(p *i18n.Printer, cur, prev time.Duration) string {
	switch {
	case cur == prev:
		return p.T("digest.change_same")
	case prev == 0:
		return p.T("digest.change_from_zero")
	}
	return arrow(float64(cur-prev)*100/float64(prev)) + "%"
}

func arrow(x float64) string {
	r := math.Round(math.Abs(x))
	if x > 0 {
		return fmt.Sprintf("▲%.0f", r)
	}
	return fmt.Sprintf("▼%.0f", r)
}

// satisfactionText is the week's ratings (see RatingReports) against the
// department's target (0: none): bot.SatisfactionTextIn with how many were
// asked after the score.
func satisfactionText(p *i18n.Printer, s *Satisfaction, target float64) string {
	if s == nil || s.Ratings == 0 {
		if target > 0 {
			return p.T("digest.sat_none_target", "Target", strconv.FormatFloat(target, 'f', -1, 64))
		}
		return p.T("digest.sat_none")
	}
	score := bot.SatisfactionTextIn(p, s.Average, s.Ratings, 0)
	asked := p.T("digest.sat_asked", "Score", score, "Share", pctOr(s.Ratings, s.Asked), "Asked", s.Asked)
	// The text with a target begins with the one without (SatisfactionTextIn).
	return asked + strings.TrimPrefix(bot.SatisfactionTextIn(p, s.Average, s.Ratings, target), score)
}

// rightFirstTimeLine is "85% (11 of 13), below the 90% target · ▲5 pts".
func rightFirstTimeLine(p *i18n.Printer, f, pf Figures, target float64) string {
	s := bot.RightFirstTimeTextIn(p, f.RightFirstTime, f.Resolved, target)
	if f.Resolved > 0 && pf.Resolved > 0 {
		if math.Round(float64(f.RightFirstTime)*100/float64(f.Resolved)-float64(pf.RightFirstTime)*100/float64(pf.Resolved)) == 0 {
			return p.T("digest.rft_same", "Text", s)
		}
		change := pointsChangeIn(p, float64(f.RightFirstTime)*100/float64(f.Resolved), float64(pf.RightFirstTime)*100/float64(pf.Resolved))
		return p.T("digest.rft_change", "Text", s, "Change", change)
	}
	return s
}

// personFactsIn is "12 resolved, 92% in time, 83% right first time".
func personFactsIn(p *i18n.Printer, pe PersonFigures) string {
	return p.T("digest.person_facts", "Resolved", pe.Resolved, "InTime", pct(pe.Met, pe.Resolved), "RFT", pct(pe.RightFirstTime, pe.Resolved))
}
