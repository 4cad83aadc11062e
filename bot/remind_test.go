package bot_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

func (f *fixture) sweep(tb testing.TB) bot.SweepReport {
	tb.Helper()
	rep, err := f.Desk.Sweep(f.Ctx)
	if err != nil {
		tb.Fatalf("sweep: %v", err)
	}
	return rep
}

// at moves the fixture's clock to a New York wall time.
func (f *fixture) at(tb testing.TB, s string) {
	tb.Helper()
	ny := mustZone(tb, "America/New_York")
	f.Clock.Set(at(tb, ny, s))
}

func texts(msgs []bot.Message) string {
	var b strings.Builder
	for _, m := range msgs {
		if m.CardFor != "" {
			continue // card redraws; reminders are what these tests read
		}
		b.WriteString(m.To + ": " + m.Text + "\n")
	}
	return b.String()
}

// TestRemindThresholds walks one request's first-response clock (4h,
// finance hours 9–12 and 13–18) through 50%, 75%, the breach and the
// escalation, sweeping often: each goes once, to the right person.
func TestRemindThresholds(t *testing.T) {
	f := newFixture(t) // Tue 24 Nov 10:00 New York
	f.File(t, sam, "finance", "numbers")
	f.Sent(t)
	steps := []struct {
		at   string
		want []string // substrings of what is sent, in order; nil: nothing
	}{
		{"2026-11-24 11:59", nil},
		{"2026-11-24 12:00", []string{"#finance: :alarm_clock: *Reminder*: 1 request needs attention", "50% of the first response target used"}},
		{"2026-11-24 12:30", nil}, // lunch: nothing counts, nothing is sent again
		{"2026-11-24 14:00", []string{"75% of the first response target used"}},
		{"2026-11-24 15:00", []string{"first response overdue since Tue 15:00"}},
		{"2026-11-24 15:30", nil},
		{"2026-11-24 16:00", []string{"U0FIONA: :rotating_light: *Escalation*", "nobody has claimed it"}},
		{"2026-11-24 17:00", nil},
		{"2026-11-25 16:00", []string{"#finance: :alarm_clock:", "overdue by 9h of business time"}},
	}
	for _, s := range steps {
		f.at(t, s.at)
		f.sweep(t)
		f.sweep(t) // a second sweep at the same instant sends nothing more
		got := texts(f.Sent(t))
		if s.want == nil && got != "" {
			t.Fatalf("at %s sent:\n%s", s.at, got)
		}
		for _, w := range s.want {
			if !strings.Contains(got, w) {
				t.Fatalf("at %s want %q, sent:\n%s", s.at, w, got)
			}
		}
	}
}

// TestRemindCoalesces: one message per recipient per sweep, listing all
// their requests; an assignee hears of their own.
func TestRemindCoalesces(t *testing.T) {
	f := newFixture(t)
	for _, text := range []string{"a", "b", "c"} {
		f.File(t, sam, "finance", text)
	}
	f.Do(t, frank, bot.ActClaim, "FIN-3")
	f.Sent(t)
	f.at(t, "2026-11-24 12:00")
	rep := f.sweep(t)
	msgs := f.Sent(t)
	if len(msgs) != 1 || rep.Messages != 1 || !strings.Contains(msgs[0].Text, "2 requests need attention") ||
		!strings.Contains(msgs[0].Text, "FIN-1") || !strings.Contains(msgs[0].Text, "FIN-2") {
		t.Fatalf("want one queue message listing FIN-1 and FIN-2:\n%s", texts(msgs))
	}
	// FIN-3 was claimed within the minute, so its first response is met;
	// its resolution clock (2 days) is far from 50%.
	f.at(t, "2026-11-25 12:00") // FIN-3's resolution clock: 50% of 2 days
	f.sweep(t)
	got := texts(f.Sent(t))
	if !strings.Contains(got, "U0FRANK: :alarm_clock:") || !strings.Contains(got, "FIN-3") {
		t.Fatalf("assignee not reminded of their own:\n%s", got)
	}
}

// TestRemindDefersToBusinessHours: a deadline at Friday's close breaches
// when the office is shut; nobody is pinged until Monday's opening.
func TestRemindDefersToBusinessHours(t *testing.T) {
	f := newFixture(t)
	f.at(t, "2026-11-20 17:30") // Fri
	if _, err := f.Desk.File(f.Ctx, bot.Filing{Requester: sam, Dept: "finance", Priority: bot.Urgent, Text: "pay the supplier"}); err != nil {
		t.Fatal(err)
	}
	f.Sent(t)
	f.at(t, "2026-11-20 17:55") // 83%: the 50% and 75% warnings go now
	f.sweep(t)
	if got := texts(f.Sent(t)); !strings.Contains(got, "of the first response target used") {
		t.Fatalf("warning before the close:\n%s", got)
	}
	for _, when := range []string{"2026-11-20 18:05", "2026-11-21 11:00", "2026-11-22 23:00", "2026-11-23 08:59"} {
		f.at(t, when)
		rep := f.sweep(t)
		if got := texts(f.Sent(t)); got != "" {
			t.Fatalf("pinged at %s, outside hours:\n%s", when, got)
		}
		if when == "2026-11-20 18:05" && rep.Deferred == 0 {
			t.Errorf("the breach at the close was not deferred")
		}
	}
	f.at(t, "2026-11-23 09:00")
	f.sweep(t)
	if got := texts(f.Sent(t)); !strings.Contains(got, "overdue") {
		t.Fatalf("nothing at Monday's opening:\n%s", got)
	}
}

// TestRemindClockJumpAndMissedSweeps: after days without a sweep, one sweep
// sends one message per recipient (not one per missed threshold), and the
// next sends nothing.
func TestRemindClockJumpAndMissedSweeps(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "numbers")
	f.Sent(t)
	f.at(t, "2026-12-02 10:00") // a week later
	rep := f.sweep(t)
	msgs := f.Sent(t)
	var reminders, cards int
	for _, m := range msgs {
		if m.CardFor != "" {
			cards++
		} else {
			reminders++
		}
	}
	if reminders != 2 || rep.Messages != 2 || cards != 0 { // the queue, the lead's escalation; the week-old breach redraws no card
		t.Fatalf("after the jump %d messages:\n%s", len(msgs), texts(msgs))
	}
	if rep := f.sweep(t); rep.Messages != 0 || rep.Reminders != 0 {
		t.Fatalf("second sweep sent again: %+v", rep)
	}
}

// TestRemindExactlyOnceUnderOverlap: two sweepers on one database (two
// processes, or a restart while a sweep runs) send each reminder once.
func TestRemindExactlyOnceUnderOverlap(t *testing.T) {
	f := newFixture(t)
	for _, text := range []string{"a", "b", "c", "d"} {
		f.File(t, sam, "finance", text)
	}
	f.Sent(t)
	f.at(t, "2026-11-24 16:00")
	other := bot.New(testDir(t), f.DB, &recorder{}, f.Clock, nil)
	var wg sync.WaitGroup
	reps := make([]bot.SweepReport, 2)
	for i, d := range []*bot.Desk{f.Desk, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := d.Sweep(context.Background())
			if err != nil {
				t.Error(err)
			}
			reps[i] = r
		}()
	}
	wg.Wait()
	// 4 requests × (50%, 75%, breach) to the queue, + 4 escalations to fiona.
	if total := reps[0].Reminders + reps[1].Reminders; total != 4*3+4 {
		t.Fatalf("reminders recorded %d + %d, want 16 in all", reps[0].Reminders, reps[1].Reminders)
	}
	msgs := f.Sent(t)
	all := texts(msgs)
	for _, id := range []string{"FIN-1", "FIN-2", "FIN-3", "FIN-4"} {
		if n := strings.Count(all, "*"+id+"*"); n != 2 { // once to the queue, once to the lead
			t.Errorf("%s appears %d times in what was sent:\n%s", id, n, all)
		}
	}
}

func TestRemindWaitingAndAutoClose(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "numbers")
	f.Do(t, frank, bot.ActWait, "FIN-1", "which cost centre?")
	f.File(t, sam, "finance", "other")
	f.Do(t, frank, bot.ActResolve, "FIN-2", "done")
	f.Sent(t)
	f.at(t, "2026-11-27 10:00") // two business days later (Thanksgiving on Thursday)
	if rep := f.sweep(t); rep.Closed != 0 {
		t.Fatalf("closed too early: %+v", rep)
	}
	got := texts(f.Sent(t))
	if !strings.Contains(got, "U0SAM: :hourglass: 1 request is waiting on your answer") {
		t.Fatalf("requester not nudged:\n%s", got)
	}
	f.at(t, "2026-11-30 10:00") // three business days after resolution
	if rep := f.sweep(t); rep.Closed != 1 {
		t.Fatalf("auto-close: %+v", rep)
	}
	r, _ := f.DB.Request(f.Ctx, "FIN-2")
	evs, _ := f.DB.Events(f.Ctx, "FIN-2")
	if r.State != bot.Closed || evs[len(evs)-1].Actor != bot.SystemActor {
		t.Fatalf("FIN-2 %s, last event by %s", r.State, evs[len(evs)-1].Actor)
	}
	if rep := f.sweep(t); rep.Closed != 0 {
		t.Fatalf("closed twice")
	}
}

// TestRemindAcrossDST: a clock running over the weekend when New York
// falls back still warns and breaches at the right wall times.
func TestRemindAcrossDST(t *testing.T) {
	f := newFixture(t)
	f.at(t, "2026-10-30 16:00") // Friday, EDT
	f.File(t, sam, "finance", "numbers")
	f.Sent(t)
	steps := []struct{ at, want string }{
		{"2026-10-30 18:00", "50% of the first response target used"}, // at the close
		{"2026-11-02 09:59", ""}, // Monday, EST: 2h59m counted
		{"2026-11-02 10:00", "75% of the first response target used"},
		{"2026-11-02 11:00", "first response overdue since Mon 11:00"},
	}
	for _, s := range steps {
		f.at(t, s.at)
		f.sweep(t)
		got := texts(f.Sent(t))
		if (s.want == "") != (got == "") || !strings.Contains(got, s.want) {
			t.Fatalf("at %s want %q, sent:\n%s", s.at, s.want, got)
		}
	}
}
