package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// lockDatabase holds serve's database as another process would (a backup,
// an sqlite3 shell) until the returned func is called: writes wait out
// the busy timeout and fail.
func (h *harness) lockDatabase() (unlock func()) {
	h.t.Helper()
	// A write askdesk has in hand at this moment (a delivery, a probe) is
	// waited for: the lock is taken between its writes, as a shell's is.
	other, err := sql.Open("sqlite", "file:"+h.dbPath+"?_pragma=busy_timeout(10000)")
	if err != nil {
		h.t.Fatal(err)
	}
	conn, err := other.Conn(h.ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := conn.ExecContext(h.ctx, "BEGIN EXCLUSIVE"); err != nil {
		h.t.Fatal(err)
	}
	var once sync.Once
	unlock = func() {
		once.Do(func() {
			_, _ = conn.ExecContext(h.ctx, "ROLLBACK")
			conn.Close()
			other.Close()
		})
	}
	h.t.Cleanup(unlock)
	return unlock
}

// sendSocket sends env over the fake's Socket Mode connection.
func (h *harness) sendSocket(ctx context.Context, env slacktest.Envelope) {
	h.t.Helper()
	if err := h.fake.SendEnvelope(ctx, env); err != nil {
		h.t.Fatal(err)
	}
}

// waitAck waits for envelope id's ack and returns its payload.
func (h *harness) waitAck(ctx context.Context, id string) json.RawMessage {
	h.t.Helper()
	p, err := h.fake.WaitAck(ctx, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

// waitSocket waits for serve's first Socket Mode connection.
func (h *harness) waitSocket(ctx context.Context) {
	h.t.Helper()
	if err := h.fake.WaitSocketConnections(ctx, 1); err != nil {
		h.t.Fatal(err)
	}
}

// TestSocketSlowSlackNeverDelaysAnAck: with views.open hanging, "/ask"
// alone is acked at once (the form opens after the ack) and so is another
// user's "/ask list" and "/ask help" sent behind it: both acks come while
// Slack still holds views.open. When views.open gives up, the person who
// asked for the form gets the typed help through the command's
// response_url.
func TestSocketSlowSlackNeverDelaysAnAck(t *testing.T) {
	// It waits on real time (Slack's budgets and timeouts) more than it
	// works, so it waits beside the other tests that do.
	t.Parallel()
	h := newHarness(t, true)
	ctx := waitCtx(t)
	h.waitSocket(ctx)
	h.fake.Delay("views.open", -1, time.Hour) // answered when askdesk gives up

	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-form", h.slashForm(sam, "")))
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-list", h.slashForm(tina, "list")))
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-help", h.slashForm(tina, "help")))
	if ack := h.waitAck(ctx, "env-form"); len(ack) != 0 {
		t.Errorf("/ask alone acked with %s; want a bare ack (the form opens after it)", ack)
	}
	if ack := h.waitAck(ctx, "env-list"); !strings.Contains(string(ack), "requests") {
		t.Errorf("/ask list ack: %s", ack)
	}
	if ack := h.waitAck(ctx, "env-help"); !strings.Contains(string(ack), "/ask") {
		t.Errorf("/ask help ack: %s", ack)
	}
	if n := len(h.fake.CallsTo("views.open")); n != 0 {
		t.Fatalf("views.open was answered (%d) before the acks: the acks waited for it", n)
	}
	calls, err := h.fake.WaitCalls(ctx, slacktest.ResponseURLMethod, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(calls[0].Params.Get("text"), "here is how to ask by typing") {
		t.Errorf("after views.open failed, the response_url got %s", calls[0].Body)
	}
}

// TestShortcutInAThreadFiledWithoutWaitingOnSlack: the "Send to a
// department" shortcut on a reply in a thread is acked at once and opens
// the form; submitting the form files the request while users.info and
// chat.getPermalink hang, quoting the author by name with a link to the
// reply (looked up while the form was open), and the "Filed as" answer
// goes in the thread of the reply's parent, as Slack's docs require.
func TestShortcutInAThreadFiledWithoutWaitingOnSlack(t *testing.T) {
	h := newHarness(t, true)
	ctx := waitCtx(t)
	h.waitSocket(ctx)
	const sales, parent, reply = "C0SALES01", "1764000001.000100", "1764000001.000200"
	h.fake.AddChannel(sales, "sales")
	h.fake.AddMessage(sales, parent, tina, "who can help with this?")
	h.fake.AddReply(sales, parent, reply, tina, "need the Q3 budget numbers for the board deck")
	msg, ok := h.fake.Message(sales, reply)
	if !ok {
		t.Fatal("the reply is not in the fake")
	}

	h.sendSocket(ctx, slacktest.InteractiveEnvelope("env-shortcut",
		slacktest.MessageShortcut(msg, "askdesk:shortcut", sam, h.fake.ResponseURL("shortcut"))))
	h.waitAck(ctx, "env-shortcut")
	if _, err := h.fake.WaitCalls(ctx, "views.open", 1); err != nil {
		t.Fatal(err)
	}
	// What the quote needs is looked up while the form is open.
	if _, err := h.fake.WaitCalls(ctx, "users.info", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := h.fake.WaitCalls(ctx, "auth.test", 1); err != nil {
		t.Fatal(err)
	}
	h.srv.eventsIdle()
	h.fake.Delay("users.info", -1, time.Hour)
	h.fake.Delay("chat.getPermalink", -1, time.Hour)
	defer h.fake.ClearDelays()

	var form slacktest.View
	for _, v := range h.fake.Views() {
		if strings.Contains(string(v.View), `"callback_id":"askdesk:file"`) {
			form = v
		}
	}
	submit, err := slacktest.ViewSubmission(form, sam, map[string]string{"askdesk:file:dept": "finance"})
	if err != nil {
		t.Fatal(err)
	}
	h.sendSocket(ctx, slacktest.InteractiveEnvelope("env-submit", submit))
	if ack := h.waitAck(ctx, "env-submit"); len(ack) != 0 {
		t.Fatalf("submission refused: %s", ack)
	}
	r, err := h.srv.db.Request(h.ctx, "FIN-1")
	if err != nil {
		t.Fatalf("the form's request was not filed: %v", err)
	}
	link := "https://" + slacktest.Workspace + "/archives/" + sales + "/p" + strings.Replace(reply, ".", "", 1) +
		"?thread_ts=" + parent + "&cid=" + sales
	if want := "From a message by tina: " + link; !strings.Contains(r.Text, want) {
		t.Errorf("request text %q; want it to quote %q", r.Text, want)
	}
	if n := len(h.fake.CallsTo("chat.getPermalink")); n != 0 {
		t.Errorf("%d chat.getPermalink calls; the link is built from the workspace URL", n)
	}

	h.deliver()
	var filedAs []slacktest.Message
	for _, m := range h.fake.Messages(sales) {
		if strings.Contains(m.Text, "Filed as") {
			filedAs = append(filedAs, m)
		}
	}
	if len(filedAs) != 1 || filedAs[0].ThreadTS != parent {
		t.Fatalf("Filed as answers %+v; want one in the thread of the parent %s", filedAs, parent)
	}
}

// TestLateAnswersGoThroughResponseURL: an answer not ready within the ack
// budget (here next to none, so every one is late) is not lost: the ack
// goes bare within the budget, and the reply follows through the
// command's response_url, over Socket Mode and HTTP alike; a modal whose
// errors come too late to show in it (it has closed) sends them by DM,
// with what the person wrote.
func TestLateAnswersGoThroughResponseURL(t *testing.T) {
	late := func(o *serverOptions) { o.AckBudget = time.Nanosecond }
	filed := func(t *testing.T, h *harness, ctx context.Context, n int) {
		t.Helper()
		calls, err := h.fake.WaitCalls(ctx, slacktest.ResponseURLMethod, n)
		if err != nil {
			t.Fatal(err)
		}
		if got := calls[n-1].Params.Get("text"); !strings.Contains(got, "Filed *FIN-") {
			t.Errorf("response_url got %q; want the filing's reply", got)
		}
		if calls[n-1].Params.Get("response_type") != "ephemeral" {
			t.Errorf("late reply is not ephemeral: %s", calls[n-1].Body)
		}
	}

	t.Run("SocketMode", func(t *testing.T) {
		h := newHarness(t, true, late)
		ctx := waitCtx(t)
		h.waitSocket(ctx)
		h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-1", h.slashForm(sam, "finance need the Q3 numbers")))
		if ack := h.waitAck(ctx, "env-1"); len(ack) != 0 {
			t.Errorf("late ack carries %s", ack)
		}
		filed(t, h, ctx, 1)

		// A modal submitted while another process holds the database: its
		// error comes after the ack, so it goes by DM with the text.
		h.fake.Reset()
		h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-2", h.slashForm(sam, "")))
		h.waitAck(ctx, "env-2")
		if _, err := h.fake.WaitCalls(ctx, "views.open", 1); err != nil {
			t.Fatal(err)
		}
		submit, err := slacktest.ViewSubmission(h.fake.Views()[0], sam, map[string]string{"askdesk:file:dept": "finance", "askdesk:file:text": "my laptop is slow"})
		if err != nil {
			t.Fatal(err)
		}
		unlock := h.lockDatabase()
		defer unlock()
		h.sendSocket(ctx, slacktest.InteractiveEnvelope("env-3", submit))
		h.waitAck(ctx, "env-3")
		var dm string
		for seen := 0; dm == ""; {
			posts, err := h.fake.WaitCalls(ctx, "chat.postMessage", seen+1)
			if err != nil {
				t.Fatalf("no DM with the form's error: %v", err)
			}
			for _, p := range posts[seen:] {
				if p.Params.Get("channel") == "D"+sam {
					dm = p.Params.Get("text")
				}
			}
			seen = len(posts)
		}
		if !strings.Contains(dm, "couldn't take what you sent") || !strings.Contains(dm, "my laptop is slow") {
			t.Errorf("late modal errors by DM: %q; want the error and the text", dm)
		}
		unlock()
		if n := h.count("requests"); n != 1 {
			t.Errorf("%d requests; want only the first command's", n)
		}
	})

	t.Run("HTTP", func(t *testing.T) {
		h := newHarness(t, false, late)
		ctx := waitCtx(t)
		code, body := h.slash(sam, "finance need the Q3 numbers")
		if code != http.StatusOK || body != "" {
			t.Errorf("late slash command answered %d %q; want a bare 200", code, body)
		}
		filed(t, h, ctx, 1)
	})
}

// TestShortcutWhereAskdeskIsNotAMember: the shortcut used in a channel
// askdesk was never invited to files the request; the "Filed as" answer
// cannot be posted there (not_in_channel) and is not retried or set aside
// as a failure: the requester's DM from askdesk says the same.
func TestShortcutWhereAskdeskIsNotAMember(t *testing.T) {
	var logs watchedLog
	h := newHarness(t, true, func(o *serverOptions) { o.Log = newLogger(&logs, config.LogConfig{}) })
	ctx := waitCtx(t)
	h.waitSocket(ctx)
	const elsewhere, ts = "C0ELSEWHR", "1764000300.000100"
	h.fake.AddChannel(elsewhere, "elsewhere")
	h.fake.LeaveChannel(elsewhere)
	h.fake.AddMessage(elsewhere, ts, tina, "can finance look at the travel budget?")
	msg, _ := h.fake.Message(elsewhere, ts)
	h.sendSocket(ctx, slacktest.InteractiveEnvelope("env-1", slacktest.MessageShortcut(msg, "askdesk:shortcut", sam, h.fake.ResponseURL("s"))))
	h.waitAck(ctx, "env-1")
	if _, err := h.fake.WaitCalls(ctx, "views.open", 1); err != nil {
		t.Fatal(err)
	}
	submit, err := slacktest.ViewSubmission(h.fake.Views()[0], sam, map[string]string{"askdesk:file:dept": "finance"})
	if err != nil {
		t.Fatal(err)
	}
	h.sendSocket(ctx, slacktest.InteractiveEnvelope("env-2", submit))
	h.waitAck(ctx, "env-2")
	h.deliver()
	h.deliver()
	refused := 0
	for _, c := range h.fake.CallsTo("chat.postMessage") {
		if c.Params.Get("channel") == elsewhere {
			refused++
		}
	}
	if refused != 1 {
		t.Errorf("%d posts tried in the channel askdesk is not in; want 1, not retried", refused)
	}
	var dm bool
	for _, m := range h.fake.Messages("D" + sam) {
		dm = dm || strings.Contains(m.Text, "FIN-1")
	}
	if !dm {
		t.Error("the requester got no DM about FIN-1")
	}
	if code, body := getStatus(h.base + "/healthz"); code != 200 || !strings.Contains(body, `"outbox_pending":0`) {
		t.Errorf("outbox after delivery: %d %s", code, body)
	}
	if got := logs.String(); strings.Contains(got, "level=ERROR") || strings.Contains(got, "message not delivered") {
		t.Errorf("a channel askdesk is not in was treated as a failure:\n%s", logs.String())
	}
}

// TestSocketShutdownAcksWhatItRead: at shutdown, an envelope in hand (its
// command waiting on a database another process holds) is still
// acknowledged before the connection closes, and so is one Slack sends
// just after the shutdown began.
func TestSocketShutdownAcksWhatItRead(t *testing.T) {
	// It waits on real time (Slack's budgets and timeouts) more than it
	// works, so it waits beside the other tests that do.
	t.Parallel()
	h := newHarness(t, true)
	ctx := waitCtx(t)
	h.waitSocket(ctx)
	unlock := h.lockDatabase()
	defer unlock()
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-in-hand", h.slashForm(sam, "finance need the Q3 numbers")))
	h.srv.cancel() // SIGTERM, with the envelope read or about to be
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-after", h.slashForm(tina, "help")))
	for _, id := range []string{"env-in-hand", "env-after"} {
		if _, err := h.fake.WaitAck(ctx, id); err != nil {
			t.Errorf("%s was read but never acknowledged: %v", id, err)
		}
	}
	unlock()
	if err := h.srv.Wait(); err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

// TestSocketTurnsAwayWhatItCannotTakeNow: with every slot taken (here one,
// held by a command waiting on a locked database), a command is
// acknowledged at once, saying through its response_url that askdesk is
// busy and nothing was done, and a form submission keeps its form open
// with that note; nothing waits for a slot.
func TestSocketTurnsAwayWhatItCannotTakeNow(t *testing.T) {
	// The slot is held until the unlock below, not until a budget that a
	// busy machine could see run out while the turned-away envelopes are
	// still being sent (then one of them would find the slot free).
	h := newHarness(t, true, func(o *serverOptions) { o.MaxInFlight, o.AckBudget = 1, time.Minute })
	ctx := waitCtx(t)
	h.waitSocket(ctx)
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-form", h.slashForm(sam, "")))
	h.waitAck(ctx, "env-form")
	if _, err := h.fake.WaitCalls(ctx, "views.open", 1); err != nil {
		t.Fatal(err)
	}
	submit, err := slacktest.ViewSubmission(h.fake.Views()[0], sam, map[string]string{"askdesk:file:dept": "finance", "askdesk:file:text": "new badge please"})
	if err != nil {
		t.Fatal(err)
	}

	unlock := h.lockDatabase()
	defer unlock()
	// Envelopes on one connection are read in order: env-slow takes the
	// slot, and holds it while the database is locked.
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-slow", h.slashForm(sam, "finance need the Q3 numbers")))
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-busy", h.slashForm(tina, "list")))
	h.sendSocket(ctx, slacktest.InteractiveEnvelope("env-busy-form", submit))
	if ack := h.waitAck(ctx, "env-busy"); len(ack) != 0 {
		t.Errorf("turned-away command acked with %s", ack)
	}
	ack := h.waitAck(ctx, "env-busy-form")
	if !strings.Contains(string(ack), `"response_action":"errors"`) || !strings.Contains(string(ack), "very busy") {
		t.Errorf("turned-away form: %s; want its errors, saying askdesk is busy", ack)
	}
	if _, ok := h.fake.Acked("env-slow"); ok {
		t.Fatal("the command in hand was acked before the turned-away ones: they waited for its slot")
	}
	calls, err := h.fake.WaitCalls(ctx, slacktest.ResponseURLMethod, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(calls[0].Params.Get("text"), "very busy") {
		t.Errorf("response_url got %s", calls[0].Body)
	}
	unlock()
	h.waitAck(ctx, "env-slow")
}

// TestSocketTurnsAwayInTheSendersLanguage: the note of a turned-away
// command is said in its sender's language (here the company's, Chinese).
func TestSocketTurnsAwayInTheSendersLanguage(t *testing.T) {
	h := newHarness(t, true, func(o *serverOptions) {
		o.MaxInFlight, o.AckBudget = 1, time.Minute
		o.Dir.Language = "zh-Hans"
	})
	ctx := waitCtx(t)
	h.waitSocket(ctx)
	unlock := h.lockDatabase()
	defer unlock()
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-slow", h.slashForm(sam, "finance need the Q3 numbers")))
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-busy", h.slashForm(tina, "list")))
	h.waitAck(ctx, "env-busy")
	calls, err := h.fake.WaitCalls(ctx, slacktest.ResponseURLMethod, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := calls[0].Params.Get("text"), "askdesk 现在太忙，这次没有做任何操作。请稍后再试。"; got != want {
		t.Errorf("response_url got %q, want %q", got, want)
	}
	unlock()
	h.waitAck(ctx, "env-slow")
}
