package slackapp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
)

// DefaultAckBudget is how long after it arrived a slash command or an
// interaction may be worked on before its acknowledgement goes without the
// answer. Slack waits 3 s for it from when it sent the request
// (https://api.slack.com/interactivity/handling); the rest is left for the
// network. An answer that comes later goes through the request's
// response_url (or as a DM) instead.
const DefaultAckBudget = 2 * time.Second

// answerMargin is the share (1/answerMargin) of the ack budget kept after
// the store's deadline for a write, for the answer to be made and sent.
const answerMargin = 5

// reply is a slash command's answer, in an acknowledgement or a POST to its
// response_url: the fields of a message askdesk uses, each left out when
// empty. (slack.Msg always writes an empty "metadata" object, whose
// event_type Slack requires.)
type reply struct {
	ResponseType    string        `json:"response_type,omitempty"`
	Text            string        `json:"text"`
	Blocks          []slack.Block `json:"blocks,omitempty"`
	ReplaceOriginal bool          `json:"replace_original,omitempty"`
}

// within runs handle for a request from Slack on the adapter's work context
// (it outlives the request; its log lines keep the request's keys) and
// waits until deadline (the ack budget from the request's arrival) for its
// answer. It returns the answer and true when handle finished in time.
// Otherwise it returns false at the deadline, and late, if not nil, gets
// the answer when handle finishes: the acknowledgement has gone without it.
func (a *App) within(reqCtx context.Context, deadline time.Time, handle func(ctx context.Context) any, late func(ctx context.Context, v any)) (any, bool) {
	var (
		mu        sync.Mutex
		abandoned bool
		done      = make(chan any, 1)
	)
	// Writes for the answer must be decided a little before the deadline,
	// so that "nothing was filed" (the database was locked, say) still
	// goes in the acknowledgement; a write the store has begun by then is
	// finished, and its answer follows through late if it misses.
	by := deadline.Add(-a.ackBudget() / answerMargin)
	// Already past the deadline (a request that waited for its turn), the
	// answer goes late whatever handle's speed: not raced against a timer.
	pastDue := !time.Now().Before(deadline)
	abandoned = pastDue
	a.goFrom(reqCtx, func(ctx context.Context) {
		v := handle(bot.WithAnswerBy(ctx, by))
		mu.Lock()
		gone := abandoned
		if !gone {
			done <- v
		}
		mu.Unlock()
		if gone && late != nil {
			late(ctx, v)
		}
	})
	if pastDue {
		return nil, false
	}
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case v := <-done:
		return v, true
	case <-t.C:
	}
	mu.Lock()
	defer mu.Unlock()
	select {
	case v := <-done: // finished while the timer fired
		return v, true
	default:
		abandoned = true
		return nil, false
	}
}

func (a *App) ackBudget() time.Duration {
	if a.cfg.AckBudget > 0 {
		return a.cfg.AckBudget
	}
	return DefaultAckBudget
}

// respondCommand sends a slash command's answer after its acknowledgement
// went without it (too late, or too large for a Socket Mode ack): through
// the command's response_url, which reaches the person in any conversation
// (a DM between two people included), else by DM.
func (a *App) respondCommand(ctx context.Context, cmd slack.SlashCommand, r *reply) {
	if r == nil {
		return
	}
	if err := a.respond(ctx, cmd.ResponseURL, r); err != nil {
		a.log.WarnContext(ctx, "answer through response_url failed; sending it by DM", "user", cmd.UserID, "err", err)
		a.dmLater(ctx, cmd.UserID, r)
	}
}

// respond POSTs r to a response_url, once, bounded by the side-call
// timeout. Only Slack's own hooks host (or the configured API host, for a
// test Slack) is posted to.
func (a *App) respond(ctx context.Context, responseURL string, r *reply) error {
	if !a.responseURLAllowed(responseURL) {
		return fmt.Errorf("no usable response_url (%q)", hostOf(responseURL))
	}
	ctx, cancel := context.WithTimeout(ctx, sideCallTimeout)
	defer cancel()
	msg := &slack.WebhookMessage{ResponseType: r.ResponseType, Text: r.Text, ReplaceOriginal: r.ReplaceOriginal}
	if len(r.Blocks) > 0 {
		msg.Blocks = &slack.Blocks{BlockSet: r.Blocks}
	}
	if err := slack.PostWebhookCustomHTTPContext(ctx, responseURL, a.hooks, msg); err != nil {
		return fmt.Errorf("post to response_url: %w", err)
	}
	return nil
}

// responseURLAllowed says whether u is one of Slack's response URLs
// (https://hooks.slack.com/commands/…, /actions/… or /app/…; not an
// incoming webhook's /services/…) or on the host of a configured API URL.
func (a *App) responseURLAllowed(u string) bool {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return false
	}
	if p.Scheme == "https" && p.Host == "hooks.slack.com" {
		for _, prefix := range []string{"/commands/", "/actions/", "/app/"} {
			if strings.HasPrefix(p.Path, prefix) {
				return true
			}
		}
		return false
	}
	if a.cfg.APIURL == "" {
		return false
	}
	api, err := url.Parse(a.cfg.APIURL)
	return err == nil && api.Host == p.Host && api.Scheme == p.Scheme
}

func hostOf(u string) string {
	if p, err := url.Parse(u); err == nil {
		return p.Host
	}
	return ""
}

// dmLater sends r to user's DM with the bot, after an acknowledgement: the
// last way to reach someone whose answer could not go where they asked. Its
// buttons go too; in a DM they act as they would have in the reply.
func (a *App) dmLater(reqCtx context.Context, user string, r *reply) {
	if user == "" || r == nil || strings.TrimSpace(r.Text) == "" {
		return
	}
	a.goFrom(reqCtx, func(base context.Context) {
		ctx, cancel := context.WithTimeout(base, sideCallTimeout)
		defer cancel()
		ch, opened, err := a.openDM(ctx, user)
		if err == nil {
			err = a.paced("chat.postMessage", ch)
		}
		if err == nil {
			_, _, err = a.api.PostMessageContext(ctx, ch, slack.MsgOptionText(r.Text, false), slack.MsgOptionBlocks(r.Blocks...))
		}
		if err != nil {
			a.log.ErrorContext(ctx, "could not reach the person by DM either", "user", user, "err", err)
		}
		if opened {
			// Kept after the message, with time of its own: a DM sent
			// because the database is busy (an error after the ack)
			// would otherwise wait on that database first and could run
			// out of its time before it is posted.
			keepCtx, cancel := context.WithTimeout(base, sideCallTimeout)
			defer cancel()
			a.keepDM(keepCtx, user, ch)
		}
	})
}

// webhookClient is the HTTP client for response_url POSTs: bounded, and
// observed as "response_url".
func webhookClient(obs Observer) *http.Client {
	hc := &http.Client{Timeout: apiTimeout}
	if obs != nil {
		hc.Transport = observedTransport{next: http.DefaultTransport, obs: obs, method: "response_url"}
	}
	return hc
}

// isNotMember reports whether err says askdesk cannot post in a channel
// because it is not in it (or cannot see it, as in a DM between two
// other people).
func isNotMember(err error) bool {
	var se slack.SlackErrorResponse
	return errors.As(err, &se) && (se.Err == "not_in_channel" || se.Err == "channel_not_found")
}
