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
func loadParts(ctx context.Context, pr PartRows, reports Reports, dir *bot.Directory, deps []*bot.Department, from, to, first time.Time, withOpen bool, now time.Time, low map[string]bool) (*digestData, error) {
	if err := refreshParts(ctx, pr, reports, dir, now); err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	d := &digestData{now: now, byDept: map[string][]*reqFacts{}, index: map[string]*bizIndex{}}
	byName := map[string]*bot.Department{}
	for _, dep := range deps {
		byName[dep.Name] = dep
	}
	shared := map[string]string{} // the strings most parts share, kept once
	// A part's record and what counting makes of it, in one allocation.
	type loaded struct {
		pf partFacts
		f  reqFacts
	}
	// Each department at each revision its parts were filed under, once.
	type rev struct {
		dept string
		rev  int
	}
	atRev := map[rev]*bot.Department{}
	var running []*reqFacts
	err := pr.EachPart(ctx, names(deps), from, to, func(row PartRow) error {
		dep := byName[row.Dept]
		if dep == nil {
			return nil
		}
		l := &loaded{}
		pf, f := &l.pf, &l.f
		if err := decodePart(row.RequestID, dep.Name, row.Facts, pf, shared); err != nil {
			return fmt.Errorf("part %d of %s: %w", row.Part, row.RequestID, err)
		}
		r := &pf.r
		at := atRev[rev{dep.Name, r.StandardRev}]
		if at == nil {
			at = dep.AtRevision(r.StandardRev)
			atRev[rev{dep.Name, r.StandardRev}] = at
		}
		*f = reqFacts{r: r, dep: at, received: pf.received, lowRated: low[row.RequestID]}
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
	buildIndexes(d, deps, from, to, now)
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
