package report

import (
	"github.com/askdesk/askdesk/bot"

	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// Rollups are the counts of the stored parts (PartRows) kept per
// department and time bucket as the parts change, so that a period's
// figures add up cells instead of reading each part. When the Reports
// given to digests and scorecards also implement it (store.DB does), they
// sum the cells of the period's whole buckets and read on their own only
// the parts they cannot take from cells: those counted apart (still
// running, or whose right first time depends on which ratings a report
// reads), those with anything in the last, unfinished quarter-hour, and
// those open at an instant the report counts open requests at.
//
// Buckets are UTC days (level 1) and quarter-hours (level 0): every span a
// report counts begins and ends at midnight in some zone, which in every
// real zone falls on a quarter-hour. A span that does not is counted from
// the parts.
type Rollups interface {
	// RollupReady reports whether the cells agree with the stored parts
	// (SaveParts keeps them so from the upgrade on); when not, the next
	// refresh rebuilds them.
	RollupReady(ctx context.Context) (bool, error)
	// RollupSeq returns a number that every commit changing the parts or
	// the cells moves on (never back): a figure that read several
	// statements reads again when it moved meanwhile.
	RollupSeq(ctx context.Context) (int64, error)
	// RebuildRollups replaces every cell, in one transaction, with those
	// build makes of each department's parts not counted apart, and
	// records that the cells are ready. From then on SaveParts keeps them.
	RebuildRollups(ctx context.Context, build func(dept string, each func(fn func(PartRow) error) error) ([]CellRow, error)) error
	// EachCell calls fn with each cell of dept at level of one of kinds
	// whose bucket lies in [from, to).
	EachCell(ctx context.Context, dept string, level int, kinds []string, from, to time.Time, fn func(kind string, bucket time.Time, cell []byte) error) error
	// EachPartApart calls fn with each part of depts counted apart and,
	// unless runningBefore is zero, each part still running that began
	// before it (the running ones are most of those counted apart: one
	// read finds both).
	EachPartApart(ctx context.Context, depts []string, runningBefore time.Time, fn func(PartRow) error) error
	// EachPartSince calls fn with each part of depts not counted apart
	// whose LastAt is at or after since.
	EachPartSince(ctx context.Context, depts []string, since time.Time, fn func(PartRow) error) error
	// EachPartOpenDuring calls fn, in one read for every instant of
	// [from, to], with each part of depts that began before to and ended
	// at or after from (and maybe a few others), but those still running
	// and those counted apart (EachPartApart gives both).
	EachPartOpenDuring(ctx context.Context, depts []string, from, to time.Time, fn func(PartRow) error) error
	// LatestPart returns the latest LastAt of the parts of depts not
	// counted apart (zero when none).
	LatestPart(ctx context.Context, depts []string) (time.Time, error)
	// HistoriesOf returns the history of each of ids, in order, as
	// Reports.Events does (a request with none is left out).
	HistoriesOf(ctx context.Context, ids []string) (map[string][]bot.Event, error)
	// LowRatingsOf returns, for each of ids that has any, the ratings rows
	// scored 1 or 2, with Dept and AskedAt filled.
	LowRatingsOf(ctx context.Context, ids []string) (map[string][]bot.Rating, error)
	// RatingScores returns the ratings rows of dept at level whose
	// prompt went out in a bucket in [from, to), counted as CSAT counts
	// them (Scores.addRating); the store keeps these counts as ratings
	// change.
	RatingScores(ctx context.Context, dept string, level int, from, to time.Time) (Scores, error)
}

// The levels of cells, and how long each bucket is.
const (
	levelQuarter = 0
	levelDay     = 1
)

var levelSpan = [2]int64{15 * 60 * 1000, 24 * 3600 * 1000}

// CellKey names a cell: a department's bucket at a level, for one kind
// of request: "" all, "p:" and a priority.
type CellKey struct {
	Dept   string
	Level  int
	Kind   string
	Bucket time.Time
}

// CellRow is a cell as stored: its key and bot/report's encoding.
type CellRow struct {
	CellKey
	Cell []byte
}

// CellChanges are what replacing some parts does to the cells.
type CellChanges struct {
	m map[CellKey]*cellChange
}

// Keys returns the cells that change, in one order (department, level,
// kind, bucket), so that writers meet them in the same order.
func (c *CellChanges) Keys() []CellKey {
	out := make([]CellKey, 0, len(c.m))
	for k := range c.m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b CellKey) int {
		return cmp.Or(cmp.Compare(a.Dept, b.Dept), cmp.Compare(a.Level, b.Level), cmp.Compare(a.Kind, b.Kind), a.Bucket.Compare(b.Bucket))
	})
	return out
}

// Apply returns cell k's encoding old (nil: no such cell) with the change
// made, nil when the cell is left empty; an error when the cell does not
// hold what the old parts say they added to it.
func (c *CellChanges) Apply(k CellKey, old []byte) ([]byte, error) {
	ch := c.m[k]
	if ch == nil {
		return old, nil
	}
	b, err := ch.apply(old)
	if err != nil {
		return nil, fmt.Errorf("cell %s/%d/%q/%s: %w", k.Dept, k.Level, k.Kind, k.Bucket.UTC().Format(time.RFC3339), err)
	}
	return b, nil
}

// PartCellChanges returns what replacing the parts removed with added
// does to the cells.
func PartCellChanges(removed, added []PartRow) (*CellChanges, error) {
	m, err := partChanges(removed, added, partCells)
	if err != nil {
		return nil, err
	}
	return &CellChanges{m: m}, nil
}

// partChanges returns what replacing the parts removed with added does
// to the cells, keyed by K, that cells places each part's figures in
// (partCells, partMapCells); parts counted apart are in none.
func partChanges[K comparable](removed, added []PartRow, cells func(PartRow, map[string]string, func(K) *cell) error) (map[K]*cellChange, error) {
	m := map[K]*cellChange{}
	shared := map[string]string{}
	for _, x := range []struct {
		rows  []PartRow
		minus bool
	}{{removed, true}, {added, false}} {
		for _, row := range x.rows {
			if row.Apart {
				continue
			}
			err := cells(row, shared, func(k K) *cell {
				ch := m[k]
				if ch == nil {
					ch = &cellChange{}
					m[k] = ch
				}
				if x.minus {
					return &ch.minus
				}
				return &ch.plus
			})
			if err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}

// BuildCells returns the cells of dept made of the parts each gives.
func BuildCells(dept string, each func(fn func(PartRow) error) error) ([]CellRow, error) {
	cells := map[CellKey]*cell{}
	shared := map[string]string{}
	err := each(func(row PartRow) error {
		if row.Apart {
			return nil
		}
		return partCells(row, shared, func(k CellKey) *cell {
			c := cells[k]
			if c == nil {
				c = &cell{}
				cells[k] = c
			}
			return c
		})
	})
	if err != nil {
		return nil, fmt.Errorf("cells of %s: %w", dept, err)
	}
	out := make([]CellRow, 0, len(cells))
	for k, c := range cells {
		// Times were added in the parts' order.
		sortTimes(c.fr)
		sortTimes(c.res)
		out = append(out, CellRow{k, c.encode()})
	}
	return out, nil
}

// partCells adds what the part row counts to the cells at, which returns
// the cell to add to for a key: each instant at which tally.add counts
// something, into its bucket at both levels, for the department and the
// part's priority.
func partCells(row PartRow, shared map[string]string, at func(CellKey) *cell) error {
	var pf partFacts
	if err := decodePart(row.RequestID, row.Dept, row.Facts, &pf, shared); err != nil {
		return fmt.Errorf("part %d of %s: %w", row.Part, row.RequestID, err)
	}
	r := &pf.r
	kinds := [2]string{"", "p:" + string(r.Priority)}
	event := func(t time.Time, fn func(c *cell, all bool)) {
		if t.IsZero() {
			return
		}
		ms := t.UnixMilli()
		for level, n := range levelSpan {
			b := time.UnixMilli(floorDiv(ms, n) * n).UTC()
			for i, kind := range kinds {
				fn(at(CellKey{Dept: row.Dept, Level: level, Kind: kind, Bucket: b}), i == 0)
			}
		}
	}
	if pf.received {
		event(r.HeldSince, func(c *cell, _ bool) { c.n[cReceived]++ })
	} else {
		event(r.CreatedAt, func(c *cell, _ bool) { c.n[cNew]++ })
	}
	event(r.PassedOnAt, func(c *cell, _ bool) { c.n[cPassedOn]++ })
	if pf.resolved {
		rft := !reopenedHere(r) && !pf.lowRated
		event(r.ResolvedAt, func(c *cell, all bool) {
			c.n[cResolved]++
			c.res = append(c.res, pf.resTime)
			var p [3]int64
			p[pResolved] = 1
			if pf.resMet {
				c.n[cResMet]++
				p[pMet] = 1
			}
			if rft {
				c.n[cRightFirstTime]++
				p[pRightFirstTime] = 1
			}
			if all && r.Assignee != "" {
				if c.people == nil {
					c.people = map[string]*[3]int64{}
				}
				q := c.people[r.Assignee]
				if q == nil {
					q = &[3]int64{}
					c.people[r.Assignee] = q
				}
				for i := range q {
					q[i] += p[i]
				}
			}
		})
	}
	event(pf.frDecided, func(c *cell, _ bool) {
		c.n[cFirstResponses]++
		if pf.frMet {
			c.n[cFirstResponsesMet]++
		}
	})
	event(r.FirstResponseAt, func(c *cell, _ bool) { c.fr = append(c.fr, pf.frTime) })
	if reopenedHere(r) {
		event(r.ResolutionStart, func(c *cell, _ bool) { c.n[cReopened]++ })
	}
	return nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// reopenedHere is reqFacts.reopenedHere for a part's record.
func reopenedHere(r *bot.Request) bool {
	return r.Reopens > 0 && r.ResolutionStart.After(r.HeldFrom())
}

// classifyPart decides whether the part pf of a department is counted
// apart (not in cells), and sets pf.lowRated and returns its LastAt
// otherwise. lows are its request's ratings scored 1 or 2.
//
// A part's cells must count the same in every report. Right first time
// depends on which low ratings a report reads (of its departments, asked
// at or after its earliest day): a part resolved, not reopened here, with
// no low rating is right first time in every report; one rated low by its
// own department at or after the resolution is in none. Any other is
// counted apart, as are the parts still running (settled not yet).
func classifyPart(pf *partFacts, dept string, lows []bot.Rating) (apart bool, lastAt time.Time) {
	r := &pf.r
	if pf.settled.IsZero() {
		return true, time.Time{}
	}
	pf.lowRated = false
	if pf.resolved && !reopenedHere(r) && len(lows) > 0 {
		own := false
		for _, l := range lows {
			if l.Dept == dept && !l.AskedAt.Before(r.ResolvedAt) {
				own = true
			}
		}
		if !own {
			return true, time.Time{}
		}
		pf.lowRated = true
	}
	last := pf.settled
	for _, t := range []time.Time{r.CreatedAt, r.HeldSince, r.PassedOnAt, r.FirstResponseAt, pf.frDecided, r.ResolutionStart, r.ResolvedAt} {
		last = maxTime(last, t)
	}
	return false, last
}

// rebuildRollups makes the cells afresh from the stored parts, when they
// are not ready.
func rebuildRollups(ctx context.Context, ro Rollups) error {
	ready, err := ro.RollupReady(ctx)
	if err != nil || ready {
		return err
	}
	return ro.RebuildRollups(ctx, BuildCells)
}
