package slackapp

import (
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Slack's documented limits (https://api.slack.com/docs/rate-limits): about one message
// per second per channel, with short bursts, and per-method tiers per
// minute. askdesk paces itself under them instead of waiting for 429s.
const (
	perChannelRate  = 1 // messages per second per channel
	perChannelBurst = 3
)

// methodPerMinute is each Web API method's tier, in calls per minute.
var methodPerMinute = map[string]int{
	"chat.postMessage":      600, // special tier: 1/s per channel (below), and a workspace-wide limit Slack does not publish
	"chat.update":           50,  // tier 3
	"chat.postEphemeral":    100,
	"conversations.open":    50,
	"conversations.history": 50,
	"conversations.replies": 50,
	"users.info":            100, // tier 4
	"views.open":            100,
	"views.publish":         100, // tier 4
	// reactions.add (50) has a budget of its own, reactions.go.
	"chat.getPermalink":     100,
	"usergroups.list":       20,  // tier 2
	"usergroups.users.list": 20,  // tier 2
	"users.profile.get":     100, // tier 4
}

// pacer holds a token bucket per channel and per method.
type pacer struct {
	mu       sync.Mutex
	channels map[string]*rate.Limiter
	methods  map[string]*rate.Limiter
}

func newPacer() *pacer {
	return &pacer{channels: map[string]*rate.Limiter{}, methods: map[string]*rate.Limiter{}}
}

// reserve takes a token for method (and channel, if any) at now. When both
// are free it returns 0; otherwise it takes nothing and returns how long to
// wait, so the message is tried again then without blocking others.
func (p *pacer) reserve(now time.Time, method, channel string) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	var lims []*rate.Limiter
	if perMin, ok := methodPerMinute[method]; ok {
		l := p.methods[method]
		if l == nil {
			l = rate.NewLimiter(rate.Limit(float64(perMin)/60), max(1, perMin/20))
			p.methods[method] = l
		}
		lims = append(lims, l)
	}
	if channel != "" && (method == "chat.postMessage" || method == "chat.update") {
		l := p.channels[channel]
		if l == nil {
			l = rate.NewLimiter(perChannelRate, perChannelBurst)
			p.channels[channel] = l
		}
		lims = append(lims, l)
	}
	var wait time.Duration
	var rs []*rate.Reservation
	for _, l := range lims {
		r := l.ReserveN(now, 1)
		rs = append(rs, r)
		wait = max(wait, r.DelayFrom(now))
	}
	if wait > 0 {
		for _, r := range rs {
			r.CancelAt(now)
		}
	}
	return wait
}

// pacedError asks the outbox to try a message again after Wait.
type pacedError struct {
	method string
	wait   time.Duration
}

func (e *pacedError) Error() string {
	return fmt.Sprintf("pacing %s under Slack's rate limit: next slot in %s", e.method, e.wait) //i18n:ok error text for logs
}
func (e *pacedError) RetryAfter() time.Duration { return e.wait }

// Deferred marks pacing as routine, not a failure worth a warning.
func (e *pacedError) Deferred() bool { return true }
