package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/i18n"
)

// zhAnswerFixture is the routing fixture speaking Chinese, with one
// resolved finance request about travel expenses, answered in Chinese.
func zhAnswerFixture(t *testing.T) (*bottest.Fixture, *bot.Request) {
	t.Helper()
	f := routingFixture(t)
	f.Desk.Dir().Language = "zh-Hans"
	old := f.File(t, bottest.Sam, "finance", "财务差旅报销的流程是什么")
	f.Do(t, bottest.Frank, bot.ActResolve, old.ID, "差旅报销请在OA系统提交，附上发票，财务三个工作日内处理。")
	f.Clock.Advance(time.Hour)
	f.Sent(t)
	return f, old
}

// A Chinese-speaking lead saves and removes an answer in Chinese; a
// Chinese requester who asks much the same (in traditional characters)
// is offered it in Chinese before filing, and settles it in Chinese.
func TestDeflectInChinese(t *testing.T) {
	f, old := zhAnswerFixture(t)
	zh := i18n.Default().For(i18n.ZhHans)
	open := f.File(t, bottest.Sam, "finance", "报销单还没批")

	_, err := f.Desk.SaveAnswer(f.Ctx, bottest.Frank, open.ID)
	wantChinese(t, "not resolved", bot.ErrorText(zh, err), []string{open.ID + " 尚未解决：只有解决说明才能存为答案。"})
	saved, err := f.Desk.SaveAnswer(f.Ctx, bottest.Frank, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantChinese(t, "saved", saved.Text, []string{"已把 FIN-1 的解决说明存为答案：现在所有人都能找到它，并用 `/ask 状态 FIN-1` 查看；问类似问题的人在提交前会先看到它。"})
	if len(saved.Buttons) != 1 || saved.Buttons[0].Label != "从已存答案中移除" {
		t.Errorf("undo button %+v", saved.Buttons)
	}
	again, err := f.Desk.SaveAnswer(f.Ctx, bottest.Frank, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantChinese(t, "saved again", again.Text, []string{"FIN-1 已经是已存答案：所有人都能找到它，问类似问题的人会先看到它。"})

	bs := routeButtons(t, f.Desk.Command(f.Ctx, bottest.Tina, "差旅報銷怎么走"))
	r, err := f.Desk.FileRouted(f.Ctx, bottest.Tina, bs[0].RequestID, "finance")
	if err != nil {
		t.Fatal(err)
	}
	if r.Request != nil {
		t.Fatalf("filed %s before offering the saved answer", r.Request.ID)
	}
	wantChinese(t, "deflection", r.Text, []string{"提交给 *Finance* 之前：以前有人问过类似的问题，并且已经得到解答。",
		"*FIN-1* · 财务差旅报销的流程是什么 · _已存答案_", "> 差旅报销请在OA系统提交", "否则请点 *仍然提交* 按钮。"}, "Finance")
	var labels []string
	for _, b := range r.Buttons {
		labels = append(labels, b.Label)
	}
	if strings.Join(labels, "|") != "这个答案解决了我的问题|仍然提交" {
		t.Errorf("buttons %q", labels)
	}
	answered := buttonsOf(r, bot.ActAnswered)
	_, err = f.Desk.Answered(f.Ctx, bottest.Sam, answered[0].RequestID, answered[0].Arg)
	wantChinese(t, "someone else", bot.ErrorText(zh, err), []string{"只有提问的人才能确认以往的答案解决了问题。"})
	done, err := f.Desk.Answered(f.Ctx, bottest.Tina, answered[0].RequestID, answered[0].Arg)
	if err != nil {
		t.Fatal(err)
	}
	wantChinese(t, "settled", done.Text, []string{"好的：FIN-1 的答案已解决你的问题，因此没有提交请求，Finance也不必为此花时间。如果问题其实没解决，再问一次就行。"}, "Finance")
	_, err = f.Desk.Answered(f.Ctx, bottest.Tina, answered[0].RequestID, answered[0].Arg)
	wantChinese(t, "twice", bot.ErrorText(zh, err), []string{"这个问题已经解决或已提交，或者等待时间过长。用 `/ask list` 查看你的请求。"})

	removed, err := f.Desk.UnsaveAnswer(f.Ctx, bottest.Frank, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantChinese(t, "removed", removed.Text, []string{"已把 FIN-1 从已存答案中移除：它不再优先显示，现在只有提出人以及Finance的成员和负责人能找到它。"}, "Finance")
	gone, err := f.Desk.UnsaveAnswer(f.Ctx, bottest.Frank, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantChinese(t, "not saved", gone.Text, []string{"FIN-1 不是已存答案。"})
}

// Saved-answer matching reads Chinese: a question typed without spaces
// meets an earlier answer sharing two of its words (pairs of characters;
// one when it has one), traditional or simplified; one sharing less, or
// only common words, does not.
func TestSimilarAnswersMatchChinese(t *testing.T) {
	f, old := zhAnswerFixture(t)
	if _, err := f.Desk.SaveAnswer(f.Ctx, bottest.Frank, old.ID); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, ask string
		want      bool
	}{
		{"SpacedLikeASlashCommand", "财务 报销怎么走", true},
		{"Unspaced", "请问报销流程", true},
		{"Traditional", "差旅報銷", true},
		{"Unlike", "电脑坏了怎么办", false},
		{"OneWordAsked", "报销", true}, // as "expenses" alone would
		{"OneWordOfTwoShared", "报销单据", false},
		{"CommonWordsOnly", "请问怎么", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			as, err := f.Desk.SimilarAnswers(f.Ctx, bottest.Tina, "finance", tc.ask)
			if err != nil {
				t.Fatal(err)
			}
			got := len(as) == 1 && as[0].Request.ID == old.ID && as[0].Saved
			if got != tc.want || len(as) > 1 {
				t.Errorf("%q offered %d answers (%v), want the saved one: %v", tc.ask, len(as), as, tc.want)
			}
		})
	}
}

// The English words of a deflection, pinned: the catalogue prints what
// askdesk printed before it.
func TestDeflectWordsInEnglish(t *testing.T) {
	dep := &bot.Department{DisplayName: "IT"}
	one := []bot.EarlierAnswer{{Request: &bot.Request{ID: "IT-1", Title: "vpn"}, Note: strings.Repeat("x", 601), Saved: true}}
	intro, items, outro := bot.DeflectWords(dep, one)
	if intro != "Before I file this with *IT*: an earlier request asked much the same, and was answered." ||
		outro != "If this answers your question, say so and nothing is filed; otherwise *File anyway*." {
		t.Errorf("one: %q / %q", intro, outro)
	}
	if want := "*IT-1* · vpn · _saved answer_\n> " + strings.Repeat("x", 600) + "… (`/ask status` shows all of it)"; items[0] != want {
		t.Errorf("item %q,\nwant %q", items[0], want)
	}
	two := append(one, bot.EarlierAnswer{Request: &bot.Request{ID: "IT-2", Title: "token"}, Note: "renew"})
	intro, _, outro = bot.DeflectWords(dep, two)
	if intro != "Before I file this with *IT*: earlier requests asked much the same, and were answered." ||
		outro != "If one of these answers your question, say so and nothing is filed; otherwise *File anyway*." {
		t.Errorf("two: %q / %q", intro, outro)
	}
}
