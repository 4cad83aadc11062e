package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// TestClaimInDoubt: a claim says whether an earlier claim of the message
// ended with no outcome recorded (the claimant died mid-send; on
// PostgreSQL, once its lease ran out), and every outcome settles it.
func TestClaimInDoubt(t *testing.T) {
	t.Run("PostgreSQL", func(t *testing.T) {
		ctx := context.Background()
		db := MustOpenPostgres(t)
		msgs := []bot.Message{{To: "#a", Text: "a1"}, {To: "#b", Text: "b1"}, {To: "#c", Text: "c1"}, {To: "#d", Text: "d1"}}
		if ok, err := db.PostOnce(ctx, "doubt", msgs, t0); !ok || err != nil {
			t.Fatalf("queue: %v, %v", ok, err)
		}
		_, items := pendingTexts(t, db, t0, 10)
		claimAt := func(it bot.OutboxItem, now time.Time) (mine, inDoubt bool) {
			t.Helper()
			mine, inDoubt, err := db.ClaimMessage(ctx, it, now)
			if err != nil {
				t.Fatalf("claim %q: %v", it.Message.Text, err)
			}
			return mine, inDoubt
		}
		lease := 2*time.Minute + time.Millisecond
		for _, it := range items {
			if mine, inDoubt := claimAt(it, t0); !mine || inDoubt {
				t.Errorf("first claim of %q: mine %v, in doubt %v; want mine, not in doubt", it.Message.Text, mine, inDoubt)
			}
			if mine, _ := claimAt(it, t0.Add(time.Minute)); mine {
				t.Errorf("%q claimed twice within the lease", it.Message.Text)
			}
		}
		a1, b1, c1, d1 := items[0], items[1], items[2], items[3]

		// a1's claimant dies: the next claim, after the lease, is in doubt,
		// and so is the one after it if that claimant dies too.
		now := t0.Add(lease)
		if mine, inDoubt := claimAt(a1, now); !mine || !inDoubt {
			t.Errorf("a1 after its claimant died: mine %v, in doubt %v; want both", mine, inDoubt)
		}
		now = now.Add(lease)
		if mine, inDoubt := claimAt(a1, now); !mine || !inDoubt {
			t.Errorf("a1 after two claimants died: mine %v, in doubt %v; want both", mine, inDoubt)
		}
		// Given back while in doubt (paced), it stays in doubt.
		a1.InDoubt = true
		if err := db.ReleaseMessage(ctx, a1, now); err != nil {
			t.Fatal(err)
		}
		if mine, inDoubt := claimAt(a1, now); !mine || !inDoubt {
			t.Errorf("a1 released in doubt: mine %v, in doubt %v; want both", mine, inDoubt)
		}
		// Failed while in doubt (the lookup could not be made and the post
		// timed out, say), it stays in doubt.
		if err := db.MessageFailed(ctx, a1, now, false, "timeout"); err != nil {
			t.Fatal(err)
		}
		if mine, inDoubt := claimAt(a1, now); !mine || !inDoubt {
			t.Errorf("a1 failed in doubt: mine %v, in doubt %v; want both", mine, inDoubt)
		}
		// Sent (found or posted): settled, and gone.
		if ok, err := db.MessageSent(ctx, a1, now); !ok || err != nil {
			t.Fatalf("a1 sent: %v, %v", ok, err)
		}

		// b1 failed, c1 was given back (not in doubt): each settled, so
		// the next claim is not in doubt.
		if err := db.MessageFailed(ctx, b1, t0.Add(time.Second), false, "rate limited"); err != nil {
			t.Fatal(err)
		}
		if err := db.ReleaseMessage(ctx, c1, t0.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		_, items = pendingTexts(t, db, now, 10)
		for _, it := range items {
			if it.Message.Text == "d1" {
				continue
			}
			if mine, inDoubt := claimAt(it, now); !mine || inDoubt {
				t.Errorf("%q after its outcome was recorded: mine %v, in doubt %v; want mine, not in doubt", it.Message.Text, mine, inDoubt)
			}
		}

		// d1 is rewritten (a card change folded in) while its claimant is
		// away: the claim fails on the old rev, and the new one is in doubt.
		if err := store.ExecForTest(db, "UPDATE outbox SET rev = rev + 1 WHERE id = ?", d1.ID); err != nil {
			t.Fatal(err)
		}
		if mine, _ := claimAt(d1, now); mine {
			t.Errorf("d1 claimed at its old rev")
		}
		d1.Rev++
		if mine, inDoubt := claimAt(d1, now); !mine || !inDoubt {
			t.Errorf("d1 after its claimant died: mine %v, in doubt %v; want both", mine, inDoubt)
		}
	})
	t.Run("SQLite", func(t *testing.T) {
		// One process delivers: a claim never finds another in its way,
		// and a claim left unsettled is that of a process that died.
		ctx := context.Background()
		db := MustOpenStore(t)
		msgs := []bot.Message{{To: "#a", Text: "a1"}, {To: "#b", Text: "b1"}, {To: "#c", Text: "c1"}}
		if ok, err := db.PostOnce(ctx, "doubt", msgs, t0); !ok || err != nil {
			t.Fatalf("queue: %v, %v", ok, err)
		}
		_, items := pendingTexts(t, db, t0, 10)
		claimAt := func(it bot.OutboxItem, now time.Time) (mine, inDoubt bool) {
			t.Helper()
			mine, inDoubt, err := db.ClaimMessage(ctx, it, now)
			if err != nil {
				t.Fatalf("claim %q: %v", it.Message.Text, err)
			}
			return mine, inDoubt
		}
		for _, it := range items {
			if mine, inDoubt := claimAt(it, t0); !mine || inDoubt {
				t.Errorf("first claim of %q: mine %v, in doubt %v; want mine, not in doubt", it.Message.Text, mine, inDoubt)
			}
		}
		a1, b1, c1 := items[0], items[1], items[2]
		// Nothing recorded of a1's send: the next claim is in doubt, and
		// stays so through a release and a failure, until it is sent.
		now := t0.Add(time.Second)
		if mine, inDoubt := claimAt(a1, now); !mine || !inDoubt {
			t.Errorf("a1 after its claimant died: mine %v, in doubt %v; want both", mine, inDoubt)
		}
		a1.InDoubt = true
		if err := db.ReleaseMessage(ctx, a1, now); err != nil {
			t.Fatal(err)
		}
		if mine, inDoubt := claimAt(a1, now); !mine || !inDoubt {
			t.Errorf("a1 released in doubt: mine %v, in doubt %v; want both", mine, inDoubt)
		}
		if err := db.MessageFailed(ctx, a1, now, false, "timeout"); err != nil {
			t.Fatal(err)
		}
		if mine, inDoubt := claimAt(a1, now); !mine || !inDoubt {
			t.Errorf("a1 failed in doubt: mine %v, in doubt %v; want both", mine, inDoubt)
		}
		if ok, err := db.MessageSent(ctx, a1, now); !ok || err != nil {
			t.Fatalf("a1 sent: %v, %v", ok, err)
		}
		// b1 failed, c1 was given back (not in doubt): settled.
		if err := db.MessageFailed(ctx, b1, now, false, "rate limited"); err != nil {
			t.Fatal(err)
		}
		if err := db.ReleaseMessage(ctx, c1, now); err != nil {
			t.Fatal(err)
		}
		for _, it := range []bot.OutboxItem{b1, c1} {
			if mine, inDoubt := claimAt(it, now); !mine || inDoubt {
				t.Errorf("%q after its outcome was recorded: mine %v, in doubt %v; want mine, not in doubt", it.Message.Text, mine, inDoubt)
			}
		}
		// c1 is rewritten after it was read: not claimed at its old rev.
		if err := store.ExecForTest(db, "UPDATE outbox SET rev = rev + 1 WHERE id = ?", c1.ID); err != nil {
			t.Fatal(err)
		}
		if mine, _ := claimAt(c1, now); mine {
			t.Errorf("c1 claimed at its old rev")
		}
	})
}

// flakyChat fails each send with the next of errs, then takes them, and
// records what every send was told.
type flakyChat struct {
	errs []error
	seen []bot.Message
}

func (c *flakyChat) Send(_ context.Context, m bot.Message) error {
	c.seen = append(c.seen, m)
	if len(c.errs) == 0 {
		return nil
	}
	err := c.errs[0]
	c.errs = c.errs[1:]
	return err
}

// TestUnsureFailureStaysInDoubt: on PostgreSQL a send that may have
// reached Slack all the same (bot.UnsureError: a timeout, a post not
// recorded) leaves the message in doubt, so its retries are told to look
// for it; a plain failure does not.
func TestUnsureFailureStaysInDoubt(t *testing.T) {
	ctx := context.Background()
	db := MustOpenPostgres(t)
	clock := bot.NewManualClock(t0)
	plain := errors.New("slack: internal_error")
	chat := &flakyChat{errs: []error{plain, &bot.UnsureError{Err: errors.New("context deadline exceeded")}, plain}}
	desk := bot.New(exampleDir(t), db, chat, clock, nil)
	if ok, err := db.PostOnce(ctx, "unsure", []bot.Message{{To: "#a", Text: "a1"}}, clock.Now()); !ok || err != nil {
		t.Fatalf("queue: %v, %v", ok, err)
	}
	for range 5 {
		if _, err := desk.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Minute) // past the retry
	}
	var got []bool
	for _, m := range chat.seen {
		if m.OutboxID == 0 || !m.QueuedAt.Equal(t0) {
			t.Errorf("sent without its outbox ID or queue time: %+v", m)
		}
		got = append(got, m.MaybeSent)
	}
	// A plain failure leaves nothing in doubt; an unsure one does, and
	// the doubt stays through the failures after it until the message
	// goes (the fifth pass finds nothing to send).
	if want := []bool{false, false, true, true}; !slices.Equal(got, want) {
		t.Errorf("tries in doubt %v, want %v", got, want)
	}
}
