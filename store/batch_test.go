package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// TestGroupCommitIsolatesJobs files and changes requests from many
// goroutines at once, so that they share commits, with some jobs bound to
// fail: every success is stored, every failure leaves no trace, and the
// numbers stay gapless.
func TestGroupCommitIsolatesJobs(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	target := mustCreate(t, db, "IT", "it", "U1", "contended", t0, t0.Add(time.Hour))

	const filers, racers = 40, 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, conflicts := 0, 0
	for i := range filers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mustCreate(t, db, "FIN", "finance", fmt.Sprintf("U%d", i), "batch", t0, t0.Add(time.Hour))
		}()
	}
	// The racers all change version 1 of the same request: one wins, the
	// others fail inside their batch and are rolled back alone.
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ev := bot.Event{RequestID: target.ID, Seq: 2, Kind: bot.EvCommented, Actor: fmt.Sprintf("U%d", i), At: t0.Add(time.Minute), Text: "me"}
			next := *target
			if err := next.Apply(ev); err != nil {
				t.Error(err)
				return
			}
			err := db.Append(ctx, &next, ev, []bot.Message{{To: "C1", Text: "x"}})
			mu.Lock()
			defer mu.Unlock()
			switch bot.ErrorCode(err) {
			case "":
				won++
			case bot.ECONFLICT:
				conflicts++
			default:
				t.Errorf("append: %v", err)
			}
		}()
	}
	// A job whose caller gave up before it ran is not stored either.
	gone, cancel := context.WithCancel(ctx)
	cancel()
	r := bot.Request{}
	ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: "U9", At: t0, Dept: "finance", Priority: bot.Normal, Title: "x", Text: "x"}
	if err := r.Apply(ev); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRequest(gone, "FIN", &r, &ev, nil); err == nil || r.ID != "" {
		t.Errorf("cancelled create: err %v, id %q", err, r.ID)
	}
	wg.Wait()

	t.Logf("%d of %d jobs shared a commit", store.SharedCommitsForTest(db), filers+racers+1)
	if won != 1 || conflicts != racers-1 {
		t.Errorf("racers: %d won, %d conflicts; want 1 and %d", won, conflicts, racers-1)
	}
	evs, err := db.Events(ctx, target.ID)
	if err != nil || len(evs) != 2 {
		t.Errorf("events of %s: %d, %v; want 2", target.ID, len(evs), err)
	}
	for n := 1; n <= filers; n++ {
		if _, err := db.Request(ctx, fmt.Sprintf("FIN-%d", n)); err != nil {
			t.Errorf("FIN-%d: %v", n, err)
		}
	}
	if _, err := db.Request(ctx, fmt.Sprintf("FIN-%d", filers+1)); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("FIN-%d exists: %v (a gap or a number handed out twice)", filers+1, err)
	}
	pending, _, err := db.OutboxStats(ctx, t0)
	if err != nil || pending != 1 {
		t.Errorf("outbox: %d pending, %v; want only the winner's message", pending, err)
	}
}

// TestWriteAfterCloseFails: a write after Close gets an error at once
// instead of waiting forever for a batcher that has stopped.
func TestWriteAfterCloseFails(t *testing.T) {
	db := MustOpenStore(t)
	mustCreate(t, db, "FIN", "finance", "U1", "before", t0, t0.Add(time.Hour))
	db.Close()
	done := make(chan error, 20)
	for range 20 {
		go func() {
			ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: "U1", At: t0, Dept: "finance", Priority: bot.Normal, Title: "x", Text: "x"}
			var r bot.Request
			_ = r.Apply(ev)
			done <- db.CreateRequest(context.Background(), "FIN", &r, &ev, nil)
		}()
	}
	timeout := time.After(20 * time.Second)
	for range 20 {
		select {
		case err := <-done:
			if err == nil {
				t.Error("a write after Close succeeded")
			}
		case <-timeout:
			t.Fatal("a write after Close is still waiting")
		}
	}
}
