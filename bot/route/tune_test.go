package route_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/route"
)

var tuneVariations = []func(string) string{
	func(s string) string { return s },
	func(s string) string { return "Hi, " + s + ", thanks" },
	func(s string) string { return "please help: " + s },
	func(s string) string { w := strings.Fields(s); return strings.Join(w[:(len(w)+1)/2], " ") },
	func(s string) string { w := strings.Fields(s); return strings.Join(w[len(w)/2:], " ") },
}

// TestTuneHistory is a tuning aid, not a check: it cross-validates
// HistoryWeight on the tuning part alone (history from three quarters of
// it, scored on the fourth) and logs the accuracy of each weight.
func TestTuneHistory(t *testing.T) {
	if !testing.Verbose() {
		t.Skip("a tuning aid: go test -v -run TestTuneHistory ./bot/route/")
	}
	cases := evalSet(t)
	dir := exampleDir(t)
	var tuning []evalCase
	for _, c := range cases {
		if !c.Held {
			tuning = append(tuning, c)
		}
	}
	{
		for _, w := range []float64{0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3} {
			right, n := 0, 0
			for fold := 0; fold < 4; fold++ {
				depts := make([]route.Dept, len(dir.Departments))
				idx := map[string]int{}
				for i, dep := range dir.Departments {
					depts[i] = bot.RouteDept(dep)
					idx[dep.Name] = i
				}
				var val []evalCase
				for j, c := range tuning {
					if j%4 == fold {
						val = append(val, c)
						continue
					}
					for _, v := range tuneVariations {
						depts[idx[c.Dept]].History = append(depts[idx[c.Dept]].History, v(c.Text))
					}
				}
				m := route.New(depts)
				m.HistoryWeight = w
				for _, c := range val {
					n++
					if g := m.Rank(c.Text)[0]; g.Dept == c.Dept && g.Score > 0 {
						right++
					}
				}
			}
			t.Logf("HistoryWeight %v: top-1 %.1f%%", w, 100*float64(right)/float64(n))
		}
	}
}
