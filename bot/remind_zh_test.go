package bot_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// TestRemindThresholdsInChinese is TestRemindThresholds in a Chinese
// company: the warnings in the queue channel, the breach, the lead's
// escalation and the next day's nudge (with the resolution clock, now at
// its warning share), each once and in Chinese, and the
// card redrawn at the breach says so in Chinese.
func TestRemindThresholdsInChinese(t *testing.T) {
	f := newFixture(t) // Tue 24 Nov 10:00 New York
	f.Desk.SetDir(zhCompany(t))
	f.File(t, sam, "finance", "需要第三季度预算")
	f.Sent(t)
	head := "*FIN-1* （需要第三季度预算）："
	steps := []struct {
		at   string
		want []string // what is sent, whole messages in order; nil: nothing
	}{
		{"2026-11-24 11:59", nil},
		{"2026-11-24 12:00", []string{"#finance: :alarm_clock: *提醒* 有1个请求需要处理\n• " + head +
			"首次响应时限已用去50%（时限为4个工作小时）；首次响应须在周二 15:00（America/New_York）前完成，还剩2小时（工作时间）"}},
		{"2026-11-24 12:30", nil}, // lunch: nothing counts, nothing is sent again
		{"2026-11-24 14:00", []string{"#finance: :alarm_clock: *提醒* 有1个请求需要处理\n• " + head +
			"首次响应时限已用去75%（时限为4个工作小时）；首次响应须在周二 15:00（America/New_York）前完成，还剩1小时（工作时间）"}},
		{"2026-11-24 15:00", []string{"#finance: :alarm_clock: *提醒* 有1个请求需要处理\n• " + head +
			"首次响应已于周二 15:00（America/New_York）超时，此后还没有经过工作时间"}},
		{"2026-11-24 15:30", nil},
		{"2026-11-24 16:00", []string{"U0FIONA: :rotating_light: *升级* 本部门有1个请求超出了服务时限\n• " + head +
			"首次响应已超时1小时（工作时间），原应在周二 15:00（America/New_York）前完成；还没有人认领"}},
		{"2026-11-24 17:00", nil},
		{"2026-11-25 16:00", []string{"#finance: :alarm_clock: *提醒* 有1个请求需要处理\n• " + head +
			"首次响应已超时9小时（工作时间），原应在周二 15:00（America/New_York）前完成；" +
			"另外，解决须在周五 10:00（America/New_York）前完成，还剩3小时（工作时间）"}},
	}
	for _, s := range steps {
		f.at(t, s.at)
		f.sweep(t)
		f.sweep(t) // a second sweep at the same instant sends nothing more
		msgs := f.Sent(t)
		got := texts(msgs)
		var want string
		for _, w := range s.want {
			want += w + "\n"
		}
		if got != want {
			t.Fatalf("at %s sent:\n%s\nwant:\n%s", s.at, got, want)
		}
		for _, m := range msgs {
			if m.Lang != "zh-Hans" {
				t.Errorf("at %s, to %s in %q", s.at, m.To, m.Lang)
			}
			if m.CardFor != "" && m.Change != "首次响应已超时" {
				t.Errorf("at %s, the card's change %q", s.at, m.Change)
			}
		}
	}
}

// TestRemindSpeaksEachReadersLanguage: in an English company the queue
// channel's reminders stay English, while the waiting nudge reaches a
// requester who reads Chinese ([people] lang) in Chinese.
func TestRemindSpeaksEachReadersLanguage(t *testing.T) {
	f := newFixture(t)
	dir := testDir(t)
	dir.People[sam].Lang = "zh-Hans"
	f.Desk.SetDir(dir)
	f.File(t, sam, "finance", "numbers")
	f.File(t, sam, "finance", "budget")
	f.Do(t, frank, bot.ActClaim, "FIN-2")
	f.Do(t, frank, bot.ActWait, "FIN-2", "which quarter?")
	f.Sent(t)
	f.at(t, "2026-11-24 12:00")
	f.sweep(t)
	got := texts(f.Sent(t))
	if !strings.Contains(got, "#finance: :alarm_clock: *Reminder*: 1 request needs attention\n• *FIN-1* (numbers): 50% of the first response target used") {
		t.Errorf("the queue's reminder is not English:\n%s", got)
	}
	// Two working days later Sam has still not answered FIN-2.
	f.at(t, "2026-11-27 12:00")
	f.sweep(t)
	got = texts(f.Sent(t))
	want := "U0SAM: :hourglass: 有1个请求在等你回复\n• *FIN-2* （budget）：Finance在周二 23:00（Asia/Shanghai）问了你一个问题；请在该请求的消息串里回复，以便他们继续处理。"
	if !strings.Contains(got, want) {
		t.Errorf("Sam's nudge:\n%s\nwant %q", got, want)
	}
}

// TestRemindManyInChinese: past the lines a message holds, the rest is
// counted in Chinese, with the command that lists them.
func TestRemindManyInChinese(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(zhCompany(t))
	for i := 0; i < 22; i++ {
		f.File(t, sam, "finance", "预算")
	}
	f.Sent(t)
	f.at(t, "2026-11-24 12:00")
	f.sweep(t)
	got := texts(f.Sent(t))
	for _, w := range []string{"#finance: :alarm_clock: *提醒* 有22个请求需要处理\n", "\n……还有2个；发 `/ask queue finance` 可查看全部，最紧急的在前。\n"} {
		if !strings.Contains(got, w) {
			t.Errorf("sent:\n%s\nwant %q", got, w)
		}
	}
}
