package main

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestSlackBurstOfResolutionsNeverWaitsOnReactionsTier: 1,000 requests
// resolved within an hour ([ratings] reactions = true), against a fake
// Slack that enforces Tier 3 for reactions.add and chat.update (50 a
// minute, 429 past it). Every rating prompt is posted in the delivery that
// follows its resolution, at the same moment of the clock: none waits on
// the reactions' tier, though all go to the same person's DM. The bot adds
// its five reactions to as many prompts as the tier allows and skips the
// others whole (never a part of the five), without a single 429.
func TestSlackBurstOfResolutionsNeverWaitsOnReactionsTier(t *testing.T) {
	if testing.Short() {
		// 1,000 requests through the whole server: 6 s, a minute under
		// -race on two cores. go test without -short runs it.
		t.Skip("-short: 1,000 requests filed and resolved")
	}
	const n = 1000
	var clock atomic.Pointer[bot.ManualClock]
	now := func() time.Time {
		if c := clock.Load(); c != nil {
			return c.Now()
		}
		return harnessStart
	}
	fake := slacktest.New(slacktest.WithClock(now),
		slacktest.WithTier("reactions.add", 50), slacktest.WithTier("chat.update", 50))
	h := newHarnessOn(t, fake, false, func(o *serverOptions) { o.Dir.Ratings.Reactions = true })
	clock.Store(h.clock)

	// The requests, filed and their cards posted (paced: a card a second).
	for i := range n {
		if code, _ := h.slash(sam, fmt.Sprintf("finance burst %d", i+1)); code != 200 {
			t.Fatalf("filing %d: HTTP %d", i+1, code)
		}
	}
	h.deliverAll()
	cards := map[string]slacktest.Message{} // request ID → its card, as posted
	picks := map[string]slacktest.Pick{}
	for _, m := range h.fake.Messages(finCh) {
		els, err := slacktest.Elements(m.Blocks)
		if err != nil {
			t.Fatal(err)
		}
		for _, el := range els {
			if el.ActionID == "askdesk:resolve" {
				id := strings.TrimPrefix(el.BlockID, "askdesk:req:")
				id, _, _ = strings.Cut(id, ":")
				cards[id], picks[id] = m, slacktest.Pick{ActionID: el.ActionID, BlockID: el.BlockID}
			}
		}
	}
	if len(cards) != n {
		t.Fatalf("%d cards offer Resolve, want %d", len(cards), n)
	}

	// The hour: a resolution every 3.6 s, each delivered at once.
	start := h.clock.Now()
	prompts := map[string][2]string{} // request ID → the prompt's channel and ts
	for i := range n {
		id := fmt.Sprintf("FIN-%d", i+1)
		h.clock.Advance(3600 * time.Millisecond)
		if code, _ := h.pressShown(frank, cards[id].Shown(), picks[id]); code != 200 {
			t.Fatalf("resolve %s: HTTP %d", id, code)
		}
		h.deliverNow()
		ch, ts, ok, err := h.srv.db.SlackPost(h.ctx, id, "rating", sam)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			t.Fatalf("%s resolved at +%s: its rating prompt was not posted in the delivery that followed (%d prompts so far)",
				id, h.clock.Now().Sub(start), len(prompts))
		}
		prompts[id] = [2]string{ch, ts}
		h.srv.eventsIdle() // the reactions beside the outbox, at this moment of the clock
	}
	if took := h.clock.Now().Sub(start); took > time.Hour {
		t.Fatalf("the burst took %s, want within an hour", took)
	}

	with := 0
	for id, p := range prompts {
		switch got := h.fake.Reactions(p[0], p[1]); len(got) {
		case 0:
		case 5:
			with++
		default:
			t.Errorf("%s's prompt has %d of the five reactions: %v", id, len(got), got)
		}
	}
	limited := 0
	for _, c := range h.fake.CallsTo("reactions.add") {
		if c.Status == 429 {
			limited++
		}
	}
	// 45 reactions a minute (reactions.go): nine prompts a minute.
	if limited != 0 || with == 0 || with > 9*60+1 {
		t.Errorf("%d of %d prompts with the bot's reactions, %d reactions.add answered 429", with, n, limited)
	}
	t.Logf("%d of %d prompts with the bot's reactions", with, n)
}
