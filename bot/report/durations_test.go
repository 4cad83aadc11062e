package report

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestDurationsSpreadAsSortingAll: the count, median and 90th percentile
// of a sample kept as runs (cells' times, other samples' with their
// tails as they were when added, times of its own), small and large, with
// few distinct values or many, are those of all its times sorted, and
// picking them again gives the same.
func TestDurationsSpreadAsSortingAll(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 12))
	var scratch []time.Duration
	for i := range 300 {
		var d durations
		var all []time.Duration
		spread := []int64{3, 1000, int64(time.Hour), int64(90 * 24 * time.Hour)}[rng.IntN(4)]
		value := func() time.Duration { return time.Duration(rng.Int64N(spread)) }
		if rng.IntN(5) == 0 {
			value = func() time.Duration { return time.Duration(7) } // all equal
		}
		// Mostly large samples, of many runs.
		runs := rng.IntN(400)
		if i%5 == 0 {
			runs = rng.IntN(20)
		}
		for range runs {
			n := rng.IntN(3)
			if rng.IntN(4) == 0 {
				n = rng.IntN(3000)
			}
			run := make([]time.Duration, n)
			for j := range run {
				run[j] = value()
			}
			slices.Sort(run)
			all = append(all, run...)
			if rng.IntN(3) == 0 {
				// Another sample's, with a tail of its own.
				var o durations
				o.addRun(run)
				for range rng.IntN(50) {
					x := value()
					o.add(x)
					all = append(all, x)
				}
				d.addAll(&o)
				o.add(value()) // after: not in d
			} else {
				d.addRun(run)
			}
		}
		for range rng.IntN(200) {
			x := value()
			d.add(x)
			all = append(all, x)
		}
		var sc *[]time.Duration
		if i%2 == 0 {
			sc = &scratch
		}
		got := d.spread(sc)
		want := spreadOf(slices.Clone(all))
		if got != want {
			t.Fatalf("sample %d (%d times in %d runs, values below %d): got %+v, want %+v", i, len(all), runs, spread, got, want)
		}
		// Picked again, the same (nothing was reordered in the runs).
		if again := d.spread(sc); again != want {
			t.Fatalf("sample %d picked again: got %+v, want %+v", i, again, want)
		}
	}
}
