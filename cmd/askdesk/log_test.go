package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/logctx"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestLogs runs serve with JSON logs at debug level through a filing, a
// failed and retried delivery, a click, a thread reply handled after its
// ack and a forged request, then decodes every line: each one carries the
// slack_id of the Slack request it was logged for, or the job it was
// logged by; desk lines name the request; no secret appears.
func TestLogs(t *testing.T) {
	var out lockedBuffer
	h := newHarness(t, false, func(o *serverOptions) {
		o.Log = newLogger(&out, config.LogConfig{Format: "json", Level: "debug"})
	})
	deliver := func() {
		t.Helper()
		h.clock.Advance(3 * time.Second)
		if _, err := h.srv.desk.Deliver(logctx.With(h.ctx, slog.String("job", "delivery"))); err != nil {
			t.Fatal(err)
		}
	}
	h.fake.FailWith("chat.postMessage", 1, "internal_error")
	if code, body := h.slash(sam, "finance need the Q3 budget numbers"); code != http.StatusOK || !strings.Contains(body, "FIN-1") {
		t.Fatalf("ack %d %s", code, body)
	}
	deliver()
	deliver()
	card := h.fake.Messages(finCh)
	if len(card) != 1 {
		t.Fatalf("card: %+v", card)
	}
	if code, _ := h.press(fiona, card[0].Channel, "askdesk:claim", "FIN-1"); code != http.StatusOK {
		t.Fatalf("click %d", code)
	}
	if code, _ := h.signed("/slack/events", eventBody(t, "", map[string]any{
		"type": "message", "channel": card[0].Channel, "user": frank, "text": "Numbers attached",
		"ts": "1764000100.000200", "thread_ts": card[0].TS, "channel_type": "channel",
	})); code != http.StatusOK {
		t.Fatalf("event %d", code)
	}
	h.srv.eventsIdle()
	if code, _ := h.send("/slack/commands", []byte(slashForm(t, sam, "fin x").Encode()), "not-the-secret", time.Now(), nil); code != http.StatusUnauthorized {
		t.Fatalf("forged request: %d", code)
	}
	deliver()

	lines := out.lines(t)
	for _, l := range lines {
		if l["slack_id"] == nil && l["job"] == nil {
			t.Errorf("line without slack_id or job: %v", l)
		}
	}
	filed := find(t, lines, "request filed", "")
	if filed["request"] != "FIN-1" || filed["slack_id"] == nil {
		t.Errorf("filing line: %v", filed)
	}
	claimed := find(t, lines, "request changed", "claimed")
	replied := find(t, lines, "request changed", "replied")
	ids := map[any]bool{filed["slack_id"]: true, claimed["slack_id"]: true, replied["slack_id"]: true}
	if len(ids) != 3 || ids[nil] {
		t.Errorf("slack_ids of filing, click and thread reply: %v %v %v", filed["slack_id"], claimed["slack_id"], replied["slack_id"])
	}
	if l := find(t, lines, "message not delivered", ""); l["job"] != "delivery" || l["request"] != "FIN-1" {
		t.Errorf("failed delivery line: %v", l)
	}
	if l := find(t, lines, "rejected unsigned or forged request", ""); l["slack_id"] == nil {
		t.Errorf("rejection line: %v", l)
	}
	for _, secret := range []string{"xoxb-test", testSecret} {
		if strings.Contains(out.String(), secret) {
			t.Errorf("log shows a secret %q", secret)
		}
	}
}

// TestLogsSocketMode: in Socket Mode an envelope's ID is its slack_id.
func TestLogsSocketMode(t *testing.T) {
	var out lockedBuffer
	h := newHarness(t, true, func(o *serverOptions) {
		o.Log = newLogger(&out, config.LogConfig{Format: "json", Level: "debug"})
	})
	ctx := waitCtx(t)
	if err := h.fake.WaitSocketConnections(ctx, 1); err != nil {
		t.Fatal(err)
	}
	form := slashForm(t, sam, "finance need the Q3 budget numbers")
	if err := h.fake.SendEnvelope(ctx, slacktest.SlashCommandEnvelope("env-log-1", form)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.fake.WaitAck(ctx, "env-log-1"); err != nil {
		t.Fatal(err)
	}
	lines := out.lines(t)
	if l := find(t, lines, "request filed", ""); l["slack_id"] != "env-log-1" || l["request"] != "FIN-1" {
		t.Errorf("filing line: %v", l)
	}
	for _, l := range lines {
		msg, _ := l["msg"].(string)
		if l["slack_id"] == nil && l["job"] == nil && !strings.HasPrefix(msg, "socket mode") {
			t.Errorf("line without slack_id or job: %v", l)
		}
	}
	for _, secret := range []string{"xoxb-test", "xapp-test"} {
		if strings.Contains(out.String(), secret) {
			t.Errorf("log shows a secret %q", secret)
		}
	}
}

// TestRedactTokens: a token inside a logged string is hidden.
func TestRedactTokens(t *testing.T) {
	var out lockedBuffer
	log := newLogger(&out, config.LogConfig{})
	log.InfoContext(context.Background(), "posting with xoxb-123-456-abcDEF", "body", "token=xapp-1-A0-99&channel=C1", "n", 3)
	got := out.String()
	if strings.Contains(got, "xoxb-1") || strings.Contains(got, "xapp-1") || !strings.Contains(got, "token=[redacted]&channel=C1") {
		t.Fatalf("not redacted: %s", got)
	}
}

// lockedBuffer collects log output written from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines decodes every line as a JSON object.
func (b *lockedBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(b.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l map[string]any
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, sc.Bytes())
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		t.Fatal("nothing logged")
	}
	return out
}

// find returns the first line with msg (and event, when given).
func find(t *testing.T, lines []map[string]any, msg, event string) map[string]any {
	t.Helper()
	for _, l := range lines {
		if l["msg"] == msg && (event == "" || l["event"] == event) {
			return l
		}
	}
	t.Fatalf("no line %q %s", msg, event)
	return nil
}
