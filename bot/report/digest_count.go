package report

import (
	"github.com/askdesk/askdesk/bot"

	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"
)

// digestData is one read of the store, ready to count: each department's
// requests with what they did, computed once for any number of weeks.
type digestData struct {
	now    time.Time
	byDept map[string][]*reqFacts
	index  map[string]*bizIndex
	// roll holds the cells' sums when the figures come from cells
	// (Rollups); byDept then holds only the parts read on their own.
	roll *rollupData
}

// reqFacts is what one request did, as of now.
type reqFacts struct {
	r          *bot.Request
	dep        *bot.Department
	first, res bot.SLAClock
	// The first-response clock's decision: when (zero while undecided or
	// never due: cancelled in time) and whether it was met.
	frDecided time.Time
	frMet     bool
	frTime    time.Duration // to the first response, when given
	resolved  bool          // resolved or closed: ResolvedAt is its latest resolution
	resMet    bool
	resTime   time.Duration
	// received says the part began with a transfer to its department,
	// rather than the filing; r.PassedOnAt says it ended with one away.
	received bool
	// lowRated: a requester rated it 1 or 2 (see LowRatedReports).
	lowRated bool
	// apart: counted on its own rather than in cells (see Rollups).
	apart bool
	// part is the number of the request's part (PartRow.Part), when read
	// from cells' store.
	part int
	// history is kept for requests reopened after an instant a digest
	// looks at, to tell their state then.
	history []bot.Event
}

// indexSpan bounds the dates a department's index covers, so a stray
// ancient record cannot make it huge; instants outside use the calendar.
const indexSpan = 3 * 366 * 24 * time.Hour

// loadDigestData reads every request of deps that the weeks in spans can
// count, and works out what each did. withOpen asks for the open and
// overdue figures, which need the history of requests reopened since.
func loadDigestData(ctx context.Context, reports Reports, dir *bot.Directory, deps []*bot.Department, spans []span, withOpen bool, now time.Time) (*digestData, error) {
	return loadDigestDataAt(ctx, reports, dir, deps, spans, withOpen, nil, now)
}

// loadDigestDataAt is loadDigestData where openAt, unless nil, names for
// each department the only instants its open requests are counted at, so
// that fewer parts are read besides the cells.
func loadDigestDataAt(ctx context.Context, reports Reports, dir *bot.Directory, deps []*bot.Department, spans []span, withOpen bool, openAt map[string][]time.Time, now time.Time) (*digestData, error) {
	return readSettled(func() (*digestData, error) {
		ro, seq, ok, err := rollupsFor(ctx, reports, dir, deps, spans, now)
		if err != nil {
			return nil, err
		}
		if !ok {
			return loadDigestDataByPart(ctx, reports, dir, deps, spans, withOpen, now)
		}
		from, _, _ := spanRange(spans)
		d, err := loadRollups(ctx, ro, reports, deps, spans, withOpen, false, openAt, names(deps), from, now)
		if err != nil {
			return nil, err
		}
		return d, unmoved(ctx, ro, seq)
	})
}

// loadDigestDataByPart is loadDigestData that holds every part counted:
// for those who look at each (the map).
func loadDigestDataByPart(ctx context.Context, reports Reports, dir *bot.Directory, deps []*bot.Department, spans []span, withOpen bool, now time.Time) (*digestData, error) {
	from, _, _ := spanRange(spans)
	low, err := lowRated(ctx, reports, deps, from)
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	return loadDigestDataRated(ctx, reports, dir, deps, spans, withOpen, now, low)
}

// loadDigestDataRated is loadDigestData with the low ratings (lowRated)
// already read, for one who loads departments one at a time.
func loadDigestDataRated(ctx context.Context, reports Reports, dir *bot.Directory, deps []*bot.Department, spans []span, withOpen bool, now time.Time, low map[string]bool) (*digestData, error) {
	from, to, first := spanRange(spans)
	if pr, ok := reports.(PartRows); ok {
		return loadParts(ctx, pr, reports, dir, deps, from, to, first, withOpen, now, low)
	}
	return loadRequests(ctx, reports, deps, from, to, first, withOpen, now, low)
}

// spanRange returns the earliest start, the latest end and the earliest
// instant at which open requests are counted, of spans.
func spanRange(spans []span) (from, to, first time.Time) {
	from, to, first = spans[0].from, spans[0].to, spans[0].at
	for _, s := range spans {
		from, to, first = minTime(from, s.from), maxTime(to, s.to), minTime(first, s.at)
	}
	return from, to, first
}

// loadRequests is loadDigestData from whole requests and their histories,
// for a store that keeps no parts (PartRows): each request's parts and
// clocks are worked out here.
func loadRequests(ctx context.Context, reports Reports, deps []*bot.Department, from, to, first time.Time, withOpen bool, now time.Time, low map[string]bool) (*digestData, error) {
	rs, err := reports.RequestsActiveDuring(ctx, names(deps), from, to)
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	d := &digestData{now: now, byDept: map[string][]*reqFacts{}, index: map[string]*bizIndex{}}
	byName := map[string]*bot.Department{}
	for _, dep := range deps {
		byName[dep.Name] = dep
	}
	histories, err := transferHistories(ctx, reports, rs)
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	for _, r := range rs {
		parts, err := partsOf(r, histories[r.ID])
		if err != nil {
			return nil, fmt.Errorf("digest: %w", err)
		}
		for i, p := range parts {
			if dep := byName[p.Dept]; dep != nil {
				// Judged on the targets of the standard it was filed (or
				// transferred) under; the index keeps today's calendar.
				d.byDept[p.Dept] = append(d.byDept[p.Dept], &reqFacts{r: p, dep: dep.AtRevision(p.StandardRev), received: i > 0, lowRated: low[r.ID]})
			}
		}
	}
	buildIndexes(d, deps, from, to, now)
	// The clock arithmetic is most of the work, and departments are
	// independent: one goroutine each.
	var wg sync.WaitGroup
	for name, fs := range d.byDept {
		x := d.index[name]
		wg.Go(func() {
			for _, f := range fs {
				d.work(f, x)
			}
		})
	}
	wg.Wait()
	if !withOpen {
		return d, nil
	}
	for _, fs := range d.byDept {
		for _, f := range fs {
			if f.r.Reopens > 0 && !f.r.ResolutionStart.Before(first) {
				if f.history = histories[f.r.ID]; f.history != nil {
					continue
				}
				if f.history, err = reports.Events(ctx, f.r.ID); err != nil {
					return nil, fmt.Errorf("digest: %w", err)
				}
			}
		}
	}
	return d, nil
}

// splitByParts says whether r is counted by its departments' parts: it
// was transferred since askdesk measured each department on its own part
// (HeldSince known). One transferred before counts wholly to its
// department now, as its clocks run from filing.
func splitByParts(r *bot.Request) bool { return r.Transfers > 0 && !r.HeldSince.IsZero() }

// transferHistories reads the history of each request of rs that is split
// by parts, a few at a time on the store's reader pool, by request ID.
func transferHistories(ctx context.Context, reports Reports, rs []*bot.Request) (map[string][]bot.Event, error) {
	var ids []string
	for _, r := range rs {
		if splitByParts(r) {
			ids = append(ids, r.ID)
		}
	}
	evs := make([][]bot.Event, len(ids))
	errs := make([]error, len(ids))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			evs[i], errs[i] = reports.Events(ctx, id)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make(map[string][]bot.Event, len(ids))
	for i, id := range ids {
		out[id] = evs[i]
	}
	return out, nil
}

// partsOf splits r into its departments' parts (bot.Parts) by its history
// evs, each a request as its department held it, oldest first; a request
// not split by parts (splitByParts) is its own one part.
func partsOf(r *bot.Request, evs []bot.Event) ([]*bot.Request, error) {
	if !splitByParts(r) {
		return []*bot.Request{r}, nil
	}
	parts, err := bot.Parts(evs)
	if err != nil {
		return nil, err
	}
	out := make([]*bot.Request, 0, len(parts))
	for _, p := range parts[:len(parts)-1] {
		pr := p.Request
		out = append(out, &pr)
	}
	// The record is what the running part is.
	return append(out, r), nil
}

// work computes what f's request did, as of now.
func (d *digestData) work(f *reqFacts, x *bizIndex) {
	f.first, f.res = x.clocks(f.r, f.dep)
	d.decide(f, x)
}

// decide works out what f's clocks came to as of now.
func (d *digestData) decide(f *reqFacts, x *bizIndex) {
	r, now := f.r, d.now
	elapsed, breached := x.breached(f.first, now)
	switch {
	case !r.FirstResponseAt.IsZero() && !r.FirstResponseAt.After(now):
		f.frTime = elapsed
		if breached {
			f.frDecided = x.due(f.first, now)
		} else {
			f.frDecided, f.frMet = r.FirstResponseAt, true
		}
	case breached: // not answered by the deadline: still open, or cancelled late
		f.frDecided = x.due(f.first, now)
	}
	if (r.State == bot.Resolved || r.State == bot.Closed) && !r.ResolvedAt.IsZero() {
		f.resolved = true
		f.resTime, breached = x.breached(f.res, now)
		f.resMet = !breached
	}
}

// tally is a week's counts before they become Figures.
type tally struct {
	f               Figures
	frTimes, rTimes durations
	people          map[string]*PersonFigures
	worst           []Breach
}

// count tallies dep's weeks spans, in one pass over its requests.
func (d *digestData) count(dep *bot.Department, spans []span, withOpen bool) []*tally {
	if d.roll != nil {
		return d.roll.count(d, dep, spans, withOpen)
	}
	ts := make([]*tally, len(spans))
	for i := range ts {
		ts[i] = &tally{people: map[string]*PersonFigures{}}
	}
	x := d.index[dep.Name]
	for _, f := range d.byDept[dep.Name] {
		for i, s := range spans {
			ts[i].add(x, f, s, withOpen)
		}
	}
	return ts
}

// add counts what f's request did in week s.
func (t *tally) add(x *bizIndex, f *reqFacts, s span, withOpen bool) {
	r := f.r
	switch {
	case !f.received && s.holds(r.CreatedAt):
		t.f.New++
	case f.received && s.holds(r.HeldSince):
		t.f.Received++
	}
	if s.holds(r.PassedOnAt) {
		t.f.PassedOn++
	}
	if f.resolved && s.holds(r.ResolvedAt) {
		t.f.Resolved++
		t.rTimes.add(f.resTime)
		if f.resMet {
			t.f.ResolutionsMet++
		}
		rft := f.rightFirstTime()
		if rft {
			t.f.RightFirstTime++
		}
		if r.Assignee != "" {
			p := t.people[r.Assignee]
			if p == nil {
				p = &PersonFigures{User: r.Assignee}
				t.people[r.Assignee] = p
			}
			p.Resolved++
			if f.resMet {
				p.Met++
			}
			if rft {
				p.RightFirstTime++
			}
		}
	}
	if s.holds(f.frDecided) {
		t.f.FirstResponses++
		if f.frMet {
			t.f.FirstResponsesMet++
		}
	}
	if s.holds(r.FirstResponseAt) {
		t.frTimes.add(f.frTime)
	}
	if withOpen {
		t.addOpen(x, f, s)
	}
}

// addOpen counts f's request if it was open at s's end (or now), and
// overdue.
func (t *tally) addOpen(x *bizIndex, f *reqFacts, s span) {
	if open, b := x.openAt(f, s.at); open {
		t.f.Open++
		if b.Clock != "" {
			t.f.Overdue++
			t.keepWorst(f, b)
		}
	}
}

// keepWorst keeps b if it is among the few worst breaches so far.
func (t *tally) keepWorst(f *reqFacts, b Breach) {
	b.ID, b.Title, b.Dept = f.r.ID, f.r.Title, f.dep.Name
	if f.r.Private { // digests go to channels: the type, not the words
		name := f.r.Type
		if t := f.dep.Type(f.r.Type); t != nil {
			name = t.DisplayName
		}
		b.Private, b.Type, b.Title = true, name, bot.PrivateTitle(name)
	}
	if len(t.worst) == worstShown && !worse(b, t.worst[worstShown-1]) {
		return
	}
	t.worst = worstFirst(append(t.worst, b))
}

// worse orders breaches: further past target first, then by ID.
func worse(a, b Breach) bool {
	return a.Overdue > b.Overdue || (a.Overdue == b.Overdue && a.ID < b.ID)
}

// openAt reports whether f's request was active at e and, if it was past
// a target then, which and by how much (Clock is empty when it was not).
// The breach's ID, Title and Dept are left for the caller to fill.
func (x *bizIndex) openAt(f *reqFacts, e time.Time) (bool, Breach) {
	r := f.r
	// The department held its part from HeldFrom (after it, as a request
	// is open after its filing) to its transfer away.
	if !r.HeldFrom().Before(e) || (!r.PassedOnAt.IsZero() && r.PassedOnAt.Before(e)) {
		return false, Breach{}
	}
	if f.history != nil && !r.ResolutionStart.Before(e) {
		return openFromHistory(f, e)
	}
	switch r.State {
	case bot.Resolved, bot.Closed:
		if r.ResolvedAt.Before(e) {
			return false, Breach{}
		}
	case bot.Cancelled:
		if r.ClosedAt.Before(e) {
			return false, Breach{}
		}
	}
	var b Breach
	if f.first.Stop.IsZero() || f.first.Stop.After(e) { // not answered yet at e
		if el, br := x.breached(f.first, e); br {
			b = Breach{Clock: f.first.Name, Overdue: el - f.first.Target}
		}
	}
	if el, br := x.breached(f.res, e); br && (b.Clock == "" || el-f.res.Target > b.Overdue) {
		b = Breach{Clock: f.res.Name, Overdue: el - f.res.Target}
	}
	return true, b
}

// openFromHistory answers openAt for a request reopened at or after e,
// whose current record has forgotten the resolution before: it replays the
// events before e. It is rare, so the calendar does the arithmetic.
func openFromHistory(f *reqFacts, e time.Time) (bool, Breach) {
	var evs []bot.Event
	for _, ev := range f.history {
		if ev.At.Before(e) {
			evs = append(evs, ev)
		}
	}
	r, err := bot.Rebuild(evs)
	if err != nil || !r.State.Active() {
		return false, Breach{}
	}
	first, res := r.Statuses(f.dep, e)
	var b Breach
	if !first.Stopped && first.Breached {
		b = Breach{Clock: "first response", Overdue: -first.Remaining} //i18n:ok the clock's name as bot.SLAClock gives it; clockName says it
	}
	if res.Breached && (b.Clock == "" || -res.Remaining > b.Overdue) {
		b = Breach{Clock: "resolution", Overdue: -res.Remaining}
	}
	return true, b
}

// merge adds u's counts to t.
func (t *tally) merge(u *tally) {
	f, g := &t.f, u.f
	f.New += g.New
	f.Received += g.Received
	f.PassedOn += g.PassedOn
	f.Resolved += g.Resolved
	f.Open += g.Open
	f.Overdue += g.Overdue
	f.FirstResponses += g.FirstResponses
	f.FirstResponsesMet += g.FirstResponsesMet
	f.ResolutionsMet += g.ResolutionsMet
	f.RightFirstTime += g.RightFirstTime
	t.frTimes.addAll(&u.frTimes)
	t.rTimes.addAll(&u.rTimes)
	if t.people == nil {
		t.people = map[string]*PersonFigures{}
	}
	for id, p := range u.people {
		q := t.people[id]
		if q == nil {
			q = &PersonFigures{User: id}
			t.people[id] = q
		}
		q.Resolved += p.Resolved
		q.Met += p.Met
		q.RightFirstTime += p.RightFirstTime
	}
	t.worst = worstFirst(append(t.worst, u.worst...))
}

func (t *tally) figures() Figures { return t.figuresIn(nil) }

// figuresIn is figures picking the times' percentiles in *scratch
// (durations.spread).
func (t *tally) figuresIn(scratch *[]time.Duration) Figures {
	f := t.f
	f.FirstResponseTime, f.ResolutionTime = t.frTimes.spread(scratch), t.rTimes.spread(scratch)
	return f
}

// worstFirst sorts breaches by how far past target, worst first, and keeps
// the few a digest shows.
func worstFirst(bs []Breach) []Breach {
	slices.SortFunc(bs, func(a, b Breach) int {
		switch {
		case worse(a, b):
			return -1
		case worse(b, a):
			return 1
		}
		return 0
	})
	return bs[:min(len(bs), worstShown)]
}
