package report

import "time"

// durations is a sample of durations (first-response or resolution
// times) kept as the runs it was given, so that adding one sample to
// another, or a cell's times to a sum, copies no times: a quarter's are
// hundreds of thousands, added into a department's section, the
// company's and a priority's. spread copies them once, to pick from.
//
// A run is never written to once added (several samples may hold it);
// single times go to a tail of the sample's own.
type durations struct {
	runs [][]time.Duration
	tail []time.Duration
	n    int
}

// add adds one time.
func (d *durations) add(x time.Duration) {
	d.tail = append(d.tail, x)
	d.n++
}

// addRun adds the times of xs, which no one writes to after.
func (d *durations) addRun(xs []time.Duration) {
	if len(xs) == 0 {
		return
	}
	d.runs = append(d.runs, xs[:len(xs):len(xs)])
	d.n += len(xs)
}

// addAll adds every time of o, whose tail it shares up to its present
// length.
func (d *durations) addAll(o *durations) {
	for _, r := range o.runs {
		d.addRun(r)
	}
	d.addRun(o.tail)
}

// spread picks the median and 90th percentile (spreadOf) from a copy,
// made in *scratch when that is given and kept there for the next (a
// report's are millions of times: fresh memory each time costs more in
// page faults than the copy).
func (d *durations) spread(scratch *[]time.Duration) Spread {
	if d.n == 0 {
		return Spread{}
	}
	var xs []time.Duration
	if scratch != nil && cap(*scratch) >= d.n {
		xs = (*scratch)[:0]
	} else {
		xs = make([]time.Duration, 0, d.n)
		if scratch != nil {
			*scratch = xs
		}
	}
	for _, r := range d.runs {
		xs = append(xs, r...)
	}
	return spreadOf(append(xs, d.tail...))
}

// timeSlab hands out slices of a few large arrays for the times decoded
// from cells, rather than one allocation (or a growing slice) each.
type timeSlab struct{ free []time.Duration }

// slabSize is how many times a slab holds: 128 KiB.
const slabSize = 1 << 14

// take returns a slice of length n that no one else is given.
func (s *timeSlab) take(n int) []time.Duration {
	if n > len(s.free) {
		if n > slabSize/4 {
			return make([]time.Duration, n)
		}
		s.free = make([]time.Duration, slabSize)
	}
	out := s.free[:n:n]
	s.free = s.free[n:]
	return out
}
