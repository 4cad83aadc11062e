package slacktest

import (
	"net/http"
	"time"
)

// tierWindow is Slack's rate-limit window: "Rate limit windows are per
// minute" (https://api.slack.com/apis/rate-limits).
const tierWindow = time.Minute

// tier is a method's rate limit as WithTier set it: the calls it let
// through in the last window, oldest first.
type tier struct {
	perMinute int
	taken     []time.Time
}

// WithTier makes the fake enforce Slack's tier for method: past perMinute
// calls in any minute (on the fake's clock, WithClock, or the wall clock),
// a call is answered HTTP 429 with Retry-After (the seconds until a call
// leaves the window) and {"ok":false,"error":"ratelimited"}, as Slack
// does, and has no effect. Tier 3 (reactions.add, chat.update) is 50,
// Tier 2 20, Tier 4 100. A rate-limited call is recorded like any other,
// with Status 429 and Error "ratelimited".
func WithTier(method string, perMinute int) Option {
	return func(s *Server) {
		if s.tiers == nil {
			s.tiers = map[string]*tier{}
		}
		s.tiers[method] = &tier{perMinute: perMinute}
	}
}

// overTierLocked takes a place in method's tier for a call now, or
// returns the Retry-After, in whole seconds, when there is none. s.mu must
// be held.
func (s *Server) overTierLocked(method string) (retryAfter int, over bool) {
	t := s.tiers[method]
	if t == nil {
		return 0, false
	}
	now := time.Now()
	if s.now != nil {
		now = s.now()
	}
	for len(t.taken) > 0 && !t.taken[0].After(now.Add(-tierWindow)) {
		t.taken = t.taken[1:]
	}
	if len(t.taken) < t.perMinute {
		t.taken = append(t.taken, now)
		return 0, false
	}
	wait := t.taken[0].Add(tierWindow).Sub(now)
	return int((wait + time.Second - 1) / time.Second), true
}

// rateLimitedLocked is the answer to a call over its tier.
func rateLimitedLocked(c *Call, header http.Header, retryAfter int) (int, http.Header, []byte) {
	c.Error = "ratelimited"
	header.Set("Retry-After", itoa(retryAfter))
	return http.StatusTooManyRequests, header, []byte(`{"ok":false,"error":"ratelimited"}`)
}
