package report_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/i18n"
	"github.com/askdesk/askdesk/bot/report"
	"golang.org/x/text/language"
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

// TestPostedDigestSpeaksTheDepartmentsLanguage: a department whose
// language is zh-Hans gets its digest in Chinese, marked zh-Hans for the
// adapter, with a chart drawn in Chinese words and the Chinese font; the
// company digest beside it stays English.
func TestPostedDigestSpeaksTheDepartmentsLanguage(t *testing.T) {
	f := newFixture(t)
	f.resolved(t, "expense report")
	f.Sent(t)
	f.at(t, "2026-11-30 09:00")
	fin := f.Desk.Dir().ByName("finance")
	fin.Language = "zh-Hans"
	var words report.ChartWords
	var lang language.Tag
	chart := func(_ []report.WeekFigures, w report.ChartWords, l language.Tag) ([]byte, error) {
		words, lang = w, l
		return []byte("png"), nil
	}
	if posted, _, err := report.PostDigest(f.Ctx, f.Desk, f.DB, fin, report.ISOWeek{}, "", nil, chart); err != nil || !posted {
		t.Fatalf("posted %v, %v", posted, err)
	}
	msgs := f.Sent(t)
	if len(msgs) != 1 || msgs[0].Lang != "zh-Hans" || !strings.HasPrefix(msgs[0].Text, "*每周摘要 · Finance · 2026年第48周*") {
		t.Fatalf("sent %+v", msgs)
	}
	if lang != i18n.ZhHans || words.Title != "Finance：最近8周" || words.FirstResponse != "首次响应" || words.Week(2026, 7) != "第7周" ||
		words.Target("90%") != "一次解决率目标90%" || msgs[0].File == nil || msgs[0].File.Title != "Finance趋势图，2026年第48周" {
		t.Errorf("chart in %s: %+v; file %+v", lang, words, msgs[0].File)
	}

	if posted, _, err := report.PostDigest(f.Ctx, f.Desk, f.DB, nil, report.ISOWeek{}, "#company", time.UTC, chart); err != nil || !posted {
		t.Fatalf("company: posted %v, %v", posted, err)
	}
	msgs = f.Sent(t)
	if len(msgs) != 1 || msgs[0].Lang != "en" || !strings.HasPrefix(msgs[0].Text, "*Weekly digest · all departments · 2026-W48*") ||
		lang != i18n.En || words.Title != "All departments: the last 8 weeks" || words.Week(2026, 7) != "W07" || msgs[0].File.Title != "All departments trend, 2026-W48" {
		t.Errorf("company digest %+v in %s, chart %+v", msgs, lang, words)
	}
}
