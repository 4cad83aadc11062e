package main

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestSocketMode runs serve with an app token against the fake's Socket
// Mode server: the slash command's reply rides in the ack, a repeated
// envelope is acted on once, the client reconnects after a disconnect
// message and after the connection drops, and a card's button and the
// reply's Cancel pressed over the socket act.
func TestSocketMode(t *testing.T) {
	// It waits on real time (Slack's budgets and timeouts) more than it
	// works, so it waits beside the other tests that do.
	t.Parallel()
	h := newHarness(t, true)
	ctx := waitCtx(t)
	if err := h.fake.WaitSocketConnections(ctx, 1); err != nil {
		t.Fatal(err)
	}
	slash := func(id, text string) string {
		t.Helper()
		form := slashForm(t, sam, text)
		if err := h.fake.SendEnvelope(ctx, slacktest.SlashCommandEnvelope(id, form)); err != nil {
			t.Fatal(err)
		}
		ack, err := h.fake.WaitAck(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return string(ack)
	}
	ack := slash("env-1", "finance need the Q3 budget numbers")
	if !strings.Contains(ack, "Filed *FIN-1*") {
		t.Fatalf("ack payload: %s", ack)
	}
	// Slack may deliver an envelope again; it is acked, not acted on twice.
	form := slashForm(t, sam, "finance need the Q3 budget numbers")
	h.fake.SendEnvelope(ctx, slacktest.SlashCommandEnvelope("env-1", form))
	if n := h.count("requests"); n != 1 {
		t.Fatalf("%d requests after a repeated envelope", n)
	}

	h.fake.Disconnect("refresh_requested")
	if err := h.fake.WaitSocketConnections(ctx, 2); err != nil {
		t.Fatalf("no reconnect after disconnect: %v", err)
	}
	if ack := slash("env-2", "fin second"); !strings.Contains(ack, "FIN-2") {
		t.Fatalf("after reconnect: %s", ack)
	}
	h.fake.DropConnection()
	if err := h.fake.WaitSocketConnections(ctx, 3); err != nil {
		t.Fatalf("no reconnect after network loss: %v", err)
	}
	third := slash("env-3", "fin third")
	if !strings.Contains(third, "FIN-3") {
		t.Fatalf("after network loss: %s", third)
	}

	// A card's button over Socket Mode.
	h.deliver()
	card, claim := h.offering(finCh, "askdesk:claim", "FIN-1")
	h.pressSocket(ctx, "env-4", fiona, card.Shown(), claim)
	r, err := h.srv.db.Request(h.ctx, "FIN-1")
	if err != nil || r.Assignee != fiona {
		t.Fatalf("claim over socket mode: %+v %v", r, err)
	}
	// The Cancel button of the reply that came in the ack.
	h.pressSocket(ctx, "env-5", sam, h.reply(sam, third), slacktest.Pick{ActionID: "askdesk:cancel"})
	if r, err := h.srv.db.Request(h.ctx, "FIN-3"); err != nil || r.State != bot.Cancelled {
		t.Fatalf("cancel from the ack's reply: %+v %v", r, err)
	}
	// healthz answers in Socket Mode too.
	if code, _ := getStatus(h.base + "/healthz"); code != 200 {
		t.Fatalf("healthz %d", code)
	}
}

// TestEmojiIntake: a :ticket: reaction on a message in Finance's intake
// channel files it as Finance's, for its author, and answers in its thread;
// a second reaction does not file it again.
func TestEmojiIntake(t *testing.T) {
	h := newHarness(t, false)
	h.fake.AddMessage("C0INTAKE1", "1764000000.000500", sam, "Can someone approve my &lt;urgent&gt; PO?")
	react := func(user string) {
		t.Helper()
		h.signed("/slack/events", eventBody(t, "", map[string]any{
			"type": "reaction_added", "user": user, "reaction": "ticket", "item_user": sam,
			"item":     map[string]any{"type": "message", "channel": "C0INTAKE1", "ts": "1764000000.000500"},
			"event_ts": "1764000001.000100",
		}))
		h.srv.eventsIdle()
	}
	react(tina)
	r, err := h.srv.db.Request(h.ctx, "FIN-1")
	if err != nil || r.Requester != sam || r.Text != "Can someone approve my <urgent> PO?" || r.Source != "reaction" {
		t.Fatalf("intake: %+v %v", r, err)
	}
	react(fiona)
	if n := h.count("requests"); n != 1 {
		t.Fatalf("a second reaction filed it again: %d requests", n)
	}
	h.deliver()
	var answered bool
	for _, m := range h.fake.Messages("C0INTAKE1") {
		if m.ThreadTS == "1764000000.000500" && strings.Contains(m.Text, "FIN-1") {
			answered = true
		}
	}
	if !answered {
		t.Fatalf("no answer in the message's thread: %+v", h.fake.Messages("C0INTAKE1"))
	}
	// Other emoji, and channels that are no department's intake, do nothing.
	h.signed("/slack/events", eventBody(t, "", map[string]any{
		"type": "reaction_added", "user": tina, "reaction": "tada", "item_user": sam,
		"item": map[string]any{"type": "message", "channel": "C0INTAKE1", "ts": "1764000000.000500"},
	}))
	h.srv.eventsIdle()
	if n := h.count("requests"); n != 1 {
		t.Fatalf("another emoji filed a request")
	}
}

// TestModalAndShortcut: /ask with no text opens the modal; submitting it
// files the request; the message shortcut opens it prefilled and the
// request quotes and links the message.
func TestModalAndShortcut(t *testing.T) {
	h := newHarness(t, false)
	if code, body := h.slash(sam, ""); code != 200 || strings.Contains(body, "Filed") {
		t.Fatalf("empty /ask: %d %s", code, body)
	}
	views, err := h.fake.WaitCalls(waitCtx(t), "views.open", 1)
	if err != nil {
		t.Fatal(err)
	}
	if v := views[0].Params.Get("view"); !strings.Contains(v, "askdesk:file") {
		t.Fatalf("views.open: %s", v)
	}
	// What Sam types into the form Slack shows him, submitted as Slack
	// sends it: the view askdesk opened, with his entries.
	submit := func(v slacktest.View, text string) (int, string) {
		payload, err := slacktest.ViewSubmission(v, sam, map[string]string{
			"askdesk:file:dept": "finance", "askdesk:file:priority": "urgent", "askdesk:file:text": text})
		if err != nil {
			t.Fatal(err)
		}
		return h.signed("/slack/interactions", slacktest.InteractionBody(payload))
	}
	form := h.fake.Views()[0]
	if code, body := submit(form, ""); code != 200 || !strings.Contains(body, `"response_action":"errors"`) {
		t.Fatalf("empty modal text: %d %s", code, body)
	}
	if code, body := submit(form, "badge for the new hire"); code != 200 || strings.Contains(body, "errors") {
		t.Fatalf("modal submission: %d %s", code, body)
	}
	r, err := h.srv.db.Request(h.ctx, "FIN-1")
	if err != nil || r.Priority != "urgent" || r.Source != "modal" {
		t.Fatalf("from the modal: %+v %v", r, err)
	}
	h.deliver()
	if dm := h.fake.Messages("D" + sam); len(dm) == 0 || !strings.Contains(dm[0].Text, "Filed *FIN-1*") {
		t.Fatalf("modal filer not told by DM: %+v", dm)
	}

	// The shortcut, on a message in another channel: it opens the form
	// again, for that message.
	h.fake.AddMessage("C0GENERAL", "1764000000.000900", tina, "the printer on 3 is on fire")
	msg, ok := h.fake.Message("C0GENERAL", "1764000000.000900")
	if !ok {
		t.Fatal("the message is not in the fake")
	}
	if code, _ := h.signed("/slack/interactions", slacktest.InteractionBody(
		slacktest.MessageShortcut(msg, "askdesk:shortcut", sam, h.fake.ResponseURL("shortcut")))); code != 200 {
		t.Fatalf("shortcut: %d", code)
	}
	if _, err := h.fake.WaitCalls(waitCtx(t), "views.open", 2); err != nil {
		t.Fatal(err)
	}
	var shortcutForm slacktest.View
	for _, v := range h.fake.Views() {
		if v.ID != form.ID {
			shortcutForm = v
		}
	}
	if code, body := submit(shortcutForm, "please look at this"); code != 200 || strings.Contains(body, "errors") {
		t.Fatalf("shortcut submission: %d %s", code, body)
	}
	r, err = h.srv.db.Request(h.ctx, "FIN-2")
	if err != nil || r.Source != "shortcut" || !strings.Contains(r.Text, "From a message by tina: https://") {
		t.Fatalf("from the shortcut: %+v %v", r, err)
	}
}
