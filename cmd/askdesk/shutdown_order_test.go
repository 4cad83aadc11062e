package main

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
)

// TestShutdownCancelsLateWorkBeforeClosingTheDatabase: work acknowledged to
// Slack that outlasts the grace period (an intake reaction whose message
// Slack is slow to return) is cancelled, and waited for, before the
// database is closed: it never meets a closed database.
func TestShutdownCancelsLateWorkBeforeClosingTheDatabase(t *testing.T) {
	var logs watchedLog
	h := newHarness(t, false, func(o *serverOptions) {
		o.Log = newLogger(&logs, config.LogConfig{})
		o.ShutdownGrace = 200 * time.Millisecond
	})
	ctx := waitCtx(t)
	const intake, ts = "C0INTAKE1", "1764000200.000100"
	h.fake.AddMessage(intake, ts, tina, "the printer on 3 is out of toner")
	// Slack answers after the grace period: with the database closed by
	// then, the reaction would go on to record itself in it.
	h.fake.Delay("conversations.history", 1, time.Second)
	code, body := h.signed("/slack/events", eventBody(t, "", map[string]any{
		"type": "reaction_added", "user": tina, "reaction": "ticket", "item_user": tina,
		"item": map[string]any{"type": "message", "channel": intake, "ts": ts}, "event_ts": "1764000200.000200",
	}))
	if code != 200 {
		t.Fatalf("reaction: %d %s", code, body)
	}
	if err := h.fake.WaitHeld(ctx, "conversations.history", 1); err != nil {
		t.Fatal(err)
	}
	h.srv.Close()
	if err := logs.waitFor(ctx, "cancelling it"); err != nil {
		t.Fatalf("shutdown did not cancel the late work: %v\n%s", err, logs.String())
	}
	// The handler ends either way: cancelled while fetching the message,
	// or, had the database been closed under it, failing to record it.
	if err := logs.waitFor(ctx, "intake: fetch message", "intake: record the reaction"); err != nil {
		t.Fatalf("the reaction's handler did not end: %v\n%s", err, logs.String())
	}
	if got := logs.String(); strings.Contains(got, "database is closed") {
		t.Errorf("late work met a closed database:\n%s", got)
	}
}

// TestShutdownWaitsForUserLookups: the background users.info lookup a new
// person's /ask starts (for their time zone) is work shutdown waits for,
// not a goroutine left running as the process ends.
func TestShutdownWaitsForUserLookups(t *testing.T) {
	// Slow beside the rest (real-time waits, many servers): it runs beside
	// the other tests marked so.
	t.Parallel()
	h := newHarness(t, false)
	ctx := waitCtx(t)
	const newbie = "U0NEWBIE1"
	h.fake.AddUser(newbie, "nora", "Nora New", "Europe/Berlin")
	h.fake.Delay("users.info", 1, 500*time.Millisecond)
	if code, body := h.slash(newbie, "finance need the Q3 numbers"); code != 200 {
		t.Fatalf("/ask: %d %s", code, body)
	}
	if err := h.fake.WaitHeld(ctx, "users.info", 1); err != nil {
		t.Fatal(err)
	}
	h.srv.Close()
	// users.info is recorded once answered; Close returned after that.
	if n := len(h.fake.CallsTo("users.info")); n != 1 {
		t.Errorf("%d users.info answered when Close returned; want 1: the lookup outlived shutdown", n)
	}
}

// TestSchedulerStopWaitsForMadeUpRuns: a run that makeUp started outside
// cron's schedule is waited for by stop, as cron waits for its own, even
// past the grace period (it uses the database shutdown closes next).
func TestSchedulerStopWaitsForMadeUpRuns(t *testing.T) {
	var logs watchedLog
	release := make(chan struct{})
	var finished atomic.Bool
	c := cron.New()
	id, err := c.AddFunc("@daily", func() { <-release; finished.Store(true) })
	if err != nil {
		t.Fatal(err)
	}
	s := &scheduler{cron: c, clock: bot.NewManualClock(harnessStart), log: newLogger(&logs, config.LogConfig{}), sweep: id}
	c.Start()
	s.makeUp()
	over, cancel := context.WithCancel(context.Background())
	cancel() // the grace period is over
	stopped := make(chan bool)
	go func() { s.stop(over); stopped <- finished.Load() }()
	if err := logs.waitFor(waitCtx(t), "jobs still running"); err != nil {
		t.Fatalf("stop did not see the made-up run: %v", err)
	}
	close(release)
	if !<-stopped {
		t.Error("stop returned before the made-up run finished")
	}
}

// TestSchedulerMakesNothingUpOnceStopped: a replica that becomes leader as
// serve shuts down (makeUp after stop) starts no job: nothing would wait
// for it, and the database is about to close.
func TestSchedulerMakesNothingUpOnceStopped(t *testing.T) {
	var ran atomic.Bool
	c := cron.New()
	id, err := c.AddFunc("@daily", func() { ran.Store(true) })
	if err != nil {
		t.Fatal(err)
	}
	s := &scheduler{cron: c, clock: bot.NewManualClock(harnessStart), log: newLogger(new(watchedLog), config.LogConfig{}), sweep: id}
	c.Start()
	s.stop(context.Background())
	s.makeUp()
	s.madeUp.Wait()
	if ran.Load() {
		t.Error("makeUp after stop ran the sweep")
	}
}
