package bot_test

import (
	"testing"

	"github.com/askdesk/askdesk/bot"
)

func TestCleanText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"tab\tand\nnewline kept", "tab\tand\nnewline kept"},
		{"nul\x00byte", "nulbyte"},
		{"bell\a, escape \x1b[31mred\x1b[0m, DEL\x7f, CR\r\n", "bell, escape [31mred[0m, DEL, CR\n"},
		{"C1 \u0085 next line", "C1  next line"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"zero\u200bwidth and 财务 kept", "zero\u200bwidth and 财务 kept"},
	} {
		if got := bot.CleanText(c.in); got != c.want {
			t.Errorf("CleanText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestFilingDropsControlCharacters: what a form-encoded /ask or a click's
// text may carry (%00, escapes) is not stored, on any engine.
func TestFilingDropsControlCharacters(t *testing.T) {
	f := newFixture(t)
	rep := f.desk.Command(f.ctx, "U0SAM0001", "finance need\x00 the Q3\x1b numbers")
	if rep.Request == nil {
		t.Fatalf("not filed: %s", rep.Text)
	}
	got, err := f.db.Request(f.ctx, rep.Request.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "need the Q3 numbers" {
		t.Errorf("stored text %q", got.Text)
	}
	// Nothing but control characters is no request at all.
	if rep := f.desk.Command(f.ctx, "U0SAM0001", "finance \x00\x01"); rep.Request != nil {
		t.Errorf("filed %s from control characters", rep.Request.ID)
	}
}
