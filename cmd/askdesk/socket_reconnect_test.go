package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// waitsSeen is a ReconnectWait that hands each wait it is asked for to the
// test, and returns once the test releases it.
type waitsSeen struct {
	asked   chan time.Duration
	release chan struct{}
}

func newWaitsSeen() *waitsSeen {
	return &waitsSeen{asked: make(chan time.Duration), release: make(chan struct{})}
}

func (w *waitsSeen) wait(ctx context.Context, d time.Duration) error {
	select {
	case w.asked <- d:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-w.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// next returns the next wait serve asks for.
func (w *waitsSeen) next(t *testing.T, ctx context.Context) time.Duration {
	t.Helper()
	select {
	case d := <-w.asked:
		return d
	case <-ctx.Done():
		t.Fatal("serve did not wait before reconnecting")
		return 0
	}
}

// TestSocketWarningKeepsTheOldConnectionRead: Slack's "warning" disconnect
// comes some seconds before it closes a connection, and it may still send
// on it meanwhile: askdesk opens a new connection at once and still
// answers what comes on the old one.
func TestSocketWarningKeepsTheOldConnectionRead(t *testing.T) {
	h := newHarness(t, true)
	ctx := waitCtx(t)
	h.waitSocket(ctx)
	h.fake.WarnDisconnect()
	if err := h.fake.WaitSocketConnections(ctx, 2); err != nil {
		t.Fatalf("no new connection after the warning: %v", err)
	}
	if err := h.fake.SendEnvelopeOn(1, slacktest.SlashCommandEnvelope("env-old", h.slashForm(sam, "help"))); err != nil {
		t.Fatal(err)
	}
	h.waitAck(ctx, "env-old")
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-new", h.slashForm(sam, "help")))
	h.waitAck(ctx, "env-new")
}

// TestSocketDisconnectReasons: link_disabled (Socket Mode turned off for
// the app) slows reconnecting to minutes and makes /healthz unavailable
// until a connection works; too_many_websockets waits a minute; a
// connection that drops soon after it opened backs off, growing.
func TestSocketDisconnectReasons(t *testing.T) {
	t.Run("LinkDisabled", func(t *testing.T) {
		var logs watchedLog
		w := newWaitsSeen()
		h := newHarness(t, true, func(o *serverOptions) {
			o.ReconnectWait, o.Log = w.wait, newLogger(&logs, config.LogConfig{})
		})
		ctx := waitCtx(t)
		h.waitSocket(ctx)
		h.fake.Disconnect("link_disabled")
		if d := w.next(t, ctx); d < 48*time.Second {
			t.Errorf("wait after link_disabled: %v; want a minute and more", d)
		}
		if status, body := getStatus(h.base + "/healthz"); status != http.StatusServiceUnavailable || !strings.Contains(body, "Socket Mode turned off") {
			t.Errorf("healthz after link_disabled: %d %s", status, body)
		}
		if !strings.Contains(logs.String(), "turn it on again") {
			t.Errorf("the log does not say what to do:\n%s", logs.String())
		}
		close(w.release)
		if err := h.fake.WaitSocketConnections(ctx, 2); err != nil {
			t.Fatal(err)
		}
		h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-1", h.slashForm(sam, "help")))
		h.waitAck(ctx, "env-1")
		if status, body := getStatus(h.base + "/healthz"); status != http.StatusOK {
			t.Errorf("healthz once connected again: %d %s", status, body)
		}
	})
	t.Run("TooManyWebsockets", func(t *testing.T) {
		w := newWaitsSeen()
		h := newHarness(t, true, func(o *serverOptions) { o.ReconnectWait = w.wait })
		ctx := waitCtx(t)
		h.waitSocket(ctx)
		h.fake.Disconnect("too_many_websockets")
		if d := w.next(t, ctx); d < 48*time.Second {
			t.Errorf("wait after too_many_websockets: %v; want a minute", d)
		}
		if status, body := getStatus(h.base + "/healthz"); status != http.StatusOK {
			t.Errorf("healthz: %d %s; too many connections is not this replica's fault", status, body)
		}
		close(w.release)
	})
	t.Run("DropsSoonAfterOpening", func(t *testing.T) {
		w := newWaitsSeen()
		h := newHarness(t, true, func(o *serverOptions) { o.ReconnectWait = w.wait })
		ctx := waitCtx(t)
		var last time.Duration
		for i := 1; i <= 3; i++ {
			if err := h.fake.WaitSocketConnections(ctx, i); err != nil {
				t.Fatal(err)
			}
			h.fake.DropConnection()
			d := w.next(t, ctx)
			if d <= last {
				t.Errorf("drop %d: wait %v after %v; want it to grow", i, d, last)
			}
			last = d
			w.release <- struct{}{}
		}
	})
}

// TestSocketOpenRateLimitedHonoursRetryAfter: a 429 from
// apps.connections.open (Tier 1) is waited out for as long as its
// Retry-After says.
func TestSocketOpenRateLimitedHonoursRetryAfter(t *testing.T) {
	w := newWaitsSeen()
	h := newHarness(t, true, func(o *serverOptions) { o.ReconnectWait = w.wait })
	ctx := waitCtx(t)
	h.waitSocket(ctx)
	h.fake.Fail("apps.connections.open", 1, http.StatusTooManyRequests, 60)
	h.fake.Disconnect("refresh_requested")
	if d := w.next(t, ctx); d < 60*time.Second {
		t.Errorf("wait after a 429 with Retry-After: 60: %v", d)
	}
	close(w.release)
	if err := h.fake.WaitSocketConnections(ctx, 2); err != nil {
		t.Fatal(err)
	}
}
