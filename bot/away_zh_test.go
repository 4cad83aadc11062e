package bot_test

import (
	"strings"
	"testing"
)

// /ask away and /ask back answer a Chinese reader in Chinese, the day
// back as a Chinese date; the leads' note about their claimed requests
// too.
func TestAwayInChinese(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		want       []string
	}{
		{"Until", "away until 2026-12-20", []string{"已记录你外出（至12月20日 周日）。", "提醒不会发给你"}},
		{"Open", "away", []string{"直到你发 `/ask 回来` 为止"}},
		{"BadDate", "away until someday", []string{"看不懂日期“until someday”。", "`/ask 外出 到 2026-12-10`"}},
		{"Past", "away until 2026-11-01", []string{"2026年11月1日（周日）已经过去了，请写你回来的那天", "`/ask 外出 到 2026-12-01`"}},
		{"TooFar", "away until 2028-01-01", []string{"日期超过一年了"}},
		{"NotAway", "back", []string{"你没有被标记为外出，提醒照常发给你。"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			zhDesk(f)
			wantChinese(t, tc.line, f.command(t, frank, tc.line), tc.want, "until someday")
		})
	}
	t.Run("WelcomeBackAndTheLeadsNote", func(t *testing.T) {
		f := newFixture(t)
		zhDesk(f)
		claimedByFrank(t, f, "报销单")
		f.command(t, frank, "away until 2026-12-20")
		note := texts(f.Sent(t))
		wantChinese(t, "leads' note", note, []string{"外出（至12月20日 周日）。", "其认领的1个未完成请求在此期间的提醒改发到队列：", "• *FIN-1* (报销单)", "无法等待的请求，请在其卡片上改派。"})
		if !strings.Contains(note, fiona+":") {
			t.Errorf("the lead fiona got no note:\n%s", note)
		}
		wantChinese(t, "back", f.command(t, frank, "back"), []string{"欢迎回来，提醒会重新发给你。"})
	})
}

// The English leads' note keeps its line breaks (catalogue strings that
// begin with a newline).
func TestAwayLeadsNoteLinesInEnglish(t *testing.T) {
	f := newFixture(t)
	claimedByFrank(t, f, "expenses")
	f.command(t, frank, "away until 2026-12-20")
	note := texts(f.Sent(t))
	want := fiona + ": :palm_tree: " + "<@" + frank + "> is away until Sun 20 Dec. They have claimed 1 open request; its reminders go to the queue meanwhile:\n• *FIN-1* (expenses)\nReassign any that cannot wait from its card."
	if !strings.Contains(note, want) {
		t.Errorf("note = %q, want %q", note, want)
	}
}
