package bot_test

import (
	"context"
	"strings"
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

// TestAutoCloseReasonInTheReadersLanguage: Finance reads Chinese. Its
// sweep closes a resolved request and stores the reason in English, as
// askdesk always has; /ask status says it in each reader's language, the
// Chinese reader's Chinese and the English reader's English.
func TestAutoCloseReasonInTheReadersLanguage(t *testing.T) {
	f := newFixture(t)
	dir := testDir(t)
	dir.ByName("finance").Language = "zh-Hans"
	dir.People[sam].Lang = "zh-Hans"
	dir.People[frank].Lang = "en"
	f.Desk.SetDir(dir)
	f.File(t, sam, "finance", "numbers")
	f.Do(t, frank, bot.ActResolve, "FIN-1", "done")
	f.at(t, "2026-11-30 10:00") // three business days later (Thanksgiving)
	if rep := f.sweep(t); rep.Closed != 1 {
		t.Fatalf("closed %d, want FIN-1", rep.Closed)
	}
	evs, err := f.DB.Events(f.Ctx, "FIN-1")
	if err != nil {
		t.Fatal(err)
	}
	if last := evs[len(evs)-1]; last.Kind != bot.EvClosed || last.Text != "closed automatically: resolved and not reopened" {
		t.Errorf("stored %s %q, want the English reason", last.Kind, last.Text)
	}
	for _, c := range []struct{ who, want, not string }{
		{sam, "askdesk 关闭：已解决且无人重新打开，自动关闭", "automatically"},
		{frank, "closed by askdesk: closed automatically: resolved and not reopened", "自动"},
	} {
		got := f.Desk.Command(f.Ctx, c.who, "/ask status FIN-1").Text
		if !strings.Contains(got, c.want) || strings.Contains(got, c.not) {
			t.Errorf("%s's status lacks %q:\n%s", c.who, c.want, got)
		}
	}
}
