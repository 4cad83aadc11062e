package bot

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/i18n"
)

// TestHistoryLinesReadInChinese: every kind of event in a request's
// history reads in Chinese for a zh-Hans reader, with the mentions, IDs and
// departments as they are and no English word left; English is unchanged.
func TestHistoryLinesReadInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	english := regexp.MustCompile(`[A-Za-z]{3,}`)
	base := Event{Actor: "U0FRANK"}
	cases := []struct {
		ev Event
		en string
		zh string
	}{
		{Event{Kind: EvCreated, Actor: "U0SAM", Dept: "finance", Priority: Urgent, Text: "ignored"}, "filed by <@U0SAM> with finance (urgent)", "<@U0SAM> 向finance提交（紧急）"},
		{Event{Kind: EvClaimed}, "claimed by <@U0FRANK>", "<@U0FRANK> 认领"},
		{Event{Kind: EvReplied, Text: "附件已发"}, "reply from <@U0FRANK>: 附件已发", "<@U0FRANK> 回复：附件已发"},
		{Event{Kind: EvCommented}, "comment from <@U0FRANK> (requester)", "提出人 <@U0FRANK> 补充"},
		{Event{Kind: EvWaiting}, "<@U0FRANK> put it on hold: waiting on the requester", "<@U0FRANK> 暂停处理，等待提出人回复"},
		{Event{Kind: EvResumed}, "resumed by <@U0FRANK>", "<@U0FRANK> 恢复处理"},
		{Event{Kind: EvResolved}, "resolved by <@U0FRANK>", "<@U0FRANK> 标记为已解决"},
		{Event{Kind: EvClosed}, "closed by <@U0FRANK>", "<@U0FRANK> 关闭"},
		{Event{Kind: EvReopened}, "reopened by <@U0FRANK>", "<@U0FRANK> 重新打开"},
		{Event{Kind: EvCancelled}, "cancelled by <@U0FRANK>", "<@U0FRANK> 撤回"},
		{Event{Kind: EvReassigned, Assignee: "U0FIONA"}, "reassigned to <@U0FIONA> by <@U0FRANK>", "<@U0FRANK> 改派给 <@U0FIONA>"},
		{Event{Kind: EvTransferred, FromDept: "finance", Dept: "it"}, "transferred from finance to it by <@U0FRANK>", "<@U0FRANK> 从finance转交给it"},
	}
	marks := strings.NewReplacer("<@U0FRANK>", Mention("U0FRANK"), "<@U0SAM>", Mention("U0SAM"), "<@U0FIONA>", Mention("U0FIONA"))
	for _, c := range cases {
		c.en, c.zh = marks.Replace(c.en), marks.Replace(c.zh)
		ev := c.ev
		if ev.Actor == "" {
			ev.Actor = base.Actor
		}
		if got := describeEventIn(nil, ev); got != c.en {
			t.Errorf("%s en: %q, want %q", ev.Kind, got, c.en)
		}
		got := describeEventIn(zh, ev)
		if got != c.zh {
			t.Errorf("%s zh: %q, want %q", ev.Kind, got, c.zh)
		}
		rest := strings.NewReplacer("finance", "", "it", "", Mention("U0FRANK"), "", Mention("U0SAM"), "", Mention("U0FIONA"), "").Replace(got)
		if w := english.FindAllString(rest, -1); len(w) > 0 || strings.Contains(got, "{") {
			t.Errorf("%s zh %q: English %q left", ev.Kind, got, w)
		}
	}
}

// TestBusinessHoursNameDaysInChinese: the business hours line names the
// days in the reader's language and says a week without hours is closed.
func TestBusinessHoursNameDaysInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	c := &Calendar{Location: time.UTC}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Hours[d] = []Span{{Start: 9 * 60, End: 12 * 60}, {Start: 13 * 60, End: 18 * 60}}
	}
	c.Hours[time.Saturday] = []Span{{Start: 10 * 60, End: 14 * 60}}
	if got, want := HoursSummary(c), "Mon–Fri 09:00–12:00, 13:00–18:00; Sat 10:00–14:00"; got != want {
		t.Errorf("en %q, want %q", got, want)
	}
	if got, want := HoursSummaryIn(zh, c), "周一–周五 09:00–12:00、13:00–18:00；周六 10:00–14:00"; got != want {
		t.Errorf("zh %q, want %q", got, want)
	}
	empty := &Calendar{Location: time.UTC}
	if got := HoursSummary(empty); got != "closed" {
		t.Errorf("en closed week %q", got)
	}
	if got := HoursSummaryIn(zh, empty); got != "不办公" {
		t.Errorf("zh closed week %q", got)
	}
}
