package slacktest_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestTierRateLimitsPastPerMinute: with reactions.add at Tier 3, the 51st
// call within a minute of the fake's clock is answered 429 with the
// Retry-After until the first leaves the window, and adds nothing; other
// methods are not limited; a minute on, calls go through again.
func TestTierRateLimitsPastPerMinute(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
	s := MustStart(t, slacktest.WithClock(clock), slacktest.WithTier("reactions.add", 50))
	api := NewClient(s)
	for i := range 50 {
		if err := api.AddReaction(fmt.Sprintf("e%d", i), slack.NewRefToMessage("C1", "1.000100")); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
		advance(time.Second) // 50 calls over 49 s: all within one minute
	}
	advance(-time.Second)
	err := api.AddReaction("over", slack.NewRefToMessage("C1", "1.000100"))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != 11*time.Second {
		t.Fatalf("51st call within the minute: %v, want 429 with Retry-After 11s", err)
	}
	if got := s.Reactions("C1", "1.000100"); len(got) != 50 {
		t.Errorf("%d reactions, want the 50 let through", len(got))
	}
	if calls := s.CallsTo("reactions.add"); calls[len(calls)-1].Status != 429 || calls[len(calls)-1].Error != "ratelimited" {
		t.Errorf("the limited call was recorded as %d %q", calls[len(calls)-1].Status, calls[len(calls)-1].Error)
	}
	if _, _, err := api.PostMessage("C1", slack.MsgOptionText("not limited", false)); err != nil {
		t.Errorf("another method: %v", err)
	}
	advance(11 * time.Second)
	if err := api.AddReaction("after", slack.NewRefToMessage("C1", "1.000100")); err != nil {
		t.Errorf("after Retry-After: %v", err)
	}
}
