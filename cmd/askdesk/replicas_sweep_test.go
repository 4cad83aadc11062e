package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
	"github.com/askdesk/askdesk/store/storetest"
)

// TestReplicasLeaderKilledMidSweep kills the leading replica of three in
// the middle of its reminder sweep; another takes the lead and makes the
// sweep up. Every reminder due must reach Slack exactly once: what Slack
// shows in the end is compared with a control run of the same scenario on
// a single replica (SQLite) that nobody killed.
//
// A sweep records all its reminders, and writes their messages to the
// outbox, in one transaction, so the kill comes: InItsTransaction (held up
// by a table lock the test holds; the kill rolls it back, and the new
// leader's sweep, with a second one overlapping it there, does it all);
// AfterCommit (as soon as its reminders are recorded, wherever the leader
// then is); or WhileDelivering (Slack has posted the first reminder
// message for the leader, which has not heard the answer). In the last the
// database cannot tell whether Slack got that message: the replica that
// takes it over finds it in doubt, looks for it in Slack by the outbox ID
// in its metadata, and finds it, so it too is posted once.
func TestReplicasLeaderKilledMidSweep(t *testing.T) {
	storetest.BaseURL(t) // skip without PostgreSQL before the control run
	// A sweep an hour apart never comes during the test: only the sweeps
	// made up on taking the lead run, and the ones the test calls.
	sched := config.ScheduleConfig{Sweep: "@every 1h"}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	ctl := newCluster(t, filepath.Join(t.TempDir(), "control.db"), 1, sched)
	sweepScenario(ctx, ctl)
	sweepUntilQuiet(ctx, ctl, ctl.reps[0])
	ctl.deliverAll(ctx)
	want := slackEffects(ctl.fake.Calls())
	wantSent := remindersSent(ctx, ctl)
	kinds := map[string]int{}
	for _, e := range want {
		kinds[e.kind]++
	}
	// Not a vacuous comparison: 200 cards, each redrawn for a breach or an
	// escalation of the last hour, a reminder to the queue and an
	// escalation to the lead.
	if kinds["card"] != 200 || kinds["redraw"] != 200 || kinds["message"] != 2 || len(wantSent) != 200 {
		t.Fatalf("control run: %v and %d reminder series recorded; want 200 cards, 200 redraws, 2 messages, 200 series", kinds, len(wantSent))
	}

	for _, mode := range []string{"InItsTransaction", "AfterCommit", "WhileDelivering"} {
		t.Run(mode, func(t *testing.T) {
			c := newCluster(t, "", 3, sched)
			sweepScenario(ctx, c)
			leader := c.waitLeader(ctx)
			var newLeader *replica
			if mode == "InItsTransaction" {
				// The sweep's transaction waits for the table, and so
				// does the new leader's, and a second sweep there, as of
				// a replica that still thinks it leads.
				tx, err := c.sql.BeginTx(ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				defer tx.Rollback()
				if _, err := tx.ExecContext(ctx, "LOCK TABLE reminders_sent IN SHARE MODE"); err != nil {
					t.Fatal(err)
				}
				leader.srv.sched.makeUp()
				c.waitLockWaiters(ctx, leader, 1)
				c.remove(leader)
				c.kill(ctx, leader)
				leader.srv.Wait()
				newLeader = c.waitLeader(ctx)
				swept := make(chan error, 1)
				go func() { _, err := newLeader.srv.desk.Sweep(ctx); swept <- err }()
				c.waitLockWaiters(ctx, newLeader, 2)
				if err := tx.Rollback(); err != nil {
					t.Fatal(err)
				}
				if err := <-swept; err != nil {
					t.Fatal(err)
				}
			} else {
				var held *heldCall
				if mode == "WhileDelivering" {
					held = leader.gate.hold(t, "chat.postMessage")
				}
				leader.srv.sched.makeUp()
				if held != nil {
					select {
					case <-held.answered:
					case <-ctx.Done():
						t.Fatalf("waiting for the leader to post a reminder: %v", ctx.Err())
					}
				} else {
					c.waitFor(ctx, "the sweep's reminders recorded", func() bool {
						return c.column(ctx, "SELECT count(*) FROM reminders_sent")[0] != "0"
					})
				}
				c.remove(leader)
				c.kill(ctx, leader)
				if held != nil {
					held.Release()
				}
				leader.srv.Wait()
				newLeader = c.waitLeader(ctx)
			}
			t.Logf("replica %d leads after replica %d was killed", newLeader.n, leader.n)
			sweepUntilQuiet(ctx, c, newLeader)
			passes := c.deliverAll(ctx)

			calls := c.fake.Calls()
			got := slackEffects(calls)
			repeats := compareEffects(t, got, want, calls, leader.token)
			if repeats != 0 {
				t.Errorf("%d messages repeated after the kill", repeats)
			}
			if sent := remindersSent(ctx, c); !slices.Equal(sent, wantSent) {
				t.Errorf("reminders recorded differ from the control run: %d series, want %d", len(sent), len(wantSent))
			}
			t.Logf("%d Slack effects, %d of them a repeat, the others as in the control run; %d delivery passes", len(got), repeats, passes)
		})
	}
}

// sweepScenario files 100 requests, and 100 more an hour later, delivers
// their cards, and sets the clock 5h15m after the first: the first batch
// is past its first-response warnings, breach (4h) and escalation (5h);
// the second is past its breach by 15 minutes. Breaches and escalations
// of the last hour redraw the cards. It files one at a time, so the IDs
// follow the text in every run.
func sweepScenario(ctx context.Context, c *cluster) {
	c.t.Helper()
	t0 := c.clock.Now()
	for b := range 2 {
		c.clock.Set(t0.Add(time.Duration(b) * time.Hour))
		c.ask(ctx, 100, 1, func(i int) string { return fmt.Sprintf("finance batch %d request %d", b, i) })
	}
	c.deliverAll(ctx)
	c.clock.Set(t0.Add(5*time.Hour + 15*time.Minute))
}

// remindersSent lists the reminder series recorded, with their levels, as
// "request series level", sorted.
func remindersSent(ctx context.Context, c *cluster) []string {
	c.t.Helper()
	sent := c.column(ctx, "SELECT request_id || ' ' || series || ' ' || level FROM reminders_sent")
	slices.Sort(sent)
	return sent
}

// sweepUntilQuiet sweeps on r until a sweep finds nothing new to send.
func sweepUntilQuiet(ctx context.Context, c *cluster, r *replica) {
	c.t.Helper()
	for range 5 {
		rep, err := r.srv.desk.Sweep(ctx)
		if err != nil {
			c.t.Fatal(err)
		}
		if rep.Reminders == 0 && rep.Messages == 0 {
			return
		}
	}
	c.t.Fatal("sweeps keep finding reminders to send")
}

// waitLockWaiters waits until n of r's sessions wait for a lock.
func (c *cluster) waitLockWaiters(ctx context.Context, r *replica, n int) {
	c.t.Helper()
	c.waitFor(ctx, fmt.Sprintf("%d sessions of replica %d waiting for a lock", n, r.n), func() bool {
		got, _ := strconv.Atoi(c.column(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE application_name = $1 AND wait_event_type = 'Lock'`, c.appName(r.n))[0])
		return got >= n
	})
}

// waitFor checks cond every millisecond until it holds.
func (c *cluster) waitFor(ctx context.Context, what string, cond func() bool) {
	c.t.Helper()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-tick.C:
		case <-ctx.Done():
			c.t.Fatalf("waiting for %s: %v", what, ctx.Err())
		}
	}
}

// slackEffect is one thing Slack carried out for the bot: a card posted or
// redrawn, or a message (a reminder, an escalation).
type slackEffect struct {
	kind string // "card", "redraw" or "message"
	key  string // the request for a card; destination and text for a message
	call int    // its index in the calls
}

func slackEffects(calls []slacktest.Call) []slackEffect {
	var out []slackEffect
	for i, call := range calls {
		if call.Status != http.StatusOK || call.Error != "" {
			continue
		}
		id := cardID(call.Params.Get("blocks"))
		switch {
		case call.Method == "chat.postMessage" && id != "":
			out = append(out, slackEffect{"card", id, i})
		case call.Method == "chat.update" && id != "":
			out = append(out, slackEffect{"redraw", id, i})
		case call.Method == "chat.postMessage":
			out = append(out, slackEffect{"message", call.Params.Get("channel") + ": " + call.Params.Get("text"), i})
		}
	}
	return out
}

// compareEffects checks that got has every effect of want as often, and
// no more, but for one repeat of the killed replica's last call: the
// call a kill can interrupt after Slack carried it out. It returns the
// number of repeats (0 or 1).
func compareEffects(t *testing.T, got, want []slackEffect, calls []slacktest.Call, killed string) (repeats int) {
	t.Helper()
	count := func(es []slackEffect) map[string][]int {
		m := map[string][]int{}
		for _, e := range es {
			k := e.kind + " " + e.key
			m[k] = append(m[k], e.call)
		}
		return m
	}
	g, w := count(got), count(want)
	last := lastCall(calls, killed)
	var keys []string
	for k := range g {
		keys = append(keys, k)
	}
	for k := range w {
		if _, ok := g[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		switch n := len(g[k]) - len(w[k]); {
		case n < 0:
			t.Errorf("%s: %d times, want %d", short(k), len(g[k]), len(w[k]))
		case n == 1 && g[k][0] == last:
			repeats++
			t.Logf("%s: repeated, the killed replica's last call (sent, not recorded)", short(k))
		case n > 0:
			var by []string
			for _, i := range g[k] {
				by = append(by, calls[i].Token)
			}
			t.Errorf("%s: %d times, want %d (by %v)", short(k), len(g[k]), len(w[k]), by)
		}
	}
	return repeats
}

// short cuts a long message down for a test log.
func short(s string) string {
	s = strings.ReplaceAll(s, "\n", " / ")
	if r := []rune(s); len(r) > 120 {
		return string(r[:120]) + "…"
	}
	return s
}
