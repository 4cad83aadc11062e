package report

import (
	"github.com/askdesk/askdesk/bot"

	"context"
	"errors"
	"fmt"
	"time"
)

// rollupData is what a report reads when the store keeps cells
// (Rollups): each department's cells summed over each span's whole
// quarter-hours, by kind; the parts read on their own are in digestData's
// byDept, each once.
type rollupData struct {
	sums map[string]map[spanKey]map[string]*cellSum // dept, span, kind
}

type spanKey struct{ from, at int64 }

func keyOf(s span) spanKey { return spanKey{s.from.UnixMilli(), s.at.UnixMilli()} }

// coverEnd is where the cells of s end: the last quarter-hour boundary
// before the instant open requests are counted at (a week not over counts
// what happened so far). The parts with anything from there on are read.
func coverEnd(s span) time.Time {
	n := levelSpan[levelQuarter]
	t := time.UnixMilli(floorDiv(s.at.UnixMilli(), n) * n).UTC()
	return maxTime(t, s.from)
}

// rollupsFor returns the store's Rollups when a report of deps over spans
// at now can be counted from cells: the parts worked out, the cells
// ready, every span starting on a quarter-hour, and no part's figures
// counting an instant after now (a report as of an earlier instant than
// the parts were worked out at is counted from the parts).
//
// seq is the store's RollupSeq once the parts are worked out: the caller
// reads the parts and cells, then checks with unmoved that no refresher
// or reset committed meanwhile (the parts and cells are read in several
// statements: a part moved from apart into the cells between them would
// be counted twice).
func rollupsFor(ctx context.Context, reports Reports, dir *bot.Directory, deps []*bot.Department, spans []span, now time.Time) (ro Rollups, seq int64, ok bool, err error) {
	ro, ok = reports.(Rollups)
	pr, ok2 := reports.(PartRows)
	if !ok || !ok2 {
		return nil, 0, false, nil
	}
	for _, s := range spans {
		if s.from.UnixMilli()%levelSpan[levelQuarter] != 0 {
			return nil, 0, false, nil
		}
	}
	if err := refreshParts(ctx, pr, reports, dir, now); err != nil {
		return nil, 0, false, fmt.Errorf("digest: %w", err)
	}
	if seq, err = ro.RollupSeq(ctx); err != nil {
		return nil, 0, false, err
	}
	ready, err := ro.RollupReady(ctx)
	if err != nil || !ready {
		return nil, 0, false, err
	}
	latest, err := ro.LatestPart(ctx, names(deps))
	if err != nil || latest.After(now) {
		return nil, 0, false, err
	}
	return ro, seq, true, nil
}

// errMoved says that the parts or cells a figure read changed while it
// read them (rollupsFor).
var errMoved = errors.New("the report figures changed while they were read; try again")

// unmoved returns errMoved when a commit changed the parts or cells since
// seq.
func unmoved(ctx context.Context, ro Rollups, seq int64) error {
	now, err := ro.RollupSeq(ctx)
	if err != nil {
		return err
	}
	if now != seq {
		return errMoved
	}
	return nil
}

// rereads is how many times a figure is read again when its parts moved
// meanwhile: each read again works out first what moved, so a second
// read is rarely needed and a sixth means refreshers without pause.
const rereads = 5

// readSettled calls read until it does not fail with errMoved, at most
// 1+rereads times.
func readSettled[T any](read func() (T, error)) (T, error) {
	for i := 0; ; i++ {
		v, err := read()
		if !errors.Is(err, errMoved) || i == rereads {
			return v, err
		}
	}
}

// loadRollups is loadDigestData from cells: the cells of every span, with
// withPrio each priority's too, and the parts the cells cannot stand for.
// withPrio reads the priorities' cells of spans[0] (a department's own
// period). openAt is as for loadDigestDataAt. lowDeps are the departments
// whose low ratings count against right first time, since the instant
// from which they are read (those of the whole report, from its earliest
// start).
func loadRollups(ctx context.Context, ro Rollups, reports Reports, deps []*bot.Department, spans []span, withOpen, withPrio bool, openAt map[string][]time.Time, lowDeps []string, since, now time.Time) (*digestData, error) {
	roll := &rollupData{sums: map[string]map[spanKey]map[string]*cellSum{}}
	d := &digestData{now: now, byDept: map[string][]*reqFacts{}, index: map[string]*bizIndex{}, roll: roll}
	prio := []string{""}
	if withPrio {
		for _, p := range bot.Priorities {
			prio = append(prio, "p:"+string(p))
		}
	}
	// The cells are summed on a goroutine of their own while the parts
	// are read here; it is waited for on every return.
	summed := make(chan error, 1)
	sumCtx, stopSum := context.WithCancel(ctx)
	go func() { summed <- sumDepts(sumCtx, ro, deps, spans, prio, roll) }()
	waited := false
	defer func() {
		if !waited {
			stopSum() // a read failed here: the sums are not wanted
			<-summed
		}
		stopSum()
	}()
	// The parts read on their own.
	byName := map[string]*bot.Department{}
	for _, dep := range deps {
		byName[dep.Name] = dep
	}
	from, to, _ := spanRange(spans)
	l := newPartLoader(byName, now)
	depNames := names(deps)
	// A running part is open at an instant after it began: with the
	// parts counted apart (most of them running) are read the running
	// ones begun before the last instant counted (for a period long past,
	// few).
	var last time.Time
	instantsOf := map[string][]time.Time{}
	if withOpen {
		for _, dep := range deps {
			instants := openAt[dep.Name]
			if openAt == nil {
				for _, s := range spans {
					instants = append(instants, s.at)
				}
			}
			instantsOf[dep.Name] = instants
			for _, at := range instants {
				last = maxTime(last, at)
			}
		}
	}
	// The parts open at the instants, most of those read here, are read
	// and decoded on a goroutine of their own into a loader of their own,
	// then merged; it is waited for on every return.
	ol := newPartLoader(byName, now)
	opened := make(chan error, 1)
	openCtx, stopOpen := context.WithCancel(ctx)
	defer stopOpen()
	go func() {
		for _, dep := range deps {
			if !withOpen {
				break
			}
			if err := eachPartOpenAtAll(openCtx, ro, dep.Name, instantsOf[dep.Name], ol.add); err != nil {
				opened <- err
				return
			}
		}
		opened <- nil
	}()
	err := ro.EachPartApart(ctx, depNames, last, l.add)
	if err == nil {
		var tail time.Time
		for _, s := range spans {
			if t := coverEnd(s); t.Before(s.at) && (tail.IsZero() || t.Before(tail)) {
				tail = t
			}
		}
		if !tail.IsZero() {
			err = ro.EachPartSince(ctx, depNames, tail, l.add)
		}
	}
	if err != nil {
		stopOpen() // its parts are not wanted
	}
	if oerr := <-opened; err == nil {
		err = oerr
	}
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	l.merge(ol, depNames)
	if l.err != nil {
		return nil, fmt.Errorf("digest: %w", l.err)
	}
	d.byDept = l.byDept
	buildIndexes(d, deps, from, to, now)
	for _, f := range l.running {
		d.decide(f, d.index[f.dep.Name])
	}
	// Right first time of the parts counted apart, by the ratings this
	// report reads.
	var ids []string
	var apart []*reqFacts
	for _, fs := range d.byDept {
		for _, f := range fs {
			if f.apart && f.resolved && !f.reopenedHere() {
				ids, apart = append(ids, f.r.ID), append(apart, f)
			}
		}
	}
	if len(ids) > 0 {
		lows, err := ro.LowRatingsOf(ctx, ids)
		if err != nil {
			return nil, fmt.Errorf("digest: %w", err)
		}
		in := map[string]bool{}
		for _, n := range lowDeps {
			in[n] = true
		}
		for _, f := range apart {
			for _, r := range lows[f.r.ID] {
				if in[r.Dept] && !r.AskedAt.Before(since) {
					f.lowRated = true
				}
			}
		}
	}
	if withOpen {
		if err := readHistoriesAt(ctx, ro, d, historyInstants(deps, spans, openAt)); err != nil {
			return nil, err
		}
	}
	waited = true
	if err := <-summed; err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	return d, nil
}

// sumCells adds the cells of dept over [from, to) into sums, by kind: the
// whole UTC days from the day cells, the rest from quarter-hours.
func sumCells(ctx context.Context, ro Rollups, dept string, kinds []string, from, to time.Time, sums map[string]*cellSum, slab *timeSlab) error {
	if !from.Before(to) {
		return nil
	}
	add := func(kind string, _ time.Time, b []byte) error {
		c := sums[kind]
		if c == nil {
			c = &cellSum{}
			sums[kind] = c
		}
		return c.addEncoded(b, slab)
	}
	day := levelSpan[levelDay]
	d0 := time.UnixMilli(-floorDiv(-from.UnixMilli(), day) * day).UTC() // the first midnight at or after from
	d1 := time.UnixMilli(floorDiv(to.UnixMilli(), day) * day).UTC()     // the last at or before to
	if !d0.Before(d1) {
		return ro.EachCell(ctx, dept, levelQuarter, kinds, from, to, add)
	}
	if err := ro.EachCell(ctx, dept, levelQuarter, kinds, from, d0, add); err != nil {
		return err
	}
	if err := ro.EachCell(ctx, dept, levelDay, kinds, d0, d1, add); err != nil {
		return err
	}
	return ro.EachCell(ctx, dept, levelQuarter, kinds, d1, to, add)
}

// partLoader decodes the parts read on their own, each once.
type partLoader struct {
	byName  map[string]*bot.Department
	now     time.Time
	seen    map[partID]bool
	shared  map[string]string
	atRev   map[deptRev]*bot.Department
	byDept  map[string][]*reqFacts
	running []*reqFacts
	err     error
	// free are parts not yet decoded into, allocated a few dozen at a
	// time rather than each (a report decodes tens of thousands).
	free []loadedPart
}

// loadedPart is a part as decoded and as counted.
type loadedPart struct {
	pf partFacts
	f  reqFacts
}

type partID struct {
	id   string
	part int
}

type deptRev struct {
	dept string
	rev  int
}

func newPartLoader(byName map[string]*bot.Department, now time.Time) *partLoader {
	return &partLoader{byName: byName, now: now, seen: map[partID]bool{}, shared: map[string]string{},
		atRev: map[deptRev]*bot.Department{}, byDept: map[string][]*reqFacts{}}
}

// add decodes row, unless read before.
func (l *partLoader) add(row PartRow) error {
	dep := l.byName[row.Dept]
	if dep == nil || l.seen[partID{row.RequestID, row.Part}] {
		return nil
	}
	l.seen[partID{row.RequestID, row.Part}] = true
	if len(l.free) == 0 {
		l.free = make([]loadedPart, 64)
	}
	x := &l.free[0]
	l.free = l.free[1:]
	pf, f := &x.pf, &x.f
	if err := decodePart(row.RequestID, dep.Name, row.Facts, pf, l.shared); err != nil {
		return fmt.Errorf("part %d of %s: %w", row.Part, row.RequestID, err)
	}
	r := &pf.r
	at := l.atRev[deptRev{dep.Name, r.StandardRev}]
	if at == nil {
		at = dep.AtRevision(r.StandardRev)
		l.atRev[deptRev{dep.Name, r.StandardRev}] = at
	}
	*f = reqFacts{r: r, dep: at, part: row.Part, received: pf.received, apart: row.Apart, lowRated: !row.Apart && pf.lowRated}
	f.first, f.res = clocksOf(r, f.dep.RequestTarget(r.Type, r.Priority), pf.firstTarget, pf.resTarget)
	if !pf.settled.IsZero() && !l.now.Before(pf.settled) {
		f.frDecided, f.frMet, f.frTime = pf.frDecided, pf.frMet, pf.frTime
		f.resolved, f.resMet, f.resTime = pf.resolved, pf.resMet, pf.resTime
	} else {
		l.running = append(l.running, f)
	}
	l.byDept[dep.Name] = append(l.byDept[dep.Name], f)
	return nil
}

// merge adds the parts o loaded that l did not, keeping l's order
// (o's after).
func (l *partLoader) merge(o *partLoader, depNames []string) {
	running := map[*reqFacts]bool{}
	for _, f := range o.running {
		running[f] = true
	}
	for _, dep := range depNames {
		for _, f := range o.byDept[dep] {
			id := partID{f.r.ID, f.part}
			if l.seen[id] {
				continue
			}
			l.seen[id] = true
			l.byDept[dep] = append(l.byDept[dep], f)
			if running[f] {
				l.running = append(l.running, f)
			}
		}
	}
}

// readHistories reads the history of each loaded request reopened at or
// after first, for open and overdue at instants before the reopening.
func readHistories(ctx context.Context, reports Reports, d *digestData, first time.Time) error {
	for _, fs := range d.byDept {
		for _, f := range fs {
			if f.r.Reopens > 0 && !f.r.ResolutionStart.Before(first) {
				var err error
				if f.history, err = reports.Events(ctx, f.r.ID); err != nil {
					return fmt.Errorf("digest: %w", err)
				}
			}
		}
	}
	return nil
}
