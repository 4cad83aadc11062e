package slackapp_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
	"github.com/askdesk/askdesk/store"
)

// fuzzSecret is the signing secret of Slack's documented example
// (testdata/slack/signing_vectors.json), so its vectors are valid HMACs.
const fuzzSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// fuzzApp is one adapter served over HTTP against a fake Slack and a real
// store, built once per fuzz process and shared by every input.
type fuzzApp struct {
	// signed holds the signatures of commands and interactions the app
	// took: the same one again is a replay and must get 401.
	signed  map[string]bool
	app     *slackapp.App
	handler http.Handler
	db      *store.DB
	fake    *slacktest.Server
	ctx     context.Context
}

func newFuzzApp(tb testing.TB) *fuzzApp {
	tb.Helper()
	ctx := context.Background()
	dir := MustExampleDirectory(tb)
	fake := slacktest.New()
	tb.Cleanup(fake.Close)
	db, err := store.Open(ctx, filepath.Join(tb.TempDir(), "askdesk.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	clock := bot.NewManualClock(time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC))
	app := slackapp.New(slackapp.Config{BotToken: "xoxb-fuzz", SigningSecret: fuzzSecret, APIURL: fake.URL}, dir, db, clock, nil)
	desk := bot.New(dir, db, app, clock, nil)
	desk.Zones = app
	app.SetDesk(desk)
	app.Surveys = db
	return &fuzzApp{app: app, handler: app.Handler(), db: db, fake: fake, ctx: ctx}
}

// post serves one request and waits for the work it started.
func (fa *fuzzApp) post(tb testing.TB, path string, body []byte, header http.Header) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	w := httptest.NewRecorder()
	fa.handler.ServeHTTP(w, req)
	ctx, cancel := context.WithTimeout(fa.ctx, 30*time.Second)
	defer cancel()
	if err := fa.app.Wait(ctx); err != nil {
		tb.Fatalf("work after the ack did not finish: %v", err)
	}
	fa.fake.Reset() // the recorded calls are not checked; keep memory flat
	return w
}

// rows counts what a request could leave behind.
func (fa *fuzzApp) rows(tb testing.TB) map[string]int {
	tb.Helper()
	out := map[string]int{}
	for _, table := range []string{"requests", "events", "outbox", "slack_posts", "slack_seen"} {
		n, err := store.CountRows(fa.ctx, fa.db, table)
		if err != nil {
			tb.Fatal(err) // a missing table too: hostile input dropped it
		}
		out[table] = n
	}
	return out
}

// signatureHeader returns X-Slack-Request-Timestamp and X-Slack-Signature
// set to ts and sig, leaving out empty ones.
func signatureHeader(ts, sig string) http.Header {
	h := http.Header{}
	if ts != "" {
		h[slacktest.HeaderTimestamp] = []string{ts}
	}
	if sig != "" {
		h[slacktest.HeaderSignature] = []string{sig}
	}
	return h
}

// signed returns headers with a valid signature of body at t.
func signed(body []byte, t time.Time) http.Header {
	return signatureHeader(slacktest.Sign(fuzzSecret, t, body))
}

// verdict is what Slack's v0 scheme says of a request: accept, reject, or
// (within a second or two of the five-minute edge, where the verifier's
// clock and ours may disagree) either.
type verdict int

const (
	reject verdict = iota
	accept
	either
)

// wantVerdict is an independent reading of Slack's scheme: both headers,
// the timestamp an integer within five minutes of now, and the signature
// "v0=" + hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body)) exactly.
func wantVerdict(header http.Header, body []byte, now time.Time) verdict {
	ts, sig := header.Get(slacktest.HeaderTimestamp), header.Get(slacktest.HeaderSignature)
	if ts == "" || sig == "" {
		return reject
	}
	hexSig, ok := strings.CutPrefix(sig, "v0=")
	if !ok {
		return reject
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return reject
	}
	mac := hmac.New(sha256.New, []byte(fuzzSecret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return reject
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return reject
	}
	// Compare in seconds without overflowing: now is far from the extremes.
	const window, slack = 300, 2
	switch d := now.Unix() - max(min(sec, now.Unix()+1<<40), now.Unix()-1<<40); {
	case d < -window-slack || d > window+slack:
		return reject
	case d > -window+slack && d < window-slack:
		return accept
	}
	return either
}

// checkOversized fails when a body over its cap is not refused: with 413
// when its signature would pass, else with 413 or, for headers that could
// not pass, 401 before the body is read.
func checkOversized(t *testing.T, v verdict, code, n int) {
	t.Helper()
	if code != http.StatusRequestEntityTooLarge && (v != reject || code != http.StatusUnauthorized) {
		t.Fatalf("%d-byte body: %d, want 413", n, code)
	}
}

// checkVerdict fails when code disagrees with v.
func checkVerdict(t *testing.T, v verdict, code int, what string) {
	t.Helper()
	switch {
	case v == reject && code != http.StatusUnauthorized:
		t.Fatalf("%s: %d, want 401", what, code)
	case v == accept && code == http.StatusUnauthorized:
		t.Fatalf("%s: 401 for a valid signature", what)
	}
}

var fuzzRoutes = []string{"/slack/commands", "/slack/interactions", "/slack/events"}

// How FuzzSlackHandlers signs a body.
const (
	signNow     = iota // valid, now
	signHeaders        // the fuzzed ts and sig headers as they are
	signTamper         // valid for the body, then a byte is added
	signStale          // valid, six minutes ago
	signNone           // no headers
	signModes
)

// FuzzSlackHandlers posts fuzzed slash commands, interaction payloads and
// Events API bodies (seeds in testdata/fuzz/FuzzSlackHandlers: Slack's own
// published payloads and hostile variants) through App.Handler, validly
// signed and otherwise. Nothing may panic; a request that is not validly
// signed gets 401 and changes nothing; a refused one (4xx) changes nothing;
// and at most one request is filed, only by an ack that says so.
func FuzzSlackHandlers(f *testing.F) {
	fa := newFuzzApp(f)
	f.Fuzz(func(t *testing.T, route, signing uint8, body []byte, ts, sig string) {
		path := fuzzRoutes[int(route)%len(fuzzRoutes)]
		now := time.Now()
		var header http.Header
		sent := body
		switch signing % signModes {
		case signNow:
			header = signed(body, now)
		case signHeaders:
			header = signatureHeader(ts, sig)
		case signTamper:
			header = signed(body, now)
			sent = append(append([]byte{}, body...), '\n')
		case signStale:
			header = signed(body, now.Add(-6*time.Minute))
		case signNone:
			header = http.Header{}
		}
		if strings.HasSuffix(path, "/events") {
			header.Set("Content-Type", "application/json")
		} else {
			header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		before := fa.rows(t)
		w := fa.post(t, path, sent, header)
		after := fa.rows(t)

		if len(sent) > int(slackapp.MaxBodyOf(path)) {
			checkOversized(t, wantVerdict(header, sent, now), w.Code, len(sent))
		} else {
			v := wantVerdict(header, sent, now)
			sig := header.Get(slacktest.HeaderSignature)
			replayable := path != "/slack/events" // events are deduplicated by ID instead
			if replayable && fa.signed[sig] {
				v = reject
			}
			checkVerdict(t, v, w.Code, path)
			if replayable && w.Code != http.StatusUnauthorized {
				if fa.signed == nil {
					fa.signed = map[string]bool{}
				}
				fa.signed[sig] = true
			}
		}
		if w.Code != http.StatusOK {
			for table, n := range before {
				// A genuine signature is remembered before its body is
				// parsed, so that its replay is refused however it fares.
				if table == "slack_seen" && after[table] == n+1 && w.Code != http.StatusUnauthorized && path != "/slack/events" {
					continue
				}
				if after[table] != n {
					t.Fatalf("%s answered %d but %s went from %d to %d rows", path, w.Code, table, n, after[table])
				}
			}
			return
		}
		switch filed := after["requests"] - before["requests"]; {
		case filed < 0 || filed > 1:
			t.Fatalf("%s: requests went from %d to %d", path, before["requests"], after["requests"])
		case filed == 1 && path == "/slack/commands" && !strings.Contains(w.Body.String(), "Filed *"):
			t.Fatalf("a request was stored, but the ack says %s", w.Body)
		case filed == 1 && path == "/slack/interactions" && w.Body.Len() > 0:
			t.Fatalf("a request was stored, but the ack says %s", w.Body)
		case filed == 1 && path == "/slack/events":
			t.Fatal("an event filed a request, though the fake Slack holds no message to file")
		}
	})
}

// FuzzVerifySignature fuzzes the signature check alone: the body, the
// timestamp (given, or now plus skew seconds), the signature (given, or
// computed) and which headers are left out (drop: 1 the timestamp, 2 the
// signature). Only an exact v0 HMAC within five minutes passes.
func FuzzVerifySignature(f *testing.F) {
	fa := newFuzzApp(f)
	f.Fuzz(func(t *testing.T, body []byte, skew int64, ts, sig string, drop uint8) {
		now := time.Now()
		if ts == "" {
			ts = strconv.FormatInt(now.Unix()+skew, 10)
		}
		if sig == "" {
			mac := hmac.New(sha256.New, []byte(fuzzSecret))
			mac.Write([]byte("v0:" + ts + ":"))
			mac.Write(body)
			sig = "v0=" + hex.EncodeToString(mac.Sum(nil))
		}
		if drop&1 != 0 {
			ts = ""
		}
		if drop&2 != 0 {
			sig = ""
		}
		header := signatureHeader(ts, sig)
		header.Set("Content-Type", "application/json")
		w := fa.post(t, "/slack/events", body, header)
		if len(body) > slackapp.MaxEventBody {
			checkOversized(t, wantVerdict(header, body, now), w.Code, len(body))
			return
		}
		checkVerdict(t, wantVerdict(header, body, now), w.Code, "ts "+strconv.Quote(ts)+" sig "+strconv.Quote(sig))
	})
}
