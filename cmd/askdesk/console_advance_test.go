package main

import (
	"strings"
	"testing"
)

// TestConsoleLongAdvance: one :advance of 16 days runs what serve would
// have run in it, each at its time: the weekly digest of each week that
// ended in it (2026-W47 on Mon 23 Nov, W48 on Mon 30 Nov), and the
// auto-close of FIN-1 (resolved Mon 16 Nov 09:00, closed after 3 working
// days) stamped Thu 19 Nov 09:00, when it was due, not when the jump ended.
func TestConsoleLongAdvance(t *testing.T) {
	script := `:as sam
/ask finance need the Q3 budget numbers
:as fiona
:claim FIN-1
:resolve FIN-1 sent
:advance 16d
:as fiona
/ask status FIN-1
`
	code, out, errOut := run(t, script, "console", "--db", t.TempDir()+"/console.db", "--now", "2026-11-16T09:00:00-05:00")
	if code != 0 {
		t.Fatalf("console: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"*Weekly digest · all departments · 2026-W47*", "*Weekly digest · all departments · 2026-W48*",
		"• Thu 19 Nov 09:00: closed by askdesk"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	if w47, w48 := strings.Index(out, "2026-W47*"), strings.Index(out, "2026-W48*"); w47 > w48 {
		t.Errorf("W48's digest before W47's:\n%s", out)
	}
}
