package report

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// Reports is what digests and reports need from storage; store.DB
// implements it.
type Reports interface {
	// RequestsActiveDuring returns, once each and in no order, the
	// requests of the named departments that were active at some instant
	// of [from, to) by their current record: created before to, and not
	// resolved, closed or cancelled before from. That is every request a
	// week's figures can count: created, first answered or resolved in the
	// week, or open at its start or end. Besides, it returns the requests
	// any of depts transferred away at or after from and that were created
	// before to, wherever they are now: that department's part counts for
	// it (bot.Parts). Text is not loaded.
	RequestsActiveDuring(ctx context.Context, depts []string, from, to time.Time) ([]*bot.Request, error)

	// Events returns a request's history in order, or ENOTFOUND. Digests
	// read it only for requests reopened after an instant they look at,
	// whose current record no longer says they were resolved then, and for
	// transferred ones, to split them into each department's part.
	Events(ctx context.Context, id string) ([]bot.Event, error)
}

// RatingReports is the hook for satisfaction: when the Reports given to a
// digest also implement it (the store does), the digest shows the week's
// ratings; otherwise it says "no ratings yet".
type RatingReports interface {
	// Satisfaction returns the ratings given in [from, to) to requests of
	// the named departments, or nil when none were asked for.
	Satisfaction(ctx context.Context, depts []string, from, to time.Time) (*Satisfaction, error)
}

// Satisfaction is a week's ratings: their average and how many of the
// requesters asked answered.
type Satisfaction struct {
	Average        float64 // 1–5
	Ratings, Asked int
}

// Recognition rewards good service, not volume: it needs some volume, so
// that one lucky request doesn't win, and then ranks by quality (see
// rankPeople).
const (
	// RecognitionMinResolved is the fewest resolutions in the week that
	// make a person or a department eligible for recognition.
	RecognitionMinResolved = 5
	// RecognitionMinInTimePct is the least share resolved in time, in
	// percent, that anyone recognised has: a fast worker who is mostly
	// late is not named, however much they closed.
	RecognitionMinInTimePct = 80
	// recognisedPeople is how many people a department's digest names.
	recognisedPeople = 3
	// worstShown is how many open breaches a digest lists.
	worstShown = 5
)

// Figures are one week's service, for a department or the whole company.
// Times are business time in the owning department's calendar.
type Figures struct {
	New int // filed with the department in the week
	// Received counts the requests transferred to the department in the
	// week, PassedOn those it transferred away: a department is measured
	// only on the part it held (docs/sla.md, "Transfers"), so a request it
	// passed on counts in its first responses, never in its resolutions.
	Received, PassedOn int
	Resolved           int // whose latest resolution falls in the week
	Open               int // active at the week's end
	Overdue            int // of those, past a first-response or resolution target
	// FirstResponses counts the first-response clocks decided in the week:
	// answered in time (at the answer), or missed (at the deadline,
	// whether answered late or not at all). Each counts in one week only.
	FirstResponses, FirstResponsesMet int
	ResolutionsMet                    int // of Resolved, in time
	// RightFirstTime counts, of Resolved, those closed without a reopen
	// and not rated 1 or 2 (bot.RightFirstTimeRule).
	RightFirstTime int
	// FirstResponseTime is over the first responses given in the week,
	// ResolutionTime over the week's resolutions.
	FirstResponseTime, ResolutionTime Spread
}

// FirstResponsePct returns the share of first responses met, in percent;
// ok is false when none were decided.
func (f Figures) FirstResponsePct() (pct float64, ok bool) {
	return percent(f.FirstResponsesMet, f.FirstResponses)
}

// ResolutionPct returns the share of resolutions met, in percent; ok is
// false when nothing was resolved.
func (f Figures) ResolutionPct() (pct float64, ok bool) { return percent(f.ResolutionsMet, f.Resolved) }

// RightFirstTimePct returns the share of resolutions right first time, in
// percent; ok is false when nothing was resolved.
func (f Figures) RightFirstTimePct() (pct float64, ok bool) {
	return percent(f.RightFirstTime, f.Resolved)
}

// AttainmentPct returns the share of all SLA clocks decided in the week
// (first responses and resolutions) that were met.
func (f Figures) AttainmentPct() (pct float64, ok bool) {
	return percent(f.FirstResponsesMet+f.ResolutionsMet, f.FirstResponses+f.Resolved)
}

func percent(n, of int) (float64, bool) {
	if of == 0 {
		return 0, false
	}
	return float64(n) * 100 / float64(of), true
}

// Spread summarises a sample of durations. Percentiles are nearest-rank:
// the smallest value with at least p% of the sample at or below it, so
// each is a time some request really took.
type Spread struct {
	N           int
	Median, P90 time.Duration
}

func spreadOf(xs []time.Duration) Spread {
	if len(xs) == 0 {
		return Spread{}
	}
	rank := func(p int) int { return max((p*len(xs)+99)/100, 1) - 1 }
	// The two ranks are picked, not the whole sample sorted: a quarter's
	// times are hundreds of thousands.
	m, p90 := rank(50), rank(90)
	selectNth(xs, m)
	selectNth(xs[m:], p90-m)
	return Spread{N: len(xs), Median: xs[m], P90: xs[p90]}
}

// selectNth reorders xs so that xs[k] is the value a sort would put there,
// with nothing greater before it and nothing smaller after it.
func selectNth(xs []time.Duration, k int) {
	for len(xs) > 32 {
		// Median of three as the pivot, then three ways: below, equal,
		// above.
		a, b, c := xs[0], xs[len(xs)/2], xs[len(xs)-1]
		pivot := max(min(a, b), min(max(a, b), c))
		lt, i, gt := 0, 0, len(xs)
		for i < gt {
			switch {
			case xs[i] < pivot:
				xs[lt], xs[i] = xs[i], xs[lt]
				lt++
				i++
			case xs[i] > pivot:
				gt--
				xs[gt], xs[i] = xs[i], xs[gt]
			default:
				i++
			}
		}
		switch {
		case k < lt:
			xs = xs[:lt]
		case k >= gt:
			xs, k = xs[gt:], k-gt
		default:
			return
		}
	}
	slices.Sort(xs)
}

// Breach is an open request past a target at the week's end.
type Breach struct {
	ID, Title, Dept string
	// Private is set for a private request, whose title a digest does not
	// show: Title is then PrivateTitle of Type, its type's display name,
	// and a digest in another language says that in its own (TitleIn).
	Private bool
	Type    string
	Clock   string        // "first response" or "resolution"
	Overdue time.Duration // business time past the target
}

// TitleIn is what a digest in p's language (nil: English) calls the
// request: its title, or for a private one its type (PrivateTitleIn).
func (b Breach) TitleIn(p *i18n.Printer) string {
	if b.Private {
		return bot.PrivateTitleIn(p, b.Type)
	}
	return b.Title
}

// PersonFigures is what one person resolved in the week, as the assignee.
type PersonFigures struct {
	User          string
	Resolved, Met int
	// RightFirstTime counts, of Resolved, those right first time.
	RightFirstTime int
}

// DeptFigures is one department's week in the org-wide digest.
type DeptFigures struct {
	Dept    *bot.Department
	Figures Figures
}

// Digest is one week of service for a department or, with Dept nil, for
// the whole company.
type Digest struct {
	Week     string    // "2026-W47"
	From, To time.Time // Monday 00:00 to the next Monday 00:00, in Zone
	Zone     *time.Location
	Dept     *bot.Department // nil for the org-wide digest
	// At is when Open and Overdue are counted: To, or the time of
	// computing for a week not over yet.
	At       time.Time
	Figures  Figures
	PrevWeek string  // the week before, for week-over-week change
	Prev     Figures // its figures, counted the same way
	// Worst are the open requests furthest past a target at At, worst
	// first, at most five.
	Worst []Breach
	// Satisfaction is nil until ratings exist (see RatingReports).
	Satisfaction *Satisfaction
	// People (department digests) are who served best: at least
	// RecognitionMinResolved resolutions as the assignee and at least
	// RecognitionMinInTimePct of them in time, ranked by the mean of the
	// share in time and the share right first time, then by resolutions.
	People []PersonFigures
	// Departments (org-wide) are each department's week, in config order;
	// Best is the best-serving one, nil when none qualifies: among those
	// with at least RecognitionMinResolved resolutions and at least
	// RecognitionMinInTimePct of their SLA clocks met, the highest mean of
	// that share and the share right first time, then the most resolved.
	Departments []DeptFigures
	Best        *DeptFigures
	// SelfServed counts the questions earlier answers settled in the week
	// without a request (see SelfServedReports).
	SelfServed int
}

// span is one week as figures count it.
type span struct {
	week     ISOWeek
	from, to time.Time
	at       time.Time // open and overdue are counted here
}

func weekSpan(w ISOWeek, loc *time.Location, now time.Time) span {
	from, to := w.Range(loc)
	return span{week: w, from: from, to: to, at: minTime(to, now)}
}

// holds reports whether t falls in the week, up to at: a week not over
// counts what happened so far.
func (s span) holds(t time.Time) bool { return !t.IsZero() && !t.Before(s.from) && t.Before(s.at) }

// ComputeDigest computes week's digest for dept, in dept's time zone, or
// for the whole company in orgZone when dept is nil (UTC when orgZone is
// nil). Figures are counted from each request's current record as of now;
// docs/digests.md ("The rules") has the rules. It returns EINVALID for a
// week that has not begun, or the store's error.
func ComputeDigest(ctx context.Context, reports Reports, dir *bot.Directory, dept *bot.Department, week ISOWeek, orgZone *time.Location, now time.Time) (*Digest, error) {
	if dept != nil {
		ds, err := computeDigests(ctx, reports, dir, []*bot.Department{dept}, false, week, orgZone, now)
		if err != nil {
			return nil, err
		}
		return ds[0], nil
	}
	ds, err := computeDigests(ctx, reports, dir, nil, true, week, orgZone, now)
	if err != nil {
		return nil, err
	}
	return ds[0], nil
}

// ComputeDigests computes week's digest for every department, each in its
// own zone, then the org-wide one in orgZone, last; one read of the store
// serves them all.
func ComputeDigests(ctx context.Context, reports Reports, dir *bot.Directory, week ISOWeek, orgZone *time.Location, now time.Time) ([]*Digest, error) {
	return computeDigests(ctx, reports, dir, dir.Departments, true, week, orgZone, now)
}

func computeDigests(ctx context.Context, reports Reports, dir *bot.Directory, depts []*bot.Department, org bool, week ISOWeek, orgZone *time.Location, now time.Time) ([]*Digest, error) {
	if orgZone == nil {
		orgZone = time.UTC
	}
	type job struct {
		dept      *bot.Department
		zone      *time.Location
		cur, prev span
	}
	var jobs []job
	for _, dep := range depts {
		loc := dep.Calendar.Location
		jobs = append(jobs, job{dep, loc, weekSpan(week, loc, now), weekSpan(week.Add(-1), loc, now)})
	}
	load := depts
	if org {
		jobs = append(jobs, job{nil, orgZone, weekSpan(week, orgZone, now), weekSpan(week.Add(-1), orgZone, now)})
		load = dir.Departments
	}
	var spans []span
	begun := false
	for _, j := range jobs {
		spans = append(spans, j.cur, j.prev)
		begun = begun || !now.Before(j.cur.from)
	}
	if !begun {
		return nil, bot.E(bot.EINVALID, "report.err.not_begun", "Period", bot.S("fmt.week", "Year", week.Year, "Week", week.Week))
	}
	// Each department's open requests are counted at the ends of its own
	// weeks and of the company's.
	openAt := map[string][]time.Time{}
	for _, j := range jobs {
		covers := []*bot.Department{j.dept}
		if j.dept == nil {
			covers = dir.Departments
		}
		for _, dep := range covers {
			openAt[dep.Name] = append(openAt[dep.Name], j.cur.at, j.prev.at)
		}
	}
	data, err := loadDigestDataAt(ctx, reports, dir, load, spans, true, openAt, now)
	if err != nil {
		return nil, err
	}
	// Each digest is counted (and its self-served and rating figures
	// read) on a goroutine per core; the data is only read meanwhile.
	out := make([]*Digest, len(jobs))
	errs := make([]error, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = countDigest(ctx, reports, dir, data, jobs[i].dept, jobs[i].zone, jobs[i].cur, jobs[i].prev)
			}
		})
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// countDigest counts the digest of dept (the company's when nil) for
// the week cur in zone, compared with prev, from data.
func countDigest(ctx context.Context, reports Reports, dir *bot.Directory, data *digestData, dept *bot.Department, zone *time.Location, cur, prev span) (*Digest, error) {
	d := &Digest{Week: cur.week.String(), From: cur.from, To: cur.to, Zone: zone, Dept: dept,
		At: cur.at, PrevWeek: prev.week.String()}
	scope := []*bot.Department{dept}
	if dept == nil {
		scope = dir.Departments
	}
	var all, before tally
	for _, dep := range scope {
		ts := data.count(dep, []span{cur, prev}, true)
		all.merge(ts[0])
		before.merge(ts[1])
		if dept == nil {
			d.Departments = append(d.Departments, DeptFigures{Dept: dep, Figures: ts[0].figures()})
		}
	}
	d.Figures, d.Prev, d.Worst = all.figures(), before.figures(), all.worst
	if dept != nil {
		d.People = rankPeople(all.people, RecognitionMinResolved, recognisedPeople)
	} else {
		d.Best = bestDepartment(d.Departments)
	}
	var err error
	if d.SelfServed, err = selfServed(ctx, reports, scope, d.From, d.To); err != nil {
		return nil, err
	}
	if rr, ok := reports.(RatingReports); ok {
		if d.Satisfaction, err = rr.Satisfaction(ctx, names(scope), d.From, d.To); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// WeekFigures is one week of a trend.
type WeekFigures struct {
	Week string
	Figures
	// RightFirstTimeTarget is the department's published right-first-time
	// target in percent, for the chart to draw beside the figure; 0 when
	// it publishes none, and for the whole company.
	RightFirstTimeTarget float64
}

// Trend returns the figures of the n weeks ending with last, oldest first,
// for dept (or the whole company in orgZone when dept is nil), for the
// digest's chart. Open and Overdue are not counted.
func Trend(ctx context.Context, reports Reports, dir *bot.Directory, dept *bot.Department, last ISOWeek, n int, orgZone *time.Location, now time.Time) ([]WeekFigures, error) {
	scope, loc := dir.Departments, orgZone
	if dept != nil {
		scope, loc = []*bot.Department{dept}, dept.Calendar.Location
	}
	if loc == nil {
		loc = time.UTC
	}
	spans := make([]span, n)
	for i := range spans {
		spans[i] = weekSpan(last.Add(i-n+1), loc, now)
	}
	data, err := loadDigestData(ctx, reports, dir, scope, spans, false, now)
	if err != nil {
		return nil, err
	}
	all := make([]tally, n)
	for _, dep := range scope {
		for i, t := range data.count(dep, spans, false) {
			all[i].merge(t)
		}
	}
	out := make([]WeekFigures, n)
	for i, s := range spans {
		out[i] = WeekFigures{Week: s.week.String(), Figures: all[i].figures()}
		if dept != nil {
			out[i].RightFirstTimeTarget = dept.Quality.RightFirstTime
		}
	}
	return out, nil
}

func names(deps []*bot.Department) []string {
	out := make([]string, len(deps))
	for i, d := range deps {
		out[i] = d.Name
	}
	return out
}

// bestDepartment picks the best-serving department (see Digest.Best).
func bestDepartment(ds []DeptFigures) *DeptFigures {
	var best *DeptFigures
	var top float64
	for i := range ds {
		d := &ds[i]
		score, ok := deptScore(d.Figures, RecognitionMinResolved)
		if !ok {
			continue
		}
		if best == nil || score > top || (score == top && d.Figures.Resolved > best.Figures.Resolved) {
			best, top = d, score
		}
	}
	return best
}
