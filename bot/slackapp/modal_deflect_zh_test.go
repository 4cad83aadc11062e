package slackapp_test

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
)

// The earlier answers shown in place of a Chinese reader's intake form
// are introduced, marked and advised on in Chinese too (the desk's
// words), not only the form's title and buttons.
func TestDeflectModalAnswersInChinese(t *testing.T) {
	dir := mustChineseDirectory(t)
	dep := dir.ByName("finance")
	answers := []bot.EarlierAnswer{
		{Request: &bot.Request{ID: "FIN-7", Title: "差旅报销流程", State: bot.Resolved}, Note: "请在OA系统提交，附上发票。", Saved: true},
		{Request: &bot.Request{ID: "FIN-9", Title: "报销多久到账", State: bot.Resolved}, Note: strings.Repeat("三个工作日内到账。", 80)},
	}
	v := slackapp.DeflectModalIn(zh(t), &bot.Deflected{Pending: &bot.PendingFiling{ID: 42}, Dept: dep, Answers: answers})
	var texts []string
	for _, b := range v.Blocks.BlockSet {
		switch b := b.(type) {
		case *slack.SectionBlock:
			texts = append(texts, b.Text.Text)
		case *slack.ContextBlock:
			for _, e := range b.ContextElements.Elements {
				if o, ok := e.(*slack.TextBlockObject); ok {
					texts = append(texts, o.Text)
				}
			}
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{
		"提交给 *" + dep.DisplayName + "* 之前：以前有人问过类似的问题，并且已经得到解答。",
		"*FIN-7* · 差旅报销流程 · _已存答案_",
		"……（用 `/ask 状态` 查看全文）",
		"如果这里的答案解决了你的问题，请点按钮告诉我，就不会提交请求；否则请点 *仍然提交* 按钮。",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("form lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "saved answer") || strings.Contains(all, "File anyway") || strings.Contains(all, "Before I file") {
		t.Errorf("English in the Chinese form:\n%s", all)
	}
}
