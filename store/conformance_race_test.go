package store_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// Concurrency, on every backend: what the bot calls at once from several
// goroutines (or, on PostgreSQL, replicas) must keep its contract.

// together runs fn(i) for i in [0, n) on n goroutines released at once,
// and returns the errors they returned.
func together(n int, fn func(i int) error) []error {
	start := make(chan struct{})
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	var out []error
	for _, err := range errs {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// TestCreateRequestNumbers: numbers within a prefix are gapless and unique
// however many file at once.
func TestCreateRequestNumbers(t *testing.T) { eachBackend(t, testCreateRequestNumbers) }

func testCreateRequestNumbers(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	const workers, each = 8, 50
	var mu sync.Mutex
	var nums []int
	errs := together(workers, func(w int) error {
		for i := range each {
			text := fmt.Sprintf("worker %d request %d", w, i)
			ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: sam, At: t0, Dept: "finance", Priority: bot.Normal, Title: text, Text: text}
			var r bot.Request
			if err := r.Apply(ev); err != nil {
				return err
			}
			if err := db.CreateRequest(ctx, "FIN", &r, &ev, nil); err != nil {
				return fmt.Errorf("%s: %w", text, err)
			}
			if r.ID != bot.FormatID("FIN", r.Num) || ev.RequestID != r.ID {
				return fmt.Errorf("%s: numbered %d as %s, event for %s", text, r.Num, r.ID, ev.RequestID)
			}
			mu.Lock()
			nums = append(nums, r.Num)
			mu.Unlock()
		}
		return nil
	})
	for _, err := range errs {
		t.Error(err)
	}
	sort.Ints(nums)
	if len(nums) != workers*each {
		t.Fatalf("%d requests filed, want %d", len(nums), workers*each)
	}
	for i, n := range nums {
		if n != i+1 {
			t.Fatalf("numbers %v…: want 1..%d with no gap and no duplicate", nums[max(0, i-2):i+1], workers*each)
		}
	}
	if n, err := store.CountRows(ctx, db, "requests"); n != workers*each || err != nil {
		t.Errorf("%d rows, %v", n, err)
	}
	if r := mustCreate(t, db, "FIN", "finance", sam, "next", t0, time.Time{}); r.Num != workers*each+1 {
		t.Errorf("the next request is %s", r.ID)
	}
	if r := mustCreate(t, db, "IT", "it", sam, "another prefix", t0, time.Time{}); r.ID != "IT-1" {
		t.Errorf("another prefix starts at %s", r.ID)
	}
}

// TestOnceUnderConcurrency: what is recorded "once" stays once when the
// same thing is recorded from several goroutines at the same moment.
func TestOnceUnderConcurrency(t *testing.T) { eachBackend(t, testOnceUnderConcurrency) }

func testOnceUnderConcurrency(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	const n = 8
	r := mustCreate(t, db, "FIN", "finance", sam, "x", t0, time.Time{})
	rating := bot.Rating{RequestID: r.ID, Requester: sam, Dept: "finance", AskedAt: t0}
	if err := db.RecordAsk(ctx, rating); err != nil {
		t.Fatal(err)
	}
	queued := func(t *testing.T) int {
		t.Helper()
		n, _, err := db.OutboxStats(ctx, t0)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c := range []struct {
		name string
		do   func(i int) (bool, error) // whether this call did it
	}{
		{"FirstSeen", func(int) (bool, error) { return db.FirstSeen(ctx, "Ev0001", t0) }},
		{"PostOnce", func(int) (bool, error) {
			return db.PostOnce(ctx, "digest:finance:2026-W48", []bot.Message{{To: "#finance", Text: "digest"}}, t0)
		}},
		{"RemindRating", func(int) (bool, error) {
			return db.RemindRating(ctx, rating, t0, []bot.Message{{To: sam, DM: true, Text: "rate?"}})
		}},
		{"RecordReminders", func(int) (bool, error) {
			var sent atomic.Bool
			err := db.RecordReminders(ctx, []bot.Reminder{{RequestID: r.ID, Series: "first:1", Level: 50, At: t0}}, nil, t0,
				func(rs []bot.Reminder) []bot.Message {
					sent.Store(len(rs) > 0)
					return []bot.Message{{To: "#finance", Text: "reminder"}}
				})
			return sent.Load(), err
		}},
		{"AskSurvey", func(i int) (bool, error) {
			// Overlapping runs may see different departments; one asks.
			depts := [][]string{{"finance"}, {"it"}, {"finance", "it"}}[i%3]
			return db.AskSurvey(ctx, "2026-Q4", sam, depts, bot.Message{To: sam, DM: true, Text: "survey"}, t0)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := queued(t)
			var did atomic.Int32
			errs := together(n, func(i int) error {
				ok, err := c.do(i)
				if ok {
					did.Add(1)
				}
				return err
			})
			for _, err := range errs {
				t.Error(err)
			}
			if did.Load() != 1 {
				t.Errorf("done %d times, want once", did.Load())
			}
			if c.name != "FirstSeen" {
				if got := queued(t) - before; got != 1 {
					t.Errorf("%d messages written, want 1", got)
				}
			}
		})
	}
}

// TestAppendConflicts: of several changes made at once to the same version
// of a request, one is stored and the others get ECONFLICT.
func TestAppendConflicts(t *testing.T) { eachBackend(t, testAppendConflicts) }

func testAppendConflicts(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	r := mustCreate(t, db, "FIN", "finance", sam, "x", t0, time.Time{})
	const n = 8
	var stored, conflicts atomic.Int32
	errs := together(n, func(i int) error {
		actor := fmt.Sprintf("U0STAFF%d", i)
		ev := bot.Event{RequestID: r.ID, Seq: 2, Kind: bot.EvClaimed, Actor: actor, At: t0.Add(time.Minute), Assignee: actor}
		next := *r
		if err := next.Apply(ev); err != nil {
			return err
		}
		err := db.Append(ctx, &next, ev, []bot.Message{{To: sam, DM: true, Text: actor + " is on it"}})
		switch {
		case err == nil:
			stored.Add(1)
		case bot.ErrorCode(err) == bot.ECONFLICT:
			conflicts.Add(1)
		default:
			return err
		}
		return nil
	})
	for _, err := range errs {
		t.Error(err)
	}
	if stored.Load() != 1 || conflicts.Load() != n-1 {
		t.Errorf("%d stored, %d conflicts; want 1 and %d", stored.Load(), conflicts.Load(), n-1)
	}
	got, err := db.Request(ctx, r.ID)
	if err != nil || got.Version != 2 || got.State != bot.Acknowledged {
		t.Fatalf("request %+v, %v", got, err)
	}
	evs, err := db.Events(ctx, r.ID)
	if err != nil || len(evs) != 2 || evs[1].Actor != got.Assignee {
		t.Errorf("history %+v, %v; want one claim, by %s", evs, err, got.Assignee)
	}
	if pending, _, err := db.OutboxStats(ctx, t0); pending != 1 || err != nil {
		t.Errorf("%d messages, %v; want the winner's only", pending, err)
	}
}
