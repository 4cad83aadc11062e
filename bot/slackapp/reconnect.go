package slackapp

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// Socket Mode reconnection pace. apps.connections.open is Tier 1 (about one
// call a minute, https://api.slack.com/apis/rate-limits): after a failure
// askdesk backs off, with jitter so replicas do not call in step; a token
// Slack refuses is tried again only at the slow pace, since an operator
// must act.
const (
	reconnectFirst   = 2 * time.Second
	reconnectMax     = 2 * time.Minute
	reconnectRefused = time.Minute // first wait after the token is refused
	reconnectSlowMax = 5 * time.Minute
)

// reconnectDelay is the wait before connection attempt n+1 after n failed
// in a row (n >= 1): doubling from reconnectFirst up to reconnectMax, or,
// when Slack refused the token, from reconnectRefused up to
// reconnectSlowMax; then spread by ±20% with jitter in [0, 1).
func reconnectDelay(n int, refused bool, jitter float64) time.Duration {
	first, most := reconnectFirst, reconnectMax
	if refused {
		first, most = reconnectRefused, reconnectSlowMax
	}
	d := first
	for i := 1; i < n && d < most; i++ {
		d *= 2
	}
	d = min(d, most)
	return time.Duration(float64(d) * (0.8 + 0.4*jitter))
}

// refusal returns Slack's error code when err is Slack refusing the app
// token for good (nothing but an operator fixes it), else "".
func refusal(err error) string {
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) {
		return ""
	}
	switch se.Err {
	case "invalid_auth", "not_authed", "token_revoked", "account_inactive", "token_expired",
		"not_allowed_token_type", "missing_scope", "no_permission", "team_access_not_granted":
		return se.Err
	}
	return ""
}

// socketHealth is what /healthz says of the Socket Mode connection.
type socketHealth struct {
	mu        sync.Mutex
	running   bool   // Socket Mode is in use
	connected bool   // a connection is up (Slack said hello)
	refused   string // why Slack refuses connections, until one works
}

// SocketStatus says how the Socket Mode connection stands, for /healthz:
// ok is false only when Slack refuses connections in a way that needs an
// operator; state is "connected", "connecting", "app token refused
// (token_revoked)" or "Socket Mode turned off for the app
// (link_disabled)"; "" when Socket Mode is not in use.
func (a *App) SocketStatus() (ok bool, state string) {
	h := &a.socket
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case !h.running:
		return true, ""
	case h.refused != "":
		return false, h.refused
	case h.connected:
		return true, "connected"
	}
	return true, "connecting"
}

func (h *socketHealth) set(f func(h *socketHealth)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f(h)
}

// waitReconnect waits d (through Config.ReconnectWait when set), or until
// ctx ends.
func (a *App) waitReconnect(ctx context.Context, d time.Duration) error {
	if a.cfg.ReconnectWait != nil {
		return a.cfg.ReconnectWait(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// connectFailed records the n-th failure in a row to connect, says so in
// the log (plainly when Slack refuses the token, which needs an operator)
// and returns how long to wait before trying again: longer if Slack said
// so (a 429's Retry-After).
func (a *App) connectFailed(ctx context.Context, err error, n int) time.Duration {
	code := refusal(err)
	if code != "" {
		// Only a working connection clears a refusal: a timeout in
		// between says nothing of the token.
		a.socket.set(func(h *socketHealth) { h.refused = "app token refused (" + code + ")" }) //i18n:ok operator health text, logs
	}
	wait := reconnectDelay(n, a.refusing(), rand.Float64())
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		wait = max(wait, rl.RetryAfter+time.Duration(rand.Int64N(int64(time.Second))))
	}
	if code != "" {
		a.log.ErrorContext(ctx, "Slack refuses the app-level token: check SLACK_APP_TOKEN (an xapp- token with connections:write, from the app's Basic Information page); /healthz reports unavailable until it connects",
			"slack_error", code, "retry_in", wait.Round(time.Second).String())
	} else {
		a.log.WarnContext(ctx, "socket mode connection failed; trying again", "err", err, "retry_in", wait.Round(time.Second).String())
	}
	return wait
}

// connectionEnded says why a connection ended and returns how long to wait
// before the next: none when Slack asked for a routine refresh or a
// connection that had lasted dropped; a backoff when connections keep
// ending soon after they open (n in a row); the slow pace when Socket Mode
// was turned off for the app (link_disabled, which needs an operator and
// makes SocketStatus unhealthy); a minute when the app has too many
// connections open (too_many_websockets: Slack allows ten).
func (a *App) connectionEnded(ctx context.Context, end connEnd, n int) time.Duration {
	var wait time.Duration
	if n > 0 {
		wait = reconnectDelay(n, a.refusing(), rand.Float64())
	}
	switch end.reason {
	case "link_disabled":
		a.socket.set(func(h *socketHealth) { h.refused = "Socket Mode turned off for the app (link_disabled)" }) //i18n:ok operator health text, logs
		wait = max(wait, reconnectDelay(max(n, 1), true, rand.Float64()))
		a.log.ErrorContext(ctx, "Slack turned Socket Mode off for the app: turn it on again under Socket Mode in the app's settings, or serve HTTP; /healthz reports unavailable until it connects",
			"retry_in", wait.Round(time.Second).String())
		return wait
	case "too_many_websockets":
		wait = max(wait, reconnectDelay(1, true, rand.Float64()))
		a.log.ErrorContext(ctx, "Slack refuses more Socket Mode connections for the app (it allows ten): run fewer replicas",
			"retry_in", wait.Round(time.Second).String())
		return wait
	}
	a.log.InfoContext(ctx, "socket mode connection ended; reconnecting", "reason", end.err, "retry_in", wait.Round(time.Second).String())
	return wait
}

// refusing reports whether Slack refuses askdesk's connections now, for
// the slow pace.
func (a *App) refusing() bool {
	h := &a.socket
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.refused != ""
}

// connected records a working connection.
func (a *App) connected() {
	a.socket.set(func(h *socketHealth) {
		if h.refused != "" {
			a.log.Info("Slack accepts the app-level token again")
		}
		h.connected, h.refused = true, ""
	})
}
