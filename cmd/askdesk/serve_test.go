package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestSlackHappyPath drives one request from /ask to closed through the
// real serve code over HTTP: the card is posted once and updated in place,
// thread replies cross between the card's thread and the requester's DM.
func TestSlackHappyPath(t *testing.T) {
	h := newHarness(t, false)
	code, body := h.slash(sam, "finance need the Q3 budget numbers")
	if code != http.StatusOK || !strings.Contains(body, "Filed *FIN-1*") || !strings.Contains(body, `"response_type":"ephemeral"`) {
		t.Fatalf("ack %d %s", code, body)
	}
	// Deadlines are phrased in the requester's zone.
	if !strings.Contains(body, "America/Chicago") {
		t.Errorf("ack not in the requester's zone: %s", body)
	}
	h.deliver()
	posts := h.fake.CallsTo("chat.postMessage")
	if len(posts) != 1 || posts[0].Params.Get("channel") != "#finance-requests" || !strings.Contains(posts[0].Params.Get("blocks"), "FIN-1") {
		t.Fatalf("card post: %+v", posts)
	}
	card := h.fake.Messages(finCh)
	if len(card) != 1 {
		t.Fatalf("messages in the queue: %+v", card)
	}
	cardTS, cardCh := card[0].TS, card[0].Channel

	// Fiona claims from the card.
	if code, _ := h.press(fiona, cardCh, "askdesk:claim", "FIN-1"); code != http.StatusOK {
		t.Fatalf("click: %d", code)
	}
	h.deliver()
	if ups := h.fake.CallsTo("chat.update"); len(ups) != 1 || ups[0].Params.Get("ts") != cardTS || !strings.Contains(ups[0].Params.Get("blocks"), "claimed by") {
		t.Fatalf("card update after claim: %+v", ups)
	}
	dm := h.fake.Messages("D" + sam)
	if len(dm) != 1 || !strings.Contains(dm[0].Text, "is on") || !strings.Contains(dm[0].Text, "/archives/"+finCh+"/p"+strings.Replace(cardTS, ".", "", 1)+"|Open FIN-1's card>") {
		t.Fatalf("requester DM after claim: %+v", dm)
	}
	dmRoot := dm[0].TS

	// Frank answers in the card's thread: it reaches Sam's DM thread, and
	// is not echoed back into the card's thread.
	code, _ = h.signed("/slack/events", eventBody(t, "", map[string]any{
		"type": "message", "channel": cardCh, "user": frank, "text": "Numbers attached &amp; sent",
		"ts": "1764000100.000200", "thread_ts": cardTS, "channel_type": "channel",
	}))
	if code != http.StatusOK {
		t.Fatalf("event: %d", code)
	}
	h.waitRequestVersion("FIN-1", 3)
	h.deliver()
	dm = h.fake.Messages("D" + sam)
	if len(dm) != 2 || dm[1].ThreadTS != dmRoot || !strings.Contains(dm[1].Text, "Numbers attached &amp; sent") {
		t.Fatalf("requester DM thread after staff reply: %+v", dm)
	}
	for _, m := range h.fake.Messages(cardCh) {
		if m.ThreadTS == cardTS && strings.Contains(m.Text, "Numbers attached") && m.User != frank {
			t.Errorf("staff reply echoed into the card thread: %+v", m)
		}
	}

	// Sam answers in the DM thread: it reaches the card's thread.
	h.signed("/slack/events", eventBody(t, "", map[string]any{
		"type": "message", "channel": "D" + sam, "user": sam, "text": "thanks, EMEA only",
		"ts": "1764000200.000300", "thread_ts": dmRoot, "channel_type": "im",
	}))
	h.waitRequestVersion("FIN-1", 4)
	h.deliver()
	var inThread bool
	for _, m := range h.fake.Messages(cardCh) {
		if m.ThreadTS == cardTS && strings.Contains(m.Text, "thanks, EMEA only") {
			inThread = true
		}
	}
	if !inThread {
		t.Fatalf("requester's DM reply did not reach the card's thread: %+v", h.fake.Messages(cardCh))
	}

	// Resolve, then Sam closes from the DM.
	h.press(frank, cardCh, "askdesk:resolve", "FIN-1")
	h.deliver()
	h.press(sam, "D"+sam, "askdesk:close", "FIN-1")
	h.deliver()
	last := h.fake.CallsTo("chat.update")
	if got := last[len(last)-1].Params.Get("blocks"); !strings.Contains(got, "closed") {
		t.Fatalf("final card: %s", got)
	}
	if n := len(h.fake.CallsTo("chat.postMessage")); n > 8 {
		t.Errorf("%d chat.postMessage calls for one request's life; cards must be updated, not reposted", n)
	}
}

// TestSlackCancelFromReply: the Cancel button of the /ask reply, which
// only the requester sees, withdraws the request, and its card says so
// and offers nothing more.
func TestSlackCancelFromReply(t *testing.T) {
	h := newHarness(t, false)
	_, body := h.slash(sam, "finance need the Q3 budget numbers")
	h.deliver()
	reply := h.reply(sam, body)
	if _, err := h.fake.Press(tina, reply, slacktest.Pick{ActionID: "askdesk:cancel"}); err == nil {
		t.Fatal("someone else could press Cancel in Sam's reply")
	}
	if code, _ := h.pressShown(sam, reply, slacktest.Pick{Label: "Cancel"}); code != http.StatusOK {
		t.Fatalf("cancel: %d", code)
	}
	if r, err := h.srv.db.Request(h.ctx, "FIN-1"); err != nil || r.State != bot.Cancelled {
		t.Fatalf("after Cancel: %+v %v", r, err)
	}
	h.deliver()
	card := h.fake.Messages(finCh)
	if len(card) != 1 || !strings.Contains(string(card[0].Blocks), "cancelled by") {
		t.Fatalf("card after Cancel: %+v", card)
	}
	if els, err := slacktest.Elements(card[0].Blocks); err != nil || len(els) != 0 {
		t.Errorf("cancelled card still offers %+v (%v)", els, err)
	}
}

// waitRequestVersion waits for the events acknowledged so far to be
// handled, then checks the request got to version v.
func (h *harness) waitRequestVersion(id string, v int) {
	h.t.Helper()
	h.srv.eventsIdle()
	r, err := h.srv.db.Request(h.ctx, id)
	if err != nil || r.Version < v {
		h.t.Fatalf("%s is not at version %d after its events: %+v, %v", id, v, r, err)
	}
}

func TestSlackSignatures(t *testing.T) {
	// Slow beside the rest (real-time waits, many servers): it runs beside
	// the other tests marked so.
	t.Parallel()
	h := newHarness(t, false)
	body := []byte(slashForm(t, sam, "finance forged").Encode())
	cases := []struct {
		name   string
		secret string
		ts     time.Time
	}{
		{"WrongSecret", "not-the-secret", time.Now()},
		{"Stale", testSecret, time.Now().Add(-6 * time.Minute)},
		{"Future", testSecret, time.Now().Add(6 * time.Minute)},
		{"Missing", "", time.Now()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, path := range []string{"/slack/commands", "/slack/interactions", "/slack/events"} {
				if code, _ := h.send(path, body, c.secret, c.ts, nil); code != http.StatusUnauthorized {
					t.Errorf("%s: %d, want 401", path, code)
				}
			}
		})
	}
	t.Run("DocsVectorIsStaleNow", func(t *testing.T) {
		var vectors []struct {
			Secret, Timestamp, Body, Signature string
		}
		raw, _ := os.ReadFile("../../testdata/slack/signing_vectors.json")
		json.Unmarshal(raw, &vectors)
		req, _ := http.NewRequest(http.MethodPost, h.base+"/slack/commands", strings.NewReader(vectors[0].Body))
		req.Header.Set("X-Slack-Request-Timestamp", vectors[0].Timestamp)
		req.Header.Set("X-Slack-Signature", vectors[0].Signature)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("Slack's own 2018 example replayed today: %d, want 401", resp.StatusCode)
		}
	})
	t.Run("TamperedBody", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, h.base+"/slack/commands", strings.NewReader(string(body)+"x"))
		ts, sig := slacktest.Sign(testSecret, time.Now(), body)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sig)
		resp, _ := http.DefaultClient.Do(req)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("tampered body: %d", resp.StatusCode)
		}
	})
	t.Run("Oversized", func(t *testing.T) {
		big := []byte(strings.Repeat("a", 2<<20))
		if code, _ := h.signed("/slack/commands", big); code != http.StatusRequestEntityTooLarge {
			t.Fatalf("2 MiB body: %d, want 413", code)
		}
	})
	if n := h.count("requests"); n != 0 {
		t.Fatalf("%d requests stored from rejected calls", n)
	}
	if n := h.count("slack_seen"); n != 0 {
		t.Fatalf("%d deliveries recorded from rejected calls", n)
	}
}

func TestSlackURLVerification(t *testing.T) {
	h := newHarness(t, false)
	raw, _ := os.ReadFile("../../testdata/slack/events_url_verification.json")
	code, body := h.signed("/slack/events", raw)
	var uv struct{ Challenge string }
	json.Unmarshal(raw, &uv)
	if code != http.StatusOK || strings.TrimSpace(body) != uv.Challenge {
		t.Fatalf("url_verification: %d %q, want the challenge %q", code, body, uv.Challenge)
	}
}

func TestSlackBadInput(t *testing.T) {
	h := newHarness(t, false)
	_, body := h.slash(sam, "finanse numbers")
	if !strings.Contains(body, "Did you mean") {
		t.Errorf("unknown dept: %s", body)
	}
	_, body = h.slash(sam, "finance "+strings.Repeat("x", 3001))
	if !strings.Contains(body, "the limit is 3000") {
		t.Errorf("oversized text: %s", body)
	}
	if code, _ := h.signed("/slack/interactions", []byte("payload=%7Bnot+json")); code != http.StatusBadRequest {
		t.Errorf("malformed payload: %d", code)
	}
	if code, _ := h.signed("/slack/events", []byte("{nope")); code != http.StatusBadRequest {
		t.Errorf("malformed event: %d", code)
	}
	if n := h.count("requests"); n != 0 {
		t.Fatalf("%d requests stored from bad input", n)
	}
	// Mention injection: the card carries no live mention or link.
	h.slash(sam, "finance <!channel> pay <http://evil.example|the bank> now <@U0FIONA01>")
	h.deliver()
	for _, c := range h.fake.CallsTo("chat.postMessage") {
		for _, p := range []string{"text", "blocks"} {
			v := c.Params.Get(p)
			for _, bad := range []string{"<!channel>", "<http://evil", "<@U0FIONA01>"} {
				if strings.Contains(v, bad) {
					t.Errorf("%s of a post carries %q: %s", p, bad, v)
				}
			}
		}
	}
}

// TestSlackUnauthorizedClick: an outsider who presses Claim on a card
// (everyone in the channel sees it) is told no, ephemerally, and the card
// stays as it was.
func TestSlackUnauthorizedClick(t *testing.T) {
	h := newHarness(t, false)
	h.slash(sam, "finance numbers")
	h.deliver()
	before := len(h.fake.CallsTo("chat.update"))
	if code, _ := h.press(tina, finCh, "askdesk:claim", "FIN-1"); code != http.StatusOK {
		t.Fatalf("click: %d", code)
	}
	calls, err := h.fake.WaitCalls(waitCtx(t), "chat.postEphemeral", 1)
	if err != nil {
		t.Fatal(err)
	}
	if txt := calls[0].Params.Get("text"); calls[0].Params.Get("user") != tina || calls[0].Params.Get("channel") != finCh || !strings.Contains(txt, "You can't claim FIN-1") {
		t.Fatalf("refusal: %+v", calls[0].Params)
	}
	h.deliver()
	if after := len(h.fake.CallsTo("chat.update")); after != before {
		t.Fatalf("card changed after a refused click")
	}
}

func TestSlackDuplicateEvents(t *testing.T) {
	h := newHarness(t, false)
	h.slash(sam, "finance numbers")
	h.deliver()
	card := h.fake.Messages(finCh)[0]
	ev := eventBody(t, "Ev0DUPLICATE", map[string]any{
		"type": "message", "channel": card.Channel, "user": frank, "text": "on it",
		"ts": "1764000100.000200", "thread_ts": card.TS, "channel_type": "channel",
	})
	h.signed("/slack/events", ev)
	retry := http.Header{"X-Slack-Retry-Num": {"1"}, "X-Slack-Retry-Reason": {"http_timeout"}}
	for i := 0; i < 3; i++ {
		if code, _ := h.send("/slack/events", ev, testSecret, time.Now(), retry); code != http.StatusOK {
			t.Fatalf("retry answered %d; Slack would keep retrying", code)
		}
	}
	h.waitRequestVersion("FIN-1", 2)
	h.srv.eventsIdle()
	evs, _ := h.srv.db.Events(h.ctx, "FIN-1")
	if len(evs) != 2 {
		t.Fatalf("history has %d events after one reply delivered four times; want 2", len(evs))
	}
}

// TestSlackOutage: Slack answers 500 for a while, then 429 with
// Retry-After; nothing is lost, order is kept, and nothing is retried early.
func TestSlackOutage(t *testing.T) {
	h := newHarness(t, false)
	h.fake.Fail("*", -1, http.StatusInternalServerError, 0)
	h.slash(sam, "finance one")
	h.slash(sam, "finance two")
	h.slash(sam, "finance three")
	h.deliverNow()
	if got := len(h.fake.Messages(finCh)); got != 0 {
		t.Fatalf("%d messages got through a full outage", got)
	}
	h.fake.Recover()
	h.fake.Fail("chat.postMessage", 1, http.StatusTooManyRequests, 30)
	h.clock.Advance(2 * time.Second) // past the first backoff
	h.deliverNow()                   // meets the 429
	calls := len(h.fake.CallsTo("chat.postMessage"))
	h.clock.Advance(29 * time.Second)
	h.deliverNow()
	if n := len(h.fake.CallsTo("chat.postMessage")); n != calls {
		t.Fatalf("retried %d times before Retry-After was up", n-calls)
	}
	for i := 0; i < 5; i++ { // pacing lets ~1 message per second per channel through
		h.clock.Advance(2 * time.Second)
		h.deliverNow()
	}
	msgs := h.fake.Messages(finCh)
	if len(msgs) != 3 {
		t.Fatalf("after recovery %d cards, want 3", len(msgs))
	}
	for i, want := range []string{"FIN-1", "FIN-2", "FIN-3"} {
		if !strings.Contains(string(msgs[i].Blocks), want) {
			t.Errorf("card %d is not %s: order lost", i, want)
		}
	}
}

func TestServeRefusesWithoutSecrets(t *testing.T) {
	code, _, errOut := run(t, "", "serve", "--db", t.TempDir()+"/x.db")
	if code == 0 || !strings.Contains(errOut, "SLACK_BOT_TOKEN") || !strings.Contains(errOut, "askdesk console") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestHealthz(t *testing.T) {
	h := newHarness(t, false)
	resp, err := http.Get(h.base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]any
	json.NewDecoder(resp.Body).Decode(&got)
	if resp.StatusCode != 200 || got["status"] != "ok" {
		t.Fatalf("healthz %d %v", resp.StatusCode, got)
	}
}

// TestServeRefusesTheExampleCompany: serve does not run the example company,
// built in or copied unchanged (as the container image ships it), and says
// how to give it a config; a config of one's own serves.
func TestServeRefusesTheExampleCompany(t *testing.T) {
	env := func(k string) string {
		return map[string]string{"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": testSecret}[k]
	}
	for _, args := range [][]string{
		{"serve", "--db", filepath.Join(t.TempDir(), "x.db")},
		{"serve", "--config", "../../config.example.toml", "--db", filepath.Join(t.TempDir(), "x.db")},
	} {
		var out, errOut bytes.Buffer
		code := Run(context.Background(), args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: env,
			StdinIsTerminal: func() bool { return false }})
		if code == 0 || !strings.Contains(errOut.String(), "is the example company") || !strings.Contains(errOut.String(), "--config") {
			t.Errorf("%v: exit %d: %s", args, code, errOut.String())
		}
	}
}
