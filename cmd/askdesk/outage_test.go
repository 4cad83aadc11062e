package main

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// Slack's per-channel pace, as bot/slackapp/pace.go keeps it.
const (
	paceBurst = 3
	paceRate  = 1.0 // messages per second
)

// timedCall is a post or update to a channel, at the desk's clock time.
type timedCall struct {
	slacktest.Call
	channel string // ID
	at      time.Time
}

// callClock attributes the fake's calls to the harness clock. Every /ask
// and click also wakes a background delivery pass; a step runs the outbox
// after any pass in progress (one runs at a time), and a pass that starts
// later finds nothing due until the clock moves, so every post and update
// a step sees was paced at the step's time.
type callClock struct {
	h     *harness
	seen  int
	calls []timedCall
}

// step advances the clock by d, runs the outbox and records its calls.
func (c *callClock) step(d time.Duration) {
	c.h.clock.Advance(d)
	c.h.deliverNow()
	names := map[string]string{"#finance-requests": finCh}
	all := c.h.fake.Calls()
	for _, call := range all[c.seen:] {
		if call.Method != "chat.postMessage" && call.Method != "chat.update" {
			continue
		}
		ch := call.Params.Get("channel")
		if id, ok := names[ch]; ok {
			ch = id
		}
		c.calls = append(c.calls, timedCall{Call: call, channel: ch, at: c.h.clock.Now()})
	}
	c.seen = len(all)
}

// TestSlackOutagePacedInOrder: Slack answers chat.postMessage and
// chat.update with 500 for ten seconds, then 429 with Retry-After, then
// recovers, while requests keep coming. Nothing is lost or doubled, each
// channel's cards are in filing order, the claim made during the outage
// reaches its card, no call to a channel comes before its Retry-After, and
// the backlog leaves at Slack's pace: within any span of time a channel
// gets at most burst + rate × span calls.
func TestSlackOutagePacedInOrder(t *testing.T) {
	h := newHarness(t, false)
	c := &callClock{h: h}
	file := func(text, want string) {
		t.Helper()
		if code, body := h.slash(sam, text); code != http.StatusOK || filedID(body) != want {
			t.Fatalf("/ask %s: %d %s; want %s filed", text, code, body, want)
		}
		c.step(0)
	}
	file("finance before the outage", "FIN-1")
	file("it before the outage", "IT-1")
	if got := len(h.fake.Messages(finCh)) + len(h.fake.Messages("C0ITHELP1")); got != 2 {
		t.Fatalf("%d cards before the outage, want 2", got)
	}

	const outage = 10 * time.Second
	h.fake.Fail("chat.postMessage", -1, http.StatusInternalServerError, 0)
	h.fake.Fail("chat.update", -1, http.StatusInternalServerError, 0)
	if code, _ := h.press(frank, finCh, "askdesk:claim", "FIN-1"); code != http.StatusOK {
		t.Fatalf("claim: %d", code)
	}
	c.step(0)
	for i := 2; i <= 7; i++ {
		file("finance during the outage "+strconv.Itoa(i), "FIN-"+strconv.Itoa(i))
		if i <= 4 {
			file("it during the outage "+strconv.Itoa(i), "IT-"+strconv.Itoa(i))
		}
		c.step(250 * time.Millisecond)
	}
	for h.clock.Now().Before(time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC).Add(outage)) {
		c.step(250 * time.Millisecond)
	}
	if got := len(h.fake.Messages(finCh)) + len(h.fake.Messages("C0ITHELP1")); got != 2 {
		t.Fatalf("%d cards got through the outage", got)
	}

	const retryAfter = 5
	h.fake.Recover()
	h.fake.Fail("chat.postMessage", 3, http.StatusTooManyRequests, retryAfter)
	h.fake.Fail("chat.update", 1, http.StatusTooManyRequests, retryAfter)
	for i := 0; ; i++ {
		c.step(250 * time.Millisecond)
		pending, _, err := h.srv.db.OutboxStats(h.ctx, h.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			break
		}
		if i == 400 {
			t.Fatalf("%d messages still in the outbox 100s after the outage", pending)
		}
	}

	// Nothing lost or doubled, and in filing order per channel.
	for ch, want := range map[string][]string{
		finCh:       {"FIN-1", "FIN-2", "FIN-3", "FIN-4", "FIN-5", "FIN-6", "FIN-7"},
		"C0ITHELP1": {"IT-1", "IT-2", "IT-3", "IT-4"},
	} {
		var got []string
		for _, m := range h.fake.Messages(ch) {
			if id := cardID(string(m.Blocks)); id != "" {
				got = append(got, id)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("cards in %s: %v, want %v", ch, got, want)
		}
	}
	if m := h.fake.Messages(finCh); len(m) == 0 || !strings.Contains(string(m[0].Blocks), `claimed by \u003c@`+frank) {
		t.Errorf("FIN-1's card does not show the claim made during the outage")
	}
	if dm := h.fake.Messages("D" + sam); len(dm) != 1 || !strings.Contains(dm[0].Text, "is on") {
		t.Errorf("requester's DMs after the outage: %+v", dm)
	}
	if n := queryStrings(t, h.dbPath, "SELECT count(*) FROM outbox WHERE sent_at IS NULL"); n[0] != "0" {
		t.Errorf("%s messages set aside as undeliverable", n[0])
	}

	byChannel := map[string][]timedCall{}
	statuses := map[int]int{}
	for _, tc := range c.calls {
		byChannel[tc.channel] = append(byChannel[tc.channel], tc)
		statuses[tc.Status]++
	}
	if statuses[http.StatusInternalServerError] == 0 || statuses[http.StatusTooManyRequests] != 4 {
		t.Fatalf("calls by status %v: the outage did not happen as staged", statuses)
	}
	for ch, calls := range byChannel {
		for i, a := range calls {
			if a.Status == http.StatusTooManyRequests && i+1 < len(calls) {
				if next := calls[i+1].at; next.Sub(a.at) < retryAfter*time.Second {
					t.Errorf("%s: called again %v after a 429 with Retry-After %ds", ch, next.Sub(a.at), retryAfter)
				}
			}
			for j := i + 1; j < len(calls); j++ {
				span := calls[j].at.Sub(a.at)
				if n := j - i + 1; float64(n) > paceBurst+paceRate*span.Seconds() {
					t.Errorf("%s: %d calls within %v, over Slack's pace (burst %d, %g/s)", ch, n, span, paceBurst, paceRate)
				}
			}
		}
	}
	t.Logf("calls by status %v over %v of clock time", statuses, h.clock.Now().Sub(c.calls[0].at))
}
