package main

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestSlackNotesInChinese: in a Chinese company the Slack adapter's own
// notes are Chinese: the DM's link to the card, the note that a reply came
// with a file, and the thanks for a rating button.
func TestSlackNotesInChinese(t *testing.T) {
	h := newHarness(t, false, func(o *serverOptions) { o.Dir.Language = "zh-Hans" })
	h.slash(sam, "finance numbers")
	h.deliver()
	card := h.fake.Messages(finCh)[0]
	h.signed("/slack/events", eventBody(t, "", map[string]any{
		"type": "message", "subtype": "file_share", "channel": card.Channel, "user": frank,
		"text": "here they are", "ts": "1764000100.000200", "thread_ts": card.TS, "channel_type": "channel",
	}))
	h.waitRequestVersion("FIN-1", 2)
	h.deliver()
	var link, file bool
	for _, m := range h.fake.Messages("D" + sam) {
		link = link || strings.Contains(m.Text, "|打开 FIN-1 的卡片>")
		file = file || strings.Contains(m.Text, "here they are\n（在消息串里分享了一个文件）")
	}
	if !link || !file {
		t.Errorf("requester's DMs: link to the card %v, file note %v: %+v", link, file, h.fake.Messages("D"+sam))
	}
	h.press(frank, finCh, "askdesk:resolve", "FIN-1")
	h.deliver()
	h.deliver()
	prompt, _ := h.offering("D"+sam, "askdesk:rate4", "FIN-1")
	if code, _ := h.pressShown(sam, prompt.Shown(), slacktest.Pick{ActionID: "askdesk:rate4"}); code != 200 {
		t.Fatalf("press: %d", code)
	}
	calls, err := h.fake.WaitCalls(waitCtx(t), slacktest.ResponseURLMethod, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := calls[len(calls)-1].Params.Get("text"), "谢谢！你给 FIN-1 打了4分（满分5分），一段时间内还可以修改。"; got != want {
		t.Errorf("rating thanks %q, want %q", got, want)
	}
}
