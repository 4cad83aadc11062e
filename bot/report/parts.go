package report

import (
	"github.com/askdesk/askdesk/bot"

	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// PartRows keeps each department's part of every request (bot.Parts) as
// figures count it, worked out once: the part's record, its clocks'
// targets in business time, and what they came to. When the Reports given
// to digests, scorecards and the map also implement it (store.DB does),
// they read the stored parts of their period, in one range, instead of
// whole requests, their histories and the clock arithmetic; and first work
// out again the parts of requests changed since (StaleRequests), which the
// store marks in the same transaction as the change.
type PartRows interface {
	// StaleRequests returns up to limit marks of requests changed since
	// their parts were worked out (each at the version it was marked at),
	// and the current record of those of them that still exist, text not
	// loaded.
	StaleRequests(ctx context.Context, limit int) ([]StaleMark, []*bot.Request, error)
	// SaveParts replaces the parts of the requests done names with parts
	// (those worked out from a later version meanwhile stay), and removes
	// each mark of done that was not made again since it was read (its
	// Seq), in one transaction.
	SaveParts(ctx context.Context, done []StaleMark, parts []PartRow) error
	// PartStandards returns the fingerprint of the standard (calendar,
	// targets) each department's parts were worked out with.
	PartStandards(ctx context.Context) (map[string]string, error)
	// SetPartStandard records dept's fingerprint and marks stale every
	// request with a part held by dept.
	SetPartStandard(ctx context.Context, dept, fingerprint string) error
	// EachPart calls fn with each stored part held by one of depts that
	// began before to and ended at or after from, or still runs, with its
	// RequestID, Part, Dept and Facts (which fn must not keep). It stops at
	// fn's first error and returns it.
	EachPart(ctx context.Context, depts []string, from, to time.Time, fn func(PartRow) error) error
}

// RatingFigures is a narrower RatingRows for figures: when the store
// implements it (store.DB does), CSAT is read through it.
type RatingFigures interface {
	// EachRatingFigure calls fn, in no order, with every ratings row whose
	// prompt went out in [from, to), filling RequestID, Requester, Dept,
	// AskedAt, Skipped and Score only. It stops at fn's first error and
	// returns it.
	EachRatingFigure(ctx context.Context, from, to time.Time, fn func(bot.Rating) error) error
}

// eachRatingFigure reads ratings through RatingFigures when the store has
// it, otherwise through rr.
func eachRatingFigure(ctx context.Context, reports Reports, rr RatingRows, from, to time.Time, fn func(bot.Rating) error) error {
	if rf, ok := reports.(RatingFigures); ok {
		return rf.EachRatingFigure(ctx, from, to, fn)
	}
	return rr.EachRating(ctx, from, to, fn)
}

// StaleMark says a request changed at Version (-1: it was deleted); Seq
// counts the marks it had, so that one made again is told apart.
type StaleMark struct {
	RequestID string
	Version   int
	Seq       int64
}

// PartRow is one stored part.
type PartRow struct {
	RequestID string
	Part      int // 0 for the filing's department, then one per transfer
	Dept      string
	// Start is when the department began to hold it, End when it stopped:
	// passed on, resolved (the latest resolution) or cancelled; zero while
	// it runs.
	Start, End time.Time
	Version    int    // the request's version the part was worked out from
	Facts      []byte // bot/report's encoding
	// Apart says the part is not in the cells (Rollups) but read on its
	// own by every report; LastAt is the latest instant its figures count,
	// for those that are in them.
	Apart  bool
	LastAt time.Time
}

// refreshBatch is how many stale requests one transaction works out: few
// enough that the writer is not held long from a filing (tens of ms).
// Once the cells are kept (Rollups), each part changes a dozen or more of
// them in the same transaction, so a transaction takes fewer requests.
const (
	refreshBatch      = 500
	refreshCellsBatch = 100
)

// RefreshParts works out again the stored parts of every request changed
// since they were worked out, and of every department whose standard
// (calendar, targets) changed, as of now. Digests, scorecards and the map
// call it first; serve and askdesk migrate call it so that the first
// report after an upgrade does not wait for a million requests.
func RefreshParts(ctx context.Context, reports Reports, dir *bot.Directory, now time.Time) error {
	pr, ok := reports.(PartRows)
	if !ok {
		return nil
	}
	return refreshParts(ctx, pr, reports, dir, now)
}

func refreshParts(ctx context.Context, pr PartRows, reports Reports, dir *bot.Directory, now time.Time) error {
	marks, err := pr.PartStandards(ctx)
	if err != nil {
		return fmt.Errorf("refresh parts: %w", err)
	}
	for _, dep := range dir.Departments {
		if fp := standardFingerprint(dep); marks[dep.Name] != fp {
			if err := pr.SetPartStandard(ctx, dep.Name, fp); err != nil {
				return fmt.Errorf("refresh parts: %w", err)
			}
		}
	}
	batch := refreshBatch
	if ro, ok := reports.(Rollups); ok {
		ready, err := ro.RollupReady(ctx)
		if err != nil {
			return fmt.Errorf("refresh parts: %w", err)
		}
		if ready {
			batch = refreshCellsBatch
		}
	}
	for {
		stale, rs, err := pr.StaleRequests(ctx, batch)
		if err != nil {
			return fmt.Errorf("refresh parts: %w", err)
		}
		if len(stale) == 0 {
			break
		}
		var lows map[string][]bot.Rating
		if ro, ok := reports.(Rollups); ok && len(rs) > 0 {
			ids := make([]string, len(rs))
			for i, r := range rs {
				ids[i] = r.ID
			}
			if lows, err = ro.LowRatingsOf(ctx, ids); err != nil {
				return fmt.Errorf("refresh parts: %w", err)
			}
		}
		parts, done, err := workParts(ctx, reports, dir, stale, rs, lows, now)
		if err != nil {
			return fmt.Errorf("refresh parts: %w", err)
		}
		if err := pr.SaveParts(ctx, done, parts); err != nil {
			return fmt.Errorf("refresh parts: %w", err)
		}
		if len(stale) < batch {
			break
		}
	}
	if ro, ok := reports.(Rollups); ok {
		if err := rebuildRollups(ctx, ro); err != nil {
			return fmt.Errorf("refresh parts: %w", err)
		}
	}
	return nil
}

// workParts works out the parts of rs as of now, and says which marks they
// settle: each request at the version read, the deleted at -1; each mark
// as it was read.
func workParts(ctx context.Context, reports Reports, dir *bot.Directory, stale []StaleMark, rs []*bot.Request, lows map[string][]bot.Rating, now time.Time) ([]PartRow, []StaleMark, error) {
	histories, err := transferHistories(ctx, reports, rs)
	if err != nil {
		return nil, nil, err
	}
	read := map[string]*bot.Request{}
	for _, r := range rs {
		read[r.ID] = r
	}
	var done []StaleMark
	for _, m := range stale {
		if r := read[m.RequestID]; r == nil {
			done = append(done, StaleMark{RequestID: m.RequestID, Version: -1, Seq: m.Seq})
		} else {
			done = append(done, StaleMark{RequestID: m.RequestID, Version: r.Version, Seq: m.Seq})
		}
	}
	type held struct {
		f   *reqFacts
		row int
	}
	var out []PartRow
	var facts []held
	start := map[string]time.Time{}
	for _, r := range rs {
		parts, err := partsOf(r, histories[r.ID])
		if err != nil {
			return nil, nil, fmt.Errorf("request %s: %w", r.ID, err)
		}
		for i, p := range parts {
			row := PartRow{RequestID: r.ID, Part: i, Dept: p.Dept, Start: p.HeldFrom(), End: partEnd(p), Version: r.Version, Apart: true}
			if dep := dir.ByName(p.Dept); dep != nil {
				facts = append(facts, held{&reqFacts{r: p, dep: dep.AtRevision(p.StandardRev), received: i > 0}, len(out)})
				if s, ok := start[p.Dept]; !ok || p.HeldFrom().Before(s) {
					start[p.Dept] = p.HeldFrom()
				}
			} else { // no department to count it for: kept for the record
				f := partFacts{r: *p, received: i > 0}
				row.Facts = f.encode()
			}
			out = append(out, row)
		}
	}
	index := map[string]*bizIndex{}
	for name, s := range start {
		dep := dir.ByName(name)
		index[name] = newBizIndex(dep.Calendar, maxTime(s, now.Add(-indexSpan)), now.Add(62*24*time.Hour))
	}
	d := &digestData{now: now}
	for _, h := range facts {
		f := h.f
		d.work(f, index[f.dep.Name])
		pf := partFacts{r: *f.r, received: f.received, firstTarget: f.first.Target, resTarget: f.res.Target,
			frDecided: f.frDecided, frMet: f.frMet, frTime: f.frTime, resolved: f.resolved, resMet: f.resMet, resTime: f.resTime}
		if s, ok := settledAt(f); ok && !s.After(now) {
			pf.settled = s
		}
		row := &out[h.row]
		row.Apart, row.LastAt = classifyPart(&pf, row.Dept, lows[row.RequestID])
		row.Facts = pf.encode()
	}
	return out, done, nil
}

// partEnd is when p stopped being held by its department, by its record:
// passed on, resolved or cancelled; zero while it runs.
func partEnd(p *bot.Request) time.Time {
	switch {
	case !p.PassedOnAt.IsZero():
		return p.PassedOnAt
	case p.State == bot.Resolved || p.State == bot.Closed:
		return p.ResolvedAt
	case p.State == bot.Cancelled:
		return p.ClosedAt
	}
	return time.Time{}
}

// settledAt returns the instant from which what work finds of f no longer
// depends on now: both clocks it judges stopped. ok is false while the
// first-response clock runs.
func settledAt(f *reqFacts) (time.Time, bool) {
	if f.first.Stop.IsZero() {
		return time.Time{}, false
	}
	s := f.first.Stop
	if f.resolved {
		s = maxTime(s, f.res.Stop)
	}
	return s, true
}

// standardFingerprint sums up everything a department's parts are worked
// out with: its calendar and targets, its request types', at every
// revision the directory holds.
func standardFingerprint(dep *bot.Department) string {
	h := sha256.New()
	for _, d := range dep.Revisions() {
		c := d.Calendar
		loc := ""
		if c.Location != nil {
			loc = c.Location.String()
		}
		fmt.Fprintf(h, "rev %d|%s|%v|%v|%v|%v\n", d.Revision, loc, c.Hours, c.Holidays, c.Workdays, d.Targets) //i18n:ok a fingerprint's input, never shown
		for _, t := range d.Types {
			fmt.Fprintf(h, "type %s|%v\n", t.Name, t.Targets) //i18n:ok a fingerprint's input, never shown
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
