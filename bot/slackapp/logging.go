package slackapp

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/askdesk/askdesk/bot/logctx"
)

// withSlackID returns ctx whose log lines carry id as slack_id: every line
// logged while handling one HTTP request or Socket Mode envelope from Slack,
// by the adapter or the desk, shares it (see logctx). It is not a request
// ID such as FIN-42, which lines give as "request".
func withSlackID(ctx context.Context, id string) context.Context {
	return logctx.With(ctx, slog.String("slack_id", id))
}

// newSlackID names an HTTP request from Slack, which carries no ID of its
// own; a Socket Mode envelope's ID serves instead.
func newSlackID() string { return fmt.Sprintf("%012x", rand.Uint64()>>16) }

// goFrom is Go for work that belongs to the request of parent: its lines
// keep the request's slack_id, its context none of the request's
// deadline or cancellation.
func (a *App) goFrom(parent context.Context, f func(ctx context.Context)) {
	a.Go(func(ctx context.Context) { f(logctx.Carry(ctx, parent)) })
}

type arrivalKey struct{}

// withArrival returns ctx noting when its request from Slack arrived, which
// Slack's 3 s for an answer count from.
func withArrival(ctx context.Context, at time.Time) context.Context {
	return context.WithValue(ctx, arrivalKey{}, at)
}

// deadline is budget after ctx's request arrived (now, if it does not say).
func deadline(ctx context.Context, budget time.Duration) time.Time {
	at, ok := ctx.Value(arrivalKey{}).(time.Time)
	if !ok {
		at = time.Now()
	}
	return at.Add(budget)
}
