package slackapp_test

import (
	"encoding/json"
	"testing"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
)

// TestManageModalInChinese: the standards form's own words (title,
// buttons, the note on when changes apply, the reason's label, hint and
// placeholder) are Chinese for a Chinese reader; nil is English.
func TestManageModalInChinese(t *testing.T) {
	dep := &bot.Department{Name: "finance", DisplayName: "财务部"}
	fields := []bot.FormField{
		{Key: "leads", Label: "负责人", Users: true, Value: "U0CHEN001"},
		{Key: "hours", Label: "工作时间", Value: "周一至周五 09:00–18:00"},
	}
	m := slackapp.ManageModalIn(zh(t), dep, fields)
	blocks := m.Blocks.BlockSet
	intro := blocks[0].(*slack.SectionBlock).Text.Text
	people := blocks[1].(*slack.InputBlock).Element.(*slack.MultiSelectBlockElement).Placeholder.Text
	reason := blocks[len(blocks)-1].(*slack.InputBlock)
	for _, c := range []struct{ got, want string }{
		{m.Title.Text, "财务部服务标准"}, {m.Submit.Text, "发布"}, {m.Close.Text, "取消"},
		{intro, "修改只对今后提交的请求生效，之前提交的请求仍按提交时的服务标准执行。队列频道会收到通知，说明改了什么、为什么改。"},
		{people, "选择成员"},
		{reason.Label.Text, "为什么修改？"}, {reason.Hint.Text, "会和这次修改一起保存，并告知部门。"},
		{reason.Element.(*slack.PlainTextInputBlockElement).Placeholder.Text, "例如：现在月底没那么忙了"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	assertNoEnglish(t, textsOf(t, m))
	en, _ := json.Marshal(slackapp.ManageModal(dep, fields))
	if m := slackapp.ManageModal(dep, fields); m.Title.Text != "财务部 standards" || m.Submit.Text != "Publish" {
		t.Errorf("English form: %s", en)
	}
}
