package main

import (
	"strings"
	"testing"
)

// TestSlackRating: the resolved DM carries the five rating emoji, already
// added by the bot; the requester's reaction rates, anyone else's does not,
// removing it withdraws it, and the buttons rate too.
func TestSlackRating(t *testing.T) {
	h := newHarness(t, false)
	h.slash(sam, "finance numbers")
	h.deliver()
	h.click(frank, finCh, "askdesk:claim", "FIN-1")
	h.click(frank, finCh, "askdesk:resolve", "FIN-1")
	h.deliver()
	h.deliver()
	var prompt string
	for _, m := range h.fake.Messages("D" + sam) {
		if strings.Contains(m.Text, "How was the service?") {
			prompt = m.TS
		}
	}
	if prompt == "" {
		t.Fatalf("no rating prompt in the requester's DM: %+v", h.fake.Messages("D"+sam))
	}
	if got := h.fake.Reactions("D"+sam, prompt); len(got) != 5 {
		t.Fatalf("bot's reactions on the prompt: %v", got)
	}
	react := func(typ, user, emoji string) {
		t.Helper()
		h.signed("/slack/events", eventBody(t, "", map[string]any{
			"type": typ, "user": user, "reaction": emoji, "item_user": "U0BOTUSER",
			"item": map[string]any{"type": "message", "channel": "D" + sam, "ts": prompt},
		}))
		h.srv.eventsIdle()
	}
	score := func() int {
		t.Helper()
		r, _, err := h.srv.db.RatingOf(h.ctx, "FIN-1", 0)
		if err != nil {
			t.Fatal(err)
		}
		return r.Score
	}
	react("reaction_added", tina, "heart_eyes")
	if s := score(); s != 0 {
		t.Fatalf("someone else's reaction rated: %d", s)
	}
	react("reaction_added", sam, "slightly_smiling_face")
	if s := score(); s != 4 {
		t.Fatalf("requester's 🙂: score %d, want 4", s)
	}
	react("reaction_removed", sam, "slightly_smiling_face")
	if s := score(); s != 0 {
		t.Fatalf("removed reaction: score %d, want withdrawn", s)
	}
	h.click(sam, "D"+sam, "askdesk:rate5", "FIN-1")
	if s := score(); s != 5 {
		t.Fatalf("button: score %d, want 5", s)
	}
	react("reaction_added", sam, "disappointed")
	h.deliver()
	var told bool
	for _, m := range h.fake.Messages("D" + fiona) {
		if strings.Contains(m.Text, "rated *FIN-1*") {
			told = true
		}
	}
	if s := score(); s != 1 || !told {
		t.Fatalf("low rating: score %d, lead told %v", s, told)
	}
}
