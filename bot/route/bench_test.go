package route_test

import (
	"fmt"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/route"
)

// fullModel is the example company with the most history the desk reads
// (500 past requests per department), made of the evaluation set's
// requests with a number so that each is its own document.
func fullModel(b *testing.B) (*route.Model, []evalCase) {
	b.Helper()
	cases := evalSet(b)
	dir := exampleDir(b)
	depts := make([]route.Dept, len(dir.Departments))
	for i, dep := range dir.Departments {
		depts[i] = bot.RouteDept(dep)
		var own []string
		for _, c := range cases {
			if c.Dept == dep.Name {
				own = append(own, c.Text)
			}
		}
		for j := 0; j < 500; j++ {
			depts[i].History = append(depts[i].History, fmt.Sprintf("%s %d", own[j%len(own)], j))
		}
	}
	return route.New(depts), cases
}

// BenchmarkRoute is one suggestion: ranking the example company's nine
// departments for a request, with 4,500 past requests of history.
func BenchmarkRoute(b *testing.B) {
	m, cases := fullModel(b)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m.Rank(cases[i%len(cases)].Text)
	}
}

// BenchmarkRouteBuild is building that model, which the desk does when
// its cached one is ten minutes old or a choice was just made.
func BenchmarkRouteBuild(b *testing.B) {
	cases := evalSet(b)
	dir := exampleDir(b)
	depts := make([]route.Dept, len(dir.Departments))
	for i, dep := range dir.Departments {
		depts[i] = bot.RouteDept(dep)
		for j := 0; j < 500; j++ {
			depts[i].History = append(depts[i].History, cases[j%len(cases)].Text)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		route.New(depts)
	}
}
