package slackapp_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// hostileAnswers are three earlier answers at their longest, every title
// and note full of what mrkdwn must not take as markup, the last one a
// saved answer.
func hostileAnswers() []bot.EarlierAnswer {
	title := strings.Repeat("<!channel> & <@U1> ", 20)
	note := strings.Repeat("see <https://evil.example|the wiki> & <!here> ", 200)
	var out []bot.EarlierAnswer
	for i, id := range []string{"FIN-1", "FIN-22", "FIN-333"} {
		out = append(out, bot.EarlierAnswer{Request: &bot.Request{ID: id, Title: title + id, State: bot.Resolved}, Note: note, Saved: i == 2})
	}
	return out
}

// TestDeflectModal_WithinLimitsAndEscaped: the earlier answers shown in
// place of the intake form fit a modal's limits (blocks, texts, the
// title, submit and close, each button) however long the titles and
// notes; user text is escaped; each answer has its own "This answered
// it", which parses back to the pending filing, the answer and the
// department; "File anyway" submits and the view names the pending
// filing.
func TestDeflectModal_WithinLimitsAndEscaped(t *testing.T) {
	dir := MustExampleDirectory(t)
	dep := dir.ByName("finance")
	x := &bot.Deflected{Pending: &bot.PendingFiling{ID: 42}, Dept: dep, Answers: hostileAnswers()}
	v := slackapp.DeflectModal(x)
	if v.CallbackID != slackapp.DeflectModalCallbackID || v.PrivateMetadata != "P42" {
		t.Errorf("callback_id %q, private_metadata %q", v.CallbackID, v.PrivateMetadata)
	}
	if v.Submit == nil || v.Submit.Text != "File anyway" || v.Close == nil || v.Close.Text == "" {
		t.Errorf("submit %+v, close %+v", v.Submit, v.Close)
	}
	for _, o := range []*slack.TextBlockObject{v.Title, v.Submit, v.Close} {
		if n := utf8.RuneCountInString(o.Text); n < 1 || n > 24 {
			t.Errorf("%q: %d characters, want 1 to 24", o.Text, n)
		}
	}
	checkLimitsOf(t, v.Blocks.BlockSet, 100)
	raw, err := json.Marshal(v.Blocks.BlockSet)
	if err != nil {
		t.Fatal(err)
	}
	if p := slacktest.BlockProblems(raw, 100); len(p) > 0 {
		t.Errorf("Block Kit problems: %v", p)
	}
	if s := string(raw); strings.Contains(s, "<!channel>") || strings.Contains(s, "<!here>") || strings.Contains(s, "<@U1>") || strings.Contains(s, "<https://evil") {
		t.Errorf("user text not escaped: %s", s)
	}
	var ids []string
	saved := 0
	for _, b := range v.Blocks.BlockSet {
		s, ok := b.(*slack.SectionBlock)
		if !ok || s.Accessory == nil {
			continue
		}
		if strings.Contains(s.Text.Text, "saved answer") {
			saved++
		}
		btn := s.Accessory.ButtonElement
		if btn == nil || btn.Text.Text != "This answered it" || utf8.RuneCountInString(btn.ActionID) > 255 {
			t.Fatalf("accessory %+v", s.Accessory)
		}
		act, ref, arg, ok := slackapp.ParseAction(&slack.BlockAction{ActionID: btn.ActionID, BlockID: s.BlockID, Type: "button", Value: btn.Value})
		if !ok || act != bot.ActAnswered || ref != "P42" {
			t.Fatalf("button parses as (%q, %q, %q, %v)", act, ref, arg, ok)
		}
		id, deptName, _ := strings.Cut(arg, ":")
		if deptName != "finance" || !strings.Contains(s.Text.Text, "*"+id+"*") {
			t.Errorf("button for %q (%q) beside %.80q", id, deptName, s.Text.Text)
		}
		ids = append(ids, id)
	}
	if strings.Join(ids, " ") != "FIN-1 FIN-22 FIN-333" || saved != 1 {
		t.Errorf("answers with buttons %v (saved %d), want FIN-1 FIN-22 FIN-333 (one saved)", ids, saved)
	}
}
