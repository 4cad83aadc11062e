package report

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

// TestCellChange: a cell takes changes in any order and comes back to what
// the same parts give when counted afresh; taking away what it does not
// hold is an error, and an emptied cell is nil.
func TestCellChange(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		var out []time.Duration
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Millisecond)
		}
		return out
	}
	add := func(old []byte, ch cellChange) []byte {
		t.Helper()
		b, err := ch.apply(old)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a := cellChange{plus: cell{n: [cellCounts]int64{cNew: 2, cResolved: 1}, fr: ms(5, -3), res: ms(40),
		people: map[string]*[3]int64{"U1": {1, 1, 0}}}}
	b := cellChange{plus: cell{n: [cellCounts]int64{cNew: 1}, fr: ms(5, 9), res: ms(1)}}
	got := add(add(nil, a), b)
	want := (&cell{n: [cellCounts]int64{cNew: 3, cResolved: 1}, fr: ms(-3, 5, 5, 9), res: ms(1, 40),
		people: map[string]*[3]int64{"U1": {1, 1, 0}}}).encode()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("a then b: %v, want %v", got, want)
	}
	c, err := decodeCell(got)
	if err != nil || !reflect.DeepEqual(c.fr, ms(-3, 5, 5, 9)) || c.n[cNew] != 3 || c.people["U1"][pMet] != 1 {
		t.Fatalf("decoded %+v, %v", c, err)
	}
	// Taking a away leaves b alone.
	back := add(got, cellChange{minus: a.plus})
	if want := add(nil, b); !reflect.DeepEqual(back, want) {
		t.Errorf("a taken away: %v, want %v", back, want)
	}
	if left := add(back, cellChange{minus: b.plus}); left != nil {
		t.Errorf("all taken away: %v, want nil", left)
	}
	if _, err := (&cellChange{minus: cell{fr: ms(7)}}).apply(back); err == nil {
		t.Error("took away a time the cell does not hold")
	}
	if _, err := (&cellChange{minus: cell{n: [cellCounts]int64{cResolved: 1}}}).apply(back); err == nil {
		t.Error("took a count below zero")
	}
}

// TestSpreadPicksAsSorting: the median and 90th percentile picked without
// sorting are those of the sorted sample, with repeats and any length.
func TestSpreadPicksAsSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 10, 33, 100, 1000, 5000} {
		for _, spread := range []int{1, 3, 1000, 1 << 30} {
			xs := make([]time.Duration, n)
			for i := range xs {
				xs[i] = time.Duration(rng.IntN(spread))
			}
			sorted := slices.Clone(xs)
			slices.Sort(sorted)
			rank := func(p int) time.Duration { return sorted[max((p*n+99)/100, 1)-1] }
			want := Spread{N: n, Median: rank(50), P90: rank(90)}
			if got := spreadOf(xs); got != want {
				t.Errorf("n %d spread %d: %+v, want %+v", n, spread, got, want)
			}
		}
	}
}
