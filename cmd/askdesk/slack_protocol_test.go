package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// seen reports whether serve recorded id in its Slack bookkeeping.
func (h *harness) seen(id string) bool {
	h.t.Helper()
	db, err := sql.Open("sqlite", "file:"+h.dbPath+"?mode=ro")
	if err != nil {
		h.t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(h.ctx, `SELECT COUNT(*) FROM slack_seen WHERE id = ?`, id).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n > 0
}

// TestSocketHelloIsNeverAcked: Slack's hello (sent on every connection,
// with no envelope_id) is not acknowledged, and nothing is recorded for it,
// on the first connection or after a reconnection.
func TestSocketHelloIsNeverAcked(t *testing.T) {
	h := newHarness(t, true)
	ctx := waitCtx(t)
	h.waitSocket(ctx)
	// Acks go out in order on one connection: once this one is in, a hello
	// ack would have been too.
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-1", h.slashForm(sam, "help")))
	h.waitAck(ctx, "env-1")
	h.fake.Disconnect("refresh_requested")
	if err := h.fake.WaitSocketConnections(ctx, 2); err != nil {
		t.Fatal(err)
	}
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-2", h.slashForm(sam, "help")))
	h.waitAck(ctx, "env-2")
	if stray := h.fake.StrayAcks(); len(stray) != 0 {
		t.Errorf("acks of envelopes Slack never sent: %q (hello has no envelope_id)", stray)
	}
	if h.seen("envelope:") {
		t.Error(`an "envelope:" row was stored for hello`)
	}
}

// TestSSLCheckAnsweredUnsigned: Slack's ssl_check to the commands URL comes
// without a signature (slash_ssl_check_boltjs.txt) and gets 200 with
// nothing stored; an unsigned request that is anything more is refused.
func TestSSLCheckAnsweredUnsigned(t *testing.T) {
	h := newHarness(t, false)
	raw, err := os.ReadFile("../../testdata/slack/slash_ssl_check_boltjs.txt")
	if err != nil {
		t.Fatal(err)
	}
	check := []byte(strings.TrimSpace(string(raw)))
	if code, body := h.send("/slack/commands", check, "", time.Time{}, nil); code != http.StatusOK || body != "" {
		t.Errorf("unsigned ssl_check: %d %q; want a bare 200", code, body)
	}
	for name, body := range map[string]string{
		"SSLCheckWithACommand":  "ssl_check=1&token=x&command=%2Fask&text=finance+numbers&user_id=" + sam,
		"SSLCheckAsInteraction": "ssl_check=1&token=x",
	} {
		path := "/slack/commands"
		if name == "SSLCheckAsInteraction" {
			path = "/slack/interactions"
		}
		if code, _ := h.send(path, []byte(body), "", time.Time{}, nil); code != http.StatusUnauthorized {
			t.Errorf("%s: unsigned %s got %d; want 401", name, path, code)
		}
	}
	if code, _ := h.signed("/slack/commands", check); code != http.StatusOK {
		t.Errorf("signed ssl_check: %d", code)
	}
	for _, table := range []string{"requests", "events", "outbox"} {
		if n := h.count(table); n != 0 {
			t.Errorf("%d rows in %s after ssl_checks", n, table)
		}
	}
}

// TestRepliesCarryNoEmptyMetadata: slash replies (HTTP response and Socket
// Mode ack) and modal answers have no "metadata" key: Slack requires an
// event_type in any metadata it is given.
func TestRepliesCarryNoEmptyMetadata(t *testing.T) {
	noMetadata := func(t *testing.T, what string, b []byte) {
		t.Helper()
		if len(b) == 0 {
			t.Fatalf("%s: empty", what)
		}
		if strings.Contains(string(b), `"metadata"`) {
			t.Errorf("%s carries metadata: %s", what, b)
		}
	}
	t.Run("HTTP", func(t *testing.T) {
		h := newHarness(t, false)
		_, body := h.slash(sam, "finance need the Q3 numbers")
		noMetadata(t, "the reply to /ask", []byte(body))
		_, body = h.slash(sam, "nosuchdept hello")
		noMetadata(t, "the reply to a mistyped /ask", []byte(body))
	})
	t.Run("SocketMode", func(t *testing.T) {
		h := newHarness(t, true)
		ctx := waitCtx(t)
		h.waitSocket(ctx)
		h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-1", h.slashForm(sam, "finance need the Q3 numbers")))
		noMetadata(t, "the ack of /ask", h.waitAck(ctx, "env-1"))
		h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-2", h.slashForm(sam, "")))
		h.waitAck(ctx, "env-2")
		if _, err := h.fake.WaitCalls(ctx, "views.open", 1); err != nil {
			t.Fatal(err)
		}
		submit, err := slacktest.ViewSubmission(h.fake.Views()[0], sam, map[string]string{"askdesk:file:text": "no department chosen"})
		if err != nil {
			t.Fatal(err)
		}
		h.sendSocket(ctx, slacktest.InteractiveEnvelope("env-3", submit))
		ack := h.waitAck(ctx, "env-3")
		noMetadata(t, "the modal's errors", ack)
		if !strings.Contains(string(ack), `"response_action":"errors"`) {
			t.Errorf("modal without a department: %s", ack)
		}
	})
}

// TestRefusedAppTokenReconnectsSlowly: when Slack refuses the app-level
// token (revoked, expired, …), serve says so plainly in its log, /healthz
// answers 503 naming it, and it tries again only at a slow pace (a minute
// and more, growing, with jitter), never every two seconds; once Slack
// takes the token again it connects and is healthy.
func TestRefusedAppTokenReconnectsSlowly(t *testing.T) {
	// Slow beside the rest (real-time waits, many servers): it runs beside
	// the other tests marked so.
	t.Parallel()
	for _, code := range []string{"token_revoked", "token_expired", "invalid_auth"} {
		t.Run(code, func(t *testing.T) { testRefusedAppToken(t, code) })
	}
}

func testRefusedAppToken(t *testing.T, code string) {
	var logs lockedBuffer
	waits := make(chan time.Duration)
	release := make(chan struct{})
	h := newHarness(t, true, func(o *serverOptions) {
		o.Log = newLogger(&logs, config.LogConfig{})
		o.ReconnectWait = func(ctx context.Context, d time.Duration) error {
			select {
			case waits <- d:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case <-release:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	})
	ctx := waitCtx(t)
	h.waitSocket(ctx)
	h.fake.FailWith("apps.connections.open", -1, code)
	h.fake.Disconnect("refresh_requested") // reconnect at once, and be refused

	next := func() time.Duration {
		t.Helper()
		select {
		case d := <-waits:
			return d
		case <-ctx.Done():
			t.Fatal("serve did not wait before reconnecting")
			return 0
		}
	}
	first := next()
	if first < 48*time.Second {
		t.Errorf("first wait after %s: %v; want a minute (±20%%)", code, first)
	}
	status, body := getStatus(h.base + "/healthz")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "app token refused ("+code+")") {
		t.Errorf("healthz while the token is refused: %d %s", status, body)
	}
	if got := logs.String(); !strings.Contains(got, "Slack refuses the app-level token: check SLACK_APP_TOKEN") || !strings.Contains(got, code) {
		t.Errorf("the log does not say plainly that the token is refused:\n%s", got)
	}
	release <- struct{}{}
	if second := next(); second < 96*time.Second {
		t.Errorf("second wait: %v; want it to grow (2 min ±20%%)", second)
	}
	if n := len(h.fake.CallsTo("apps.connections.open")); n != 3 {
		t.Errorf("%d calls to apps.connections.open; want 3 (the first connection, and one try per wait)", n)
	}
	h.fake.Recover()
	close(release)
	if err := h.fake.WaitSocketConnections(ctx, 2); err != nil {
		t.Fatal(err)
	}
	// Connected is recorded once Slack says hello; healthz follows it.
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-1", h.slashForm(sam, "help")))
	h.waitAck(ctx, "env-1")
	if status, body := getStatus(h.base + "/healthz"); status != http.StatusOK || !strings.Contains(body, `"socket":"connected"`) {
		t.Errorf("healthz once connected again: %d %s", status, body)
	}
	if status, _ := getStatus(h.base + "/livez"); status != http.StatusOK {
		t.Errorf("livez: %d", status)
	}
}

// unknownEvents are event types askdesk does not handle, some that Slack
// has (goodbye, workflow_*, scope_*, resources_*) and one it may add.
var unknownEvents = []string{"goodbye", "workflow_step_execute", "scope_granted", "resources_added", "brand_new_event_2027"}

// TestUnknownEventsAckedAndIgnored: an event of a type askdesk does not
// know gets a 200 over HTTP and an ack over Socket Mode (an error only
// makes Slack send it again), and changes nothing; so does an envelope of
// a type added later, and Slack's app_rate_limited notice.
func TestUnknownEventsAckedAndIgnored(t *testing.T) {
	inner := func(typ string) map[string]any {
		return map[string]any{"type": typ, "user": sam, "event_ts": "1764000100.000100"}
	}
	t.Run("HTTP", func(t *testing.T) {
		h := newHarness(t, false)
		for _, typ := range unknownEvents {
			if code, body := h.signed("/slack/events", eventBody(t, "", inner(typ))); code != http.StatusOK {
				t.Errorf("%s: %d %s", typ, code, body)
			}
		}
		raw, err := os.ReadFile("../../testdata/slack/events_app_rate_limited.json")
		if err != nil {
			t.Fatal(err)
		}
		if code, body := h.signed("/slack/events", raw); code != http.StatusOK {
			t.Errorf("app_rate_limited: %d %s", code, body)
		}
		if code, _ := h.signed("/slack/events", []byte(`{"type":`)); code != http.StatusBadRequest {
			t.Errorf("JSON cut short: %d; want 400", code)
		}
		h.srv.eventsIdle()
		if n := h.count("requests"); n != 0 {
			t.Errorf("%d requests", n)
		}
	})
	t.Run("SocketMode", func(t *testing.T) {
		h := newHarness(t, true)
		ctx := waitCtx(t)
		h.waitSocket(ctx)
		var ids []string
		for _, typ := range unknownEvents {
			b, _ := json.Marshal(inner(typ))
			env := slacktest.EventsAPIEnvelope("env-ev-"+typ, b)
			h.sendSocket(ctx, env)
			ids = append(ids, env.EnvelopeID)
		}
		if err := h.fake.SendEnvelope(ctx, []byte(`{"envelope_id":"env-new-kind","type":"brand_new_envelope","payload":{},"accepts_response_payload":false}`)); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, "env-new-kind")
		for _, id := range ids {
			h.waitAck(ctx, id)
		}
		h.srv.eventsIdle()
		if n := h.count("requests"); n != 0 {
			t.Errorf("%d requests", n)
		}
	})
}

// TestSocketEventNotRecordedIsNotAcked: an event that cannot be recorded
// (the database is held by another process) is not acknowledged, so Slack
// sends it again; its retry, once the database is free, is acked and acted
// on once.
func TestSocketEventNotRecordedIsNotAcked(t *testing.T) {
	// It waits on real time (Slack's budgets and timeouts) more than it
	// works, so it waits beside the other tests that do.
	t.Parallel()
	var logs watchedLog
	h := newHarness(t, true, func(o *serverOptions) { o.Log = newLogger(&logs, config.LogConfig{}) })
	ctx := waitCtx(t)
	h.waitSocket(ctx)
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-1", h.slashForm(sam, "finance need the Q3 numbers")))
	h.waitAck(ctx, "env-1")
	h.deliver()
	card := h.fake.Messages(finCh)[0]
	reply, _ := json.Marshal(map[string]any{"type": "message", "channel": card.Channel, "user": frank, "text": "on it",
		"ts": "1764000100.000200", "thread_ts": card.TS, "channel_type": "channel", "event_ts": "1764000100.000200"})

	unlock := h.lockDatabase()
	first := slacktest.EventsAPIEnvelope("env-2", reply)
	h.sendSocket(ctx, first)
	if err := logs.waitFor(ctx, "event not recorded; not acknowledged"); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.fake.Acked("env-2"); ok {
		t.Fatal("an event that could not be recorded was acked: Slack will not send it again")
	}
	unlock()
	retry := first
	retry.EnvelopeID, retry.RetryAttempt, retry.RetryReason = "env-3", 1, "timeout"
	h.sendSocket(ctx, retry)
	h.waitAck(ctx, "env-3")
	h.srv.eventsIdle()
	r, err := h.srv.db.Request(h.ctx, "FIN-1")
	if err != nil {
		t.Fatal(err)
	}
	if r.FirstResponseAt.IsZero() {
		t.Error("the retried thread reply was not taken as the first response")
	}
	if n := h.count("events"); n != 2 {
		t.Errorf("%d events; want filed and replied, once each", n)
	}
}

// watchedLog is a log a test can wait on.
type watchedLog struct {
	mu      sync.Mutex
	buf     strings.Builder
	changed chan struct{}
}

func (w *watchedLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.changed != nil {
		close(w.changed)
		w.changed = nil
	}
	return len(p), nil
}

func (w *watchedLog) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// waitFor waits until the log holds one of subs.
func (w *watchedLog) waitFor(ctx context.Context, subs ...string) error {
	for {
		w.mu.Lock()
		for _, s := range subs {
			if strings.Contains(w.buf.String(), s) {
				w.mu.Unlock()
				return nil
			}
		}
		if w.changed == nil {
			w.changed = make(chan struct{})
		}
		ch := w.changed
		w.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// TestSocketSilentConnectionReplaced: a connection on which Slack goes
// silent (no pings, nothing delivered, as a network that stops carrying
// packets) is replaced by a new one, which then serves.
func TestSocketSilentConnectionReplaced(t *testing.T) {
	// It waits on real time (Slack's budgets and timeouts) more than it
	// works, so it waits beside the other tests that do.
	t.Parallel()
	// Slack pings every 20 ms here: a healthy connection is never quiet
	// for a second, a stalled one is.
	fake := slacktest.New(slacktest.WithPingInterval(20 * time.Millisecond))
	h := newHarnessOn(t, fake, true, func(o *serverOptions) { o.PingTimeout = time.Second })
	ctx := waitCtx(t)
	h.waitSocket(ctx)
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-0", h.slashForm(sam, "help")))
	h.waitAck(ctx, "env-0")
	if n := h.fake.SocketConnections(); n != 1 {
		t.Fatalf("%d connections before the stall; a pinged connection was replaced", n)
	}
	h.fake.StallConnection()
	if err := h.fake.WaitSocketConnections(ctx, 2); err != nil {
		t.Fatalf("the silent connection was not replaced: %v", err)
	}
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-1", h.slashForm(sam, "help")))
	h.waitAck(ctx, "env-1")
}
