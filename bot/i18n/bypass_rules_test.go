package i18n

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestBypassScanRules pins what the bypass scan flags: words for people
// (and any Han), but not logs, wrapped errors, HTTP plumbing, catalogue
// keys, struct tags, SQL or lines marked //i18n:ok.
func TestBypassScanRules(t *testing.T) {
	src := "package x\n\n" +
		"import (\n\t\"errors\"\n\t\"fmt\"\n\t\"log/slog\"\n\t\"net/http\"\n)\n\n" +
		"type T struct {\n\tA string `json:\"a b\"`\n}\n\n" +
		"func f(log *slog.Logger, w http.ResponseWriter, p interface{ T(string, ...any) string }) []string {\n" +
		"\tlog.Warn(\"could not post\", \"err\", fmt.Sprintf(\"Deep %s\", \"x\"))\n" +
		"\t_ = fmt.Errorf(\"insert request: %w\", errors.New(\"Bad thing\"))\n" +
		"\tw.Header().Set(\"Content-Type\", \"text/plain\")\n" +
		"\t_ = \"SELECT id FROM requests WHERE x = 1\"\n" +
		"\t_ = \"askdesk\" //i18n:ok the product's name\n" +
		"\t_ = \"Internal Thing\" //i18n:ok not shown\n" +
		"\treturn []string{p.T(\"card.claimed by\"), p.T(\"card.x\", \"Who\", \"Ann Lee\"), \"claimed by \", \"Status\", \"财务\", \"ok\", \"%s: %d\", \"fin\"}\n" +
		"}\n"
	name := filepath.Join(t.TempDir(), "x.go")
	if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got := scanFile(t, name)
	slices.Sort(got)
	want := []string{"Ann Lee", "Status", "claimed by ", "财务"}
	if !slices.Equal(got, want) {
		t.Errorf("flagged %q, want %q", got, want)
	}
}

// TestAllowlistCompare: a flagged literal not listed fails, and so does a
// listed one the code no longer has.
func TestAllowlistCompare(t *testing.T) {
	got := []found{{"bot/a.go", "Filed "}, {"bot/a.go", "New words"}}
	list := []allowed{{found{"bot/a.go", "Filed "}, "todo:A1"}, {found{"bot/b.go", "Gone"}, "todo:A1"}}
	missing, stale := compare(got, list)
	if !slices.Equal(missing, []found{{"bot/a.go", "New words"}}) {
		t.Errorf("missing = %v", missing)
	}
	if !slices.Equal(stale, []found{{"bot/b.go", "Gone"}}) {
		t.Errorf("stale = %v", stale)
	}
}
