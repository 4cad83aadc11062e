package report_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/i18n"
)

var updateZh = flag.Bool("update-zh", false, "rewrite the Chinese digest golden (never an English one)")

// englishWord is an ASCII word of three or more letters: in a Chinese
// digest only the words the company or the user wrote (department names,
// request titles, IDs, zone names) and SLA may stay English.
var englishWord = regexp.MustCompile(`[A-Za-z]{3,}`)

// TestDigestReadsChineseForAChinesePrinter renders week 47 of Finance
// (the figures TestDigestFigures works out by hand) with the zh-Hans
// printer, complete, so far (Wednesday) and empty, against a golden read
// by a Chinese reader; and checks that no English word leaks into it.
func TestDigestReadsChineseForAChinesePrinter(t *testing.T) {
	f, n := seedWeek47(t)
	zh := i18n.Default().For(i18n.ZhHans)
	now := n("2026-11-23 09:00")
	var parts []string
	for _, c := range []struct {
		name, week string
		at         string
	}{{"complete", "2026-W47", "2026-11-23 09:00"}, {"partial", "2026-W47", "2026-11-18 14:30"}, {"empty", "2026-W30", "2026-11-23 09:00"}} {
		d := f.digest(t, "finance", c.week, n(c.at))
		parts = append(parts, "## "+c.name+"\n"+d.TextIn(zh))
	}
	org := f.digest(t, "", "2026-W47", now)
	parts = append(parts, "## company\n"+org.TextIn(zh))
	got := strings.Join(parts, "\n\n") + "\n"

	golden := filepath.Join("testdata", "digest.zh-Hans.golden")
	if *updateZh {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("zh digest:\n%s\nwant:\n%s", got, want)
	}
	allowed := map[string]bool{"SLA": true, "FIN": true, "America": true, "New_York": true, "New": true, "York": true,
		"Finance": true, "payroll": true, "wrong": true, "purchase": true, "order": true, "laptop": true, "complete": true, "partial": true, "empty": true, "company": true}
	for _, w := range englishWord.FindAllString(got, -1) {
		if !allowed[w] {
			t.Errorf("English word %q in the Chinese digest", w)
		}
	}
	// The English stays English: the same digest without a printer.
	if d := f.digest(t, "finance", "2026-W47", now); d.TextIn(nil) != d.Text() || !strings.HasPrefix(d.Text(), "*Weekly digest · Finance · 2026-W47*") {
		t.Errorf("English digest:\n%s", d.Text())
	}
}
