package report

import (
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"

	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// LowRatedReports is the hook through which right first time learns which
// requests were rated 1 or 2: when the Reports given to digests, reports
// and trends also implement it (the store does), a request rated so is not
// right first time; otherwise only reopens count against it.
type LowRatedReports interface {
	// LowRated returns the IDs of the requests of the named departments
	// with a standing rating of 1 or 2 whose prompt went out at or after
	// since (a resolution's prompt follows it, so since is the earliest
	// resolution counted).
	LowRated(ctx context.Context, depts []string, since time.Time) (map[string]bool, error)
}

func lowRated(ctx context.Context, reports Reports, deps []*bot.Department, since time.Time) (map[string]bool, error) {
	lr, ok := reports.(LowRatedReports)
	if !ok || len(deps) == 0 {
		return nil, nil
	}
	return lr.LowRated(ctx, names(deps), since)
}

// rightFirstTime reports whether f's request counts as right first time
// (bot.RightFirstTimeRule): resolved, never reopened, not rated 1 or 2. A
// request reopened and resolved again is not, whatever its last rating.
// Only a reopening while the department held it counts against it: one
// reopened before another department passed it on is not held against
// the department that then resolved it.
func (f *reqFacts) rightFirstTime() bool {
	return f.resolved && !f.reopenedHere() && !f.lowRated
}

// reopenedHere reports whether f's request was reopened while f's
// department held it: its resolution clock restarted after the part began
// (a transfer also restarts it, at HeldFrom).
func (f *reqFacts) reopenedHere() bool {
	return f.r.Reopens > 0 && f.r.ResolutionStart.After(f.r.HeldFrom())
}

// recognitionRuleIn says in p's language who is recognised, for min
// resolutions in the period named by in, already in it ("in the week",
// "本周").
func recognitionRuleIn(p *i18n.Printer, min int, in string) string {
	return p.T("digest.rule_people", "Min", min, "In", in, "Pct", RecognitionMinInTimePct)
}

// rankPeople returns the best-serving people, at most n: those with at
// least minResolved resolutions of which at least RecognitionMinInTimePct
// were in time, ranked by the mean of the share in time and the share
// right first time, then by more resolutions. Volume only qualifies;
// quality ranks.
func rankPeople(people map[string]*PersonFigures, minResolved, n int) []PersonFigures {
	var out []PersonFigures
	for _, p := range people {
		if p.Resolved >= minResolved && p.Met*100 >= RecognitionMinInTimePct*p.Resolved {
			out = append(out, *p)
		}
	}
	slices.SortFunc(out, func(a, b PersonFigures) int {
		// Both shares are over Resolved, so their mean compares as the sum.
		return cmp.Or(shareCmp(b.Met+b.RightFirstTime, b.Resolved, a.Met+a.RightFirstTime, a.Resolved),
			cmp.Compare(b.Resolved, a.Resolved), cmp.Compare(a.User, b.User))
	})
	return out[:min(len(out), n)]
}

// qualityDays is the period /ask depts shows quality over.
const qualityDays = 30

// QualityCommand returns what cmd sets as Desk.Quality: each department's
// right first time and average rating over the last 30 days, counted as
// reports count them.
func QualityCommand(d *bot.Desk) func(ctx context.Context, dir *bot.Directory) (*bot.QualityActuals, error) {
	return func(ctx context.Context, dir *bot.Directory) (*bot.QualityActuals, error) {
		reports, ok := d.Store.(Reports)
		if !ok {
			return nil, bot.Errorf(bot.EINTERNAL, "the store cannot report") //i18n:ok internal: logged, the reader sees err.internal
		}
		now := d.Now()
		today := civil(now)
		return ComputeQuality(ctx, reports, dir, Period{First: today.AddDate(0, 0, 1-qualityDays), Last: today}, now)
	}
}

// ComputeQuality returns each department's quality figures over period,
// read in its own zone: right first time as the scorecard counts it, and
// the average of the ratings asked for in the period.
func ComputeQuality(ctx context.Context, reports Reports, dir *bot.Directory, period Period, now time.Time) (*bot.QualityActuals, error) {
	var en *i18n.Printer // Period is English; /ask depts says Days in its reader's language
	out := &bot.QualityActuals{Period: en.T("report.last_days", "N", period.Days()), Days: period.Days(), ByDept: map[string]bot.QualityFigures{}}
	if len(dir.Departments) == 0 {
		return out, nil
	}
	spans := make([]span, len(dir.Departments))
	for i, dep := range dir.Departments {
		spans[i] = period.span(dep.Calendar.Location, now)
	}
	data, err := loadDigestData(ctx, reports, dir, dir.Departments, spans, false, now)
	if err != nil {
		return nil, fmt.Errorf("quality: %w", err)
	}
	csat := make([]Scores, len(dir.Departments))
	if rr, ok := reports.(RatingRows); ok {
		from, to := spanBounds(spans)
		err := rr.EachRating(ctx, from, to, func(r bot.Rating) error {
			for i, dep := range dir.Departments {
				if dep.Name == r.Dept && spans[i].holds(r.AskedAt) {
					csat[i].addRating(r)
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("quality ratings: %w", err)
		}
	}
	for i, dep := range dir.Departments {
		f := data.count(dep, spans[i:i+1], false)[0].figures()
		avg, _ := csat[i].Average()
		out.ByDept[dep.Name] = bot.QualityFigures{Resolved: f.Resolved, RightFirstTime: f.RightFirstTime,
			Ratings: csat[i].Answered, Average: avg}
	}
	return out, nil
}

// deptRecognitionRuleIn says in p's language which departments are
// recognised; in is already in it.
func deptRecognitionRuleIn(p *i18n.Printer, min int, in string) string {
	return p.T("digest.rule_depts", "Min", min, "In", in, "Pct", RecognitionMinInTimePct)
}

// deptScore is a department's recognition score (deptRecognitionRule):
// whether it qualifies, and the mean of its share of SLA targets met and
// its share right first time, in percent.
func deptScore(f Figures, minResolved int) (float64, bool) {
	met, n := f.FirstResponsesMet+f.ResolutionsMet, f.FirstResponses+f.Resolved
	if f.Resolved < minResolved || met*100 < RecognitionMinInTimePct*n {
		return 0, false
	}
	inTime, _ := percent(met, n)
	rft, _ := f.RightFirstTimePct()
	return (inTime + rft) / 2, true
}
