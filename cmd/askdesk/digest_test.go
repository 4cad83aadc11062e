package main

import (
	"bytes"
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// digestDB files requests through the console into a fresh database, in
// the example company (Finance: 09:00–12:30, 13:30–17:30 in New York, 4h
// to a first response), during 2026-W47.
func digestDB(t *testing.T) string {
	t.Helper()
	script := `:as sam
/ask finance need the Q3 budget numbers
:advance 1h
:as fiona
:claim FIN-1
:advance 2h
:resolve FIN-1 sent
:as sam
/ask finance reimburse my taxi <!channel> & co
:advance 2d
/ask it my laptop is broken
`
	// Monday 16 November 09:00: FIN-1 answered in 1h and resolved in 3h;
	// FIN-2 filed at 12:00 and never answered (due Monday 17:00); IT-1
	// filed on Wednesday.
	return consoleDB(t, script, "2026-11-16T09:00:00-05:00")
}

// consoleDB plays script in the console, clock starting at now, on a fresh
// database in the test's temp dir, and returns the database's path.
func consoleDB(t *testing.T, script, now string) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "console.db")
	if code, _, errOut := run(t, script, "console", "--db", db, "--now", now); code != 0 {
		t.Fatalf("console: exit %d: %s", code, errOut)
	}
	return db
}

const digestNow = "2026-11-23T09:00:00-05:00" // the Monday after

func TestDigestCommand(t *testing.T) {
	db := digestDB(t)
	t.Run("OneDepartment", func(t *testing.T) {
		code, out, errOut := run(t, "", "digest", "--db", db, "--now", digestNow, "--week", "2026-W47", "--dept", "fin")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		// FIN-2's first response: 0.5h+4h on Monday, 3×7.5h, 6h on
		// Friday = 33h counted, 29h past its 4h.
		want := `*Weekly digest · Finance · 2026-W47*
_Mon 16 Nov – Sun 22 Nov 2026 (America/New_York), compared with 2026-W46_
• *Volume*: 2 new (▲ from 0) · 1 resolved (▲ from 0) · 1 open at the week's end (▲ from 0) · 1 overdue (▲ from 0)
• *First response*: 50% met (1 of 2) · median 1h, p90 1h
• *Resolution*: 100% met (1 of 1) · median 3h, p90 3h
• *Right first time*: 100% (1 of 1), meets the 90% target _(right first time is the share of resolved requests that were closed without a reopen and not rated 1 or 2)_
• *Worst open breaches*:
   ◦ *FIN-2* reimburse my taxi <!channel> & co: first response overdue by 29h
`
		if !strings.HasPrefix(out, want) {
			t.Errorf("got:\n%s\nwant it to start:\n%s", out, want)
		}
		if strings.Contains(out, "IT-1") || strings.Contains(out, "all departments") {
			t.Errorf("other departments in Finance's digest:\n%s", out)
		}
	})
	t.Run("AllByDefault", func(t *testing.T) {
		// The last week complete in every zone, Los Angeles included.
		code, out, errOut := run(t, "", "digest", "--db", db, "--now", digestNow)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{"*Weekly digest · Finance · 2026-W47*", "*Weekly digest · Production · 2026-W47*",
			"*Weekly digest · all departments · 2026-W47*", "   ◦ IT: 1 new, 0 resolved, 1 open (1 overdue)", "   ◦ HR: no requests"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if n := strings.Count(out, "*Weekly digest · "); n != 10 {
			t.Errorf("%d digests, want 9 departments and the company", n)
		}
	})
	t.Run("Chart", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "trend.png")
		code, out, errOut := run(t, "", "digest", "--db", db, "--now", digestNow, "--dept", "finance", "--chart", path)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if !strings.Contains(out, "Chart (8 weeks to 2026-W47): "+path) {
			t.Errorf("output:\n%s", out)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, format, err := image.Decode(bytes.NewReader(b)); err != nil || format != "png" {
			t.Errorf("chart: %s, %v", format, err)
		}
	})
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"BadWeek", []string{"--week", "2026-47"}, "--week: “2026-47” is not an ISO week; write it like 2026-W47"},
		{"NoWeek53", []string{"--week", "2025-W53"}, "2025 has weeks 1 to 52"},
		{"UnknownDept", []string{"--dept", "finanse"}, "There is no department called “finanse”. Did you mean “finance”?"},
		{"NotBegun", []string{"--week", "2026-W49"}, "askdesk: 2026-W49 has not begun yet.\n"},
		{"NoDatabase", []string{"--db", filepath.Join(t.TempDir(), "none.db")}, "no database at"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"digest", "--db", db, "--now", digestNow}, c.args...)
			code, out, errOut := run(t, "", args...)
			if code != 1 || !strings.Contains(errOut, c.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out, errOut, c.want)
			}
		})
	}
	t.Run("Post", func(t *testing.T) {
		args := []string{"digest", "--db", db, "--now", digestNow, "--dept", "finance", "--post"}
		code, out, errOut := run(t, "", args...)
		if code != 0 || !strings.Contains(out, "Queued for #finance-requests") {
			t.Fatalf("exit %d: %s %s", code, out, errOut)
		}
		if code, out, _ = run(t, "", args...); code != 0 || !strings.Contains(out, "Already posted to #finance-requests") {
			t.Fatalf("second --post: exit %d: %s", code, out)
		}
	})
	// HR had nothing filed, open or resolved in 2026-W47: it is not posted,
	// and the command says why and how to ask for it.
	t.Run("PostQuiet", func(t *testing.T) {
		code, out, errOut := run(t, "", "digest", "--db", db, "--now", digestNow, "--dept", "hr", "--post")
		if code != 0 || !strings.Contains(out, "Nothing filed, open or resolved in 2026-W47: no digest for #") ||
			!strings.Contains(out, "(digest_when_quiet = true asks for one)") || strings.Contains(out, "Queued for") {
			t.Fatalf("exit %d: %s %s", code, out, errOut)
		}
	})
	if code, out, _ := run(t, "", "digest", "--help"); code != 0 || !strings.Contains(out, "--week") {
		t.Errorf("digest --help: exit %d\n%s", code, out)
	}
}
