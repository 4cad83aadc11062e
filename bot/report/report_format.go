package report

import (
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"

	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// ReportFormats are the formats WriteReport writes.
var ReportFormats = []string{"table", "markdown", "csv", "json"}

// WriteReport writes the report in format: "table" (aligned text for a
// terminal), "markdown" (headings and tables that paste into docs), "csv"
// (one row per department and priority, for spreadsheets) or "json". dir
// names people. It returns EINVALID for another format.
func WriteReport(w io.Writer, r *Report, format string, dir *bot.Directory) error {
	return WriteReportIn(w, nil, r, format, dir)
}

// WriteReportIn is WriteReport with the table and Markdown in p's language
// (nil: English). CSV and JSON are the same in every language: their
// column names and keys are a stable interface for the programs that read
// them.
func WriteReportIn(w io.Writer, p *i18n.Printer, r *Report, format string, dir *bot.Directory) error {
	switch format {
	case "table", "":
		return r.writeText(w, p, dir, false)
	case "markdown":
		return r.writeText(w, p, dir, true)
	case "csv":
		return r.writeCSV(w)
	case "json":
		return r.writeJSON(w, dir)
	}
	return bot.E(bot.EINVALID, "report.err.format", "Format", bot.Escape(format), "Formats", listOf(ReportFormats))
}

// writeText writes the report as aligned text or as Markdown, in p's
// language: the same sections and tables either way.
func (r *Report) writeText(w io.Writer, p *i18n.Printer, dir *bot.Directory, markdown bool) error {
	heading := func(level int, s string) {
		if markdown {
			fmt.Fprintf(w, "%s %s\n\n", strings.Repeat("#", level), s)
		} else if level == 1 {
			fmt.Fprintf(w, "%s\n", s)
		} else {
			fmt.Fprintf(w, "== %s ==\n", s)
		}
	}
	para := func(s string) {
		if markdown {
			s = "_" + s + "_"
		}
		fmt.Fprintf(w, "%s\n\n", s)
	}
	line := func(s string) {
		fmt.Fprintln(w, s)
		if markdown {
			fmt.Fprintln(w)
		}
	}
	heading(1, p.T("report.title", "Period", r.Period.NameIn(p), "Dates", r.Period.DatesIn(p), "Prev", r.Prev.NameIn(p)))
	var deps []*bot.Department
	for _, d := range r.Depts {
		deps = append(deps, d.Dept)
	}
	para(p.T("report.note", "Rule", capitalized(bot.RightFirstTimeRuleIn(p)), "Calendar", calendarTimesNoteIn(p, deps...)))
	if r.hasTransfers() {
		para(p.T("report.transfers_note"))
	}
	for _, d := range r.Depts {
		heading(2, fmt.Sprintf("%s · %s", plainLabelIn(p, d.Dept), d.Zone))
		if note := periodNote(p, d.To, d.At, d.Zone); note != "" {
			para(note)
		}
		line(p.T("report.standards"))
		standardsGrid(p, d).write(w, markdown)
		if d.Standards > 1 {
			para(p.T("behave.report.standards_changed", "Rev", d.standard().Revision, "N", d.Standards, "Name", d.Dept.Name))
		}
		if d.standard().Quality != (bot.QualityTarget{}) || !d.idle() {
			line(p.T("report.quality"))
			qualityGrid(p, d).write(w, markdown)
		}
		if d.idle() {
			para(p.T("report.idle"))
			continue
		}
		figuresGrid(p, r, d).write(w, markdown)
		if d.SelfServed > 0 {
			para(p.T("report.self_served", "Text", selfServedTextIn(p, d.SelfServed)))
		}
		para(p.T("report.served_best", "Text", peopleText(p, d.People, dir, r.MinPersonResolved)))
	}
	if c := r.Company; c != nil {
		heading(2, fmt.Sprintf("%s · %s", plainLabelIn(p, nil), c.Zone))
		figuresGrid(p, r, c).write(w, markdown)
		byDeptGrid(p, r).write(w, markdown)
		para(p.T("report.best_depts", "Text", deptsText(p, r.BestDepts, r.MinDeptResolved)))
		para(p.T("report.best_people", "Text", peopleText(p, r.BestPeople, dir, r.MinPersonResolved)))
	}
	return nil
}

// plainLabel is a department's name as a report shows it, in English.
func plainLabel(dep *bot.Department) string { return plainLabelIn(nil, dep) }

// plainLabelIn is plainLabel in p's language: only "All departments" is
// words.
func plainLabelIn(p *i18n.Printer, dep *bot.Department) string {
	if dep == nil {
		return p.T("report.all_departments")
	}
	if dep.DisplayName != "" {
		return dep.DisplayName
	}
	return dep.Name
}

// cols is a grid's header: each column's name in p's language.
func cols(p *i18n.Printer, keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = p.T("report.col." + k)
	}
	return out
}

func standardsGrid(p *i18n.Printer, d *DeptReport) grid {
	var cal *bot.Calendar
	if std := d.standard(); std != nil {
		cal = std.Calendar
	}
	g := grid{header: cols(p, "priority", "first_response_target", "met", "median", "p90", "resolution_target", "met", "median", "p90")}
	for _, pr := range d.ByPriority {
		f := pr.Figures
		g.rows = append(g.rows, []string{bot.PriorityWord(p, pr.Priority),
			bot.TargetWordsIn(p, pr.Target.FirstResponse, cal), shareText(p, f.FirstResponsesMet, f.FirstResponses),
			spanText(p, f.FirstResponseTime.N, f.FirstResponseTime.Median), spanText(p, f.FirstResponseTime.N, f.FirstResponseTime.P90),
			bot.TargetWordsIn(p, pr.Target.Resolution, cal), shareText(p, f.ResolutionsMet, f.Resolved),
			spanText(p, f.ResolutionTime.N, f.ResolutionTime.Median), spanText(p, f.ResolutionTime.N, f.ResolutionTime.P90)})
	}
	return g
}

// figuresGrid is a section's figures, this period against the one before.
func figuresGrid(p *i18n.Printer, r *Report, d *DeptReport) grid {
	f, pf := d.Figures, d.PrevFigures
	g := grid{header: []string{p.T("report.col.figure"), r.Period.NameIn(p), r.Prev.NameIn(p), p.T("report.col.change")}}
	row := func(key, cur, prev, change string) {
		g.rows = append(g.rows, []string{p.T("report.row." + key), cur, prev, change})
	}
	count := func(key string, c, pc int) { row(key, fmt.Sprint(c), fmt.Sprint(pc), reportCountChange(p, c, pc)) }
	share := func(key string, met, n, pmet, pn int) {
		row(key, shareText(p, met, n), shareText(p, pmet, pn), shareChange(p, met, n, pmet, pn))
	}
	times := func(key string, s, ps Spread) {
		change := ""
		if s.N > 0 && ps.N > 0 {
			change = reportDurationChange(p, s.Median, ps.Median)
		}
		row(key+"_median", spanText(p, s.N, s.Median), spanText(p, ps.N, ps.Median), change)
		row(key+"_p90", spanText(p, s.N, s.P90), spanText(p, ps.N, ps.P90), "")
	}
	count("new", f.New, pf.New)
	if f.Received+pf.Received+f.PassedOn+pf.PassedOn > 0 {
		count("received", f.Received, pf.Received)
		count("passed_on", f.PassedOn, pf.PassedOn)
	}
	count("resolved", f.Resolved, pf.Resolved)
	count("open", f.Open, pf.Open)
	count("overdue", f.Overdue, pf.Overdue)
	share("first_response_met", f.FirstResponsesMet, f.FirstResponses, pf.FirstResponsesMet, pf.FirstResponses)
	times("first_response", f.FirstResponseTime, pf.FirstResponseTime)
	share("resolution_met", f.ResolutionsMet, f.Resolved, pf.ResolutionsMet, pf.Resolved)
	times("resolution", f.ResolutionTime, pf.ResolutionTime)
	share("right_first_time", f.RightFirstTime, f.Resolved, pf.RightFirstTime, pf.Resolved)
	row("reopened", reopenText(p, d.Reopened, f.Resolved), reopenText(p, d.PrevReopened, pf.Resolved), shareChange(p, d.Reopened, f.Resolved, d.PrevReopened, pf.Resolved))
	row("satisfaction", scoresText(p, d.CSAT, "report.scores.ratings", p.T("report.no_ratings_yet")),
		scoresText(p, d.PrevCSAT, "report.scores.ratings", p.T("report.no_ratings")), averageChange(p, d.CSAT, d.PrevCSAT))
	row("ratings", distText(d.CSAT), distText(d.PrevCSAT), "")
	survey := p.T("report.no_survey_yet")
	if len(d.SurveyQuarters) > 0 {
		qs := make([]string, len(d.SurveyQuarters))
		for i, q := range d.SurveyQuarters {
			qs[i] = quarterName(p, q)
		}
		survey = p.T("report.no_survey_yet_for", "Quarters", strings.Join(qs, p.T("report.list_sep")))
	}
	row("survey", scoresText(p, d.Survey, "report.scores.answers", survey),
		scoresText(p, d.PrevSurvey, "report.scores.answers", p.T("report.no_survey")), averageChange(p, d.Survey, d.PrevSurvey))
	if d.SelfServed+d.PrevSelfServed > 0 {
		count("self_served", d.SelfServed, d.PrevSelfServed)
	}
	return g
}

func byDeptGrid(p *i18n.Printer, r *Report) grid {
	g := grid{header: cols(p, "department", "new", "resolved", "open", "overdue", "first_response_met", "resolution_met", "right_first_time", "reopened", "satisfaction")}
	for _, d := range r.Depts {
		f := d.Figures
		g.rows = append(g.rows, []string{plainLabelIn(p, d.Dept), fmt.Sprint(f.New), fmt.Sprint(f.Resolved), fmt.Sprint(f.Open), fmt.Sprint(f.Overdue),
			shareText(p, f.FirstResponsesMet, f.FirstResponses), shareText(p, f.ResolutionsMet, f.Resolved),
			shareText(p, f.RightFirstTime, f.Resolved), fmt.Sprint(d.Reopened), scoresText(p, d.CSAT, "report.scores.ratings", "–")})
	}
	return g
}

// shareText is "92% (101 of 110)", or "–" when nothing was due.
func shareText(p *i18n.Printer, met, n int) string {
	if n == 0 {
		return "–"
	}
	return p.Share(met, n)
}

func shareChange(p *i18n.Printer, met, n, pmet, pn int) string {
	if n == 0 || pn == 0 {
		return ""
	}
	cur, prev := float64(met)*100/float64(n), float64(pmet)*100/float64(pn)
	if math.Round(cur-prev) == 0 {
		return p.T("report.change_same")
	}
	return p.T("report.change_points", "Arrow", arrow(cur-prev))
}

// reportCountChange is a count's change on the period before, in percent:
// "▲25%".
func reportCountChange(p *i18n.Printer, cur, prev int) string {
	switch {
	case cur == prev:
		return p.T("report.change_same")
	case prev == 0:
		return p.T("report.change_from_zero")
	}
	return arrow(float64(cur-prev)*100/float64(prev)) + "%"
}

// reportDurationChange is a time's change on the period before, in percent.
func reportDurationChange(p *i18n.Printer, cur, prev time.Duration) string {
	switch {
	case cur == prev:
		return p.T("report.change_same")
	case prev == 0:
		return p.T("report.change_from_zero")
	}
	return arrow(float64(cur-prev)*100/float64(prev)) + "%"
}

func spanText(p *i18n.Printer, n int, d time.Duration) string {
	if n == 0 {
		return "–"
	}
	return p.Span(d)
}

func reopenText(p *i18n.Printer, n, resolved int) string {
	if resolved == 0 {
		return fmt.Sprint(n)
	}
	return p.T("report.reopened", "N", n, "Pct", pct(n, resolved))
}

// scoresText is "4.3 / 5 from 80 ratings (72% of 111 asked)" (key: the
// plural message of ratings or answers), or none.
func scoresText(p *i18n.Printer, s Scores, key, none string) string {
	if s.Answered == 0 {
		if s.Asked > 0 {
			asked := "report.none_asked"
			if key == "report.scores.answers" {
				asked = "report.survey_none_asked" // people asked, not requests
			}
			return p.T(asked, "None", none, "Asked", s.Asked)
		}
		return none
	}
	avg, _ := s.Average()
	return p.N(key, s.Answered, "Avg", fmt.Sprintf("%.1f", avg), "Share", pctOr(s.Answered, s.Asked), "Asked", s.Asked)
}

// distText is the answers by score, 1 to 5: "0 · 1 · 2 · 10 · 12".
func distText(s Scores) string {
	if s.Answered == 0 {
		return "–"
	}
	parts := make([]string, len(s.Dist))
	for i, n := range s.Dist {
		parts[i] = fmt.Sprint(n)
	}
	return strings.Join(parts, " · ")
}

// averageChange is an average score's change: "▲0.3", "=".
func averageChange(p *i18n.Printer, s, prev Scores) string {
	a, ok1 := s.Average()
	b, ok2 := prev.Average()
	switch {
	case !ok1 || !ok2:
		return ""
	case math.Round((a-b)*10) == 0:
		return p.T("report.change_same")
	case a > b:
		return fmt.Sprintf("▲%.1f", a-b)
	}
	return fmt.Sprintf("▼%.1f", b-a)
}

// peopleText names the best-serving people and states the rule.
func peopleText(p *i18n.Printer, ps []PersonFigures, dir *bot.Directory, minResolved int) string {
	rule := personRule(p, minResolved)
	if len(ps) == 0 {
		return p.T("report.nobody_qualifies", "Rule", rule)
	}
	parts := make([]string, len(ps))
	for i, pe := range ps {
		parts[i] = "@" + dir.Name(pe.User) + " " + personFactsIn(p, pe)
	}
	return p.T("report.ranked", "List", strings.Join(parts, " · "), "Rule", rule)
}

// deptsText names the best-serving departments and states the rule.
func deptsText(p *i18n.Printer, ds []*DeptReport, minResolved int) string {
	rule := deptRule(p, minResolved)
	if len(ds) == 0 {
		return p.T("report.none_qualifies", "Rule", rule)
	}
	parts := make([]string, len(ds))
	for i, d := range ds {
		f := d.Figures
		parts[i] = p.T("report.dept_facts", "Dept", plainLabelIn(p, d.Dept),
			"Pct", pct(f.FirstResponsesMet+f.ResolutionsMet, f.FirstResponses+f.Resolved), "N", f.FirstResponses+f.Resolved,
			"RFT", pctOr(f.RightFirstTime, f.Resolved))
		if avg, ok := d.CSAT.Average(); ok {
			parts[i] += p.T("report.dept_rated", "Avg", fmt.Sprintf("%.1f", avg))
		}
	}
	return p.T("report.ranked", "List", strings.Join(parts, " · "), "Rule", rule)
}

// personRule and deptRule say who a report recognises, in p's language.
func personRule(p *i18n.Printer, minResolved int) string {
	return recognitionRuleIn(p, minResolved, p.T("report.in_period"))
}

func deptRule(p *i18n.Printer, minResolved int) string {
	return p.T("report.rule_depts", "Min", minResolved, "In", p.T("report.in_period"), "Pct", RecognitionMinInTimePct)
}

// qualityGrid sets the department's quality target against the period's
// figures; a department without a target shows the figures alone.
func qualityGrid(p *i18n.Printer, d *DeptReport) grid {
	q := d.standard().Quality
	g := grid{header: cols(p, "quality", "target", "achieved")}
	f := d.Figures
	rft, sat := p.T("report.none_published"), p.T("report.none_published")
	if q.RightFirstTime > 0 {
		rft = bot.PercentText(q.RightFirstTime)
	}
	if q.Satisfaction > 0 {
		sat = strconv.FormatFloat(q.Satisfaction, 'f', -1, 64)
	}
	avg, _ := d.CSAT.Average()
	g.rows = append(g.rows,
		[]string{p.T("report.row.right_first_time"), rft, achievedText(p, bot.RightFirstTimeTextIn(p, f.RightFirstTime, f.Resolved, 0),
			bot.RightFirstTimeVerdict(f.RightFirstTime, f.Resolved, q.RightFirstTime), rft)},
		[]string{p.T("report.row.satisfaction"), sat, achievedText(p, bot.SatisfactionTextIn(p, avg, d.CSAT.Answered, 0),
			bot.SatisfactionVerdict(avg, d.CSAT.Answered, q.Satisfaction), sat)})
	return g
}

// achievedText is the quality grid's achieved cell: the figure and how it
// stands against the target in the column beside it ("100% (1 of 1),
// meets the 90% target"; Chinese says only 达标, the target being beside).
func achievedText(p *i18n.Printer, figure string, v bot.QualityVerdict, target string) string {
	switch v {
	case bot.QualityNotYet:
		return p.T("report.achieved.not_yet", "Figure", figure, "Target", target)
	case bot.QualityMeets:
		return p.T("report.achieved.meets", "Figure", figure, "Target", target)
	case bot.QualityBelow:
		return p.T("report.achieved.below", "Figure", figure, "Target", target)
	}
	return figure
}

// idle reports whether nothing at all happened in either period.
// standard is the department on the standard the section's targets are
// of: the one in force at the period's end, or the department as it is.
func (d *DeptReport) standard() *bot.Department {
	if d.Standard != nil {
		return d.Standard
	}
	return d.Dept
}

func (d *DeptReport) idle() bool {
	return d.Figures == (Figures{}) && d.PrevFigures == (Figures{}) && d.Reopened+d.PrevReopened == 0 &&
		d.CSAT.Asked+d.PrevCSAT.Asked+d.Survey.Asked+d.PrevSurvey.Asked == 0
}

// hasTransfers says whether any department received or passed on a
// request in either period.
func (r *Report) hasTransfers() bool {
	for _, d := range r.Depts {
		if d.Figures.Received+d.Figures.PassedOn+d.PrevFigures.Received+d.PrevFigures.PassedOn > 0 {
			return true
		}
	}
	return false
}
