package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestReplicaRestartMidDelivery delivers 300 pending cards from three
// replicas and, in the middle, stops one as SIGTERM does and starts it
// again on the same database, then kills another as if its process died,
// and starts that again too. Each stop comes at the worst moment: Slack has
// posted a card for the replica, which has not heard the answer yet.
//
// What is guaranteed, and checked: no card is lost, and none is posted
// twice. After a graceful stop the post in flight is recorded before the
// replica stops. After the kill the database cannot tell whether Slack got
// the interrupted post: the replica that claims the card once the killed
// one's lease has run out finds it in doubt, looks in the channel for a
// post carrying the card's outbox ID in its metadata, finds the killed
// replica's, and records that one instead of posting again.
func TestReplicaRestartMidDelivery(t *testing.T) {
	c := newCluster(t, "", 3, config.ScheduleConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	const n = 300
	acked := c.ask(ctx, n, 16, func(i int) string { return fmt.Sprintf("finance card %d waiting for delivery", i) })
	if t.Failed() {
		t.FailNow()
	}

	// Stop replica 2 gracefully once 60 cards are out, kill replica 3
	// once 120 are, each as it next posts a card.
	plan := []struct {
		after    int
		n        int
		graceful bool
	}{{60, 2, true}, {120, 3, false}}
	var victim *replica
	var held *heldCall
	var stoppedToken, killedToken, killedCard string
	passes, waited := 0, 0
	for ; ; passes++ {
		pending := c.pending(ctx)
		if len(plan) == 0 && pending == 0 {
			break
		}
		if pending == 0 {
			t.Fatalf("outbox empty before replica %d was stopped", plan[0].n)
		}
		if held == nil && len(plan) > 0 && len(c.fake.Messages(finCh)) >= plan[0].after {
			for _, r := range c.reps {
				if r.n == plan[0].n {
					victim = r
				}
			}
			held, waited = victim.gate.hold(t, "chat.postMessage"), 0
		}
		reps := c.reps
		if held != nil && waited >= 10 {
			// The others won every card of ten passes: it delivers alone.
			reps = []*replica{victim}
		}
		p := c.startPass(passStep, reps)
		if held == nil {
			p.wait(ctx, c)
			continue
		}
		select {
		case <-p.done:
			p.wait(ctx, c)
			waited++
			continue
		case <-held.answered:
		case <-ctx.Done():
			t.Fatalf("waiting for replica %d to post: %v", victim.n, ctx.Err())
		}
		// Slack has posted the victim's card; the victim has not heard.
		calls := c.fake.Calls()
		card := cardID(calls[lastCall(calls, victim.token)].Params.Get("blocks"))
		c.remove(victim)
		if plan[0].graceful {
			stoppedToken = victim.token
			victim.stopDeliver() // as its delivery loop's context ends
			victim.srv.cancel()
			held.Release()
			if err := victim.srv.Wait(); err != nil {
				t.Errorf("replica %d stopped: %v", victim.n, err)
			}
		} else {
			killedToken, killedCard = victim.token, card
			c.kill(ctx, victim)
			held.Release()
			victim.srv.Wait() // its last writes fail: it is dead
		}
		t.Logf("replica %d (gen %d) stopped (graceful: %v) after %d cards, as Slack answered its post of %s",
			victim.n, victim.gen, plan[0].graceful, len(cardPosts(calls)), card)
		p.wait(ctx, c)
		c.reps = append(c.reps, c.start(victim.n))
		plan, victim, held = plan[1:], nil, nil
	}

	calls := c.fake.Calls()
	posts := cardPosts(calls)
	for _, id := range acked {
		ps := posts[id]
		switch {
		case len(ps) == 0:
			t.Errorf("%s: no card posted", id)
		case len(ps) == 1 && id == killedCard && ps[0] != lastCall(calls, killedToken):
			t.Errorf("%s: posted by %s, not by the killed replica it was held for", id, calls[ps[0]].Token)
		case len(ps) == 1:
		default:
			var by []string
			for _, i := range ps {
				by = append(by, calls[i].Token)
			}
			t.Errorf("%s: card posted %d times, by %v", id, len(ps), by)
		}
	}
	if len(posts) != n {
		t.Errorf("cards posted for %d requests, want %d", len(posts), n)
	}
	// A card whose post was sent but not recorded would be updated in
	// place when its claim runs out, if its ts was saved: also a repeat.
	for _, u := range c.fake.CallsTo("chat.update") {
		t.Errorf("card %s updated by %s: its post was not recorded as sent", cardID(u.Params.Get("blocks")), u.Token)
	}
	if dead := c.column(ctx, "SELECT id FROM outbox WHERE dead_at IS NOT NULL"); len(dead) > 0 {
		t.Errorf("outbox messages set aside as undeliverable: %v", dead)
	}
	// The interrupted card was found, not posted blind: its post is the
	// one recorded, so later changes update it in place.
	var lookups []string
	for _, call := range c.fake.CallsTo("conversations.history") {
		if call.Params.Get("include_all_metadata") == "1" {
			lookups = append(lookups, call.Token)
		}
	}
	if len(lookups) != 1 || lookups[0] == killedToken {
		t.Errorf("lookups of earlier posts by %v, want one, by another replica than the killed %s", lookups, killedToken)
	}
	var shown []string
	for _, m := range c.fake.Messages(finCh) {
		if cardID(string(m.Blocks)) == killedCard {
			shown = append(shown, m.TS)
		}
	}
	if saved := c.column(ctx, "SELECT ts FROM slack_posts WHERE kind = 'card' AND request_id = $1", killedCard); len(shown) != 1 || !slices.Equal(saved, shown) {
		t.Errorf("%s: in Slack at %v, recorded at %v; want one, the same", killedCard, shown, saved)
	}
	if doubt := c.column(ctx, "SELECT id FROM outbox WHERE claimed_at IS NOT NULL"); len(doubt) > 0 {
		t.Errorf("outbox messages still claimed with the outbox empty: %v", doubt)
	}
	byReplica := map[string]int{}
	for _, ps := range posts {
		for _, i := range ps {
			byReplica[calls[i].Token]++
		}
	}
	t.Logf("%d cards in %d passes, none repeated after the kill of %s (%s) or the graceful stop of %s; posts by replica: %v",
		len(posts), passes, killedToken, killedCard, stoppedToken, byReplica)
}

// slackGate stands between one replica and the fake Slack, so a test can
// hold the answer to a call after Slack has carried it out: the moment at
// which a process may die having posted, without knowing it.
type slackGate struct {
	url  string // the replica's Web API base
	mu   sync.Mutex
	trap *heldCall
}

// heldCall is a call to method whose answer is held until release.
type heldCall struct {
	method   string
	answered chan struct{} // closed once Slack has answered it
	release  chan struct{}
	once     sync.Once
}

func (h *heldCall) Release() { h.once.Do(func() { close(h.release) }) }

func newSlackGate(t *testing.T, fake *slacktest.Server) *slackGate {
	target, err := url.Parse(strings.TrimSuffix(fake.URL, "/api/"))
	if err != nil {
		t.Fatal(err)
	}
	g := &slackGate{}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = func(resp *http.Response) error {
		g.mu.Lock()
		h := g.trap
		if h != nil && resp.Request.URL.Path == "/api/"+h.method {
			g.trap = nil
		} else {
			h = nil
		}
		g.mu.Unlock()
		if h != nil {
			close(h.answered)
			<-h.release
		}
		return nil
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	g.url = srv.URL + "/api/"
	return g
}

// hold holds the answer to the next call to method.
func (g *slackGate) hold(t *testing.T, method string) *heldCall {
	h := &heldCall{method: method, answered: make(chan struct{}), release: make(chan struct{})}
	t.Cleanup(h.Release)
	g.mu.Lock()
	g.trap = h
	g.mu.Unlock()
	return h
}
