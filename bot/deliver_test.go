package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// flakyChat fails while down is set, with a Retry-After when given.
type flakyChat struct {
	mu         sync.Mutex
	down       bool
	retryAfter time.Duration
	permanent  map[string]bool // destinations that can never be reached
	got        []bot.Message
	attempts   int
}

type rateLimited struct{ d time.Duration }

func (e rateLimited) Error() string             { return "ratelimited" }
func (e rateLimited) RetryAfter() time.Duration { return e.d }

func (c *flakyChat) Send(_ context.Context, m bot.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.attempts++
	if c.permanent[m.To] {
		return &bot.PermanentError{Err: errors.New("channel_not_found")}
	}
	if c.down {
		if c.retryAfter > 0 {
			return rateLimited{c.retryAfter}
		}
		return errors.New("slack is down")
	}
	c.got = append(c.got, m)
	return nil
}

func (c *flakyChat) set(down bool, retryAfter time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.down, c.retryAfter = down, retryAfter
}

func TestOutboxSurvivesAnOutageInOrder(t *testing.T) {
	f := newFixture(t)
	chat := &flakyChat{down: true}
	f.Desk.Chat = chat
	f.File(t, sam, "finance", "first")
	f.Do(t, frank, bot.ActReply, "FIN-1", "one")
	f.Do(t, frank, bot.ActReply, "FIN-1", "two")
	f.Do(t, frank, bot.ActReply, "FIN-1", "three")
	if n, err := f.Desk.Deliver(f.Ctx); err != nil || n != 0 {
		t.Fatalf("delivered %d during the outage, err %v", n, err)
	}
	// Nothing is retried before its backoff is up, however often we try.
	before := chat.attempts
	f.Desk.Deliver(f.Ctx)
	if chat.attempts != before {
		t.Fatalf("retried before the backoff: %d attempts, then %d", before, chat.attempts)
	}
	chat.set(false, 0)
	f.Clock.Advance(time.Minute)
	if _, err := f.Desk.Deliver(f.Ctx); err != nil {
		t.Fatal(err)
	}
	var thread []string
	for _, m := range chat.got {
		if m.To == "#finance" && m.ThreadOf == "FIN-1" && m.CardFor == "" {
			thread = append(thread, m.Text)
		}
	}
	if len(thread) != 3 || !strings.Contains(thread[0], "one") || !strings.Contains(thread[1], "two") || !strings.Contains(thread[2], "three") {
		t.Fatalf("thread after the outage: %q, want one, two, three in order", thread)
	}
	// The card was posted once, drawn from the latest state, before the thread.
	cards := 0
	for i, m := range chat.got {
		if m.CardFor == "FIN-1" && m.To == "#finance" {
			cards++
			if m.Card == nil || m.Card.Request.State != bot.Acknowledged {
				t.Errorf("card drawn from a stale state: %+v", m.Card)
			}
			for _, earlier := range chat.got[:i] {
				if earlier.To == "#finance" {
					t.Errorf("thread message before the card")
				}
			}
		}
	}
	if cards != 1 {
		t.Errorf("card sent %d times; the three changes should fold into one", cards)
	}
	if pending, _, _ := f.DB.OutboxStats(f.Ctx, f.Clock.Now()); pending != 0 {
		t.Errorf("%d messages still pending", pending)
	}
}

func TestOutboxHonoursRetryAfter(t *testing.T) {
	f := newFixture(t)
	chat := &flakyChat{down: true, retryAfter: 30 * time.Second}
	f.Desk.Chat = chat
	f.File(t, sam, "finance", "x")
	f.Desk.Deliver(f.Ctx)
	chat.set(false, 0)
	f.Clock.Advance(29 * time.Second)
	if n, _ := f.Desk.Deliver(f.Ctx); n != 0 {
		t.Fatalf("sent %d before Retry-After was up", n)
	}
	f.Clock.Advance(time.Second)
	if n, _ := f.Desk.Deliver(f.Ctx); n != 1 {
		t.Fatalf("sent %d when Retry-After was up, want 1", n)
	}
}

func TestOutboxPermanentFailureDoesNotBlockOthers(t *testing.T) {
	f := newFixture(t)
	chat := &flakyChat{permanent: map[string]bool{"#finance": true}}
	f.Desk.Chat = chat
	f.File(t, sam, "finance", "x")
	f.Do(t, frank, bot.ActClaim, "FIN-1")
	f.Desk.Deliver(f.Ctx)
	if dm := findDM(chat.got, sam); dm == nil {
		t.Fatalf("the requester's DM was held back by a dead channel")
	}
	if pending, _, _ := f.DB.OutboxStats(f.Ctx, f.Clock.Now()); pending != 0 {
		t.Fatalf("%d pending; the dead card should be set aside", pending)
	}
}

// TestOutboxSurvivesRestart: messages written with a change are delivered by
// a new process (a new desk on the same file) after the first died.
func TestOutboxSurvivesRestart(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "x") // written, never delivered: the process "dies"
	chat := &recorder{}
	again := bot.New(testDir(t), f.DB, chat, f.Clock, nil)
	if n, err := again.Deliver(f.Ctx); err != nil || n != 1 {
		t.Fatalf("after restart delivered %d, %v; want the card", n, err)
	}
	if n, _ := again.Deliver(f.Ctx); n != 0 {
		t.Fatalf("delivered again: %d", n)
	}
}

// stopDuringSend is a chat whose every send is interrupted by a shutdown:
// the delivery's context ends while Slack is answering.
type stopDuringSend struct {
	stop context.CancelFunc
	got  []bot.Message
}

func (c *stopDuringSend) Send(_ context.Context, m bot.Message) error {
	c.stop()
	c.got = append(c.got, m)
	return nil
}

// TestOutboxShutdownDuringSend: a message sent as the process is told to
// stop is recorded as sent, so it does not go again after the restart.
func TestOutboxShutdownDuringSend(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "x")
	ctx, stop := context.WithCancel(f.Ctx)
	chat := &stopDuringSend{stop: stop}
	f.Desk.Chat = chat
	if _, err := f.Desk.Deliver(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("delivery during shutdown: %v, want it cancelled", err)
	}
	if len(chat.got) != 1 {
		t.Fatalf("%d messages sent before the shutdown, want 1", len(chat.got))
	}
	if pending, _, err := f.DB.OutboxStats(f.Ctx, f.Clock.Now()); err != nil || pending != 0 {
		t.Fatalf("%d messages pending after the send, %v; the card went and must not go again", pending, err)
	}
}

// refusingOutbox is a store whose database refuses to mark messages sent
// until healed; each refusal is announced on refused, which the test reads.
type refusingOutbox struct {
	*store.DB
	mu      sync.Mutex
	healed  bool
	refused chan struct{}
}

var errRefused = errors.New("attempt to write a readonly database")

func (s *refusingOutbox) MessageSent(ctx context.Context, it bot.OutboxItem, at time.Time) (bool, error) {
	s.mu.Lock()
	healed := s.healed
	s.mu.Unlock()
	if !healed {
		s.refused <- struct{}{}
		return false, errRefused
	}
	return s.DB.MessageSent(ctx, it, at)
}

func (s *refusingOutbox) heal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.healed = true
}

// TestRunDeliveryRecordsHeldOutcomeOnStop: the delivery loop stops during a
// storage outage, holding a sent message's outcome in memory; as it stops,
// with the database back, it records the message sent, so the next start
// does not send it again (nor need to look for it in the chat).
func TestRunDeliveryRecordsHeldOutcomeOnStop(t *testing.T) {
	f := newFixture(t)
	db := &refusingOutbox{DB: f.DB, refused: make(chan struct{})}
	f.Desk.Store = db
	f.File(t, sam, "finance", "x")
	ctx, stop := context.WithCancel(f.Ctx)
	done := make(chan error, 1)
	go func() { done <- f.Desk.RunDelivery(ctx, time.Hour) }()
	<-db.refused // the card went; marking it sent failed
	db.heal()
	stop()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("RunDelivery: %v", err)
	}
	if got := f.Chat.Take(); len(got) != 1 {
		t.Fatalf("%d messages sent, want the card once", len(got))
	}
	if pending, _, err := f.DB.OutboxStats(f.Ctx, f.Clock.Now()); err != nil || pending != 0 {
		t.Errorf("%d messages pending after the stop, %v; the card went and must not go again", pending, err)
	}
	if _, down := f.Desk.StorageOutage(); down {
		t.Error("StorageOutage() still reports the outage its last write ended")
	}
}

// stopDuringClaim is a store whose claim is cut short by a shutdown: the
// context ends while the claim's transaction commits.
type stopDuringClaim struct {
	*store.DB
	stop context.CancelFunc
}

func (s *stopDuringClaim) ClaimMessage(ctx context.Context, it bot.OutboxItem, now time.Time) (bool, bool, error) {
	s.stop()
	<-ctx.Done()
	return false, false, fmt.Errorf("claim message %d: commit: %w", it.ID, ctx.Err())
}

// TestShutdownDuringClaimIsNotAStorageOutage: a claim that fails because
// delivery is stopping is the stop, not a database that refuses writes;
// the desk does not report an outage, and the delivery after it (serve's
// last pass as it shuts down) sends the message.
func TestShutdownDuringClaimIsNotAStorageOutage(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "x")
	ctx, stop := context.WithCancel(f.Ctx)
	f.Desk.Store = &stopDuringClaim{DB: f.DB, stop: stop}
	if _, err := f.Desk.Deliver(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("delivery stopped during a claim: %v, want it cancelled", err)
	}
	if since, down := f.Desk.StorageOutage(); down {
		t.Fatalf("StorageOutage() = %v, true after a stop during a claim; a stop is not an outage", since)
	}
	f.Desk.Store = f.DB
	if sent, err := f.Desk.Deliver(f.Ctx); err != nil || sent != 1 {
		t.Fatalf("the next delivery: sent %d, %v; want the card, no error", sent, err)
	}
}
