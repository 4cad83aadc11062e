package main

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestMarkupNeverLiveInAnythingPosted: Slack markup typed by users (message
// events carry it raw: "<!channel>", "<@U…>", "<http://…|…>") never comes
// out live in anything askdesk posts: DMs, thread copies, the intake answer,
// the shortcut's quote, ephemeral refusals and acks.
func TestMarkupNeverLiveInAnythingPosted(t *testing.T) {
	h := newHarness(t, false)
	const evil = "<!channel> <!here> <@U0EVIL001> <http://evil.example|the bank> <!subteam^S123>"
	bad := []string{"<!channel>", "<!here>", "<@U0EVIL001>", "<http://evil", "<!subteam"}
	check := func(what, s string) {
		t.Helper()
		for _, b := range bad {
			if strings.Contains(s, b) {
				t.Errorf("%s carries %q: %s", what, b, s)
			}
		}
	}
	_, ack := h.slash(sam, "finance "+evil)
	check("ack", ack)
	_, ack = h.slash(sam, "status "+evil)
	check("status refusal", ack)
	_, ack = h.slash(sam, evil)
	check("unknown dept", ack)
	h.deliver()
	card := h.fake.Messages(finCh)[0]
	h.press(fiona, card.Channel, "askdesk:claim", "FIN-1")
	h.deliver()
	dmRoot := h.fake.Messages("D" + sam)[0].TS
	// Staff reply in the card thread → DM; requester reply in DM → thread.
	h.signed("/slack/events", eventBody(t, "", map[string]any{
		"type": "message", "channel": card.Channel, "user": frank, "text": evil,
		"ts": "1764000100.000200", "thread_ts": card.TS, "channel_type": "channel"}))
	h.waitRequestVersion("FIN-1", 3)
	h.signed("/slack/events", eventBody(t, "", map[string]any{
		"type": "message", "channel": "D" + sam, "user": sam, "text": evil,
		"ts": "1764000200.000300", "thread_ts": dmRoot, "channel_type": "im"}))
	h.waitRequestVersion("FIN-1", 4)
	// An outsider's reply in the card thread is refused, ephemerally.
	h.signed("/slack/events", eventBody(t, "", map[string]any{
		"type": "message", "channel": card.Channel, "user": tina, "text": evil,
		"ts": "1764000300.000400", "thread_ts": card.TS, "channel_type": "channel"}))
	h.srv.eventsIdle()
	// Intake of a message full of markup.
	h.fake.AddMessage("C0INTAKE1", "1764000000.000500", sam, evil)
	h.signed("/slack/events", eventBody(t, "", map[string]any{
		"type": "reaction_added", "user": tina, "reaction": "ticket", "item_user": sam,
		"item": map[string]any{"type": "message", "channel": "C0INTAKE1", "ts": "1764000000.000500"}}))
	h.srv.eventsIdle()
	if _, err := h.fake.WaitCalls(waitCtx(t), "chat.postEphemeral", 1); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		h.deliver()
	}
	if r, err := h.srv.db.Request(h.ctx, "FIN-1"); err != nil || r.Version != 4 {
		t.Fatalf("outsider's reply taken: %+v %v", r, err)
	}
	n := 0
	for _, c := range h.fake.Calls() {
		switch c.Method {
		case "chat.postMessage", "chat.update", "chat.postEphemeral":
			n++
			check(c.Method+" text", c.Params.Get("text"))
			check(c.Method+" blocks", c.Params.Get("blocks"))
		}
	}
	if n < 8 {
		t.Fatalf("only %d posts checked", n)
	}
}

// TestMenusAuthorizedLikeButtons: the Transfer and Reassign menus are acts
// like buttons: an outsider's choice is refused and changes nothing, and a
// member cannot reassign to someone outside the department.
func TestMenusAuthorizedLikeButtons(t *testing.T) {
	h := newHarness(t, false)
	h.slash(sam, "finance numbers")
	h.deliver()
	card := h.fake.Messages(finCh)[0]
	sel := func(user, actionID, choice string) {
		t.Helper()
		wantCode(t, user+" "+actionID, http.StatusOK)(h.choose(user, card.Channel, actionID, "FIN-1", choice))
	}
	sel(tina, "askdesk:transfer", "it")
	sel(tina, "askdesk:reassign", tina)
	sel(fiona, "askdesk:reassign", tina)
	calls, err := h.fake.WaitCalls(waitCtx(t), "chat.postEphemeral", 3)
	if err != nil {
		t.Fatal(err)
	}
	var told []string // sent in the background: in any order
	for _, c := range calls {
		told = append(told, c.Params.Get("user"))
	}
	slices.Sort(told)
	if !slices.Equal(told, []string{fiona, tina, tina}) {
		t.Errorf("refusals told %v, want fiona once and tina twice", told)
	}
	r, err := h.srv.db.Request(h.ctx, "FIN-1")
	if err != nil || r.Version != 1 || r.Dept != "finance" || r.Assignee != "" {
		t.Fatalf("a refused select changed the request: %+v %v", r, err)
	}
	// A member's transfer goes through.
	sel(frank, "askdesk:transfer", "it")
	if r, err := h.srv.db.Request(h.ctx, "FIN-1"); err != nil || r.Dept != "it" {
		t.Fatalf("member's transfer: %+v %v", r, err)
	}
	// Finance staff replying in the old card's thread are refused now.
	h.signed("/slack/events", eventBody(t, "", map[string]any{
		"type": "message", "channel": card.Channel, "user": frank, "text": "still on it",
		"ts": "1764000100.000200", "thread_ts": card.TS, "channel_type": "channel"}))
	h.srv.eventsIdle()
	if r, _ := h.srv.db.Request(h.ctx, "FIN-1"); r.Version != 2 {
		t.Fatalf("old department replied after transfer: version %d", r.Version)
	}
}
