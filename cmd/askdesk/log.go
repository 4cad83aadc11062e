package main

import (
	"io"
	"log/slog"
	"regexp"
	"strings"

	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/logctx"
)

// newLogger builds serve's logger, the one place logging is configured:
// text or JSON on w at the configured level, each line carrying the
// attributes of its context (slack_id, job; see logctx).
func newLogger(w io.Writer, lc config.LogConfig) *slog.Logger {
	opts := &slog.HandlerOptions{Level: lc.SlogLevel(), ReplaceAttr: redactTokens}
	var h slog.Handler
	if lc.JSON() {
		h = slog.NewJSONHandler(w, opts)
	} else {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(logctx.Handler(h))
}

// slackToken matches Slack's token shapes: bot, user, app-level,
// configuration and legacy workspace tokens.
var slackToken = regexp.MustCompile(`\b(xox[abeoprs]|xapp)-[0-9A-Za-z-]+`)

// redactTokens is a last guard: nothing logs a token on purpose (secrets
// stay in config.SlackConfig, whose String hides them), but a string that
// carries one, such as a quoted request, loses it here. Only strings are
// looked at, and only those that hold a token's prefix are rewritten.
func redactTokens(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() != slog.KindString {
		return a
	}
	s := a.Value.String()
	if strings.Contains(s, "xox") || strings.Contains(s, "xapp-") {
		a.Value = slog.StringValue(slackToken.ReplaceAllString(s, "[redacted]"))
	}
	return a
}
