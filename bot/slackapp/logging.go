package slackapp

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"

	"github.com/askdesk/askdesk/bot/logctx"
)

// withRequestID returns ctx whose log lines carry id as request_id: every
// line logged while handling one request from Slack, by the adapter or the
// desk, shares it (see logctx).
func withRequestID(ctx context.Context, id string) context.Context {
	return logctx.With(ctx, slog.String("request_id", id))
}

// newRequestID names an HTTP request from Slack, which carries no ID of its
// own; a Socket Mode envelope's ID serves instead.
func newRequestID() string { return fmt.Sprintf("%012x", rand.Uint64()>>16) }

// goFrom is Go for work that belongs to the request of parent: its lines
// keep the request's request_id, its context none of the request's
// deadline or cancellation.
func (a *App) goFrom(parent context.Context, f func(ctx context.Context)) {
	a.Go(func(ctx context.Context) { f(logctx.Carry(ctx, parent)) })
}
