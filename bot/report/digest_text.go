package report

import (
	"github.com/askdesk/askdesk/bot"

	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Text renders the digest in the desk's text (bot/richtext.go), which the
// Slack adapter and the terminal each render. Request titles are escaped;
// people are mentioned.
func (d *Digest) Text() string {
	var b strings.Builder
	who := "all departments"
	if d.Dept != nil {
		who = deptLabel(d.Dept)
	}
	from, sunday := d.From.In(d.Zone), d.To.In(d.Zone).AddDate(0, 0, -1)
	fmt.Fprintf(&b, "*Weekly digest · %s · %s*\n", who, d.Week)
	fmt.Fprintf(&b, "_%s – %s (%s), compared with %s_\n", from.Format("Mon 2 Jan"), sunday.Format("Mon 2 Jan 2006"), d.Zone, d.PrevWeek)
	if d.At.Before(d.To) {
		fmt.Fprintf(&b, "_The week is not over: figures so far, open and overdue as of %s._\n", d.At.In(d.Zone).Format("Mon 15:04"))
	}
	f, p := d.Figures, d.Prev
	if f == (Figures{}) {
		b.WriteString("No requests were filed, answered, resolved or open this week.\n")
		if p != (Figures{}) {
			fmt.Fprintf(&b, "Last week: %d new, %d resolved.\n", p.New, p.Resolved)
		}
		return strings.TrimRight(b.String(), "\n")
	}
	fmt.Fprintf(&b, "• *Volume*: %d new (%s) · %d resolved (%s) · %d open at the week's end (%s) · %d overdue (%s)\n",
		f.New, countChange(f.New, p.New), f.Resolved, countChange(f.Resolved, p.Resolved),
		f.Open, countChange(f.Open, p.Open), f.Overdue, countChange(f.Overdue, p.Overdue))
	if f.Received+f.PassedOn > 0 {
		fmt.Fprintf(&b, "• *Transfers*: %d received, %d passed on; each department counts only the time it held a request\n", f.Received, f.PassedOn)
	}
	fmt.Fprintf(&b, "• *First response*: %s\n", slaLine(f.FirstResponsesMet, f.FirstResponses, p.FirstResponsesMet, p.FirstResponses,
		f.FirstResponseTime, p.FirstResponseTime, "no first response was due or given"))
	fmt.Fprintf(&b, "• *Resolution*: %s\n", slaLine(f.ResolutionsMet, f.Resolved, p.ResolutionsMet, p.Resolved,
		f.ResolutionTime, p.ResolutionTime, "nothing was resolved"))
	var quality bot.QualityTarget
	if d.Dept != nil {
		quality = d.Dept.Quality
	}
	fmt.Fprintf(&b, "• *Right first time*: %s _(%s)_\n", rightFirstTimeLine(f, p, quality.RightFirstTime), bot.RightFirstTimeRule)
	if len(d.Worst) == 0 {
		b.WriteString("• *Worst open breaches*: none\n")
	} else {
		b.WriteString("• *Worst open breaches*:\n")
		for _, w := range d.Worst {
			by := "by " + bot.FormatSpan(w.Overdue)
			if w.Overdue < time.Minute { // due at a day's close, no business time since
				by = "since the last close of business"
			}
			fmt.Fprintf(&b, "   ◦ *%s* %s: %s overdue %s\n", w.ID, bot.Escape(w.Title), w.Clock, by)
		}
	}
	b.WriteString("• *Satisfaction*: " + satisfactionText(d.Satisfaction, quality.Satisfaction) + "\n")
	if d.SelfServed > 0 {
		b.WriteString("• *Self-served*: " + selfServedText(d.SelfServed) + "\n")
	}
	if d.Dept != nil {
		rule := recognitionRule(RecognitionMinResolved, "in the week")
		if len(d.People) == 0 {
			fmt.Fprintf(&b, "• *Served best*: nobody qualifies _(it takes %s)_\n", rule)
		} else {
			parts := make([]string, len(d.People))
			for i, pf := range d.People {
				parts[i] = bot.Mention(pf.User) + " " + personFacts(pf)
			}
			fmt.Fprintf(&b, "• *Served best*: %s _(%s)_\n", strings.Join(parts, " · "), rule)
		}
	} else {
		b.WriteString("• *By department*:\n")
		for _, df := range d.Departments {
			g := df.Figures
			if g == (Figures{}) {
				fmt.Fprintf(&b, "   ◦ %s: no requests\n", deptLabel(df.Dept))
				continue
			}
			rft := pctOr(g.RightFirstTime, g.Resolved)
			if t := df.Dept.Quality.RightFirstTime; t > 0 {
				rft += " (target " + bot.PercentText(t) + ")"
			}
			fmt.Fprintf(&b, "   ◦ %s: %d new, %d resolved, %d open (%d overdue) · first response %s · resolution %s · right first time %s\n",
				deptLabel(df.Dept), g.New, g.Resolved, g.Open, g.Overdue,
				pctOr(g.FirstResponsesMet, g.FirstResponses), pctOr(g.ResolutionsMet, g.Resolved), rft)
		}
		rule := deptRecognitionRule(RecognitionMinResolved, "in the week")
		if d.Best == nil {
			fmt.Fprintf(&b, "• *Best-serving department*: none qualifies _(it takes %s)_\n", rule)
		} else {
			g := d.Best.Figures
			fmt.Fprintf(&b, "• *Best-serving department*: %s, %s of %d SLA targets met, %s right first time _(%s)_\n",
				deptLabel(d.Best.Dept), pct(g.FirstResponsesMet+g.ResolutionsMet, g.FirstResponses+g.Resolved), g.FirstResponses+g.Resolved,
				pctOr(g.RightFirstTime, g.Resolved), rule)
		}
	}
	deps := []*bot.Department{d.Dept}
	for _, df := range d.Departments {
		deps = append(deps, df.Dept)
	}
	b.WriteString("_Times are business time in each department's calendar; p90: nine in ten took at most this long." + calendarTimesNote(deps...) + "_")
	return b.String()
}

func deptLabel(dep *bot.Department) string {
	if dep.DisplayName != "" {
		return bot.Escape(dep.DisplayName)
	}
	return bot.Escape(dep.Name)
}

// slaLine is "83% met (10 of 12) ▲5 pts · median 1h 20m ▼12%, p90 3h".
func slaLine(met, n, pmet, pn int, s, ps Spread, none string) string {
	if n == 0 && s.N == 0 {
		return none
	}
	var parts []string
	if n > 0 {
		change := ""
		if pn > 0 {
			change = ", " + pointsChange(float64(met)*100/float64(n), float64(pmet)*100/float64(pn))
		}
		parts = append(parts, fmt.Sprintf("%s met (%d of %d%s)", pct(met, n), met, n, change))
	}
	if s.N > 0 {
		line := "median " + bot.FormatSpan(s.Median)
		if ps.N > 0 {
			line += " (" + durationChange(s.Median, ps.Median) + ")"
		}
		parts = append(parts, line+", p90 "+bot.FormatSpan(s.P90))
	}
	return strings.Join(parts, " · ")
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

// countChange is a count's change on last week, in percent: "▲25%".
func countChange(cur, prev int) string {
	switch {
	case cur == prev:
		return "="
	case prev == 0:
		return "▲ from 0"
	}
	return arrow(float64(cur-prev)*100/float64(prev)) + "%"
}

// pointsChange is an attainment's change on last week, in points.
func pointsChange(cur, prev float64) string {
	if math.Round(cur-prev) == 0 {
		return "="
	}
	return arrow(cur-prev) + " pts"
}

// durationChange is a time's change on last week, in percent.
func durationChange(cur, prev time.Duration) string {
	switch {
	case cur == prev:
		return "="
	case prev == 0:
		return "▲ from 0"
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
// department's target (0: none).
func satisfactionText(s *Satisfaction, target float64) string {
	if s == nil || s.Ratings == 0 {
		if target > 0 {
			return "no ratings yet, target " + strconv.FormatFloat(target, 'f', -1, 64)
		}
		return "no ratings yet"
	}
	avg := bot.SatisfactionText(s.Average, s.Ratings, 0)
	return fmt.Sprintf("%s (%s of %d asked)", avg, pctOr(s.Ratings, s.Asked), s.Asked) +
		strings.TrimPrefix(bot.SatisfactionText(s.Average, s.Ratings, target), avg)
}

// rightFirstTimeLine is "85% (11 of 13), below the 90% target · ▲5 pts".
func rightFirstTimeLine(f, p Figures, target float64) string {
	s := bot.RightFirstTimeText(f.RightFirstTime, f.Resolved, target)
	if f.Resolved > 0 && p.Resolved > 0 {
		change := pointsChange(float64(f.RightFirstTime)*100/float64(f.Resolved), float64(p.RightFirstTime)*100/float64(p.Resolved))
		if change == "=" {
			change = "the same as"
		} else {
			change += " on"
		}
		s += " · " + change + " last week"
	}
	return s
}

// personFacts is "12 resolved, 92% in time, 83% right first time".
func personFacts(p PersonFigures) string {
	return fmt.Sprintf("%d resolved, %s in time, %s right first time", p.Resolved, pct(p.Met, p.Resolved), pct(p.RightFirstTime, p.Resolved))
}
