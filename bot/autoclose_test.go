package bot_test

import (
	"context"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// crashOnClose is the store with the auto-close's Append failing, as when
// serve is stopped (its context cancelled) or crashes between the sweep's
// reminder transaction and the close.
type crashOnClose struct {
	bot.Store
	fail bool
}

func (s *crashOnClose) Append(ctx context.Context, r *bot.Request, ev bot.Event, msgs []bot.Message) error {
	if s.fail && ev.Kind == bot.EvClosed {
		return context.Canceled
	}
	return s.Store.Append(ctx, r, ev, msgs)
}

// TestAutoCloseRetriedAfterInterruptedSweep: when a sweep's automatic close
// of a resolved request does not happen (shutdown, crash between the
// reminder transaction and the close), a later sweep closes it.
func TestAutoCloseRetriedAfterInterruptedSweep(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "numbers")
	f.Do(t, frank, bot.ActResolve, "FIN-1", "done")
	f.Sent(t)
	cs := &crashOnClose{Store: f.DB, fail: true}
	f.Desk.Store = cs
	f.at(t, "2026-11-30 10:00") // three business days later (Thanksgiving)
	if rep, _ := f.Desk.Sweep(f.Ctx); rep.Closed != 0 {
		t.Fatal("the interrupted close was counted")
	}
	cs.fail = false // restarted
	f.at(t, "2026-11-30 10:05")
	f.sweep(t)
	f.at(t, "2026-12-07 10:05")
	f.sweep(t)
	r, err := f.DB.Request(f.Ctx, "FIN-1")
	if err != nil {
		t.Fatal(err)
	}
	if r.State != bot.Closed {
		t.Fatalf("FIN-1 is still %s a week later: the interrupted auto-close was never retried", r.State)
	}
}
