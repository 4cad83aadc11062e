package main

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// Review tests: cases a review found broken (now fixed) or missing.

// TestReviewThreadReplySubtypes: a reply typed in a card's thread with
// "Also send to #channel" ticked arrives with subtype thread_broadcast, and
// one with an attachment with subtype file_share. handleMessage drops every
// message with a subtype, so these replies never reach the requester.
func TestReviewThreadReplySubtypes(t *testing.T) {
	for i, subtype := range []string{"thread_broadcast", "file_share"} {
		t.Run(subtype, func(t *testing.T) {
			h := newHarness(t, false)
			h.slash(sam, "finance numbers")
			h.deliver()
			card := h.fake.Messages(finCh)[0]
			h.signed("/slack/events", eventBody(t, "", map[string]any{
				"type": "message", "subtype": subtype, "channel": card.Channel, "user": frank,
				"text": "here they are", "ts": "1764000100.00020" + string(rune('0'+i)), "thread_ts": card.TS,
				"channel_type": "channel",
			}))
			h.srv.eventsIdle()
			r, err := h.srv.db.Request(h.ctx, "FIN-1")
			if err != nil {
				t.Fatal(err)
			}
			if r.Version < 2 {
				t.Fatalf("a %s reply in the card's thread is silently dropped (handleMessage ignores every subtype)", subtype)
			}
		})
	}
}

// TestReviewRequesterReplyInCardThreadEchoed: when the requester answers in
// the card's own thread (they can see the queue channel), the desk copies
// their words back into that same thread as "(requester) wrote:", because
// EvCommented always posts a thread line and ignores Via == "thread".
func TestReviewRequesterReplyInCardThreadEchoed(t *testing.T) {
	h := newHarness(t, false)
	h.slash(sam, "finance numbers")
	h.deliver()
	card := h.fake.Messages(finCh)[0]
	h.signed("/slack/events", eventBody(t, "", map[string]any{
		"type": "message", "channel": card.Channel, "user": sam, "text": "EMEA only please",
		"ts": "1764000100.000300", "thread_ts": card.TS, "channel_type": "channel",
	}))
	h.waitRequestVersion("FIN-1", 2)
	h.deliver()
	for _, m := range h.fake.Messages(card.Channel) {
		if m.ThreadTS == card.TS && m.User != sam && strings.Contains(m.Text, "EMEA only please") {
			t.Fatalf("the requester's reply typed in the card's thread is echoed back into it: %q", m.Text)
		}
	}
}

// TestReviewIntakeTransientFailure: the intake dedupe key is written before
// the message is fetched and filed, so one failed conversations.history /
// conversations.replies call (a Slack blip) makes the message impossible to
// file ever again: later reactions are taken for duplicates.
func TestReviewIntakeTransientFailure(t *testing.T) {
	h := newHarness(t, false)
	h.fake.AddMessage("C0INTAKE1", "1764000000.000500", sam, "please approve my PO")
	react := func(user string) {
		h.signed("/slack/events", eventBody(t, "", map[string]any{
			"type": "reaction_added", "user": user, "reaction": "ticket", "item_user": sam,
			"item": map[string]any{"type": "message", "channel": "C0INTAKE1", "ts": "1764000000.000500"},
		}))
		h.srv.eventsIdle()
	}
	h.fake.Fail("conversations.history", 1, http.StatusInternalServerError, 0)
	h.fake.Fail("conversations.replies", 1, http.StatusInternalServerError, 0)
	react(tina)
	if n := h.count("requests"); n != 0 {
		t.Fatalf("filed through a failure: %d", n)
	}
	h.fake.Recover()
	h.clock.Advance(time.Minute)
	react(fiona) // someone tries again once Slack is back
	if n := h.count("requests"); n != 1 {
		t.Fatal("after one failed fetch the message can never be filed by reaction (slack_seen written before the work)")
	}
}

// TestReviewUnlistedPermanentError: Slack errors that are permanent but not
// in permanentErrors (here restricted_action_read_only_channel, for a
// posting-restricted queue channel) are retried forever with no attempt
// cap, and hold back every later message to that channel.
func TestReviewUnlistedPermanentError(t *testing.T) {
	h := newHarness(t, false)
	h.fake.FailWith("chat.postMessage", -1, "restricted_action_read_only_channel")
	h.slash(sam, "finance one")
	for range 12 {
		h.clock.Advance(6 * time.Minute)
		h.deliverNow()
	}
	pending, _, err := h.srv.db.OutboxStats(h.ctx, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if pending > 0 {
		t.Fatalf("a permanent Slack error not in permanentErrors is retried forever (%d calls), blocking its destination",
			len(h.fake.CallsTo("chat.postMessage")))
	}
}

// TestReviewRevokedTokenSetsEverythingAside: invalid_auth / token_revoked /
// account_inactive are classed as permanent per message, so a revoked or
// mistyped bot token sets every queued card and DM aside (dead_at) instead
// of pausing delivery until the token is fixed: "loses nothing" does not
// hold, and nothing re-queues them.
func TestReviewRevokedTokenSetsEverythingAside(t *testing.T) {
	h := newHarness(t, false)
	h.fake.FailWith("*", -1, "invalid_auth")
	h.slash(sam, "finance one")
	h.slash(sam, "finance two")
	// The delivery loop may have met the refusal first (and taken the pacing
	// slots); a pass or two later this one meets it too.
	var err error
	for i := 0; i < 5 && err == nil; i++ {
		h.clock.Advance(2 * time.Second)
		_, err = h.srv.desk.Deliver(h.ctx)
	}
	if err == nil || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN") {
		t.Fatalf("a refused token should pause delivery with a clear error, got %v", err)
	}
	h.fake.Recover() // the token is fixed
	for range 5 {
		h.deliver()
	}
	if got := len(h.fake.Messages(finCh)); got != 2 {
		t.Fatalf("after a transient invalid_auth, %d of 2 cards were ever posted (set aside as permanent)", got)
	}
}

// TestReviewInjectionEverywhere: Slack markup typed by users (message
// events carry it raw: "<!channel>", "<@U…>", "<http://…|…>") never comes
// out live in anything askdesk posts: DMs, thread copies, the intake answer,
// the shortcut's quote, ephemeral refusals and acks.
func TestReviewInjectionEverywhere(t *testing.T) {
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

// TestReviewSelectAuthorization: the Transfer and Reassign menus are acts
// like buttons: an outsider's choice is refused and changes nothing, and a
// member cannot reassign to someone outside the department.
func TestReviewSelectAuthorization(t *testing.T) {
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

// TestReviewIntakeUnderPacing: conversations.history is paced at 50 a
// minute with a burst of 2, and a paced fetch is treated like a failure
// after the dedupe key is written: the third message ticketed in the same
// moment is never filed, and cannot be filed later.
func TestReviewIntakeUnderPacing(t *testing.T) {
	h := newHarness(t, false)
	for i, ts := range []string{"1764000000.000501", "1764000000.000502", "1764000000.000503"} {
		h.fake.AddMessage("C0INTAKE1", ts, sam, "PO number "+string(rune('1'+i)))
		h.signed("/slack/events", eventBody(t, "", map[string]any{
			"type": "reaction_added", "user": tina, "reaction": "ticket", "item_user": sam,
			"item": map[string]any{"type": "message", "channel": "C0INTAKE1", "ts": ts}}))
		h.srv.eventsIdle()
	}
	h.clock.Advance(time.Minute)
	h.signed("/slack/events", eventBody(t, "", map[string]any{
		"type": "reaction_added", "user": fiona, "reaction": "ticket", "item_user": sam,
		"item": map[string]any{"type": "message", "channel": "C0INTAKE1", "ts": "1764000000.000503"}}))
	h.srv.eventsIdle()
	if n := h.count("requests"); n != 3 {
		t.Fatalf("%d of 3 messages ticketed together were filed; the paced one is lost for good", n)
	}
}
