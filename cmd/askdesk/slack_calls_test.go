package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// maxLifecycleCalls is issue 17's bound on the Web API calls of one
// request's life (filed, claimed, resolved, rated) for someone askdesk has
// met before.
const maxLifecycleCalls = 6

// stepCalls are the Web API calls the fake Slack recorded in one step of a
// lifecycle, by method; response_url POSTs (webhooks, outside the Web API
// and its tiers) are counted apart.
type stepCalls struct {
	step      string
	methods   map[string]int
	calls     int
	responses int
}

func (s stepCalls) String() string {
	return fmt.Sprintf("%s: %d %v (+%d response_url)", s.step, s.calls, s.methods, s.responses)
}

// lifecycle has sam file a request in Finance, frank claim and resolve it
// from its card, and sam rate it 4 from the rating prompt's button, and
// returns the calls each step made once delivered.
func (h *harness) lifecycle(text, id string) []stepCalls {
	h.t.Helper()
	var steps []stepCalls
	step := func(name string, do func()) {
		h.t.Helper()
		from := len(h.fake.Calls())
		do()
		h.deliverAll()
		h.srv.eventsIdle() // and what goes beside it
		s := stepCalls{step: name, methods: map[string]int{}}
		for _, c := range h.fake.Calls()[from:] {
			if c.Method == slacktest.ResponseURLMethod {
				s.responses++
				continue
			}
			s.methods[c.Method]++
			s.calls++
		}
		steps = append(steps, s)
	}
	step("filed", func() {
		if code, _ := h.slash(sam, "finance "+text); code != 200 {
			h.t.Fatalf("filing: HTTP %d", code)
		}
	})
	step("claimed", func() { h.press(frank, finCh, "askdesk:claim", id) })
	step("resolved", func() { h.press(frank, finCh, "askdesk:resolve", id) })
	step("rated", func() {
		n := len(h.fake.CallsTo(slacktest.ResponseURLMethod))
		h.press(sam, "D"+sam, "askdesk:rate4", id)
		ctx, cancel := context.WithTimeout(h.ctx, 10*time.Second)
		defer cancel()
		if _, err := h.fake.WaitCalls(ctx, slacktest.ResponseURLMethod, n+1); err != nil {
			h.t.Fatal(err)
		}
	})
	if r, _, err := h.srv.db.RatingOf(h.ctx, id, 0); err != nil || r.Score != 4 {
		h.t.Fatalf("%s: rating %+v (%v), want 4", id, r, err)
	}
	return steps
}

func total(steps []stepCalls) (calls int, byMethod map[string]int) {
	byMethod = map[string]int{}
	for _, s := range steps {
		calls += s.calls
		for m, n := range s.methods {
			byMethod[m] += n
		}
	}
	return calls, byMethod
}

// TestSlackLifecycleAtMostSixCallsForSomeoneSeenBefore: a request filed,
// claimed, resolved and rated by someone askdesk has met costs at most six
// Web API calls, with everything still done: the card posted and updated
// twice, the requester's DMs with the card's link and the rating prompt
// (five buttons, reacting rates too), the rating's thanks through the
// click's response_url.
func TestSlackLifecycleAtMostSixCallsForSomeoneSeenBefore(t *testing.T) {
	h := newHarness(t, false)
	first := h.lifecycle("first request: sam is new here", "FIN-1")
	steps := h.lifecycle("second request: sam is known", "FIN-2")
	calls, byMethod := total(steps)
	if calls > maxLifecycleCalls {
		t.Errorf("someone seen before: %d Web API calls, want at most %d:\n%s", calls, maxLifecycleCalls, steps)
	}
	for _, m := range []string{"conversations.open", "auth.test", "reactions.add", "chat.postEphemeral"} {
		if byMethod[m] != 0 {
			t.Errorf("someone seen before: %d %s calls, want none:\n%s", byMethod[m], m, steps)
		}
	}
	if steps[3].responses != 1 {
		t.Errorf("the rating's thanks: %d response_url posts, want 1", steps[3].responses)
	}
	// Nothing lost: the card went through its states, the requester had
	// both DMs in the request's thread, the second with the prompt.
	card, _ := h.offering(finCh, "askdesk:reopen", "FIN-2")
	if card.Updated != 2 {
		t.Errorf("FIN-2's card updated %d times, want 2 (claimed, resolved)", card.Updated)
	}
	var dms []string
	for _, m := range h.fake.Messages("D" + sam) {
		if strings.Contains(m.Text, "FIN-2") {
			dms = append(dms, m.Text)
		}
	}
	if len(dms) != 2 || !strings.Contains(dms[0], "Open FIN-2's card") || !strings.Contains(dms[1], "react with one of") {
		t.Errorf("sam's DMs about FIN-2:\n%s", strings.Join(dms, "\n---\n"))
	}
	// Meeting sam cost the DM channel's opening, this process's first
	// permalink, the workspace's URL, and (i18n) one users.info for sam's
	// Slack locale, so the DMs speak sam's language.
	if c, bm := total(first); bm["conversations.open"] != 1 || bm["auth.test"] != 1 || bm["users.info"] != 1 || c != calls+3 {
		t.Errorf("first lifecycle: %d calls, want %d with one conversations.open, one auth.test and one users.info:\n%s", c, calls+3, first)
	}
}

// TestSlackDMChannelOpenedOncePerPerson: the DM channel with a person is
// kept in the store, so a restarted askdesk (a new process) does not open
// it again; it asks auth.test for the workspace's URL once, and the
// lifecycle stays within six calls.
func TestSlackDMChannelOpenedOncePerPerson(t *testing.T) {
	var so serverOptions
	h := newHarness(t, false, func(o *serverOptions) { so = *o })
	h.lifecycle("before the restart", "FIN-1")
	if n := len(h.fake.CallsTo("conversations.open")); n != 1 {
		t.Fatalf("%d conversations.open calls before the restart, want 1", n)
	}
	if err := h.srv.Close(); err != nil {
		t.Fatal(err)
	}
	srv, err := startServer(h.ctx, so)
	if err != nil {
		t.Fatal(err)
	}
	h.srv, h.base = srv, "http://"+srv.Addr() // closed by the harness's cleanup
	h.fake.Reset()
	steps := h.lifecycle("after the restart", "FIN-2")
	calls, byMethod := total(steps)
	// The restarted process asks sam's Slack locale once more (users.info:
	// the locale cache is in memory).
	if byMethod["conversations.open"] != 0 || byMethod["auth.test"] != 1 || byMethod["users.info"] != 1 || calls > maxLifecycleCalls+1 {
		t.Errorf("after a restart: %d calls, want at most %d, none to conversations.open, one to auth.test and one to users.info:\n%s",
			calls, maxLifecycleCalls+1, steps)
	}
}
