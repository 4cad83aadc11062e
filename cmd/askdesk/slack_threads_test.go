package main

import (
	"strings"
	"testing"
)

// TestThreadRepliesWithSubtypesReachRequester: a reply typed in a card's
// thread with "Also send to #channel" ticked (subtype thread_broadcast) or
// with an attachment (subtype file_share) reaches the requester like any
// other reply.
func TestThreadRepliesWithSubtypesReachRequester(t *testing.T) {
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

// TestRequesterReplyInCardThreadNotEchoed: when the requester answers in
// the card's own thread (they can see the queue channel), the desk does not
// copy their words back into that thread as "(requester) wrote:".
func TestRequesterReplyInCardThreadNotEchoed(t *testing.T) {
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
