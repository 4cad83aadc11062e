package report

import (
	"github.com/askdesk/askdesk/bot"

	"context"
	"encoding/binary"
	"slices"
	"time"
)

// sumDepts sums the cells of each of deps over spans into roll: kind ""
// of every span, and the priorities' of spans[0] (a department's own
// period) when prio names them.
func sumDepts(ctx context.Context, ro Rollups, deps []*bot.Department, spans []span, prio []string, roll *rollupData) error {
	slab := &timeSlab{}
	for _, dep := range deps {
		byKey := map[spanKey]map[string]*cellSum{}
		roll.sums[dep.Name] = byKey
		if err := sumSpans(ctx, ro, dep.Name, spans, byKey, slab); err != nil {
			return err
		}
		if s := spans[0]; len(prio) > 1 {
			if err := sumCells(ctx, ro, dep.Name, prio[1:], s.from, coverEnd(s), byKey[keyOf(s)], slab); err != nil {
				return err
			}
		}
	}
	return nil
}

// sumSpans is sumCells for the kind "" of every span of dept (by key,
// each once), reading each day cell once: a department's periods in its
// own zone and in the company's share all their days but one at each end,
// and a report's two periods meet, so the days are split where any span's
// whole days start or end and each piece is summed once, then added to
// every span that holds it. The quarter-hours at the ends are read for
// each span, as sumCells does.
func sumSpans(ctx context.Context, ro Rollups, dept string, spans []span, out map[spanKey]map[string]*cellSum, slab *timeSlab) error {
	type daySpan struct {
		key            spanKey
		from, to       time.Time // the cells' range: [s.from, coverEnd(s))
		d0, d1         time.Time // its whole UTC days, when d0 < d1
		hasDays, empty bool
	}
	day := levelSpan[levelDay]
	var ds []daySpan
	var cuts []time.Time
	for _, s := range spans {
		k := keyOf(s)
		if out[k] != nil {
			continue
		}
		out[k] = map[string]*cellSum{}
		x := daySpan{key: k, from: s.from, to: coverEnd(s)}
		if !x.from.Before(x.to) {
			x.empty = true
		} else {
			x.d0 = time.UnixMilli(-floorDiv(-x.from.UnixMilli(), day) * day).UTC()
			x.d1 = time.UnixMilli(floorDiv(x.to.UnixMilli(), day) * day).UTC()
			if x.hasDays = x.d0.Before(x.d1); x.hasDays {
				cuts = append(cuts, x.d0, x.d1)
			}
		}
		ds = append(ds, x)
	}
	slices.SortFunc(cuts, func(a, b time.Time) int { return a.Compare(b) })
	cuts = slices.CompactFunc(cuts, func(a, b time.Time) bool { return a.Equal(b) })
	// Each piece between two cuts that some span's days cover, summed
	// once.
	pieces := make([]*cellSum, max(len(cuts)-1, 0))
	for i := range pieces {
		a, b := cuts[i], cuts[i+1]
		covered := false
		for _, x := range ds {
			covered = covered || (x.hasDays && !a.Before(x.d0) && !b.After(x.d1))
		}
		if !covered {
			continue
		}
		c := &cellSum{}
		if err := ro.EachCell(ctx, dept, levelDay, []string{""}, a, b, func(_ string, _ time.Time, bs []byte) error {
			return c.addEncoded(bs, slab)
		}); err != nil {
			return err
		}
		pieces[i] = c
	}
	for _, x := range ds {
		if x.empty {
			continue
		}
		c := &cellSum{}
		out[x.key][""] = c
		add := func(_ string, _ time.Time, bs []byte) error { return c.addEncoded(bs, slab) }
		if !x.hasDays {
			if err := ro.EachCell(ctx, dept, levelQuarter, []string{""}, x.from, x.to, add); err != nil {
				return err
			}
			continue
		}
		if err := ro.EachCell(ctx, dept, levelQuarter, []string{""}, x.from, x.d0, add); err != nil {
			return err
		}
		for i, p := range pieces {
			if p != nil && !cuts[i].Before(x.d0) && !cuts[i+1].After(x.d1) {
				c.plus(p)
			}
		}
		if err := ro.EachCell(ctx, dept, levelQuarter, []string{""}, x.d1, x.to, add); err != nil {
			return err
		}
	}
	return nil
}

// cellSum is cells added up: counts and people summed, each cell's times
// kept as a run of its own (durations), decoded into slab.
type cellSum struct {
	n       [cellCounts]int64
	fr, res durations
	people  map[string]*[3]int64
}

// addEncoded adds the encoded cell b (cell.encode) to c, its times
// decoded into slices of slab.
func (c *cellSum) addEncoded(b []byte, slab *timeSlab) error {
	if len(b) < 1 || b[0] != cellFormat {
		return errCell
	}
	d := partDecoder{b: b[1:]}
	for i := range c.n {
		c.n[i] += d.varint()
	}
	for _, ds := range []*durations{&c.fr, &c.res} {
		n := d.uvarint()
		if n > uint64(len(d.b)) {
			return errCell
		}
		if n == 0 {
			continue
		}
		run := slab.take(int(n))
		prev := time.Duration(d.varint())
		run[0] = prev
		for i := 1; i < len(run); i++ {
			prev += time.Duration(d.uvarint())
			run[i] = prev
		}
		ds.addRun(run)
	}
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		return errCell
	}
	if n > 0 && c.people == nil {
		c.people = map[string]*[3]int64{}
	}
	for range n {
		name := d.bytes()
		p := c.people[string(name)] // no copy for a name held already
		if p == nil {
			p = &[3]int64{}
			c.people[string(name)] = p
		}
		for i := range p {
			p[i] += d.varint()
		}
	}
	if d.err != nil || len(d.b) != 0 {
		return errCell
	}
	return nil
}

// bytes is string without the copy: valid while the encoding is.
func (d *partDecoder) bytes() []byte {
	n, k := binary.Uvarint(d.b)
	if k <= 0 || uint64(len(d.b)-k) < n {
		d.err, d.b = errPartFacts, nil
		return nil
	}
	b := d.b[k : k+int(n)]
	d.b = d.b[k+int(n):]
	return b
}

// plus adds o's counts, times and people to c.
func (c *cellSum) plus(o *cellSum) {
	for i := range c.n {
		c.n[i] += o.n[i]
	}
	c.fr.addAll(&o.fr)
	c.res.addAll(&o.res)
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
