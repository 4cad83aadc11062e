package route_test

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/route"
)

// evalCase is one request of the evaluation set and the department that
// should serve it.
type evalCase struct {
	Dept, Text string
	Held       bool // held out: never looked at while tuning
}

// evalSet reads testdata/routing/requests.tsv; every 4th request is held out.
func evalSet(tb testing.TB) []evalCase {
	tb.Helper()
	f, err := os.Open("../../testdata/routing/requests.tsv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []evalCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		dept, text, ok := strings.Cut(line, "\t")
		if !ok {
			tb.Fatalf("no tab in %q", line)
		}
		out = append(out, evalCase{Dept: dept, Text: text, Held: (len(out)+1)%4 == 0})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// exampleDir is the example company (config.example.toml).
func exampleDir(tb testing.TB) *bot.Directory {
	tb.Helper()
	c, err := config.Load("../../config.example.toml")
	if err != nil {
		tb.Fatal(err)
	}
	dir, err := c.Directory()
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// accuracy is the share of cases whose first suggestion is their department.
func accuracy(tb testing.TB, m *route.Model, cases []evalCase, held bool) float64 {
	tb.Helper()
	right, n := 0, 0
	for _, c := range cases {
		if c.Held != held {
			continue
		}
		n++
		if got := m.Rank(c.Text)[0]; got.Dept == c.Dept && got.Score > 0 {
			right++
		} else if testing.Verbose() && !held { // held-out misses stay unseen
			tb.Logf("miss (held=%v): %q → %s, want %s", held, c.Text, got.Dept, c.Dept)
		}
	}
	return float64(right) / float64(n)
}

func catalogueModel(dir *bot.Directory) *route.Model {
	depts := make([]route.Dept, len(dir.Departments))
	for i, dep := range dir.Departments {
		depts[i] = bot.RouteDept(dep)
	}
	return route.New(depts)
}

// TestRouteAccuracy_CatalogueAlone: with no history, from the example
// config's descriptions, names and keywords alone, at least 7 in 10
// held-out requests get their department as the first suggestion.
func TestRouteAccuracy_CatalogueAlone(t *testing.T) {
	cases := evalSet(t)
	m := catalogueModel(exampleDir(t))
	tuning, held := accuracy(t, m, cases, false), accuracy(t, m, cases, true)
	t.Logf("catalogue alone: top-1 %.0f%% on the tuning part, %.0f%% held out", 100*tuning, 100*held)
	if held < 0.70 {
		t.Errorf("held-out top-1 accuracy %.0f%%, want at least 70%%", 100*held)
	}
}
