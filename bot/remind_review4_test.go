package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// TestReview4TransferLosesNewDeptBreach: finance breaches FIN-1's first
// response and escalates; the request moves to IT, whose own first-response
// deadline (Wed 11:00 Shanghai) then passes. The reminder series is keyed by
// the clock's start only, so IT's warnings, breach and escalation are all
// at levels finance already used: IT's queue never hears of the breach.
func TestReview4TransferLosesNewDeptBreach(t *testing.T) {
	f := newFixture(t) // Tue 24 Nov 10:00 New York
	f.file(t, sam, "finance", "numbers")
	f.sent(t)
	f.at(t, "2026-11-24 16:00") // finance: breach 15:00, escalation 16:00
	f.sweep(t)
	if got := texts(f.sent(t)); !strings.Contains(got, "Escalation") {
		t.Fatalf("finance did not escalate:\n%s", got)
	}
	f.do(t, fiona, bot.ActTransfer, "FIN-1", "it")
	f.sent(t)
	// IT: filed Tue 23:00 Shanghai, opens Wed 09:00, 2h target: due Wed 11:00.
	sh := mustZone(t, "Asia/Shanghai")
	f.clock.Set(at(t, sh, "2026-11-25 11:30"))
	f.sweep(t)
	got := texts(f.sent(t))
	if strings.Contains(got, "#it") && strings.Contains(got, "first response overdue") {
		return
	}
	t.Logf("at IT's breach + 30m, sent:\n%q", got)
	t.Skip("bug: after a transfer the new department's warnings/breach/escalation are suppressed by the old department's levels (series key has no department)")
}

// TestReview4MostPressingLineIsLatest: an unclaimed urgent request whose
// first response breached at 10:30 and whose resolution clock reached 50% at
// 12:00; a sweep at 12:00 tells the queue only "50% of the resolution target
// used": the breach is hidden because the line kept is the latest, not the
// most pressing.
func TestReview4MostPressingLineIsLatest(t *testing.T) {
	f := newFixture(t) // Tue 24 Nov 10:00
	if _, err := f.desk.File(f.ctx, bot.Filing{Requester: sam, Dept: "finance", Priority: bot.Urgent, Text: "pay the supplier"}); err != nil {
		t.Fatal(err)
	}
	f.sent(t)
	f.at(t, "2026-11-24 12:00")
	f.sweep(t)
	var queue string
	for _, m := range f.sent(t) {
		if m.To == "#finance" {
			queue = m.Text
		}
	}
	if strings.Contains(queue, "first response overdue") {
		return
	}
	t.Logf("queue message:\n%s", queue)
	t.Skip("bug: coalesced line is the latest reminder, not the most pressing; the first-response breach is not mentioned")
}

// TestReview4HeaderFromFirstItem: fiona is finance's lead and FIN-2's
// assignee. One sweep owes her FIN-1's escalation and a 50% warning on
// FIN-2; the message header, taken from the first item, says both requests
// "have breached the service target".
func TestReview4HeaderFromFirstItem(t *testing.T) {
	g := newFixture(t)
	g.file(t, sam, "finance", "a")
	g.file(t, sam, "finance", "b")
	g.do(t, fiona, bot.ActClaim, "FIN-2")
	g.sent(t)
	g.at(t, "2026-11-25 10:00") // FIN-1: breach Tue 15:00, escalation Tue 16:00; FIN-2: 50% at Wed 10:00
	g.sweep(t)
	var dm string
	for _, m := range g.sent(t) {
		if m.To == fiona {
			dm = m.Text
		}
	}
	if !strings.Contains(dm, "FIN-1") || !strings.Contains(dm, "FIN-2") {
		t.Fatalf("want one DM to fiona with both, got:\n%s", dm)
	}
	if !strings.Contains(dm, "2 requests in your department have breached") {
		return
	}
	t.Logf("DM to fiona:\n%s", dm)
	t.Skip("bug: a coalesced message's header comes from its first item: FIN-2 (50% used) is announced as breached")
}

// TestReview4EscalateAfterOff: escalate_after = "off" is accepted by the
// config (policy() treats every key alike) and becomes a zero duration, so
// leads are told at the breach itself rather than never.
func TestReview4EscalateAfterOff(t *testing.T) {
	f := newFixture(t)
	dep := f.desk.Dir.ByName("finance")
	p := bot.DefaultPolicy
	p.EscalateAfter = bot.BusinessDuration{} // what "off" produces
	dep.Reminders = &p
	f.file(t, sam, "finance", "numbers")
	f.sent(t)
	f.at(t, "2026-11-24 15:00") // the breach
	f.sweep(t)
	if got := texts(f.sent(t)); strings.Contains(got, "Escalation") {
		t.Logf("sent:\n%s", got)
		t.Skip("bug: escalate_after = \"off\" escalates at the breach instead of never (config accepts \"off\" for it)")
	}
}

// TestReview4DigestKeyOrgCollision: a department named "org" shares the
// once-only key "digest:org:<week>" with the company digest, so whichever
// posts second is dropped as "already posted".
func TestReview4DigestKeyOrgCollision(t *testing.T) {
	f := newFixture(t)
	dir := f.desk.Dir
	dir.Departments[1].Name = "org" // IT renamed: config accepts "org"
	dir.Index()
	f.at(t, "2026-11-30 09:00")
	posted, _, err := f.desk.PostDigest(f.ctx, f.db, dir.ByName("org"), bot.ISOWeek{}, "#company", time.UTC, nil)
	if err != nil || !posted {
		t.Fatalf("dept org: posted %v, %v", posted, err)
	}
	posted, _, err = f.desk.PostDigest(f.ctx, f.db, nil, bot.ISOWeek{}, "#company", time.UTC, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !posted {
		t.Fatal("company digest not posted: its once-key collides with a department's")
	}
}

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

// TestReview4AutoCloseLostAfterInterruptedSweep: the sweep commits the
// resolved request's next_remind_at (NULL: nothing after the close) before
// it closes it. If the close does not happen (shutdown, crash), no later
// sweep ever looks at the request again: it stays resolved forever.
func TestReview4AutoCloseLostAfterInterruptedSweep(t *testing.T) {
	f := newFixture(t)
	f.file(t, sam, "finance", "numbers")
	f.do(t, frank, bot.ActResolve, "FIN-1", "done")
	f.sent(t)
	cs := &crashOnClose{Store: f.db, fail: true}
	f.desk.Store = cs
	f.at(t, "2026-11-30 10:00") // three business days later (Thanksgiving)
	if rep, _ := f.desk.Sweep(f.ctx); rep.Closed != 0 {
		t.Fatal("the interrupted close was counted")
	}
	cs.fail = false // restarted
	f.at(t, "2026-11-30 10:05")
	f.sweep(t)
	f.at(t, "2026-12-07 10:05")
	f.sweep(t)
	r, err := f.db.Request(f.ctx, "FIN-1")
	if err != nil {
		t.Fatal(err)
	}
	if r.State != bot.Closed {
		t.Fatalf("FIN-1 is still %s a week later: the interrupted auto-close was never retried", r.State)
	}
}

// TestReview4PartialWeekPostBlocksRealDigest: `askdesk digest --week
// <current week> --post` posts the week so far; the scheduled digest of that
// week, on Monday, is then refused as already posted.
func TestReview4PartialWeekPostBlocksRealDigest(t *testing.T) {
	f := newFixture(t) // Tue 24 Nov 2026, week 2026-W48
	f.file(t, sam, "finance", "numbers")
	fin := f.desk.Dir.ByName("finance")
	posted, _, err := f.desk.PostDigest(f.ctx, f.db, fin, bot.ISOWeek{Year: 2026, Week: 48}, "", nil, nil)
	if bot.ErrorCode(err) != bot.ECONFLICT || posted {
		t.Fatalf("posting a week not over: posted %v, %v; want refused", posted, err)
	}
	f.at(t, "2026-11-30 09:00")
	posted, _, err = f.desk.PostDigest(f.ctx, f.db, fin, bot.ISOWeek{}, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !posted {
		t.Fatal("Monday's complete digest was not posted")
	}
}
