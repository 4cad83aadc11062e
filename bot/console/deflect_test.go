package console_test

import (
	"regexp"
	"testing"
)

var (
	answeredButton = regexp.MustCompile(`\[(:answered P\d+ [^\]]+)\]`)
	anywayButton   = regexp.MustCompile(`\[(:route P\d+ ![^\]]+)\]`)
)

// TestDeflect_PressThisAnsweredItOrFileAnyway: a routed question like one
// Finance answered before shows the earlier answer when confirmed;
// "This answered it", typed as printed, files nothing; "File anyway"
// files.
func TestDeflect_PressThisAnsweredItOrFileAnyway(t *testing.T) {
	f := MustOpenConsole(t, sam)
	f.run("/ask finance please send the Q3 travel budget figures\n:as frank\n:resolve FIN-1 The Q3 travel budget figures are on the finance wiki under Budgets\n:as sam\n")
	confirm := func(text string) string {
		t.Helper()
		out := f.run("/ask " + text + "\n")
		b := routeButton.FindStringSubmatch(out)
		if b == nil {
			t.Fatalf("no routing button in:\n%s", out)
		}
		return f.run(b[1] + "\n")
	}
	out := confirm("where are the travel budget figures")
	mustContain(t, out, "FIN-1", "finance wiki under Budgets", "File anyway", "[:answered P1 FIN-1:finance/budget]")
	mustNotContain(t, out, "Filed *FIN-2*")
	b := answeredButton.FindStringSubmatch(out)
	if b == nil {
		t.Fatalf("no This answered it button in:\n%s", out)
	}
	out = f.run(b[1] + "\n")
	mustContain(t, out, "nothing was filed")

	out = confirm("travel budget figures for Q4 please")
	a := anywayButton.FindStringSubmatch(out)
	if a == nil {
		t.Fatalf("no File anyway button in:\n%s", out)
	}
	out = f.run(a[1] + "\n")
	mustContain(t, out, "Filed *FIN-2* with Finance")
}
