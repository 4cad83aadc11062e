package report

import (
	"github.com/askdesk/askdesk/bot"

	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/text/width"
)

// ReportFormats are the formats WriteReport writes.
var ReportFormats = []string{"table", "markdown", "csv", "json"}

// WriteReport writes the report in format: "table" (aligned text for a
// terminal), "markdown" (headings and tables that paste into docs), "csv"
// (one row per department and priority, for spreadsheets) or "json". dir
// names people. It returns EINVALID for another format.
func WriteReport(w io.Writer, r *Report, format string, dir *bot.Directory) error {
	switch format {
	case "table", "":
		return r.writeText(w, dir, false)
	case "markdown":
		return r.writeText(w, dir, true)
	case "csv":
		return r.writeCSV(w)
	case "json":
		return r.writeJSON(w, dir)
	}
	return bot.Errorf(bot.EINVALID, "Unknown format “%s”: use %s.", bot.Escape(format), strings.Join(ReportFormats, ", "))
}

// grid is a table of text that renders aligned for a terminal or as a
// Markdown table.
type grid struct {
	header []string
	rows   [][]string
}

func (g grid) write(w io.Writer, markdown bool) {
	if markdown {
		line := func(cells []string) {
			esc := make([]string, len(cells))
			for i, c := range cells {
				esc[i] = strings.ReplaceAll(c, "|", `\|`)
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(esc, " | "))
		}
		line(g.header)
		line(slices.Repeat([]string{"---"}, len(g.header)))
		for _, r := range g.rows {
			line(r)
		}
		fmt.Fprintln(w)
		return
	}
	var b strings.Builder
	lines := append([][]string{g.header}, g.rows...)
	if g.wide() {
		writeAligned(&b, lines)
	} else {
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, r := range lines {
			fmt.Fprintf(tw, "  %s\n", strings.Join(r, "\t"))
		}
		tw.Flush()
	}
	for line := range strings.Lines(b.String()) { // an empty last cell pads
		fmt.Fprintln(w, strings.TrimRight(line, " \n"))
	}
	fmt.Fprintln(w)
}

// wide reports whether a cell holds a character a terminal draws two
// cells wide (Han, full-width punctuation): text/tabwriter counts runes, so
// such a grid is aligned by writeAligned instead.
func (g grid) wide() bool {
	for _, r := range append([][]string{g.header}, g.rows...) {
		for _, c := range r {
			for _, ru := range c {
				if cellWidth(ru) == 2 {
					return true
				}
			}
		}
	}
	return false
}

// cellWidth is how many terminal cells r takes: 2 for East Asian Wide and
// Fullwidth characters, 1 otherwise (ambiguous ones included, as
// tabwriter and most terminals count them).
func cellWidth(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

func textWidth(s string) int {
	n := 0
	for _, r := range s {
		n += cellWidth(r)
	}
	return n
}

// writeAligned lays lines out as grid.write's tabwriter does (a two-space
// indent, each column but the last padded to its widest cell plus two),
// counting display width rather than runes.
func writeAligned(b *strings.Builder, lines [][]string) {
	var widths []int
	for _, r := range lines {
		for i, c := range r {
			if i == len(r)-1 {
				break // the last cell of a line is not a column
			}
			if i == 0 {
				c = "  " + c
			}
			for len(widths) <= i {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], textWidth(c)+2)
		}
	}
	for _, r := range lines {
		for i, c := range r {
			if i == 0 {
				c = "  " + c
			}
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-textWidth(c)))
			}
		}
		b.WriteString("\n")
	}
}

// writeText writes the report as aligned text or as Markdown: the same
// sections and tables either way.
func (r *Report) writeText(w io.Writer, dir *bot.Directory, markdown bool) error {
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
	heading(1, fmt.Sprintf("Service report · %s · %s, compared with %s", r.Period, r.Period.Dates(), r.Prev))
	var deps []*bot.Department
	for _, d := range r.Depts {
		deps = append(deps, d.Dept)
	}
	para("Times are business time in each department's calendar; p90: nine in ten took at most this long. Shares are rounded down. " +
		"R" + bot.RightFirstTimeRule[1:] + "; satisfaction is the average rating requesters gave, 1 to 5." + calendarTimesNote(deps...))
	if r.hasTransfers() {
		para("Transferred requests: each department counts only the part it held. The one that passed a request on counts its first response (the transfer is one) and not its resolution; the one that received it counts from the transfer.")
	}
	for _, d := range r.Depts {
		heading(2, fmt.Sprintf("%s · %s", plainLabel(d.Dept), d.Zone))
		if note := periodNote(d.To, d.At, d.Zone); note != "" {
			para(note)
		}
		fmt.Fprintln(w, "Service standards against what was met:")
		if markdown {
			fmt.Fprintln(w)
		}
		standardsGrid(d).write(w, markdown)
		if d.Dept.Quality != (bot.QualityTarget{}) || !d.idle() {
			fmt.Fprintln(w, "Quality target against what was achieved:")
			if markdown {
				fmt.Fprintln(w)
			}
			qualityGrid(d).write(w, markdown)
		}
		if d.idle() {
			para("No requests were filed, answered, resolved or open in this period or the one before, and nobody was asked for a rating.")
			continue
		}
		figuresGrid(r, d).write(w, markdown)
		if d.SelfServed > 0 {
			para("Self-served: " + selfServedText(d.SelfServed) + ".")
		}
		para("Served best: " + peopleText(d.People, dir, r.MinPersonResolved))
	}
	if c := r.Company; c != nil {
		heading(2, fmt.Sprintf("All departments · %s", c.Zone))
		figuresGrid(r, c).write(w, markdown)
		byDeptGrid(r).write(w, markdown)
		para("Best-serving departments: " + deptsText(r.BestDepts, r.MinDeptResolved))
		para("Best-serving people: " + peopleText(r.BestPeople, dir, r.MinPersonResolved))
	}
	return nil
}

func plainLabel(dep *bot.Department) string {
	if dep == nil {
		return "All departments"
	}
	if dep.DisplayName != "" {
		return dep.DisplayName
	}
	return dep.Name
}

func standardsGrid(d *DeptReport) grid {
	var cal *bot.Calendar
	if d.Dept != nil {
		cal = d.Dept.Calendar
	}
	g := grid{header: []string{"priority", "first response target", "met", "median", "p90", "resolution target", "met", "median", "p90"}}
	for _, p := range d.ByPriority {
		f := p.Figures
		g.rows = append(g.rows, []string{string(p.Priority),
			bot.TargetWords(p.Target.FirstResponse, cal), shareText(f.FirstResponsesMet, f.FirstResponses),
			spanText(f.FirstResponseTime.N, f.FirstResponseTime.Median), spanText(f.FirstResponseTime.N, f.FirstResponseTime.P90),
			bot.TargetWords(p.Target.Resolution, cal), shareText(f.ResolutionsMet, f.Resolved),
			spanText(f.ResolutionTime.N, f.ResolutionTime.Median), spanText(f.ResolutionTime.N, f.ResolutionTime.P90)})
	}
	return g
}

// figuresGrid is a section's figures, this period against the one before.
func figuresGrid(r *Report, d *DeptReport) grid {
	f, p := d.Figures, d.PrevFigures
	g := grid{header: []string{"figure", r.Period.String(), r.Prev.String(), "change"}}
	row := func(name, cur, prev, change string) { g.rows = append(g.rows, []string{name, cur, prev, change}) }
	count := func(name string, c, pc int) { row(name, fmt.Sprint(c), fmt.Sprint(pc), countChange(c, pc)) }
	share := func(name string, met, n, pmet, pn int) {
		row(name, shareText(met, n), shareText(pmet, pn), shareChange(met, n, pmet, pn))
	}
	times := func(name string, s, ps Spread) {
		change := ""
		if s.N > 0 && ps.N > 0 {
			change = durationChange(s.Median, ps.Median)
		}
		row(name+" median", spanText(s.N, s.Median), spanText(ps.N, ps.Median), change)
		row(name+" p90", spanText(s.N, s.P90), spanText(ps.N, ps.P90), "")
	}
	count("new", f.New, p.New)
	if f.Received+p.Received+f.PassedOn+p.PassedOn > 0 {
		count("received by transfer", f.Received, p.Received)
		count("passed on by transfer", f.PassedOn, p.PassedOn)
	}
	count("resolved", f.Resolved, p.Resolved)
	count("open at the end", f.Open, p.Open)
	count("overdue at the end", f.Overdue, p.Overdue)
	share("first response met", f.FirstResponsesMet, f.FirstResponses, p.FirstResponsesMet, p.FirstResponses)
	times("first response", f.FirstResponseTime, p.FirstResponseTime)
	share("resolution met", f.ResolutionsMet, f.Resolved, p.ResolutionsMet, p.Resolved)
	times("resolution", f.ResolutionTime, p.ResolutionTime)
	share("right first time", f.RightFirstTime, f.Resolved, p.RightFirstTime, p.Resolved)
	row("reopened", reopenText(d.Reopened, f.Resolved), reopenText(d.PrevReopened, p.Resolved), shareChange(d.Reopened, f.Resolved, d.PrevReopened, p.Resolved))
	row("satisfaction", scoresText(d.CSAT, "ratings", "no ratings yet"), scoresText(d.PrevCSAT, "ratings", "no ratings"), averageChange(d.CSAT, d.PrevCSAT))
	row("ratings 1 to 5", distText(d.CSAT), distText(d.PrevCSAT), "")
	survey := "no survey yet"
	if len(d.SurveyQuarters) > 0 {
		survey = "no survey yet for " + strings.Join(d.SurveyQuarters, ", ")
	}
	row("survey", scoresText(d.Survey, "answers", survey), scoresText(d.PrevSurvey, "answers", "no survey"), averageChange(d.Survey, d.PrevSurvey))
	if d.SelfServed+d.PrevSelfServed > 0 {
		count("answered by earlier answers", d.SelfServed, d.PrevSelfServed)
	}
	return g
}

func byDeptGrid(r *Report) grid {
	g := grid{header: []string{"department", "new", "resolved", "open", "overdue", "first response met", "resolution met", "right first time", "reopened", "satisfaction"}}
	for _, d := range r.Depts {
		f := d.Figures
		g.rows = append(g.rows, []string{plainLabel(d.Dept), fmt.Sprint(f.New), fmt.Sprint(f.Resolved), fmt.Sprint(f.Open), fmt.Sprint(f.Overdue),
			shareText(f.FirstResponsesMet, f.FirstResponses), shareText(f.ResolutionsMet, f.Resolved),
			shareText(f.RightFirstTime, f.Resolved), fmt.Sprint(d.Reopened), scoresText(d.CSAT, "ratings", "–")})
	}
	return g
}

// shareText is "92% (101 of 110)", or "–" when nothing was due.
func shareText(met, n int) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprintf("%s (%d of %d)", pct(met, n), met, n)
}

func shareChange(met, n, pmet, pn int) string {
	if n == 0 || pn == 0 {
		return ""
	}
	return pointsChange(float64(met)*100/float64(n), float64(pmet)*100/float64(pn))
}

func spanText(n int, d time.Duration) string {
	if n == 0 {
		return "–"
	}
	return bot.FormatSpan(d)
}

func reopenText(n, resolved int) string {
	if resolved == 0 {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%d (%s of resolutions)", n, pct(n, resolved))
}

// scoresText is "4.3 / 5 from 80 ratings (72% of 111 asked)", or none.
func scoresText(s Scores, what, none string) string {
	if s.Answered == 0 {
		if s.Asked > 0 {
			return fmt.Sprintf("%s (%d asked)", none, s.Asked)
		}
		return none
	}
	if s.Answered == 1 {
		what = strings.TrimSuffix(what, "s")
	}
	avg, _ := s.Average()
	return fmt.Sprintf("%.1f / 5 from %d %s (%s of %d asked)", avg, s.Answered, what, pctOr(s.Answered, s.Asked), s.Asked)
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
func averageChange(s, p Scores) string {
	a, ok1 := s.Average()
	b, ok2 := p.Average()
	switch {
	case !ok1 || !ok2:
		return ""
	case math.Round((a-b)*10) == 0:
		return "="
	case a > b:
		return fmt.Sprintf("▲%.1f", a-b)
	}
	return fmt.Sprintf("▼%.1f", b-a)
}

// peopleText names the best-serving people and states the rule.
func peopleText(ps []PersonFigures, dir *bot.Directory, minResolved int) string {
	rule := personRule(minResolved)
	if len(ps) == 0 {
		return fmt.Sprintf("nobody qualifies (%s)", rule)
	}
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = "@" + dir.Name(p.User) + " " + personFacts(p)
	}
	return fmt.Sprintf("%s (%s)", strings.Join(parts, " · "), rule)
}

// deptsText names the best-serving departments and states the rule.
func deptsText(ds []*DeptReport, minResolved int) string {
	rule := deptRule(minResolved)
	if len(ds) == 0 {
		return fmt.Sprintf("none qualifies (%s)", rule)
	}
	parts := make([]string, len(ds))
	for i, d := range ds {
		f := d.Figures
		parts[i] = fmt.Sprintf("%s %s of %d targets met, %s right first time", plainLabel(d.Dept),
			pct(f.FirstResponsesMet+f.ResolutionsMet, f.FirstResponses+f.Resolved), f.FirstResponses+f.Resolved, pctOr(f.RightFirstTime, f.Resolved))
		if avg, ok := d.CSAT.Average(); ok {
			parts[i] += fmt.Sprintf(", rated %.1f", avg)
		}
	}
	return fmt.Sprintf("%s (%s)", strings.Join(parts, " · "), rule)
}

func personRule(minResolved int) string { return recognitionRule(minResolved, "in the period") }

func deptRule(minResolved int) string {
	return strings.Replace(deptRecognitionRule(minResolved, "in the period"), "then by resolutions", "then by average rating, then by resolutions", 1)
}

// qualityGrid sets the department's quality target against the period's
// figures; a department without a target shows the figures alone.
func qualityGrid(d *DeptReport) grid {
	q := d.Dept.Quality
	g := grid{header: []string{"quality", "target", "achieved"}}
	f := d.Figures
	rft, sat := "none published", "none published"
	if q.RightFirstTime > 0 {
		rft = bot.PercentText(q.RightFirstTime)
	}
	if q.Satisfaction > 0 {
		sat = strconv.FormatFloat(q.Satisfaction, 'f', -1, 64)
	}
	avg, _ := d.CSAT.Average()
	g.rows = append(g.rows,
		[]string{"right first time", rft, bot.RightFirstTimeText(f.RightFirstTime, f.Resolved, q.RightFirstTime)},
		[]string{"satisfaction", sat, bot.SatisfactionText(avg, d.CSAT.Answered, q.Satisfaction)})
	return g
}

// idle reports whether nothing at all happened in either period.
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
