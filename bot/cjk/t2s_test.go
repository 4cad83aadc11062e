package cjk_test

import (
	"testing"

	"github.com/askdesk/askdesk/bot/cjk"
)

func TestToSimplified(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"財務", "财务"},
		{"人力資源", "人力资源"},
		{"财务", "财务"},                               // already simplified
		{"財務 FIN-42 Ünïcode", "财务 FIN-42 Ünïcode"}, // only Han changes
		{"乾", "干"},                                 // several forms: the first
		{"", ""},
		{"finance", "finance"},
	} {
		if got := cjk.ToSimplified(tc.in); got != tc.want {
			t.Errorf("ToSimplified(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// The whole table is read: its last entries convert too, and no entry maps
// a rune that is not Han.
func TestToSimplifiedReadsTheWholeTable(t *testing.T) {
	if got := cjk.ToSimplified("㑮龜𫜦"); got != "𫝈龟𫜫" { // first, middle, last line
		t.Errorf("got %q, want 𫝈龟𫜫", got)
	}
	for r := rune(0); r < 0x3000; r++ {
		if got := cjk.ToSimplified(string(r)); got != string(r) {
			t.Errorf("%U changed to %q", r, got)
		}
	}
}
