package report

import (
	"github.com/askdesk/askdesk/bot"

	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// MapCells are the map's counts kept per serving department, customer
// and time bucket (UTC days and quarter-hours, as Rollups), as the parts
// and ratings change, so that the map of a period adds up cells instead of
// reading each part and rating. When the Reports given to ComputeMap also
// implement it and Rollups (store.DB does), the map sums the cells of
// each serving department's whole buckets and reads on their own only the
// parts and ratings the cells cannot stand for (as the scorecards do),
// and the ratings whose request it might not read (late ratings).
//
// A customer is a key: "d:" and the department stamped on the request
// when it was filed, or "u:" and the requester when none was stamped
// (their department is the one the directory gives them at the map's
// reading). The requesters' cells are kept each apart (by requester) and
// all together (MapUnstamped), so that a map reads one row per
// department and bucket for all of them, and each apart only the
// requesters the directory places in a department.
type MapCells interface {
	// EachMapCell calls fn with each map cell of dept at level whose
	// bucket lies in [from, to) but the requesters' own ("u:"): its
	// customer and its encoding (valid during the call only).
	EachMapCell(ctx context.Context, dept string, level int, from, to time.Time, fn func(customer string, cell []byte) error) error
	// EachRequesterMapCell calls fn with each map cell ("u:") of the
	// requesters given at level whose bucket lies in [from, to): its
	// requester, key and encoding (valid during the call only).
	EachRequesterMapCell(ctx context.Context, requesters []string, level int, from, to time.Time, fn func(requester string, k MapCellKey, cell []byte) error) error
	// MapRatingScores returns the ratings rows of dept at level whose
	// prompt went out in a bucket in [from, to), by customer, counted as
	// CSAT counts them (Scores.addRating), but the requesters' own.
	MapRatingScores(ctx context.Context, dept string, level int, from, to time.Time) (map[string]Scores, error)
	// EachRequesterMapRating calls fn with the ratings rows of the
	// requesters given (of requests without a stamped department) whose
	// prompt went out in a bucket at level in [from, to), by requester,
	// department and bucket, counted as CSAT counts them.
	EachRequesterMapRating(ctx context.Context, requesters []string, level int, from, to time.Time, fn func(requester string, k MapCellKey, s Scores) error) error
	// EachMapRating calls fn with each ratings row whose prompt went out
	// in [from, to) (RequestID, Requester, Dept, AskedAt, Skipped, Score)
	// and its customer.
	EachMapRating(ctx context.Context, from, to time.Time, fn func(customer string, r bot.Rating) error) error
	// EachLateRating calls fn with each ratings row asked (not skipped)
	// in [from, to) of a request with a stamped department and no part
	// held by the rating's department when it was asked: a map might not
	// read its request, and then places it by its requester's department
	// now. It gives its customer and the spans of its request's parts
	// (End zero while one runs).
	EachLateRating(ctx context.Context, from, to time.Time, fn func(customer string, r bot.Rating, parts []PartSpan) error) error
}

// MapUnstamped is the customer of the map cells that hold every
// requester's own ("u:") together: the requests filed without a stamped
// department.
const MapUnstamped = "a:"

// PartSpan is when a department held its part of a request; End is zero
// while it runs.
type PartSpan struct {
	Dept       string
	Start, End time.Time
}

// MapCustomer is the customer of a request filed by requester with
// requesterDept stamped (maybe ""), as map cells key it.
func MapCustomer(requesterDept, requester string) string {
	if requesterDept != "" {
		return "d:" + requesterDept
	}
	return "u:" + requester
}

// customerOf is the customer department a map cell's customer stands for.
func customerOf(dir *bot.Directory, customer string) string {
	if len(customer) > 2 && customer[:2] == "d:" {
		return customer[2:]
	}
	return customerDept(dir, customer[min(2, len(customer)):])
}

// MapCellKey names a map cell: what a serving department did for one
// customer in a bucket at a level.
type MapCellKey struct {
	Dept, Customer string
	Level          int
	Bucket         time.Time
}

// MapCellRow is a map cell as stored: its key and bot/report's encoding
// (a cell's, without people).
type MapCellRow struct {
	MapCellKey
	Cell []byte
}

// MapCellChanges are what replacing some parts does to the map cells.
type MapCellChanges struct {
	m map[MapCellKey]*cellChange
}

// Keys returns the map cells that change, in one order (department,
// level, bucket, customer), so that writers meet them in the same order.
func (c *MapCellChanges) Keys() []MapCellKey {
	out := make([]MapCellKey, 0, len(c.m))
	for k := range c.m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b MapCellKey) int {
		return cmp.Or(cmp.Compare(a.Dept, b.Dept), cmp.Compare(a.Level, b.Level), a.Bucket.Compare(b.Bucket), cmp.Compare(a.Customer, b.Customer))
	})
	return out
}

// Apply returns map cell k's encoding old (nil: no such cell) with the
// change made, nil when the cell is left empty; an error when the cell
// does not hold what the old parts say they added to it.
func (c *MapCellChanges) Apply(k MapCellKey, old []byte) ([]byte, error) {
	ch := c.m[k]
	if ch == nil {
		return old, nil
	}
	b, err := ch.apply(old)
	if err != nil {
		return nil, fmt.Errorf("map cell %s/%s/%d/%s: %w", k.Dept, k.Customer, k.Level, k.Bucket.UTC().Format(time.RFC3339), err)
	}
	return b, nil
}

// PartMapCellChanges returns what replacing the parts removed with added
// does to the map cells.
func PartMapCellChanges(removed, added []PartRow) (*MapCellChanges, error) {
	m, err := partChanges(removed, added, partMapCells)
	if err != nil {
		return nil, err
	}
	for k, ch := range m {
		ch.plus.people, ch.minus.people = nil, nil
		if isRequester(k.Customer) {
			all := MapCellKey{Dept: k.Dept, Customer: MapUnstamped, Level: k.Level, Bucket: k.Bucket}
			if m[all] == nil {
				m[all] = &cellChange{}
			}
			m[all].plus.plus(&ch.plus)
			m[all].minus.plus(&ch.minus)
		}
	}
	return &MapCellChanges{m: m}, nil
}

// isRequester says whether a map cell's customer is a requester's own
// ("u:"), kept apart and in MapUnstamped's cell too.
func isRequester(customer string) bool { return len(customer) >= 2 && customer[:2] == "u:" }

// BuildMapCells returns the map cells of dept made of the parts each
// gives.
func BuildMapCells(dept string, each func(fn func(PartRow) error) error) ([]MapCellRow, error) {
	cells := map[MapCellKey]*cell{}
	shared := map[string]string{}
	err := each(func(row PartRow) error {
		if row.Apart {
			return nil
		}
		return partMapCells(row, shared, func(k MapCellKey) *cell {
			c := cells[k]
			if c == nil {
				c = &cell{}
				cells[k] = c
			}
			return c
		})
	})
	if err != nil {
		return nil, fmt.Errorf("map cells of %s: %w", dept, err)
	}
	for k, c := range cells {
		if isRequester(k.Customer) {
			all := MapCellKey{Dept: k.Dept, Customer: MapUnstamped, Level: k.Level, Bucket: k.Bucket}
			if cells[all] == nil {
				cells[all] = &cell{}
			}
			cells[all].plus(c)
		}
	}
	out := make([]MapCellRow, 0, len(cells))
	for k, c := range cells {
		c.people = nil
		sortTimes(c.fr)
		sortTimes(c.res)
		out = append(out, MapCellRow{k, c.encode()})
	}
	return out, nil
}

// partMapCells adds what the part row counts to the map cells at returns:
// what partCells adds to its department's cells of all kinds, in its
// customer's cell instead (people are left for the caller to drop).
func partMapCells(row PartRow, shared map[string]string, at func(MapCellKey) *cell) error {
	var pf partFacts
	if err := decodePart(row.RequestID, row.Dept, row.Facts, &pf, shared); err != nil {
		return fmt.Errorf("part %d of %s: %w", row.Part, row.RequestID, err)
	}
	customer := MapCustomer(pf.r.RequesterDept, pf.r.Requester)
	var scratch cell
	return partCells(row, shared, func(k CellKey) *cell {
		if k.Kind != "" { // each priority's: not on the map
			scratch = cell{}
			return &scratch
		}
		return at(MapCellKey{Dept: k.Dept, Customer: customer, Level: k.Level, Bucket: k.Bucket})
	})
}

// mapFromCells counts the map's pairs from the map cells and the parts
// read on their own (those counted apart, and those with anything in the
// last, unfinished quarter-hour of a span), and its ratings from the
// ratings' map cells and the prompts of the last quarter-hour, each
// placed as ComputeMap places it from whole requests. spans are each
// serving department's; from and to bound the parts ComputeMap reads.
func mapFromCells(ctx context.Context, mc MapCells, ro Rollups, reports Reports, dir *bot.Directory, spans map[string]span, from, to, now time.Time) (map[pairKey]*tally, map[pairKey]*Scores, error) {
	deps := dir.Departments
	tallies := map[pairKey]*tally{}
	tallyOf := func(k pairKey) *tally {
		t := tallies[k]
		if t == nil {
			t = &tally{people: map[string]*PersonFigures{}}
			tallies[k] = t
		}
		return t
	}
	csat := map[pairKey]*Scores{}
	scoresOf := func(k pairKey) *Scores {
		s := csat[k]
		if s == nil {
			s = &Scores{}
			csat[k] = s
		}
		return s
	}
	// Each department's cells: the stamped customers' each, every
	// unstamped requester's together (MapUnstamped), until the directory
	// has said which of those it places.
	sums := map[pairKey]*cell{}
	sumOf := func(k pairKey) *cell {
		c := sums[k]
		if c == nil {
			c = &cell{}
			sums[k] = c
		}
		return c
	}
	unstamped := map[string]*cell{}
	unstampedCSAT := map[string]*Scores{}
	runs := map[string][]levelRun{}
	var tailFrom, tailTo time.Time
	for _, dep := range deps {
		s := spans[dep.Name]
		end := coverEnd(s)
		if end.Before(s.at) {
			if tailFrom.IsZero() || end.Before(tailFrom) {
				tailFrom = end
			}
			tailTo = maxTime(tailTo, s.at)
		}
		all := &cell{}
		unstamped[dep.Name], unstampedCSAT[dep.Name] = all, &Scores{}
		err := eachLevelRun(s.from, end, func(level int, a, b time.Time) error {
			runs[dep.Name] = append(runs[dep.Name], levelRun{level, a, b})
			return mc.EachMapCell(ctx, dep.Name, level, a, b, func(customer string, enc []byte) error {
				if customer == MapUnstamped {
					return addCell(enc, all, false)
				}
				return addCell(enc, sumOf(pairKey{customerOf(dir, customer), dep.Name}), false)
			})
		})
		if err != nil {
			return nil, nil, fmt.Errorf("map: %w", err)
		}
		err = eachLevelRun(s.from, end, func(level int, a, b time.Time) error {
			byCustomer, err := mc.MapRatingScores(ctx, dep.Name, level, a, b)
			for customer, sc := range byCustomer {
				if customer == MapUnstamped {
					unstampedCSAT[dep.Name].merge(sc)
					continue
				}
				scoresOf(pairKey{customerOf(dir, customer), dep.Name}).merge(sc)
			}
			return err
		})
		if err != nil {
			return nil, nil, fmt.Errorf("map ratings: %w", err)
		}
	}
	// The unstamped requesters the directory places are read each on
	// their own and taken out of the rest, who are of no department.
	if placed := placedRequesters(dir); len(placed) > 0 {
		users := make([]string, 0, len(placed))
		for u := range placed {
			users = append(users, u)
		}
		slices.Sort(users)
		moved := map[pairKey]*cell{}
		for _, r := range mergeRuns(runs) {
			err := mc.EachRequesterMapCell(ctx, users, r.level, r.from, r.to, func(u string, k MapCellKey, enc []byte) error {
				if !inRuns(runs[k.Dept], k.Level, k.Bucket) {
					return nil
				}
				pk := pairKey{placed[u], k.Dept}
				if moved[pk] == nil {
					moved[pk] = &cell{}
				}
				return addCell(enc, moved[pk], false)
			})
			if err != nil {
				return nil, nil, fmt.Errorf("map: %w", err)
			}
			err = mc.EachRequesterMapRating(ctx, users, r.level, r.from, r.to, func(u string, k MapCellKey, sc Scores) error {
				if !inRuns(runs[k.Dept], k.Level, k.Bucket) {
					return nil
				}
				unstampedCSAT[k.Dept].sub(sc)
				scoresOf(pairKey{placed[u], k.Dept}).merge(sc)
				return nil
			})
			if err != nil {
				return nil, nil, fmt.Errorf("map ratings: %w", err)
			}
		}
		taken := map[string]*cell{}
		for pk, c := range moved {
			sumOf(pk).plus(c)
			if taken[pk.to] == nil {
				taken[pk.to] = &cell{}
			}
			taken[pk.to].plus(c)
		}
		for dept, t := range taken {
			if err := unstamped[dept].minus(t); err != nil {
				return nil, nil, fmt.Errorf("map cells of %s: %w", dept, err)
			}
		}
	}
	for _, dep := range deps {
		if c := unstamped[dep.Name]; !c.empty() {
			sumOf(pairKey{UnknownDept, dep.Name}).plus(c)
		}
		if sc := unstampedCSAT[dep.Name]; *sc != (Scores{}) {
			scoresOf(pairKey{UnknownDept, dep.Name}).merge(*sc)
		}
	}
	for k, c := range sums {
		tallyOf(k).addCellCounts(c.sum())
	}
	// The parts read on their own.
	byName := map[string]*bot.Department{}
	for _, dep := range deps {
		byName[dep.Name] = dep
	}
	l := newPartLoader(byName, now)
	depNames := names(deps)
	if err := ro.EachPartApart(ctx, depNames, time.Time{}, l.add); err != nil {
		return nil, nil, fmt.Errorf("map: %w", err)
	}
	if !tailFrom.IsZero() {
		if err := ro.EachPartSince(ctx, depNames, tailFrom, l.add); err != nil {
			return nil, nil, fmt.Errorf("map: %w", err)
		}
	}
	if l.err != nil {
		return nil, nil, fmt.Errorf("map: %w", l.err)
	}
	d := &digestData{now: now, byDept: l.byDept, index: map[string]*bizIndex{}}
	buildIndexes(d, deps, from, to, now)
	for _, f := range l.running {
		d.decide(f, d.index[f.dep.Name])
	}
	if err := lowRateApart(ctx, ro, d, depNames, from); err != nil {
		return nil, nil, fmt.Errorf("map: %w", err)
	}
	for _, dep := range deps {
		x, s := d.index[dep.Name], spans[dep.Name]
		for _, f := range d.byDept[dep.Name] {
			tallyOf(pairKey{requesterDept(dir, f.r), dep.Name}).add(x, f, partSpan(f, s), false)
		}
	}
	// The prompts of the last quarter-hour.
	if !tailFrom.IsZero() {
		err := mc.EachMapRating(ctx, tailFrom, tailTo, func(customer string, r bot.Rating) error {
			if s, ok := spans[r.Dept]; ok && (span{from: coverEnd(s), at: s.at}).holds(r.AskedAt) {
				scoresOf(pairKey{customerOf(dir, customer), r.Dept}).addRating(r)
			}
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("map ratings: %w", err)
		}
	}
	// A rating counted above by its request's stamped department whose
	// request the map does not read goes to its requester's department
	// now, as ComputeMap places it from whole requests.
	err := mc.EachLateRating(ctx, from, to, func(customer string, r bot.Rating, parts []PartSpan) error {
		if s, ok := spans[r.Dept]; !ok || !s.holds(r.AskedAt) {
			return nil
		}
		for _, p := range parts {
			if byName[p.Dept] != nil && (p.End.IsZero() || !p.End.Before(from)) && p.Start.Before(to) {
				return nil // read
			}
		}
		if was, is := customerOf(dir, customer), customerDept(dir, r.Requester); was != is {
			scoresOf(pairKey{was, r.Dept}).subRating(r)
			scoresOf(pairKey{is, r.Dept}).addRating(r)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("map ratings: %w", err)
	}
	return tallies, csat, nil
}

// lowRateApart sets lowRated on the parts counted apart by the low
// ratings of depts asked at or after since, as loadRollups does.
func lowRateApart(ctx context.Context, ro Rollups, d *digestData, depts []string, since time.Time) error {
	var ids []string
	var apart []*reqFacts
	for _, fs := range d.byDept {
		for _, f := range fs {
			if f.apart && f.resolved && !f.reopenedHere() {
				ids, apart = append(ids, f.r.ID), append(apart, f)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	lows, err := ro.LowRatingsOf(ctx, ids)
	if err != nil {
		return err
	}
	in := map[string]bool{}
	for _, n := range depts {
		in[n] = true
	}
	for _, f := range apart {
		for _, r := range lows[f.r.ID] {
			if in[r.Dept] && !r.AskedAt.Before(since) {
				f.lowRated = true
			}
		}
	}
	return nil
}

// eachLevelRun calls fn with the runs of cells that cover [from, to): the
// whole UTC days at level 1, the rest at level 0.
func eachLevelRun(from, to time.Time, fn func(level int, from, to time.Time) error) error {
	if !from.Before(to) {
		return nil
	}
	day := levelSpan[levelDay]
	d0 := time.UnixMilli(-floorDiv(-from.UnixMilli(), day) * day).UTC()
	d1 := time.UnixMilli(floorDiv(to.UnixMilli(), day) * day).UTC()
	if !d0.Before(d1) {
		return fn(levelQuarter, from, to)
	}
	for _, r := range []struct {
		level    int
		from, to time.Time
	}{{levelQuarter, from, d0}, {levelDay, d0, d1}, {levelQuarter, d1, to}} {
		if r.from.Before(r.to) {
			if err := fn(r.level, r.from, r.to); err != nil {
				return err
			}
		}
	}
	return nil
}

// levelRun is a run of cells at one level (eachLevelRun).
type levelRun struct {
	level    int
	from, to time.Time
}

// mergeRuns returns the runs of every department's, each level's
// overlapping or touching runs made one, by level and start.
func mergeRuns(byDept map[string][]levelRun) []levelRun {
	var all []levelRun
	for _, rs := range byDept {
		all = append(all, rs...)
	}
	slices.SortFunc(all, func(a, b levelRun) int { return cmp.Or(cmp.Compare(a.level, b.level), a.from.Compare(b.from)) })
	var out []levelRun
	for _, r := range all {
		if n := len(out); n > 0 && out[n-1].level == r.level && !r.from.After(out[n-1].to) {
			out[n-1].to = maxTime(out[n-1].to, r.to)
			continue
		}
		out = append(out, r)
	}
	return out
}

// inRuns says whether the cell at level and bucket is in one of runs.
func inRuns(runs []levelRun, level int, bucket time.Time) bool {
	for _, r := range runs {
		if r.level == level && !bucket.Before(r.from) && bucket.Before(r.to) {
			return true
		}
	}
	return false
}

// placedRequesters returns the people the directory places in a
// department (customerDept other than UnknownDept): those of [people]
// with a department, and every department's staff.
func placedRequesters(dir *bot.Directory) map[string]string {
	out := map[string]string{}
	place := func(u string) {
		if _, ok := out[u]; !ok {
			if d := dir.HomeDepartment(u); d != "" {
				out[u] = d
			}
		}
	}
	for u := range dir.People {
		place(u)
	}
	for _, dep := range dir.Departments {
		for _, u := range dep.Staff() {
			place(u)
		}
	}
	return out
}

// minus takes o's counts and times out of c (people are not kept in map
// cells); an error when c does not hold them.
func (c *cell) minus(o *cell) error {
	for i := range c.n {
		c.n[i] -= o.n[i]
		if c.n[i] < 0 {
			return fmt.Errorf("map cell: count %d below zero: %w", i, ErrKeptCounts)
		}
	}
	var err error
	if c.fr, err = removeTimes(c.fr, o.fr); err != nil {
		return err
	}
	c.res, err = removeTimes(c.res, o.res)
	return err
}

// removeTimes returns ds with each of minus taken away once (both are
// sorted here), an error when ds does not hold one.
func removeTimes(ds, minus []time.Duration) ([]time.Duration, error) {
	if len(minus) == 0 {
		return ds, nil
	}
	sortTimes(ds)
	sortTimes(minus)
	out := ds[:0]
	j := 0
	for _, d := range ds {
		if j < len(minus) && minus[j] == d {
			j++
			continue
		}
		if j < len(minus) && minus[j] < d {
			break
		}
		out = append(out, d)
	}
	if j < len(minus) {
		return nil, fmt.Errorf("map cell: time %v not held: %w", minus[j], ErrKeptCounts)
	}
	return out, nil
}

// sub takes u out of s.
func (s *Scores) sub(u Scores) {
	s.Asked -= u.Asked
	s.Answered -= u.Answered
	for i := range s.Dist {
		s.Dist[i] -= u.Dist[i]
	}
}

// subRating takes back what addRating added for r.
func (s *Scores) subRating(r bot.Rating) {
	if r.Skipped != "" {
		return
	}
	s.Asked--
	if r.Score >= 1 && r.Score <= 5 {
		s.Answered--
		s.Dist[r.Score-1]--
	}
}

// mapCellsFor returns the store's MapCells and Rollups when the map of
// spans at now can be counted from cells (as rollupsFor decides for
// scorecards).
func mapCellsFor(ctx context.Context, reports Reports, dir *bot.Directory, spans []span, now time.Time) (MapCells, Rollups, int64, bool, error) {
	mc, ok := reports.(MapCells)
	if !ok {
		return nil, nil, 0, false, nil
	}
	ro, seq, ok, err := rollupsFor(ctx, reports, dir, dir.Departments, spans, now)
	if err != nil || !ok {
		return nil, nil, 0, false, err
	}
	return mc, ro, seq, true, nil
}

// plus adds o's counts, times and people to c.
func (c *cell) plus(o *cell) {
	for i := range c.n {
		c.n[i] += o.n[i]
	}
	c.fr = append(c.fr, o.fr...)
	c.res = append(c.res, o.res...)
	for name, q := range o.people {
		if c.people == nil {
			c.people = map[string]*[3]int64{}
		}
		p := c.people[name]
		if p == nil {
			p = &[3]int64{}
			c.people[name] = p
		}
		for i := range p {
			p[i] += q[i]
		}
	}
}

// sum is c as a cellSum, sharing its times (c is not written to after).
func (c *cell) sum() *cellSum {
	s := &cellSum{n: c.n, people: c.people}
	s.fr.addRun(c.fr)
	s.res.addRun(c.res)
	return s
}
