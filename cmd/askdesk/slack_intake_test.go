package main

import (
	"net/http"
	"testing"
	"time"
)

// TestIntakeRetriedAfterSlackFailure: when fetching the reacted message
// fails (a Slack blip on conversations.history / conversations.replies),
// nothing is filed, and a later reaction files it: the message is marked
// as filed only once it is read.
func TestIntakeRetriedAfterSlackFailure(t *testing.T) {
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

// TestIntakeUnderPacingFilesEveryMessage: conversations.history is paced
// at 50 a minute with a burst of 2; a third message ticketed in the same
// moment is not lost to the pacing: it is filed once the fetch may go.
func TestIntakeUnderPacingFilesEveryMessage(t *testing.T) {
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
