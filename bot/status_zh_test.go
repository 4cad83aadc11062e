package bot_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// cardOf returns the text of the last card of id among msgs.
func cardOf(tb testing.TB, msgs []bot.Message, id string) bot.Message {
	tb.Helper()
	var card *bot.Message
	for i, m := range msgs {
		if m.CardFor == id {
			card = &msgs[i]
		}
	}
	if card == nil {
		tb.Fatalf("no card for %s among %d messages", id, len(msgs))
	}
	return *card
}

// TestCardBodyInChinese: the card in a Chinese department's channel reads
// in Chinese from its head to its SLA line and last change.
func TestCardBodyInChinese(t *testing.T) {
	f := newFixture(t) // Tue 24 Nov 2026 10:00 New York
	f.Desk.SetDir(zhCompany(t))
	r := f.Desk.Command(f.Ctx, sam, "/ask 财务 需要第三季度预算")
	if r.Request == nil {
		t.Fatalf("nothing filed: %q", r.Text)
	}
	card := cardOf(t, f.Sent(t), "FIN-1")
	want := "*FIN-1* · 需要第三季度预算\n" +
		"财务部 · 提出人 <@U0SAM> · 普通优先级 · 待处理\n" +
		"类型：报销\n" +
		"时限：首次响应须在周二 15:00（America/New_York）前完成，还剩4小时（工作时间）\n" +
		"_<@U0SAM> 提交_"
	if card.Text != want || card.Lang != "zh-Hans" {
		t.Errorf("card (%s):\n%s\nwant:\n%s", card.Lang, card.Text, want)
	}
	f.Do(t, frank, bot.ActClaim, "FIN-1")
	card = cardOf(t, f.Sent(t), "FIN-1")
	for _, w := range []string{"财务部 · 提出人 <@U0SAM> · 普通优先级 · 已受理，处理人 <@U0FRANK>\n",
		"时限：解决须在周五 10:00（America/New_York）前完成，还剩16小时（工作时间）\n_<@U0FRANK> 已认领_"} {
		if !strings.Contains(card.Text, w) {
			t.Errorf("claimed card:\n%s\nwant %q", card.Text, w)
		}
	}
	if leak := statusLeaks(card.Text); len(leak) > 0 {
		t.Errorf("English %q in the card:\n%s", leak, card.Text)
	}
	// Passed on to HR an hour later: HR's card says how long it has been
	// open in all, and since when HR has it.
	f.at(t, "2026-11-24 11:00")
	f.Do(t, frank, bot.ActTransfer, "FIN-1", "hr")
	for _, m := range f.Sent(t) {
		if m.CardFor == "FIN-1" && m.To == "#hr" {
			card = m
		}
	}
	if want := "\n已提交1小时；自周二 11:00起由人力资源部处理\n"; !strings.Contains(card.Text, want) {
		t.Errorf("HR's card:\n%s\nwant %q", card.Text, want)
	}
	if leak := statusLeaks(card.Text); len(leak) > 0 {
		t.Errorf("English %q in HR's card:\n%s", leak, card.Text)
	}
	// /ask 状态 tells the journey, Finance's part and the transfer.
	status := f.Desk.Command(f.Ctx, sam, "/ask 状态 FIN-1").Text
	for _, w := range []string{"\n已提交1小时；自周三 00:00（你的时间，Asia/Shanghai；New York 周二 11:00）起由人力资源部处理\n",
		"\n*此前经手的部门* （每个部门只按它经手期间计算）\n• 财务部在周二 10:00 – 周二 11:00（America/New_York）经手：",
		"；之后转交给人力资源部，转交既不算解决，也不算超时\n",
		"从财务部转交给人力资源部"} {
		if !strings.Contains(status, w) {
			t.Errorf("status after the transfer:\n%s\nwant %q", status, w)
		}
	}
	if leak := statusLeaks(status); len(leak) > 0 {
		t.Errorf("English %q in:\n%s", leak, status)
	}
}

// statusLeaks is leaksEnglish past what Chinese text keeps as it is: mentions,
// time zone names and the places they are named for.
func statusLeaks(s string) []string {
	s = regexp.MustCompile(`<@U[0-9A-Z]+>|\bU0[0-9A-Z]+|[A-Za-z_]+/[A-Za-z_]+|New York`).ReplaceAllString(s, "")
	return leaksEnglish(s)
}

// TestStatusInChinese: /ask 状态 explains a request's clocks in Chinese, in
// the reader's own time (Sam is in Shanghai) with the department's beside
// it: the target, each stretch counted or paused, the totals and the
// history.
func TestStatusInChinese(t *testing.T) {
	f := newFixture(t) // Tue 24 Nov 2026 10:00 New York
	f.Desk.SetDir(zhCompany(t))
	if r := f.Desk.Command(f.Ctx, sam, "/ask 财务 需要第三季度预算"); r.Request == nil {
		t.Fatalf("nothing filed: %q", r.Text)
	}
	f.at(t, "2026-11-24 10:30")
	f.Do(t, frank, bot.ActClaim, "FIN-1")
	f.at(t, "2026-11-24 10:45")
	f.Do(t, frank, bot.ActWait, "FIN-1", "要全部销售数据吗？")
	f.at(t, "2026-11-24 11:15")
	f.Do(t, sam, bot.ActReply, "FIN-1", "只要华东区")
	f.at(t, "2026-11-24 11:45")
	got := f.Desk.Command(f.Ctx, sam, "/ask 状态 FIN-1").Text
	want := `*FIN-1* · 财务部 · 普通优先级 · 已受理，处理人 @U0FRANK
需要第三季度预算，由 @U0SAM 于周二 23:00（你的时间，Asia/Shanghai；New York 周二 10:00）提交
类型：报销
工作时间：周一–周五 09:00–12:00、13:00–18:00（America/New_York）
以下时间为你的当地时间（Asia/Shanghai）；与 New York 时间不同时，括号里另注 New York 时间。

*首次响应已达标：用时30分钟（工作时间），时限为4个工作小时*
时限：普通优先级为4个工作小时。开始计时：周二 23:00（你的时间，Asia/Shanghai；New York 周二 10:00）。
  ✓ 11月24日 周二 23:00–23:30（New York 11月24日 周二 10:00–10:30）  计入30分钟
  已计工作时间：30分钟 · 暂停：0分钟 · 非工作时间：0分钟

*解决须在周五 23:30（你的时间，Asia/Shanghai；New York 周五 10:30）前完成，还剩14小时45分钟（工作时间）*
时限：普通优先级为2个工作日，从开始计时算起合16小时工作时间。开始计时：周二 23:00（你的时间，Asia/Shanghai；New York 周二 10:00）。
  ✓ 11月24日 周二 23:00–23:45（New York 11月24日 周二 10:00–10:45）  计入45分钟
  ‖ 11月24日 周二 23:45 – 11月25日 周三 00:15（New York 11月24日 周二 10:45–11:15）  暂停，等待提出人回复
  ✓ 11月25日 周三 00:15–00:45（New York 11月24日 周二 11:15–11:45）  计入30分钟
  已计工作时间：1小时15分钟 · 暂停：30分钟 · 非工作时间：0分钟

*处理记录*
• 周二 23:00（New York 周二 10:00）：@U0SAM 向财务部提交（普通）
• 周二 23:30（New York 周二 10:30）：@U0FRANK 认领
• 周二 23:45（New York 周二 10:45）：@U0FRANK 暂停处理，等待提出人回复：要全部销售数据吗？
• 周三 00:15（New York 周二 11:15）：提出人 @U0SAM 补充：只要华东区`
	want = strings.NewReplacer("@U0SAM", bot.Mention(sam), "@U0FRANK", bot.Mention(frank)).Replace(want)
	if got != want {
		t.Errorf("status:\n%s\nwant:\n%s", got, want)
	}
	if leak := statusLeaks(got); len(leak) > 0 {
		t.Errorf("English %q in:\n%s", leak, got)
	}
	// After lunch the stretch not counted says why, in Chinese too.
	f.at(t, "2026-11-24 14:00")
	got = f.Desk.Command(f.Ctx, sam, "/ask 状态 FIN-1").Text
	lunch := "  · 11月25日 周三 01:00–02:00（New York 11月24日 周二 12:00–13:00）  不计入，非工作时间\n"
	if !strings.Contains(got, lunch) {
		t.Errorf("status after lunch:\n%s\nwant %q", got, lunch)
	}
	if leak := statusLeaks(got); len(leak) > 0 {
		t.Errorf("English %q in:\n%s", leak, got)
	}
}

// TestRatingRefusalsInChinese: each refusal of a rating reads in the
// reader's language, and in English as before.
func TestRatingRefusalsInChinese(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(zhCompany(t))
	f.resolved(t, "需要预算")
	f.File(t, sam, "finance", "还有一件事")
	f.Sent(t)
	zh, en := f.Desk.Printer(sam, nil), (*i18n.Printer)(nil)
	refuse := func(user, id, choice string) error {
		t.Helper()
		_, err := f.Desk.Rate(f.Ctx, user, id, choice)
		if err == nil {
			t.Fatalf("%s rating %s %s was taken", user, id, choice)
		}
		return err
	}
	cases := []struct {
		name   string
		err    error
		code   string
		en, zh string
	}{
		{"NotYours", refuse(tina, "FIN-1", "5"), bot.EFORBIDDEN,
			"Only the person who filed FIN-1 can rate it.", "只有提交 FIN-1 的人才能给它评分。"},
		{"UnknownChoice", refuse(sam, "FIN-1", "🎉"), bot.EINVALID,
			"Rate with a number from 1 (bad) to 5 (great), or one of the emoji of the prompt.",
			"请用1（很差）到5（很好）之间的数字评分，或者用评分提示里的表情。"},
		{"NotResolved", refuse(sam, "FIN-2", "5"), bot.ECONFLICT,
			"FIN-2 is open; you can rate it once it is resolved.", "FIN-2 当前待处理，解决后才能评分。"},
	}
	f.Clock.Advance(8 * 24 * time.Hour)
	cases = append(cases, struct {
		name   string
		err    error
		code   string
		en, zh string
	}{"TooLate", refuse(sam, "FIN-1", "4"), bot.ECONFLICT,
		"The 7 days to rate FIN-1 are over. Thank you all the same.", "FIN-1 的评分期（7天）已过。仍然感谢你。"})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := bot.ErrorCode(c.err); got != c.code {
				t.Errorf("code %s, want %s", got, c.code)
			}
			if got := bot.ErrorText(en, c.err); got != c.en {
				t.Errorf("en %q, want %q", got, c.en)
			}
			if got := bot.ErrorText(zh, c.err); got != c.zh {
				t.Errorf("zh %q, want %q", got, c.zh)
			}
		})
	}
}
