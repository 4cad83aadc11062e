package console_test

import (
	"regexp"
	"testing"
)

// routeButton finds the routing buttons the console printed.
var routeButton = regexp.MustCompile(`\[(:route P\d+ [^\]]+)\]`)

// TestRoute_PressTheOfferedButton: free text without a department is
// answered with routing buttons and nothing else; typing the first one,
// as printed, files the text with IT; the menu's "<dept>" takes any
// department.
func TestRoute_PressTheOfferedButton(t *testing.T) {
	f := MustOpenConsole(t, sam)
	out := f.run("/ask my laptop screen is broken\n")
	mustContain(t, out, "[:route P1 it]", "[:route P1 <dept>]", "Nothing is filed until you choose")
	mustNotContain(t, out, "card IT-1", "no department called")
	first := routeButton.FindStringSubmatch(out)
	if first == nil {
		t.Fatalf("no routing button in:\n%s", out)
	}
	out = f.run(first[1] + "\n")
	mustContain(t, out, "Filed *IT-1* with IT", "C0ITHELP1 · card IT-1", "[:cancel IT-1]")

	t.Run("SomeoneElse", func(t *testing.T) {
		out := f.run("/ask my laptop screen is broken again\n:route P2 facilities\n")
		mustContain(t, out, "[:route P2 <dept>]", "Filed *FAC-1* with Facilities")
	})
	t.Run("Typo", func(t *testing.T) {
		out := f.run("/ask finanse need the budget\n")
		mustContain(t, out, "There is no department called “finanse”. Did you mean “finance”?")
		mustNotContain(t, out, ":route")
	})
}
