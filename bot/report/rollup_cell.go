package report

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"
)

// A cell is what the parts of one department counted at instants in one
// time bucket (see Rollups): the figures that are sums of events, and the
// first-response and resolution times in order, so that the medians of any
// run of buckets can be picked exactly.
type cell struct {
	n       [cellCounts]int64
	fr, res []time.Duration // sorted
	people  map[string]*[3]int64
}

// The counts of a cell, by index.
const (
	cNew = iota
	cReceived
	cPassedOn
	cResolved
	cResMet
	cRightFirstTime
	cFirstResponses
	cFirstResponsesMet
	cReopened
	cellCounts
)

// The people counts: resolved, met, right first time.
const (
	pResolved = iota
	pMet
	pRightFirstTime
)

// cellFormat is the first byte of every cell's encoding.
const cellFormat = 1

// ErrKeptCounts is wrapped by every error that finds a cell at odds with
// the parts it sums: a cell that cannot be read, or a part taking away
// what its cell does not hold. Only rebuilding the cells mends it
// (askdesk report rebuild).
var ErrKeptCounts = errors.New("the counts kept for reports disagree with the stored parts")

var errCell = fmt.Errorf("malformed rollup cell: %w", ErrKeptCounts)

func (c *cell) empty() bool {
	return c.n == [cellCounts]int64{} && len(c.fr) == 0 && len(c.res) == 0 && len(c.people) == 0
}

// encode writes c: the counts, each list of times as its length and the
// gaps between its sorted values, the people by name.
func (c *cell) encode() []byte {
	b := make([]byte, 0, 16+2*(len(c.fr)+len(c.res))+16*len(c.people))
	b = append(b, cellFormat)
	for _, n := range c.n {
		b = binary.AppendVarint(b, n)
	}
	for _, ds := range [][]time.Duration{c.fr, c.res} {
		b = binary.AppendUvarint(b, uint64(len(ds)))
		prev := time.Duration(0)
		for i, d := range ds {
			if i == 0 {
				b = binary.AppendVarint(b, int64(d))
			} else {
				b = binary.AppendUvarint(b, uint64(d-prev))
			}
			prev = d
		}
	}
	names := make([]string, 0, len(c.people))
	for name := range c.people {
		names = append(names, name)
	}
	slices.Sort(names)
	b = binary.AppendUvarint(b, uint64(len(names)))
	for _, name := range names {
		b = appendPartString(b, name)
		for _, n := range c.people[name] {
			b = binary.AppendVarint(b, n)
		}
	}
	return b
}

// decodeCell reads an encoded cell.
func decodeCell(b []byte) (*cell, error) {
	c := &cell{}
	if err := addCell(b, c, true); err != nil {
		return nil, err
	}
	return c, nil
}

// addCell adds the encoded cell b to c: counts and people summed, times
// appended (kept sorted only if sorted is set, by merging).
func addCell(b []byte, c *cell, sorted bool) error {
	if len(b) < 1 || b[0] != cellFormat {
		return errCell
	}
	d := partDecoder{b: b[1:]}
	for i := range c.n {
		c.n[i] += d.varint()
	}
	for _, ds := range []*[]time.Duration{&c.fr, &c.res} {
		n := d.uvarint()
		if n > uint64(len(d.b)) {
			return errCell
		}
		start := len(*ds)
		*ds = slices.Grow(*ds, int(n))
		prev := time.Duration(0)
		for i := range int(n) {
			if i == 0 {
				prev = time.Duration(d.varint())
			} else {
				prev += time.Duration(d.uvarint())
			}
			*ds = append(*ds, prev)
		}
		if sorted && start > 0 {
			mergeSorted(*ds, start)
		}
	}
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		return errCell
	}
	if n > 0 && c.people == nil {
		c.people = map[string]*[3]int64{}
	}
	for range n {
		name := d.string()
		p := c.people[name]
		if p == nil {
			p = &[3]int64{}
			c.people[name] = p
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

func (d *partDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err, d.b = errPartFacts, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

// mergeSorted sorts ds, whose [:mid] and [mid:] are each sorted.
func mergeSorted(ds []time.Duration, mid int) {
	if mid == 0 || mid == len(ds) || ds[mid-1] <= ds[mid] {
		return
	}
	out := make([]time.Duration, 0, len(ds))
	a, b := ds[:mid], ds[mid:]
	for len(a) > 0 && len(b) > 0 {
		if a[0] <= b[0] {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	out = append(append(out, a...), b...)
	copy(ds, out)
}

// cellChange is what a set of parts adds to one cell and takes from it.
type cellChange struct {
	plus, minus cell
}

// apply returns the encoding of old (nil: no cell yet) with ch applied,
// nil when nothing is left. Taking away a time the cell does not hold
// means the cell and the parts disagree: an error.
func (ch *cellChange) apply(old []byte) ([]byte, error) {
	c := &cell{}
	if old != nil {
		if err := addCell(old, c, true); err != nil {
			return nil, err
		}
	}
	for i := range c.n {
		c.n[i] += ch.plus.n[i] - ch.minus.n[i]
		if c.n[i] < 0 {
			return nil, fmt.Errorf("rollup cell: count %d below zero: %w", i, ErrKeptCounts)
		}
	}
	var err error
	if c.fr, err = applyTimes(c.fr, ch.plus.fr, ch.minus.fr); err != nil {
		return nil, err
	}
	if c.res, err = applyTimes(c.res, ch.plus.res, ch.minus.res); err != nil {
		return nil, err
	}
	for _, x := range []struct {
		people map[string]*[3]int64
		sign   int64
	}{{ch.plus.people, 1}, {ch.minus.people, -1}} {
		for name, q := range x.people {
			if c.people == nil {
				c.people = map[string]*[3]int64{}
			}
			p := c.people[name]
			if p == nil {
				p = &[3]int64{}
				c.people[name] = p
			}
			for i := range p {
				p[i] += x.sign * q[i]
				if p[i] < 0 {
					return nil, fmt.Errorf("rollup cell: %s's count %d below zero: %w", name, i, ErrKeptCounts)
				}
			}
			if *p == [3]int64{} {
				delete(c.people, name)
			}
		}
	}
	if c.empty() {
		return nil, nil
	}
	return c.encode(), nil
}

// applyTimes returns the sorted times with plus added and minus taken away.
func applyTimes(ds, plus, minus []time.Duration) ([]time.Duration, error) {
	if len(plus) > 0 {
		mid := len(ds)
		ds = append(ds, plus...)
		slices.Sort(ds[mid:])
		mergeSorted(ds, mid)
	}
	for _, m := range minus {
		i := sort.Search(len(ds), func(i int) bool { return ds[i] >= m })
		if i == len(ds) || ds[i] != m {
			return nil, fmt.Errorf("rollup cell: time %v not held: %w", m, ErrKeptCounts)
		}
		ds = slices.Delete(ds, i, i+1)
	}
	return ds, nil
}

func sortTimes(ds []time.Duration) { slices.Sort(ds) }
