package report

import (
	"math"
	"slices"
	"sort"
	"time"
)

// durations is a sample of durations (first-response or resolution
// times) kept as the runs it was given, so that adding one sample to
// another, or a cell's times to a sum, copies no times: a quarter's are
// hundreds of thousands, added into a department's section, the
// company's and a priority's. spread picks the percentiles from the runs
// themselves.
//
// A run is never written to once added (several samples may hold it);
// single times go to a tail of the sample's own.
type durations struct {
	sorted [][]time.Duration // each in order: a cell's times
	loose  [][]time.Duration // in no order: other samples' tails
	tail   []time.Duration
	n      int
}

// add adds one time.
func (d *durations) add(x time.Duration) {
	d.tail = append(d.tail, x)
	d.n++
}

// addRun adds the times of xs, in order, which no one writes to after.
func (d *durations) addRun(xs []time.Duration) {
	if len(xs) == 0 {
		return
	}
	d.sorted = append(d.sorted, xs[:len(xs):len(xs)])
	d.n += len(xs)
}

// addAll adds every time of o, whose tail it shares up to its present
// length.
func (d *durations) addAll(o *durations) {
	d.sorted = append(d.sorted, o.sorted...)
	d.loose = append(d.loose, o.loose...)
	if len(o.tail) > 0 {
		d.loose = append(d.loose, o.tail[:len(o.tail):len(o.tail)])
	}
	d.n = d.n + o.n
}

// smallSpread is how many times are copied and picked from (spreadOf)
// rather than picked from the runs.
const smallSpread = 4096

// spread returns the sample's count, median and 90th percentile, as
// spreadOf does. A small sample is copied into *scratch (when given, and
// kept there for the next) and picked from; a large one is picked from
// its runs (nthOfRuns), its loose times copied and sorted into one run
// more.
func (d *durations) spread(scratch *[]time.Duration) Spread {
	if d.n == 0 {
		return Spread{}
	}
	var buf []time.Duration
	if scratch != nil {
		buf = (*scratch)[:0]
	}
	copyLoose := func(all bool) []time.Duration {
		if all {
			for _, r := range d.sorted {
				buf = append(buf, r...)
			}
		}
		for _, r := range d.loose {
			buf = append(buf, r...)
		}
		buf = append(buf, d.tail...)
		if scratch != nil {
			*scratch = buf
		}
		return buf
	}
	if d.n <= smallSpread {
		return spreadOf(copyLoose(true))
	}
	runs := d.sorted
	if loose := copyLoose(false); len(loose) > 0 {
		slices.Sort(loose)
		runs = append(slices.Clip(runs), loose)
	}
	rank := func(p int) int { return max((p*d.n+99)/100, 1) - 1 }
	return Spread{N: d.n, Median: nthOfRuns(runs, d.n, rank(50)), P90: nthOfRuns(runs, d.n, rank(90))}
}

// nthOfRuns returns the k-th smallest (from 0) of the n times of runs,
// each in order, as sorting them all would: it samples every 64th time of
// each run, takes two bounds from the sample around the rank, counts the
// times below the lower bound and between the two in each run by binary
// search, and picks from the few between when the k-th lies there (else
// it widens the bounds, until they hold every time).
func nthOfRuns(runs [][]time.Duration, n, k int) time.Duration {
	const step = 64
	sample := make([]time.Duration, 0, n/step+len(runs))
	for _, r := range runs {
		for j := min(step/2, len(r)-1); j < len(r); j += step {
			sample = append(sample, r[j])
		}
	}
	slices.Sort(sample)
	p := int(int64(k) * int64(len(sample)) / int64(n))
	for margin := 16; ; margin *= 4 {
		lo, hi := time.Duration(math.MinInt64), time.Duration(math.MaxInt64)
		if i := p - margin; i > 0 {
			lo = sample[i]
		}
		if i := p + margin; i < len(sample)-1 {
			hi = sample[i]
		}
		below, between := 0, 0
		for _, r := range runs {
			a, b := boundsIn(r, lo, hi)
			below, between = below+a, between+b-a
		}
		if k < below || k >= below+between {
			continue // the bounds were from a part of the sample too far off
		}
		xs := make([]time.Duration, 0, between)
		for _, r := range runs {
			a, b := boundsIn(r, lo, hi)
			xs = append(xs, r[a:b]...)
		}
		selectNth(xs, k-below)
		return xs[k-below]
	}
}

// boundsIn returns where the times of r (in order) from lo to hi, both
// included, begin and end.
func boundsIn(r []time.Duration, lo, hi time.Duration) (int, int) {
	a := sort.Search(len(r), func(i int) bool { return r[i] >= lo })
	b := a + sort.Search(len(r)-a, func(i int) bool { return r[a+i] > hi })
	return a, b
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
