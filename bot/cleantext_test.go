package bot_test

import (
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// TestCleanText: control characters, invisible format characters that
// reorder or hide text, and tag characters outside a flag are dropped;
// what scripts and emoji need is kept.
func TestCleanText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"tab\tand\nnewline kept", "tab\tand\nnewline kept"},
		{"nul\x00byte", "nulbyte"},
		{"bell\a, escape \x1b[31mred\x1b[0m, DEL\x7f, CR\r\n", "bell, escape [31mred[0m, DEL, CR\n"},
		{"C1 \u0085 next line", "C1  next line"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"财务 and emoji 👩\u200d💻 kept", "财务 and emoji 👩\u200d💻 kept"},
		{"hidden\u200b zero\u2060width\ufeff", "hidden zerowidth"},
		// Trojan Source: a title that would read "need money ... txt.exe".
		{"invoice \u202eexe.txt\u202c and \u2067isolate\u2069", "invoice exe.txt and isolate"},
		{"RTL mark \u200f kept, joiner\u200c too", "RTL mark \u200f kept, joiner\u200c too"},
		{"flag 🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F kept", "flag 🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F kept"},
		{"smuggled \U000E0068\U000E0069 tags", "smuggled  tags"},
	} {
		if got := bot.CleanText(c.in); got != c.want {
			t.Errorf("CleanText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestFilingDropsControlCharacters: what a form-encoded /ask or a click's
// text may carry (%00, escapes, bidirectional overrides) is not stored, on
// any engine.
func TestFilingDropsControlCharacters(t *testing.T) {
	f := newFixture(t)
	rep := f.Desk.Command(f.Ctx, "U0SAM0001", "finance need\x00 the Q3\x1b numbers")
	if rep.Request == nil {
		t.Fatalf("not filed: %s", rep.Text)
	}
	got, err := f.DB.Request(f.Ctx, rep.Request.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "need the Q3 numbers" {
		t.Errorf("stored text %q", got.Text)
	}
	// Nor a bidirectional override that would show the title reversed.
	rep = f.Desk.Command(f.Ctx, "U0SAM0001", "finance refund for \u202eexe.txt")
	if rep.Request == nil {
		t.Fatalf("not filed: %s", rep.Text)
	}
	if got, err := f.DB.Request(f.Ctx, rep.Request.ID); err != nil || got.Title != "refund for exe.txt" {
		t.Errorf("stored title %q (%v)", got.Title, err)
	}
	// Nothing but control characters is no request at all.
	if rep := f.Desk.Command(f.Ctx, "U0SAM0001", "finance \x00\x01"); rep.Request != nil {
		t.Errorf("filed %s from control characters", rep.Request.ID)
	}
}
