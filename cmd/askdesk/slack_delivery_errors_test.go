package main

import (
	"strings"
	"testing"
	"time"
)

// TestUnlistedPermanentErrorSetAside: a Slack error that is permanent but
// not known as such (here restricted_action_read_only_channel, for a
// posting-restricted queue channel) is not retried for ever: the message
// is set aside after its attempts and stops holding back the channel.
func TestUnlistedPermanentErrorSetAside(t *testing.T) {
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

// TestRevokedTokenPausesDelivery: invalid_auth, token_revoked and
// account_inactive pause delivery until the token is fixed; no queued card
// or DM is set aside, and all go out afterwards.
func TestRevokedTokenPausesDelivery(t *testing.T) {
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
