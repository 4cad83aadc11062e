package report

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

// TestCellMinusTakesEachTimeOnce: taking a placed requester's cell out of
// the unstamped requesters' together cell takes each of its times once,
// equal times too (a median stays that of what is left), whatever the
// order the times were added in; a count or time the together cell does
// not hold is ErrKeptCounts.
func TestCellMinusTakesEachTimeOnce(t *testing.T) {
	m := time.Minute
	all := &cell{fr: []time.Duration{5 * m, 0, 3 * m, 0, 5 * m, 9 * m}, res: []time.Duration{m, 2 * m}}
	all.n[cNew] = 6
	one := &cell{fr: []time.Duration{5 * m, 0}, res: []time.Duration{2 * m}}
	one.n[cNew] = 2
	if err := all.minus(one); err != nil {
		t.Fatal(err)
	}
	if want := []time.Duration{0, 3 * m, 5 * m, 9 * m}; !reflect.DeepEqual(all.fr, want) {
		t.Errorf("first-response times left %v; want %v", all.fr, want)
	}
	if want := []time.Duration{m}; !reflect.DeepEqual(all.res, want) {
		t.Errorf("resolution times left %v; want %v", all.res, want)
	}
	if all.n[cNew] != 4 {
		t.Errorf("new left %d; want 4", all.n[cNew])
	}
	for name, bad := range map[string]*cell{
		"TimeNotHeld":  {fr: []time.Duration{7 * m}},
		"TimeTwice":    {fr: []time.Duration{9 * m, 9 * m}},
		"CountTooMany": {n: [cellCounts]int64{cNew: 5}},
	} {
		t.Run(name, func(t *testing.T) {
			c := &cell{fr: []time.Duration{0, 3 * m, 5 * m, 9 * m}}
			c.n[cNew] = 4
			if err := c.minus(bad); !errors.Is(err, ErrKeptCounts) {
				t.Errorf("minus %+v: %v; want ErrKeptCounts", bad, err)
			}
		})
	}
}
