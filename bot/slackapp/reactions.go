package slackapp

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"golang.org/x/time/rate"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/logctx"
)

// reactionsPerMinute is this process's pace of reactions.add, under
// Slack's Tier 3 ("50+ per minute", per app per workspace): with the
// bucket's burst of five (one prompt's set) on top, no minute ever holds
// more than 50. A prompt takes its five at once or none: nine prompts a
// minute. Replicas share Slack's tier; each keeps this pace and a 429
// closes its budget for the Retry-After (docs/slack.md).
const reactionsPerMinute = 45

// reactionBudget decides whether a rating prompt gets the bot's reactions
// now. It never waits and never queues: a prompt that finds no room goes
// without them (its buttons and a reaction by hand still rate), so a
// burst of resolutions can never stand in line behind reactions.add. A
// 429 from Slack (another replica used the tier, or Slack counts
// differently) closes the budget for its Retry-After.
type reactionBudget struct {
	mu     sync.Mutex
	lim    *rate.Limiter
	closed time.Time // no reactions before this: Slack said 429
}

func newReactionBudget() *reactionBudget {
	// A burst of one prompt's five: no more than Slack's minute allows
	// ever goes out at once.
	return &reactionBudget{lim: rate.NewLimiter(rate.Limit(float64(reactionsPerMinute)/60), 5)}
}

// take reserves n reactions at now, all or none, and reports whether it
// did.
func (b *reactionBudget) take(now time.Time, n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Before(b.closed) || n > b.lim.Burst() {
		return false
	}
	return b.lim.AllowN(now, n)
}

// close keeps the budget shut until until (Slack's Retry-After).
func (b *reactionBudget) close(until time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if until.After(b.closed) {
		b.closed = until
	}
}

// addReactions adds a posted rating prompt's emoji beside the outbox, if
// the budget has room for all of them: the delivery that posted the prompt
// has moved on, so nothing waits on these calls. A failure is logged: the
// prompt rates without them.
func (a *App) addReactions(ctx context.Context, m bot.Message, ch, ts string) {
	if len(m.Reactions) == 0 {
		return
	}
	if !a.reactions.take(a.clock.Now(), len(m.Reactions)) {
		a.log.InfoContext(ctx, "rating prompt without the bot's reactions: Slack's tier for them is used up for now",
			"request", m.RatingFor)
		return
	}
	reqCtx := ctx
	a.Go(func(ctx context.Context) {
		ctx = logctx.Carry(ctx, reqCtx) // the delivery's keys on these lines
		ctx, cancel := context.WithTimeout(ctx, sideCallTimeout)
		defer cancel()
		for _, e := range m.Reactions {
			err := a.api.AddReactionContext(ctx, e, slack.NewRefToMessage(ch, ts))
			var rl *slack.RateLimitedError
			switch {
			case err == nil, isSlackError(err, "already_reacted"):
			case errors.As(err, &rl):
				// The rest are skipped, not retried: the prompt rates
				// without them.
				a.reactions.close(a.clock.Now().Add(rl.RetryAfter))
				a.log.WarnContext(ctx, "rating reactions rate-limited by Slack: the rest skipped", "request", m.RatingFor, "retry_after", rl.RetryAfter)
				return
			default:
				a.log.WarnContext(ctx, "add rating reaction", "request", m.RatingFor, "emoji", e, "err", err)
				return
			}
		}
	})
}
