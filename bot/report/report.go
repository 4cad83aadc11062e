package report

import (
	"github.com/askdesk/askdesk/bot"

	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"
)

// RatingRows is what reports and the relationship map read satisfaction
// from; store.DB implements it. Without it they show no ratings.
type RatingRows interface {
	// EachRating calls fn with every ratings row (asked or skipped) whose
	// prompt went out in [from, to), oldest first, without holding them
	// all; it stops at fn's first error and returns it.
	EachRating(ctx context.Context, from, to time.Time, fn func(bot.Rating) error) error
}

// SurveyReports is the hook through which reports show the quarterly
// survey: when the Reports given to ComputeReport also implement it, each
// department's section shows the answers about the quarters its period
// covers; otherwise, and when nobody was asked, it says "no survey yet".
// store.DB implements it.
type SurveyReports interface {
	// SurveyResults returns every row of a quarter's survey ("2026-Q3").
	SurveyResults(ctx context.Context, quarter string) ([]bot.SurveyAnswer, error)
}

// Defaults of the report's recognition: volume first, so that one lucky
// request does not win a quarter.
const (
	// ReportMinPersonResolved is the fewest resolutions in the period, as
	// the assignee, that make a person eligible.
	ReportMinPersonResolved = 10
	// ReportMinDeptResolved is the fewest resolutions in the period that
	// make a department eligible.
	ReportMinDeptResolved = 20
	// reportRanked is how many departments and people are named.
	reportRanked = 3
)

// Scores tallies answers on the 1–5 scale: the rating prompts of a period
// (CSAT), or a quarterly survey.
type Scores struct {
	Asked    int    // prompts sent, or people asked (skipped prompts left out)
	Answered int    // of those, with a score standing
	Dist     [5]int // answers by score: Dist[0] is the number of 1s
}

// Average returns the mean score; ok is false when nobody answered.
func (s Scores) Average() (avg float64, ok bool) {
	sum := 0
	for i, n := range s.Dist {
		sum += (i + 1) * n
	}
	if s.Answered == 0 {
		return 0, false
	}
	return float64(sum) / float64(s.Answered), true
}

// ResponsePct returns the share of those asked who answered, in percent.
func (s Scores) ResponsePct() (float64, bool) { return percent(s.Answered, s.Asked) }

func (s *Scores) add(asked bool, score int) {
	if !asked {
		return
	}
	s.Asked++
	if score >= 1 && score <= 5 {
		s.Answered++
		s.Dist[score-1]++
	}
}

func (s *Scores) addRating(r bot.Rating) { s.add(r.Skipped == "", r.Score) }

// ReportOptions say what ComputeReport covers.
type ReportOptions struct {
	Period Period
	// Dept limits the report to one department; nil reports on every
	// department and then the company as a whole.
	Dept    *bot.Department
	OrgZone *time.Location // the company's zone; UTC when nil
	Now     time.Time
	// The recognition thresholds; zero takes ReportMinPersonResolved and
	// ReportMinDeptResolved.
	MinPersonResolved, MinDeptResolved int
}

// Report is a scorecard: each department's service standards against what
// it did in a period, compared with the period before, and who served best.
type Report struct {
	Period, Prev Period
	Depts        []*DeptReport // in config order
	Company      *DeptReport   // the whole company; nil for one department
	// BestDepts are the best-serving departments: at least MinDeptResolved
	// resolutions and at least RecognitionMinInTimePct of SLA targets met
	// (first responses and resolutions together), ranked by the mean of
	// that share and the share right first time, then by average rating,
	// then by volume.
	BestDepts []*DeptReport
	// BestPeople are the best-serving people company-wide: at least
	// MinPersonResolved resolutions as the assignee and at least
	// RecognitionMinInTimePct of them in time, ranked by the mean of the
	// share in time and the share right first time, then by resolutions.
	BestPeople                         []PersonFigures
	MinPersonResolved, MinDeptResolved int
}

// DeptReport is one department's period, or with Dept nil the company's.
// Times are business time in the owning department's calendar.
type DeptReport struct {
	Dept         *bot.Department
	Zone         *time.Location
	From, To, At time.Time // At: when open and overdue are counted
	Figures      Figures
	PrevFigures  Figures
	// Standard is the department on the standard in force at the
	// period's end (its targets, calendar and quality target), and
	// Standards how many were in force during the period (department
	// reports only; bot.Department.StandardDuring).
	Standard  *bot.Department
	Standards int
	// ByPriority sets each priority's targets (the published standard)
	// against what was met (department reports only).
	ByPriority []PriorityFigures
	// Reopened counts requests reopened in the period (by their latest
	// reopening).
	Reopened, PrevReopened int
	CSAT, PrevCSAT         Scores
	// Survey holds the answers about the quarters lying wholly within the
	// period; SurveyQuarters names them.
	Survey, PrevSurvey Scores
	SurveyQuarters     []string
	// People are the department's best-serving people (see Report).
	People []PersonFigures
	// SelfServed counts the questions earlier answers settled without a
	// request (see SelfServedReports).
	SelfServed, PrevSelfServed int
}

// PriorityFigures is one priority's standard and what was met.
type PriorityFigures struct {
	Priority bot.Priority
	Target   bot.Target
	Figures  Figures
}

// reportJob is one section of a report: a scope counted in one zone.
type reportJob struct {
	dr        *DeptReport
	deps      []*bot.Department
	cur, prev span
	people    map[string]*PersonFigures
	acc       [2]*jobTally // the period's and the one before's, while counting
}

// ComputeReport computes the scorecard of opts.Period, reading the store
// once (the requests of both periods, and beside them the ratings) and
// counting as the weekly digest does (docs/reports.md has the rules). It
// returns EINVALID for a period that has not begun, or the store's error.
func ComputeReport(ctx context.Context, reports Reports, dir *bot.Directory, opts ReportOptions) (*Report, error) {
	return readSettled(func() (*Report, error) { return computeReport(ctx, reports, dir, opts) })
}

func computeReport(ctx context.Context, reports Reports, dir *bot.Directory, opts ReportOptions) (*Report, error) {
	org, now := cmp.Or(opts.OrgZone, time.UTC), opts.Now
	rep := &Report{Period: opts.Period, Prev: opts.Period.Prev(),
		MinPersonResolved: cmp.Or(opts.MinPersonResolved, ReportMinPersonResolved),
		MinDeptResolved:   cmp.Or(opts.MinDeptResolved, ReportMinDeptResolved)}
	scope := dir.Departments
	if opts.Dept != nil {
		scope = []*bot.Department{opts.Dept}
	}
	var jobs []*reportJob
	add := func(dep *bot.Department, deps []*bot.Department, loc *time.Location) *DeptReport {
		j := &reportJob{deps: deps, cur: rep.Period.span(loc, now), prev: rep.Prev.span(loc, now)}
		j.dr = &DeptReport{Dept: dep, Zone: loc, From: j.cur.from, To: j.cur.to, At: j.cur.at}
		if dep != nil {
			j.dr.Standard, j.dr.Standards = dep.StandardDuring(j.cur.from, j.cur.to)
		}
		jobs = append(jobs, j)
		return j.dr
	}
	for _, dep := range scope {
		rep.Depts = append(rep.Depts, add(dep, []*bot.Department{dep}, dep.Calendar.Location))
	}
	if opts.Dept == nil {
		rep.Company = add(nil, scope, org)
	}
	var spans, cur []span
	for _, j := range jobs {
		spans, cur = append(spans, j.cur, j.prev), append(cur, j.cur)
	}
	if !begun(now, cur) {
		return nil, notBegun(rep.Period)
	}
	// Ratings are a separate read, counted into fields of their own while
	// the requests load.
	ratings := make(chan error, 1)
	go func() { ratings <- countRatings(ctx, reports, jobs, spans) }()
	if err := countByDept(ctx, reports, dir, scope, jobs, spans, now); err != nil {
		<-ratings
		return nil, fmt.Errorf("report: %w", err)
	}
	if err := <-ratings; err != nil {
		return nil, err
	}
	if err := countSurveys(ctx, reports, jobs, rep.Period, rep.Prev); err != nil {
		return nil, err
	}
	for _, j := range jobs {
		var err error
		if j.dr.SelfServed, err = selfServed(ctx, reports, j.deps, j.cur.from, j.cur.to); err != nil {
			return nil, err
		}
		if j.dr.PrevSelfServed, err = selfServed(ctx, reports, j.deps, j.prev.from, j.prev.to); err != nil {
			return nil, err
		}
	}
	for _, j := range jobs {
		j.dr.People = rankPeople(j.people, rep.MinPersonResolved, reportRanked)
	}
	if rep.Company != nil {
		rep.BestPeople, rep.Company.People = rep.Company.People, nil
		rep.BestDepts = rankDepts(rep.Depts, rep.MinDeptResolved)
	}
	return rep, nil
}

func (j *reportJob) span(prev bool) span {
	if prev {
		return j.prev
	}
	return j.cur
}

// countByDept loads the requests of one department of scope at a time
// and counts them into every job that covers it, so that memory holds one
// department's periods rather than the company's. The low ratings are
// read once for all.
func countByDept(ctx context.Context, reports Reports, dir *bot.Directory, scope []*bot.Department, jobs []*reportJob, spans []span, now time.Time) error {
	ro, seq, cells, err := rollupsFor(ctx, reports, dir, scope, spans, now)
	if err != nil {
		return err
	}
	from, _, _ := spanRange(spans)
	var low map[string]bool
	if !cells {
		if low, err = lowRated(ctx, reports, scope, from); err != nil {
			return err
		}
	}
	for _, dep := range scope {
		var data *digestData
		if cells {
			data, err = loadRollups(ctx, ro, reports, []*bot.Department{dep}, spansOf(jobs, dep), true, true, openInstants(jobs), names(scope), from, now)
		} else {
			data, err = loadDigestDataRated(ctx, reports, dir, []*bot.Department{dep}, spans, true, now, low)
		}
		if err != nil {
			return err
		}
		// A department's section and the company's count on goroutines
		// of their own.
		var wg sync.WaitGroup
		for _, j := range jobs {
			if servedBy(j.deps, dep.Name) {
				wg.Go(func() {
					j.add(data, dep, false)
					j.add(data, dep, true)
				})
			}
		}
		wg.Wait()
	}
	if cells {
		if err := unmoved(ctx, ro, seq); err != nil {
			return err
		}
	}
	// The sections' percentiles are picked on a goroutine per core, each
	// with a scratch slice of its own.
	next := make(chan *reportJob)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			var scratch []time.Duration
			for j := range next {
				j.finish(&scratch)
			}
		})
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	return nil
}

// spansOf are the periods of the sections that cover dep: its own first
// (the one whose priorities are counted), then the company's.
func spansOf(jobs []*reportJob, dep *bot.Department) []span {
	var out []span
	for _, j := range jobs {
		if j.dr.Dept == dep {
			out = append([]span{j.cur, j.prev}, out...)
		} else if servedBy(j.deps, dep.Name) {
			out = append(out, j.cur, j.prev)
		}
	}
	return out
}

// openInstants are the instants each department's open requests are
// counted at: those of the sections that cover it.
func openInstants(jobs []*reportJob) map[string][]time.Time {
	out := map[string][]time.Time{}
	for _, j := range jobs {
		for _, dep := range j.deps {
			out[dep.Name] = append(out[dep.Name], j.cur.at, j.prev.at)
		}
	}
	return out
}

// jobTally is what a job has counted so far in one of its periods.
type jobTally struct {
	all      tally
	reopened int
	byPrio   map[bot.Priority]*tally
}

func (j *reportJob) tally(prev bool) *jobTally {
	i := 0
	if prev {
		i = 1
	}
	if j.acc[i] == nil {
		j.acc[i] = &jobTally{byPrio: map[bot.Priority]*tally{}}
	}
	return j.acc[i]
}

// add tallies dep's part of the job's figures and reopenings in one of its
// periods, and for the period itself its priorities and people.
func (j *reportJob) add(data *digestData, dep *bot.Department, prev bool) {
	s, acc := j.span(prev), j.tally(prev)
	acc.all.merge(data.count(dep, []span{s}, true)[0])
	if r := data.roll; r != nil {
		acc.reopened += r.reopened(data, dep, s)
		if j.dr.Dept != nil && !prev {
			r.byPriority(data, dep, s, acc.byPrio)
		}
		return
	}
	x := data.index[dep.Name]
	for _, f := range data.byDept[dep.Name] {
		// Reopened while this department held it (a transfer also
		// restarts the resolution clock, at HeldFrom).
		if f.reopenedHere() && s.holds(f.r.ResolutionStart) {
			acc.reopened++
		}
		if j.dr.Dept == nil || prev {
			continue
		}
		t := acc.byPrio[f.r.Priority]
		if t == nil {
			t = &tally{people: map[string]*PersonFigures{}}
			acc.byPrio[f.r.Priority] = t
		}
		t.add(x, f, s, false)
	}
}

// finish turns the job's tallies into its section's figures, picking
// percentiles in *scratch (tally.figuresIn).
func (j *reportJob) finish(scratch *[]time.Duration) {
	prev := j.tally(true)
	j.dr.PrevFigures, j.dr.PrevReopened = prev.all.figuresIn(scratch), prev.reopened
	cur := j.tally(false)
	j.dr.Figures, j.dr.Reopened, j.people = cur.all.figuresIn(scratch), cur.reopened, cur.all.people
	if dep := j.dr.Standard; dep != nil {
		for _, p := range bot.Priorities {
			pf := PriorityFigures{Priority: p, Target: dep.Target(p)}
			if t := cur.byPrio[p]; t != nil {
				pf.Figures = t.figuresIn(scratch)
			}
			j.dr.ByPriority = append(j.dr.ByPriority, pf)
		}
	}
	j.acc = [2]*jobTally{}
}

// countRatings reads the ratings of every job's periods once and counts
// each in the sections whose department served it and whose period holds
// its prompt.
func countRatings(ctx context.Context, reports Reports, jobs []*reportJob, spans []span) error {
	rr, ok := reports.(RatingRows)
	if !ok {
		return nil
	}
	if ro, ok := reports.(Rollups); ok && quarterAligned(spans) {
		return countRatingCells(ctx, ro, reports, rr, jobs, spans)
	}
	from, to := spanBounds(spans)
	err := eachRatingFigure(ctx, reports, rr, from, to, func(r bot.Rating) error {
		for _, j := range jobs {
			if !servedBy(j.deps, r.Dept) {
				continue
			}
			if j.cur.holds(r.AskedAt) {
				j.dr.CSAT.addRating(r)
			} else if j.prev.holds(r.AskedAt) {
				j.dr.PrevCSAT.addRating(r)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("report ratings: %w", err)
	}
	return nil
}

func servedBy(deps []*bot.Department, name string) bool {
	return slices.ContainsFunc(deps, func(d *bot.Department) bool { return d.Name == name })
}

// countSurveys counts the answers about the quarters lying wholly within
// each period, when the store gives survey results (SurveyReports).
func countSurveys(ctx context.Context, reports Reports, jobs []*reportJob, cur, prev Period) error {
	sr, ok := reports.(SurveyReports)
	if !ok {
		return nil
	}
	for i, p := range []Period{cur, prev} {
		for _, q := range p.Quarters() {
			answers, err := sr.SurveyResults(ctx, q.String())
			if err != nil {
				return fmt.Errorf("report survey %s: %w", q, err)
			}
			for _, j := range jobs {
				if i == 0 {
					j.dr.SurveyQuarters = append(j.dr.SurveyQuarters, q.String())
				}
				for _, a := range answers {
					if !servedBy(j.deps, a.Dept) {
						continue
					}
					if i == 0 {
						j.dr.Survey.add(true, a.Score)
					} else {
						j.dr.PrevSurvey.add(true, a.Score)
					}
				}
			}
		}
	}
	return nil
}

// rankDepts returns the best-serving departments (see Report.BestDepts).
func rankDepts(depts []*DeptReport, minResolved int) []*DeptReport {
	type ranked struct {
		d     *DeptReport
		score float64
	}
	var rs []ranked
	for _, d := range depts {
		if score, ok := deptScore(d.Figures, minResolved); ok {
			rs = append(rs, ranked{d, score})
		}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		avgA, _ := a.d.CSAT.Average()
		avgB, _ := b.d.CSAT.Average()
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(avgB, avgA), cmp.Compare(b.d.Figures.Resolved, a.d.Figures.Resolved))
	})
	var out []*DeptReport
	for _, r := range rs[:min(len(rs), reportRanked)] {
		out = append(out, r.d)
	}
	return out
}

// shareCmp compares the shares a/n and b/m exactly, an empty share
// counting as none.
func shareCmp(a, n, b, m int) int {
	return cmp.Compare(a*max(m, 1), b*max(n, 1))
}
