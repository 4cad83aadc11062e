package main

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// meetInChinese makes user a person whose Slack is in Chinese and whom
// askdesk has met: their first /ask (sent by ask) looks them up in the
// background, and the answer is kept.
func (h *harness) meetInChinese(user, name string, ask func()) {
	h.t.Helper()
	h.fake.AddUserLocale(user, name, name, "America/Chicago", "zh-CN")
	ask()
	h.srv.eventsIdle() // the users.info it started
	if n := len(usersInfoFor(h.fake, user)); n != 1 {
		h.t.Fatalf("meeting %s: %d users.info calls, want 1", user, n)
	}
}

// usersInfoFor is the users.info calls the fake had about user.
func usersInfoFor(fake *slacktest.Server, user string) []slacktest.Call {
	var out []slacktest.Call
	for _, c := range fake.CallsTo("users.info") {
		if c.Params.Get("user") == user {
			out = append(out, c)
		}
	}
	return out
}

// TestSlashFilingReplyInTheReadersLanguage: in an English company, sam,
// whose Slack is in Chinese, files with /ask finance …: the reply Slack
// shows is Chinese, and so are Slack's own words on it, the 撤回 button's
// confirmation dialog; pressing the button Slack showed cancels the
// request. Filing asks Slack nothing more of sam.
func TestSlashFilingReplyInTheReadersLanguage(t *testing.T) {
	h := newHarness(t, false)
	h.meetInChinese(sam, "sam", func() {
		if code, _ := h.slash(sam, "help"); code != 200 {
			t.Fatalf("/ask help: HTTP %d", code)
		}
	})

	code, body := h.slash(sam, "finance 需要第三季度预算")
	if code != 200 {
		t.Fatalf("filing: HTTP %d", code)
	}
	shown := h.reply(sam, body)
	if !strings.HasPrefix(shown.Text, "已提交 *FIN-1* 给Finance（普通优先级）：需要第三季度预算") {
		t.Errorf("reply text:\n%s", shown.Text)
	}
	els, err := slacktest.Elements(shown.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	if len(els) != 1 || els[0].Text != "撤回" {
		t.Fatalf("reply's elements %+v, want the one button 撤回", els)
	}
	want := slacktest.Confirm{Title: "撤回 FIN-1？", Text: "撤回后，部门将停止处理这个请求。此操作无法撤销。", Confirm: "确认撤回", Deny: "不撤回"}
	if c := els[0].Confirm; c == nil || *c != want {
		t.Errorf("撤回's confirmation %+v, want %+v", c, want)
	}

	if code, _ := h.pressShown(sam, shown, slacktest.Pick{Label: "撤回"}); code != 200 {
		t.Fatalf("pressing 撤回: HTTP %d", code)
	}
	r, err := h.srv.db.Request(h.ctx, "FIN-1")
	if err != nil || r.State != bot.Cancelled {
		t.Errorf("FIN-1 after 撤回: %+v, %v; want cancelled", r, err)
	}
	h.deliverAll()
	h.srv.eventsIdle()
	if n := len(usersInfoFor(h.fake, sam)); n != 1 {
		t.Errorf("%d users.info calls about sam, want only the first", n)
	}
}

// TestSocketTurnsAwayWithoutLookingAnyoneUp: a note turning an envelope
// away is said in the language known of its sender, Chinese for a person
// met whose Slack is in Chinese, the company's English for one never
// seen; and it costs no users.info call, busy as askdesk is then.
func TestSocketTurnsAwayWithoutLookingAnyoneUp(t *testing.T) {
	h := newHarness(t, true, func(o *serverOptions) { o.MaxInFlight, o.AckBudget = 1, time.Minute })
	ctx := waitCtx(t)
	h.waitSocket(ctx)
	h.meetInChinese(frank, "frank", func() {
		h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-help", h.slashForm(frank, "help")))
		h.waitAck(ctx, "env-help")
	})

	unlock := h.lockDatabase()
	defer unlock()
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-slow", h.slashForm(sam, "finance need the Q3 numbers")))
	zhForm, newForm := h.slashForm(frank, "list"), h.slashForm(tina, "list")
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-busy-zh", zhForm))
	h.waitAck(ctx, "env-busy-zh")
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-busy-new", newForm))
	h.waitAck(ctx, "env-busy-new")
	calls, err := h.fake.WaitCalls(ctx, slacktest.ResponseURLMethod, 2)
	if err != nil {
		t.Fatal(err)
	}
	notes := map[string]string{} // by response_url
	for _, c := range calls {
		notes[h.fake.ResponseURL(c.Params.Get("id"))] = c.Params.Get("text")
	}
	for _, want := range []struct {
		who  string
		form url.Values
		note string
	}{
		{"frank, met, in Chinese", zhForm, "askdesk 现在太忙，这次没有做任何操作。请稍后再试。"},
		{"tina, never seen", newForm, "askdesk is very busy just now, and nothing was done. Please try again in a moment."},
	} {
		if got := notes[want.form.Get("response_url")]; got != want.note {
			t.Errorf("%s told %q, want %q", want.who, got, want.note)
		}
	}
	unlock()
	h.waitAck(ctx, "env-slow")
	h.srv.eventsIdle()
	if n := len(usersInfoFor(h.fake, tina)); n != 0 {
		t.Errorf("turning tina away looked her up (%d users.info calls)", n)
	}
}
