package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/askdesk/askdesk/bot/i18n"
)

// QualityTarget is the quality a department promises beside its time
// targets: the essay's "90% accuracy". Zero fields publish nothing.
type QualityTarget struct {
	// RightFirstTime is the least share of resolved requests, in percent
	// (1–100), that are right first time (RightFirstTimeRule).
	RightFirstTime float64
	// Satisfaction is the least average rating, 1.0–5.0.
	Satisfaction float64
}

// RightFirstTimeRule says in words what counts as right first time; every
// place that shows the figure states it. It is the English of quality.rule
// (RightFirstTimeRuleIn), kept a constant for the exports' field.
const RightFirstTimeRule = "right first time is the share of resolved requests that were closed without a reopen and not rated 1 or 2" //i18n:ok the export's field, English like its keys; people read RightFirstTimeRuleIn

// ParsePercent reads a share written "90%" or "92.5%", between 1% and
// 100%, and returns it in percent; EINVALID otherwise.
func ParsePercent(s string) (float64, error) {
	num, ok := strings.CutSuffix(strings.TrimSpace(s), "%")
	if !ok {
		return 0, E(EINVALID, "quality.percent_unwritten", "Value", strconv.Quote(s))
	}
	p, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || p < 1 || p > 100 {
		return 0, E(EINVALID, "quality.percent_range", "Value", strconv.Quote(s))
	}
	return p, nil
}

// CheckSatisfaction returns EINVALID unless score is an average rating
// from 1.0 to 5.0.
func CheckSatisfaction(score float64) error {
	if score < 1 || score > 5 {
		return E(EINVALID, "quality.satisfaction_range", "Value", strconv.FormatFloat(score, 'g', -1, 64))
	}
	return nil
}

// PercentText prints a percentage without needless decimals: "90%",
// "92.5%".
func PercentText(p float64) string { return strconv.FormatFloat(p, 'f', -1, 64) + "%" }

// QualityFigures are what a department achieved against its quality
// target in some period.
type QualityFigures struct {
	Resolved       int // requests resolved (by their latest resolution)
	RightFirstTime int // of those, right first time (RightFirstTimeRule)
	Ratings        int // ratings given
	Average        float64
}

// QualityActuals are each department's quality figures over a recent
// period, for /ask depts.
type QualityActuals struct {
	Period string                    // "the last 30 days", in English
	Days   int                       // how many days: /ask depts says the period in its reader's language
	ByDept map[string]QualityFigures // by department name
}

// RightFirstTimeText is "85% (11 of 13), below the 90% target", or
// without a target (target 0) "85% (11 of 13)"; shares are rounded down,
// as every report's are, and compared exactly.
func RightFirstTimeText(n, of int, target float64) string {
	return RightFirstTimeTextIn(nil, n, of, target)
}

// RightFirstTimeTextIn is RightFirstTimeText in p's language (nil:
// English).
func RightFirstTimeTextIn(p *i18n.Printer, n, of int, target float64) string {
	var s string
	if of == 0 {
		s = p.T("quality.nothing_resolved")
	} else {
		s = p.Share(n, of)
	}
	if target == 0 {
		return s
	}
	return p.T(RightFirstTimeVerdict(n, of, target).key(), "Figure", s, "Target", PercentText(target))
}

// QualityVerdict is how a quality figure stands against its target.
type QualityVerdict int

const (
	QualityNoTarget QualityVerdict = iota // no target is set
	QualityNotYet                         // nothing to measure yet
	QualityMeets
	QualityBelow
)

// key is the catalogue's words for a figure with its target ("…, meets
// the 90% target"); QualityNoTarget has none.
func (v QualityVerdict) key() string {
	switch v {
	case QualityNotYet:
		return "quality.target"
	case QualityMeets:
		return "quality.meets"
	}
	return "quality.below"
}

// RightFirstTimeVerdict is how n right first time of of resolved stands
// against target (a percentage; 0: none), compared exactly.
func RightFirstTimeVerdict(n, of int, target float64) QualityVerdict {
	switch {
	case target == 0:
		return QualityNoTarget
	case of == 0:
		return QualityNotYet
	case float64(n)*100 >= target*float64(of):
		return QualityMeets
	}
	return QualityBelow
}

// SatisfactionVerdict is how an average of ratings stands against target
// (0: none), compared as shown, to one decimal.
func SatisfactionVerdict(avg float64, ratings int, target float64) QualityVerdict {
	switch {
	case target == 0:
		return QualityNoTarget
	case ratings == 0:
		return QualityNotYet
	case roundTenth(avg) >= roundTenth(target):
		return QualityMeets
	}
	return QualityBelow
}

// SatisfactionText is "4.3 / 5 from 6 ratings, meets the 4.2 target", or
// without a target (target 0) "4.3 / 5 from 6 ratings". The average is
// compared as shown, to one decimal.
func SatisfactionText(avg float64, ratings int, target float64) string {
	return SatisfactionTextIn(nil, avg, ratings, target)
}

// SatisfactionTextIn is SatisfactionText in p's language (nil: English).
// The text with a target begins with the text without one (the digest
// relies on it).
func SatisfactionTextIn(p *i18n.Printer, avg float64, ratings int, target float64) string {
	var s string
	if ratings == 0 {
		s = p.T("quality.no_ratings")
	} else {
		s = p.N("quality.average", ratings, "Average", fmt.Sprintf("%.1f", avg))
	}
	if target == 0 {
		return s
	}
	return p.T(SatisfactionVerdict(avg, ratings, target).key(), "Figure", s, "Target", strconv.FormatFloat(target, 'f', -1, 64))
}

func roundTenth(x float64) int64 { return int64(x*10 + 0.5) }

// QualityLine is a department's quality in one line for /ask depts:
// "Right first time 85% (11 of 13), below the 90% target · satisfaction …".
func QualityLine(q QualityTarget, f QualityFigures) string { return QualityLineIn(nil, q, f) }

// QualityLineIn is QualityLine in p's language (nil: English).
func QualityLineIn(p *i18n.Printer, q QualityTarget, f QualityFigures) string {
	return p.T("quality.line", "RightFirstTime", RightFirstTimeTextIn(p, f.RightFirstTime, f.Resolved, q.RightFirstTime),
		"Satisfaction", SatisfactionTextIn(p, f.Average, f.Ratings, q.Satisfaction))
}

// RightFirstTimeRuleIn is RightFirstTimeRule in p's language (nil:
// English).
func RightFirstTimeRuleIn(p *i18n.Printer) string { return p.T("quality.rule") }

// qualityActuals calls the Quality hook, if cmd wired one.
func (d *Desk) qualityActuals(ctx context.Context) (*QualityActuals, error) {
	if d.Quality == nil {
		return nil, nil
	}
	return d.Quality(ctx, d.Dir())
}

// qualityDeptLineIn is a department's quality line in /ask depts, in p's
// language (nil: English): its figures against its targets when the
// figures are wired in, else the targets it publishes, if any.
func qualityDeptLineIn(p *i18n.Printer, dep *Department, actuals *QualityActuals) string {
	if actuals != nil {
		period := actuals.Period
		if actuals.Days > 0 {
			period = p.T("report.last_days", "N", actuals.Days)
		}
		return p.T("quality.over", "Period", period, "Line", QualityLineIn(p, dep.Quality, actuals.ByDept[dep.Name]))
	}
	var parts []string
	if q := dep.Quality; q.RightFirstTime > 0 {
		parts = append(parts, p.T("quality.target_right_first_time", "Percent", PercentText(q.RightFirstTime)))
	}
	if q := dep.Quality; q.Satisfaction > 0 {
		parts = append(parts, p.T("quality.target_satisfaction", "Score", strconv.FormatFloat(q.Satisfaction, 'f', -1, 64)))
	}
	if len(parts) == 0 {
		return ""
	}
	return p.T("quality.targets", "Parts", strings.Join(parts, " · "))
}
