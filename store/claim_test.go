package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
	"github.com/askdesk/askdesk/store/storetest"
)

// slowChat is a Slack whose every send takes two seconds of the manual
// clock; at the at-th send it runs hook (another replica's delivery) in
// the middle of it.
type slowChat struct {
	mu    sync.Mutex
	clock *bot.ManualClock
	n, at int
	hook  func()
	sent  map[string]int // recipient → sends
}

func (c *slowChat) Send(_ context.Context, m bot.Message) error {
	c.mu.Lock()
	c.n++
	n := c.n
	c.sent[m.To]++
	c.mu.Unlock()
	c.clock.Advance(2 * time.Second)
	if n == c.at && c.hook != nil {
		c.hook()
	}
	return nil
}

// TestClaimOutlastsSlowBatch: one replica's delivery of a batch takes
// longer than a claim's lease would if it were counted from the batch's
// read; another replica delivering meanwhile must not send what the first
// is sending or about to send a second time.
func TestClaimOutlastsSlowBatch(t *testing.T) {
	ctx := context.Background()
	url := storetest.URL(t)
	open := func() *store.DB {
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	dbA, dbB := open(), open()
	clock := bot.NewManualClock(t0)
	sent := map[string]int{}
	var msgs []bot.Message
	for i := range 90 {
		msgs = append(msgs, bot.Message{To: fmt.Sprintf("U%03d", i), DM: true, Text: "hello"})
	}
	if ok, err := dbA.PostOnce(ctx, "claim-test", msgs, clock.Now()); !ok || err != nil {
		t.Fatalf("queue: %v, %v", ok, err)
	}
	dir := exampleDir(t)
	chatB := &slowChat{clock: clock, sent: sent}
	deskB := bot.New(dir, dbB, chatB, clock, nil)
	chatA := &slowChat{clock: clock, sent: sent, at: 60}
	deskA := bot.New(dir, dbA, chatA, clock, nil)
	var bSent int
	chatA.hook = func() { // 120 s after A read its batch
		n, err := deskB.Deliver(ctx)
		if err != nil {
			t.Errorf("B: %v", err)
		}
		bSent = n
	}
	aSent, err := deskA.Deliver(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if aSent+bSent != len(msgs) || bSent == 0 {
		t.Errorf("A sent %d and B %d of %d", aSent, bSent, len(msgs))
	}
	for to, n := range sent {
		if n != 1 {
			t.Errorf("%s got %d messages, want 1", to, n)
		}
	}
	if len(sent) != len(msgs) {
		t.Errorf("%d of %d recipients reached", len(sent), len(msgs))
	}
}
