package slackapp

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func TestReconnectDelay(t *testing.T) {
	for _, c := range []struct {
		name    string
		n       int
		refused bool
		jitter  float64
		want    time.Duration
	}{
		{"FirstFailure", 1, false, 0.5, 2 * time.Second},
		{"Doubles", 3, false, 0.5, 8 * time.Second},
		{"CappedAtTwoMinutes", 20, false, 0.5, 2 * time.Minute},
		{"JitterLow", 1, false, 0, 1600 * time.Millisecond},
		{"JitterHigh", 1, false, 1, 2400 * time.Millisecond},
		{"RefusedStartsAtAMinute", 1, true, 0.5, time.Minute},
		{"RefusedGrows", 2, true, 0.5, 2 * time.Minute},
		{"RefusedCappedAtFiveMinutes", 9, true, 0.5, 5 * time.Minute},
		{"RefusedNeverUnderAMinuteLessJitter", 1, true, 0, 48 * time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := reconnectDelay(c.n, c.refused, c.jitter)
			if d := got - c.want; d < -time.Millisecond || d > time.Millisecond {
				t.Errorf("reconnectDelay(%d, %v, %v) = %v, want %v", c.n, c.refused, c.jitter, got, c.want)
			}
		})
	}
	t.Run("ElevenTriesTakeOverHalfAnHour", func(t *testing.T) {
		// A revoked token once cost 11 apps.connections.open in 21 s; at
		// the slow pace, even with the least jitter, 11 take 40 minutes.
		var total time.Duration
		for n := 1; n <= 10; n++ {
			total += reconnectDelay(n, true, 0)
		}
		if total < 30*time.Minute {
			t.Errorf("10 waits after refusals add up to %v", total)
		}
	})
}

func TestRefusal(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{slack.SlackErrorResponse{Err: "token_revoked"}, "token_revoked"},
		{fmt.Errorf("open: %w", slack.SlackErrorResponse{Err: "invalid_auth"}), "invalid_auth"},
		{slack.SlackErrorResponse{Err: "token_expired"}, "token_expired"},
		{errors.New("token_revoked"), ""}, // only Slack's answer says so
		{slack.SlackErrorResponse{Err: "ratelimited"}, ""},
		{errors.New("dial tcp: connection refused"), ""},
		{nil, ""},
	} {
		if got := refusal(c.err); got != c.want {
			t.Errorf("refusal(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
