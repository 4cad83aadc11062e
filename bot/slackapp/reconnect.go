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
	case "invalid_auth", "not_authed", "token_revoked", "account_inactive", "token_expired", "not_allowed_token_type":
		return se.Err
	}
	return ""
}

// socketHealth is what /healthz says of the Socket Mode connection.
type socketHealth struct {
	mu        sync.Mutex
	running   bool   // Socket Mode is in use
	connected bool   // a connection is up (Slack said hello)
	refused   string // Slack's error while it refuses the app token
}

// SocketStatus says how the Socket Mode connection stands, for /healthz:
// ok is false only when Slack refuses the app token, which needs an
// operator; state is "connected", "connecting" or "app token refused
// (token_revoked)"; "" when Socket Mode is not in use.
func (a *App) SocketStatus() (ok bool, state string) {
	h := &a.socket
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case !h.running:
		return true, ""
	case h.refused != "":
		return false, "app token refused (" + h.refused + ")"
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
// and returns how long to wait before trying again.
func (a *App) connectFailed(ctx context.Context, err error, n int) time.Duration {
	code := refusal(err)
	a.socket.set(func(h *socketHealth) { h.connected, h.refused = false, code })
	wait := reconnectDelay(n, code != "", rand.Float64())
	if code != "" {
		a.log.ErrorContext(ctx, "Slack refuses the app-level token: check SLACK_APP_TOKEN (an xapp- token with connections:write, from the app's Basic Information page); /healthz reports unavailable until it connects",
			"slack_error", code, "retry_in", wait.Round(time.Second).String())
	} else {
		a.log.WarnContext(ctx, "socket mode connection failed; trying again", "err", err, "retry_in", wait.Round(time.Second).String())
	}
	return wait
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
