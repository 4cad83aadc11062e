package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// TestAChineseRequesterRatesInChinese: Sam ([people] lang = "zh-Hans")
// gets the rating prompt in Chinese with five buttons, each carrying its
// score, and a Chinese comment button; pressing the worst one starts
// service recovery, Chinese for Sam (with a Chinese Reopen button) and
// English for finance's lead.
func TestAChineseRequesterRatesInChinese(t *testing.T) {
	f := newFixture(t)
	dir := testDir(t)
	dir.People[sam].Lang = "zh-Hans"
	f.Desk.SetDir(dir)
	f.resolved(t, "numbers")
	var prompt *bot.Message
	for _, m := range f.Sent(t) {
		if m.RatingFor != "" {
			prompt = &m
		}
	}
	if prompt == nil || prompt.Lang != "zh-Hans" || !strings.Contains(prompt.Text, "这次服务怎么样？") || strings.Contains(prompt.Text, "How was") {
		t.Fatalf("rating prompt is not Chinese: %+v", prompt)
	}
	var scores []string
	var worst bot.Button
	for _, b := range prompt.Buttons {
		switch b.Action {
		case bot.ActRate:
			if len(scores) == 0 {
				worst = b
			}
			scores = append(scores, b.Arg)
		case bot.ActComment:
			if b.Label != "补充评价" {
				t.Errorf("comment button %q, want 补充评价", b.Label)
			}
		}
	}
	if strings.Join(scores, ",") != "1,2,3,4,5" {
		t.Fatalf("rating buttons carry %v, want 1..5", scores)
	}
	if _, err := f.Desk.Rate(f.Ctx, sam, worst.RequestID, worst.Arg); err != nil {
		t.Fatal(err)
	}
	var toSam, toLead *bot.Message
	for _, m := range f.Sent(t) {
		switch m.To {
		case sam:
			toSam = &m
		case fiona:
			toLead = &m
		}
	}
	if toSam == nil || toSam.Lang != "zh-Hans" || !strings.HasPrefix(toSam.Text, "很抱歉 FIN-1 处理得不理想。") ||
		len(toSam.Buttons) != 1 || toSam.Buttons[0].Label != "重新打开" || toSam.Buttons[0].Action != bot.ActReopen {
		t.Fatalf("recovery to the Chinese requester: %+v", toSam)
	}
	if toLead == nil || toLead.Lang != "en" || !strings.HasPrefix(toLead.Text, ":warning: <@U0SAM> rated *FIN-1* (numbers)") {
		t.Fatalf("recovery to the English lead: %+v", toLead)
	}
	f.Do(t, sam, toSam.Buttons[0].Action, toSam.Buttons[0].RequestID, "还是不对")
}

// TestTheRatingReminderSpeaksTheRequestersLanguage: the one reminder of an
// unanswered prompt reaches a Chinese requester in Chinese.
func TestTheRatingReminderSpeaksTheRequestersLanguage(t *testing.T) {
	f := newFixture(t)
	dir := testDir(t)
	dir.People[sam].Lang = "zh-Hans"
	f.Desk.SetDir(dir)
	f.resolved(t, "numbers")
	f.Sent(t)
	sent := 0
	for i := 0; i < 7*24 && sent == 0; i++ { // hour by hour until it is due and Sam's hours are open
		f.Clock.Advance(time.Hour)
		n, err := f.Desk.RemindRatings(f.Ctx)
		if err != nil {
			t.Fatal(err)
		}
		sent = n
	}
	if sent != 1 {
		t.Fatalf("%d rating reminders within the window, want 1", sent)
	}
	msgs := f.Sent(t)
	if len(msgs) != 1 || msgs[0].To != sam || msgs[0].Lang != "zh-Hans" ||
		msgs[0].Text != "提醒一下：Finance在 *FIN-1* 上的服务怎么样？点上面问题下方的任一按钮，或在问题上加一个表情回应，就能评分。只提醒这一次。" {
		t.Fatalf("rating reminder: %+v", msgs)
	}
}
