package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// Hostile input that the security cases type into every field.
const (
	evilMarkup = "<!channel> <!here> <@U0ADA0001> <http://evil.example|payroll> <!subteam^S123>"
	evilSQL    = "'; DROP TABLE requests;--"
)

// liveMarkup is what must never come out unescaped from user input: a
// broadcast, a mention of the admin typed by someone else, a link.
var liveMarkup = []string{"<!channel>", "<!here>", "<@U0ADA0001>", "<http://evil", "<!subteam"}

// TestSecurity: forged, replayed, stale and oversized requests are refused
// before anything is read; Slack markup typed by users never comes out
// live; people without the right are refused, told ephemerally and change
// nothing; SQL in any field is stored as text; secrets never reach the log.
func TestSecurity(t *testing.T) {
	// Slow beside the rest (real-time waits, many servers): it runs beside
	// the other tests marked so.
	t.Parallel()
	for _, tc := range []struct {
		name string
		own  bool // run starts its own harnesses
		run  func(t *testing.T, h *harness)
	}{
		{"ForgedSignature", false, func(t *testing.T, h *harness) {
			body := []byte(slashForm(t, sam, "finance forged").Encode())
			for _, path := range []string{"/slack/commands", "/slack/interactions", "/slack/events"} {
				wantCode(t, path, http.StatusUnauthorized)(h.send(path, body, "not-the-secret", time.Now(), nil))
				// The right secret over another body.
				wantCode(t, path+" other body", http.StatusUnauthorized)(h.send(path, body, "", time.Now(),
					signedHeader(testSecret, time.Now(), []byte("text=finance+something+else"))))
			}
			wantRows(t, h, 0)
		}},
		{"Replay", false, func(t *testing.T, h *harness) {
			// The verifier reads the real clock, so the request is signed as
			// if captured six minutes ago: resending it then is refused, though
			// its signature is Slack's own.
			body := []byte(slashForm(t, sam, "finance replayed").Encode())
			captured := time.Now().Add(-6 * time.Minute)
			hdr := signedHeader(testSecret, captured, body)
			wantCode(t, "replay", http.StatusUnauthorized)(h.send("/slack/commands", body, "", time.Time{}, hdr))
			// Fresh, it is taken once; the stale copy still is not.
			wantCode(t, "fresh", http.StatusOK)(h.slash(sam, "finance replayed"))
			wantCode(t, "replay after", http.StatusUnauthorized)(h.send("/slack/commands", body, "", time.Time{}, hdr))
			// A request captured and resent within the five minutes carries
			// a valid signature: it is refused as seen before.
			now := time.Now()
			fresh := []byte(slashForm(t, sam, "finance captured in transit").Encode())
			live := signedHeader(testSecret, now, fresh)
			wantCode(t, "original", http.StatusOK)(h.send("/slack/commands", fresh, "", time.Time{}, live))
			wantCode(t, "replay within the window", http.StatusUnauthorized)(h.send("/slack/commands", fresh, "", time.Time{}, live))
			wantRows(t, h, 2)
		}},
		{"StaleAndFutureTimestamps", false, func(t *testing.T, h *harness) {
			body := []byte(slashForm(t, sam, "finance late").Encode())
			for _, skew := range []time.Duration{-6 * time.Minute, 6 * time.Minute, -24 * time.Hour, 365 * 24 * time.Hour} {
				for _, path := range []string{"/slack/commands", "/slack/interactions", "/slack/events"} {
					wantCode(t, fmt.Sprintf("%s %v", path, skew), http.StatusUnauthorized)(h.send(path, body, testSecret, time.Now().Add(skew), nil))
				}
			}
			wantRows(t, h, 0)
		}},
		{"MissingHeaders", false, func(t *testing.T, h *harness) {
			body := []byte(slashForm(t, sam, "finance unsigned").Encode())
			full := signedHeader(testSecret, time.Now(), body)
			for name, hdr := range map[string]http.Header{
				"None":           nil,
				"NoTimestamp":    {slacktest.HeaderSignature: full[slacktest.HeaderSignature]},
				"NoSignature":    {slacktest.HeaderTimestamp: full[slacktest.HeaderTimestamp]},
				"EmptyValues":    {slacktest.HeaderTimestamp: {""}, slacktest.HeaderSignature: {""}},
				"BareHex":        {slacktest.HeaderTimestamp: full[slacktest.HeaderTimestamp], slacktest.HeaderSignature: {strings.TrimPrefix(full.Get(slacktest.HeaderSignature), "v0=")}},
				"OtherVersion":   {slacktest.HeaderTimestamp: full[slacktest.HeaderTimestamp], slacktest.HeaderSignature: {"v1=" + strings.TrimPrefix(full.Get(slacktest.HeaderSignature), "v0=")}},
				"TimestampFloat": {slacktest.HeaderTimestamp: {full.Get(slacktest.HeaderTimestamp) + ".0"}, slacktest.HeaderSignature: full[slacktest.HeaderSignature]},
			} {
				wantCode(t, name, http.StatusUnauthorized)(h.send("/slack/commands", body, "", time.Time{}, hdr))
			}
			wantRows(t, h, 0)
		}},
		{"OversizedBody", false, func(t *testing.T, h *harness) {
			big := []byte("text=finance+" + strings.Repeat("a", 2<<20))
			for _, path := range []string{"/slack/commands", "/slack/interactions", "/slack/events"} {
				wantCode(t, path, http.StatusRequestEntityTooLarge)(h.signed(path, big))
				// Unsigned, it is refused before its body is read.
				wantCode(t, path+" unsigned", http.StatusUnauthorized)(h.send(path, big, "", time.Time{}, nil))
			}
			wantRows(t, h, 0)
		}},
		{"MarkupInjection", false, func(t *testing.T, h *harness) {
			_, ack := h.slash(sam, "finance "+evilMarkup)
			checkNoLiveMarkup(t, "slash ack", ack)
			_, ack = h.slash(sam, evilMarkup+" as a department")
			checkNoLiveMarkup(t, "unknown department ack", ack)
			_, ack = h.forgedSubmission(sam, "askdesk:file", "", fileModalValues(evilMarkup, "normal", evilMarkup))
			checkNoLiveMarkup(t, "modal refusal", ack)
			if code, ack := h.forgedSubmission(sam, "askdesk:file", "", fileModalValues("finance", "urgent", "modal "+evilMarkup)); code != http.StatusOK || ack != "" {
				t.Fatalf("modal with markup refused: %d %s", code, ack)
			}
			h.deliver()
			h.resolveAndRate("FIN-2", 2)
			if code, ack := h.forgedSubmission(sam, "askdesk:comment", "FIN-2", map[string]string{"askdesk:file:text": "comment " + evilMarkup}); code != http.StatusOK || ack != "" {
				t.Fatalf("comment refused: %d %s", code, ack)
			}
			if rt, _, err := h.srv.db.RatingOf(h.ctx, "FIN-2", 0); err != nil || rt.Comment != "comment "+evilMarkup {
				t.Fatalf("comment not stored verbatim: %+v %v", rt, err)
			}
			for _, id := range []string{"FIN-1", "FIN-2"} {
				if r, err := h.srv.db.Request(h.ctx, id); err != nil || !strings.Contains(r.Text, evilMarkup) {
					t.Fatalf("%s not stored verbatim: %+v %v", id, r, err)
				}
			}
			checkFakeSlack(t, h)
		}},
		{"Unauthorised", false, func(t *testing.T, h *harness) {
			_, filed := h.slash(sam, "finance numbers")
			h.slash(sam, "finance more numbers")
			h.deliver()
			h.resolveAndRate("FIN-2", 0)
			// What only Sam is shown: his /ask reply with FIN-1's Cancel,
			// and FIN-2's rating prompt in his DM.
			reply := h.reply(sam, filed)
			prompt, _ := h.offering("D"+sam, "askdesk:rate1", "FIN-2")
			ephemerals, responses := 0, len(h.fake.CallsTo(slacktest.ResponseURLMethod))
			for _, c := range []struct {
				name, user, action, id, want string
				// forgedFrom, when set, is what the element was shown in,
				// to Sam alone: the payload is his press with user in his
				// place, which Slack never sends. Otherwise user presses
				// the card in the queue channel, which everyone there sees.
				forgedFrom *slacktest.Shown
			}{
				{"ClaimByOutsider", tina, "askdesk:claim", "FIN-1", "You can't claim FIN-1", nil},
				{"ResolveByOutsider", tina, "askdesk:resolve", "FIN-1", "You can't resolve FIN-1", nil},
				{"ReopenByStaff", frank, "askdesk:reopen", "FIN-2", "only the person who filed it", nil},
				{"ForgedCancelByStaff", frank, "askdesk:cancel", "FIN-1", "only the person who filed it", &reply},
				{"ForgedCancelByOutsider", tina, "askdesk:cancel", "FIN-1", "only the person who filed it", &reply},
				{"ForgedRateByStaff", fiona, "askdesk:rate5", "FIN-2", "Only the person who filed FIN-2 can rate it", ptr(prompt.Shown())},
				{"ForgedRateByOutsider", tina, "askdesk:rate1", "FIN-2", "Only the person who filed FIN-2 can rate it", ptr(prompt.Shown())},
			} {
				t.Run(c.name, func(t *testing.T) {
					before := h.snapshot()
					channel := finCh
					if c.forgedFrom != nil {
						channel = c.forgedFrom.Channel
						wantCode(t, "forged click", http.StatusOK)(h.forgedPress(c.user, sam, *c.forgedFrom, slacktest.Pick{ActionID: c.action}))
					} else {
						wantCode(t, "click", http.StatusOK)(h.press(c.user, finCh, c.action, c.id))
					}
					if strings.HasPrefix(c.action, "askdesk:rate") {
						// A rating click is answered through its
						// response_url: to the clicker alone.
						responses++
						calls, err := h.fake.WaitCalls(waitCtx(t), slacktest.ResponseURLMethod, responses)
						if err != nil {
							t.Fatal(err)
						}
						last := calls[len(calls)-1].Params
						if last.Get("response_type") != "ephemeral" || last.Get("replace_original") != "false" || !strings.Contains(last.Get("text"), c.want) {
							t.Fatalf("refusal: %v, want %q to the clicker alone", last, c.want)
						}
					} else {
						ephemerals++
						calls, err := h.fake.WaitCalls(waitCtx(t), "chat.postEphemeral", ephemerals)
						if err != nil {
							t.Fatal(err)
						}
						last := calls[len(calls)-1].Params
						if last.Get("user") != c.user || last.Get("channel") != channel || !strings.Contains(last.Get("text"), c.want) {
							t.Fatalf("refusal: %v, want %q to %s in %s", last, c.want, c.user, channel)
						}
					}
					h.deliver()
					if after := h.snapshot(); after != before {
						t.Fatalf("a refused %s changed the store: %+v, was %+v", c.action, after, before)
					}
				})
			}
			for _, c := range []struct{ name, user, line, want string }{
				{"StatusByStranger", tina, "status FIN-1", "FIN-1 is not yours to see"},
				{"CancelByStranger", tina, "cancel FIN-1", "only the person who filed it"},
				{"QueueByStranger", tina, "queue finance", "Only Finance's members and leads"},
			} {
				t.Run(c.name, func(t *testing.T) {
					before := h.snapshot()
					code, ack := h.slash(c.user, c.line)
					var msg struct {
						ResponseType string `json:"response_type"`
						Text         string `json:"text"`
					}
					if err := json.Unmarshal([]byte(ack), &msg); code != http.StatusOK || err != nil ||
						msg.ResponseType != "ephemeral" || !strings.Contains(msg.Text, c.want) {
						t.Fatalf("%q by %s: %d %s, want an ephemeral %q", c.line, c.user, code, ack, c.want)
					}
					h.deliver()
					if after := h.snapshot(); after != before {
						t.Fatalf("%q changed the store: %+v, was %+v", c.line, after, before)
					}
				})
			}
		}},
		{"SQLMetacharacters", false, func(t *testing.T, h *harness) {
			h.fake.AddUser("U0EVIL001", evilSQL, evilSQL, "America/Chicago")
			h.fake.AddMessage("C0GENERAL", "1764000000.000900", "U0EVIL001", "from "+evilSQL)
			wantCode(t, "text", http.StatusOK)(h.slash(sam, "finance "+evilSQL))
			// Naming no department, it is routed: kept as a pending filing
			// and quoted back, nothing filed.
			_, ack := h.slash(sam, evilSQL+" dept")
			if !strings.Contains(ack, "You didn't name a department") || !strings.Contains(ack, `DROP TABLE requests;-- dept`) {
				t.Fatalf("department %q: %s", evilSQL, ack)
			}
			form := slashForm(t, sam, "finance from "+evilSQL)
			form.Set("user_name", evilSQL)
			form.Set("channel_name", evilSQL)
			wantCode(t, "user name", http.StatusOK)(h.signed("/slack/commands", []byte(form.Encode())))
			_, ack = h.forgedSubmission(sam, "askdesk:file", "", fileModalValues(evilSQL, evilSQL, "x"))
			if !strings.Contains(ack, `"response_action":"errors"`) {
				t.Fatalf("modal with SQL in the selects: %s", ack)
			}
			meta := `{"c":"C0GENERAL","t":"1764000000.000900","a":"U0EVIL001"}`
			if code, ack := h.forgedSubmission(sam, "askdesk:file", meta, fileModalValues("finance", "low", evilSQL)); code != http.StatusOK || ack != "" {
				t.Fatalf("shortcut modal: %d %s", code, ack)
			}
			h.deliver()
			h.resolveAndRate("FIN-3", 3)
			if code, ack := h.forgedSubmission(sam, "askdesk:comment", "FIN-3", map[string]string{"askdesk:file:text": evilSQL}); code != http.StatusOK || ack != "" {
				t.Fatalf("comment: %d %s", code, ack)
			}
			_, ack = h.forgedSubmission(sam, "askdesk:comment", evilSQL, map[string]string{"askdesk:file:text": evilSQL})
			if !strings.Contains(ack, "errors") {
				t.Fatalf("comment on request %q: %s", evilSQL, ack)
			}
			h.signed("/slack/events", eventBody(t, "", map[string]any{
				"type": "message", "channel": "D" + sam, "user": sam, "text": evilSQL,
				"ts": "1764000200.000300", "thread_ts": evilSQL, "channel_type": "im"}))
			h.srv.eventsIdle()

			versions := 0
			for id, want := range map[string]string{"FIN-1": evilSQL, "FIN-2": "from " + evilSQL, "FIN-3": evilSQL + "\n\nFrom a message by " + evilSQL + ": "} {
				r, err := h.srv.db.Request(h.ctx, id)
				if err != nil || r.Text != want && !strings.HasPrefix(r.Text, want) {
					t.Fatalf("%s: %+v %v, want text %q", id, r, err, want)
				}
				versions += r.Version
			}
			if rt, _, err := h.srv.db.RatingOf(h.ctx, "FIN-3", 0); err != nil || rt.Comment != evilSQL {
				t.Fatalf("comment: %+v %v", rt, err)
			}
			wantRows(t, h, 3) // and every table is still there to count
			if n := h.count("events"); n != versions {
				t.Fatalf("%d events for requests at versions adding up to %d", n, versions)
			}
		}},
		{"SecretsNeverLogged", true, func(t *testing.T, _ *harness) {
			var out lockedBuffer
			logTo := func(o *serverOptions) { o.Log = newLogger(&out, config.LogConfig{Level: "debug"}) }
			h := newHarness(t, false, logTo)
			h.fake.FailWith("*", -1, "invalid_auth")
			h.slash(sam, "finance numbers")
			h.slash(sam, "") // views.open refused: the help instead
			h.deliverErr()   // the token is refused
			h.fake.Recover()
			h.deliver() // FIN-1's card is posted
			h.fake.Fail("*", -1, http.StatusInternalServerError, 0)
			h.press(tina, finCh, "askdesk:claim", "FIN-1") // the refusal cannot be sent
			h.srv.eventsIdle()
			h.slash(sam, "finance more numbers")
			h.deliverErr() // nor FIN-2's card
			h.send("/slack/commands", []byte("text=x"), "not-the-secret", time.Now(), nil)
			h.fake.Recover()
			h.deliver()
			h.deliver()

			sock := newHarness(t, true, logTo, func(o *serverOptions) {
				// Reconnect at once: the pace after a refusal has its own test.
				o.ReconnectWait = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
			})
			ctx := waitCtx(t)
			if err := sock.fake.WaitSocketConnections(ctx, 1); err != nil {
				t.Fatal(err)
			}
			sock.fake.FailWith("apps.connections.open", 1, "invalid_auth")
			sock.fake.DropConnection()
			if err := sock.fake.WaitSocketConnections(ctx, 2); err != nil {
				t.Fatal(err)
			}
			if _, err := sock.fake.WaitCalls(ctx, "apps.connections.open", 3); err != nil {
				t.Fatal(err)
			}
			got := out.String()
			for _, want := range []string{"invalid_auth", "500", "rejected unsigned or forged request"} {
				if !strings.Contains(got, want) {
					t.Errorf("the failures were not logged: no %q in\n%s", want, got)
				}
			}
			for _, secret := range []string{"xoxb-test", testSecret, "xapp-test"} {
				if strings.Contains(got, secret) {
					t.Errorf("the log shows the secret %q:\n%s", secret, got)
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h *harness
			if !tc.own {
				h = newHarness(t, false)
			}
			tc.run(t, h)
		})
	}
}

// wantCode returns a check of a (status, body) pair against want.
func wantCode(t *testing.T, what string, want int) func(int, string) {
	t.Helper()
	return func(code int, body string) {
		t.Helper()
		if code != want {
			t.Errorf("%s: %d %s, want %d", what, code, body, want)
		}
	}
}

// wantRows fails unless exactly n requests are stored and nothing was
// recorded for a rejected call.
func wantRows(t *testing.T, h *harness, n int) {
	t.Helper()
	if got := h.count("requests"); got != n {
		t.Fatalf("%d requests stored, want %d", got, n)
	}
	if n == 0 {
		for _, table := range []string{"events", "outbox", "slack_seen"} {
			if got := h.count(table); got != 0 {
				t.Fatalf("%d %s rows from rejected calls", got, table)
			}
		}
	}
}

// signedHeader returns the signature headers Slack would send for body at ts.
func signedHeader(secret string, ts time.Time, body []byte) http.Header {
	hts, sig := slacktest.Sign(secret, ts, body)
	return http.Header{slacktest.HeaderTimestamp: {hts}, slacktest.HeaderSignature: {sig}}
}

// checkNoLiveMarkup fails when the mrkdwn in s carries one of liveMarkup.
func checkNoLiveMarkup(t *testing.T, what, s string) {
	t.Helper()
	for _, str := range mrkdwnStrings(s) {
		for _, bad := range liveMarkup {
			if strings.Contains(str, bad) {
				t.Errorf("%s carries %q: %s", what, bad, str)
			}
		}
	}
}

// mrkdwnStrings returns the text Slack reads as mrkdwn in s: s itself, or,
// when s is a JSON object or array (an ack, a blocks parameter), decoded,
// its top-level "text" and the text of every mrkdwn text object. Plain
// text objects (headers, buttons, options, modal errors) are shown as
// typed, and JSON writes "<" as \u003c, so neither is searched raw.
func mrkdwnStrings(s string) []string {
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return []string{s}
	}
	var out []string
	var walk func(v any, top bool)
	walk = func(v any, top bool) {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				walk(e, false)
			}
		case map[string]any:
			text, isText := v["text"].(string)
			switch v["type"] {
			case "plain_text":
				return
			case "mrkdwn":
				out = append(out, text)
			default:
				if top && isText {
					out = append(out, text)
				}
			}
			for _, e := range v {
				walk(e, false)
			}
		}
	}
	walk(v, true)
	return out
}

// checkFakeSlack checks every message in the fake Slack, and every call
// that posted or updated one, for live markup. The queue channel and the
// requester's DM must each show the markup escaped.
func checkFakeSlack(t *testing.T, h *harness) {
	t.Helper()
	for _, ch := range []string{finCh, "C0ITHELP1", "D" + sam, "D" + fiona, "D" + frank, "D" + tina, "D" + "U0ADA0001"} {
		escaped := false
		for _, m := range h.fake.Messages(ch) {
			checkNoLiveMarkup(t, "message in "+ch, m.Text)
			checkNoLiveMarkup(t, "blocks in "+ch, string(m.Blocks))
			escaped = escaped || strings.Contains(m.Text, "&lt;!channel&gt;")
		}
		if !escaped && (ch == finCh || ch == "D"+sam) {
			t.Errorf("no message in %s shows the markup escaped: %+v", ch, h.fake.Messages(ch))
		}
	}
	for _, c := range h.fake.Calls() {
		switch c.Method {
		case "chat.postMessage", "chat.update", "chat.postEphemeral", "views.open", "views.update":
			for k, vs := range c.Params {
				for _, v := range vs {
					checkNoLiveMarkup(t, c.Method+" "+k, v)
				}
			}
		}
	}
}

// fileModalValues is the state of the intake modal.
func fileModalValues(dept, priority, text string) map[string]string {
	return map[string]string{"askdesk:file:dept": dept, "askdesk:file:priority": priority, "askdesk:file:text": text}
}

// forgedSubmission sends, signed, a view_submission for a modal with
// callbackID as user, built by hand: values maps each block_id (which is
// also its action_id) to a typed value or, for the department and priority
// blocks, to a chosen option, whether or not the form offers it. Slack never
// sends such a payload (a person can only submit a view askdesk opened, with
// its options: see slacktest.ViewSubmission); it is for tests whose point is
// that askdesk checks what a forged submission carries by itself.
func (h *harness) forgedSubmission(user, callbackID, meta string, values map[string]string) (int, string) {
	h.t.Helper()
	state := map[string]any{}
	for block, v := range values {
		el := map[string]any{"type": "plain_text_input", "value": v}
		if block == "askdesk:file:dept" || block == "askdesk:file:priority" {
			el = map[string]any{"type": "static_select", "selected_option": map[string]any{"value": v,
				"text": map[string]any{"type": "plain_text", "text": v}}}
		}
		state[block] = map[string]any{block: el}
	}
	b, err := json.Marshal(map[string]any{"type": "view_submission", "user": map[string]any{"id": user},
		"view": map[string]any{"id": "V1", "type": "modal", "callback_id": callbackID, "private_metadata": meta,
			"state": map[string]any{"values": state}}})
	if err != nil {
		h.t.Fatal(err)
	}
	return h.signed("/slack/interactions", []byte("payload="+urlQueryEscape(string(b))))
}

// resolveAndRate has Frank claim and resolve id from its card, and its
// requester Sam rate it score (0: not at all) from the prompt in his DM.
func (h *harness) resolveAndRate(id string, score int) {
	h.t.Helper()
	h.press(frank, finCh, "askdesk:claim", id)
	h.press(frank, finCh, "askdesk:resolve", id)
	h.deliver()
	h.deliver()
	if score > 0 {
		h.press(sam, "D"+sam, fmt.Sprintf("askdesk:rate%d", score), id)
		if rt, _, err := h.srv.db.RatingOf(h.ctx, id, 0); err != nil || rt.Score != score {
			h.t.Fatalf("rating %s: %+v %v", id, rt, err)
		}
	}
}

// storeState is what a refused act must leave as it was.
type storeState struct {
	requests, events, outbox, posts int
	fin1, fin2                      string // state, assignee, version and score
}

func (h *harness) snapshot() storeState {
	h.t.Helper()
	s := storeState{requests: h.count("requests"), events: h.count("events"), outbox: h.count("outbox"), posts: h.count("slack_posts")}
	for _, p := range []struct {
		id  string
		dst *string
	}{{"FIN-1", &s.fin1}, {"FIN-2", &s.fin2}} {
		r, err := h.srv.db.Request(h.ctx, p.id)
		if err != nil {
			continue
		}
		rt, _, err := h.srv.db.RatingOf(h.ctx, p.id, 0)
		if err != nil {
			h.t.Fatal(err)
		}
		*p.dst = fmt.Sprintf("%s/%s/v%d/%d", r.State, r.Assignee, r.Version, rt.Score)
	}
	return s
}

// deliverErr runs the outbox once while Slack fails; the error is expected.
func (h *harness) deliverErr() {
	h.clock.Advance(3 * time.Second)
	_, _ = h.srv.desk.Deliver(h.ctx)
}

// forgedPress sends, signed, the payload of rightful pressing pick in on
// with forger in their place. Slack never sends it: on was shown to
// rightful alone, so only a forger (or a Slack bug) could. It is for tests
// whose point is that the desk checks who acts by itself.
func (h *harness) forgedPress(forger, rightful string, on slacktest.Shown, pick slacktest.Pick) (int, string) {
	h.t.Helper()
	var p map[string]any
	if err := json.Unmarshal(h.pressPayload(rightful, on, pick), &p); err != nil {
		h.t.Fatal(err)
	}
	p["user"] = map[string]any{"id": forger, "team_id": slacktest.TeamID}
	b, err := json.Marshal(p)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.signed("/slack/interactions", slacktest.InteractionBody(b))
}

func ptr[T any](v T) *T { return &v }
