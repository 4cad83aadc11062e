package report

import (
	"github.com/askdesk/askdesk/bot"

	"context"
	"fmt"
	"time"
)

// loadParts is loadDigestData from the stored parts (PartRows): the
// requests changed since are worked out again first, then the parts of
// deps active during [from, to) are read in one range. A part settled by
// now (both clocks stopped) comes with what its clocks came to; the
// others, the running ones, are decided here as of now, on the stored
// targets.
func loadParts(ctx context.Context, pr PartRows, reports Reports, dir *bot.Directory, deps []*bot.Department, from, to, first time.Time, withOpen bool, now time.Time) (*digestData, error) {
	if err := refreshParts(ctx, pr, reports, dir, now); err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	low, err := lowRated(ctx, reports, deps, from)
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	d := &digestData{now: now, byDept: map[string][]*reqFacts{}, index: map[string]*bizIndex{}}
	byName := map[string]*bot.Department{}
	for _, dep := range deps {
		byName[dep.Name] = dep
	}
	// The strings most parts share are kept once.
	interned := map[string]string{}
	intern := func(s string) string {
		if v, ok := interned[s]; ok {
			return v
		}
		interned[s] = s
		return s
	}
	var running []*reqFacts
	err = pr.EachPart(ctx, names(deps), from, to, func(row PartRow) error {
		dep := byName[row.Dept]
		if dep == nil {
			return nil
		}
		pf := &partFacts{}
		if err := decodePart(intern(row.RequestID), dep.Name, row.Facts, pf); err != nil {
			return fmt.Errorf("part %d of %s: %w", row.Part, row.RequestID, err)
		}
		r := &pf.r
		r.Type, r.Priority, r.State = intern(r.Type), bot.Priority(intern(string(r.Priority))), bot.State(intern(string(r.State)))
		r.Requester, r.RequesterDept, r.Assignee = intern(r.Requester), intern(r.RequesterDept), intern(r.Assignee)
		f := &reqFacts{r: r, dep: dep.AtRevision(r.StandardRev), received: pf.received, lowRated: low[row.RequestID]}
		f.first, f.res = clocksOf(r, f.dep.RequestTarget(r.Type, r.Priority), pf.firstTarget, pf.resTarget)
		if !pf.settled.IsZero() && !now.Before(pf.settled) {
			f.frDecided, f.frMet, f.frTime = pf.frDecided, pf.frMet, pf.frTime
			f.resolved, f.resMet, f.resTime = pf.resolved, pf.resMet, pf.resTime
		} else {
			running = append(running, f)
		}
		d.byDept[dep.Name] = append(d.byDept[dep.Name], f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	for _, dep := range deps {
		start, fs := from, d.byDept[dep.Name]
		for i, f := range fs {
			if i == 0 || f.r.HeldFrom().Before(start) {
				start = f.r.HeldFrom()
			}
		}
		start = maxTime(start, now.Add(-indexSpan))
		d.index[dep.Name] = newBizIndex(dep.Calendar, minTime(start, from), maxTime(now, to).Add(62*24*time.Hour))
	}
	for _, f := range running {
		d.decide(f, d.index[f.dep.Name])
	}
	if !withOpen {
		return d, nil
	}
	for _, fs := range d.byDept {
		for _, f := range fs {
			if f.r.Reopens > 0 && !f.r.ResolutionStart.Before(first) {
				if f.history, err = reports.Events(ctx, f.r.ID); err != nil {
					return nil, fmt.Errorf("digest: %w", err)
				}
			}
		}
	}
	return d, nil
}
