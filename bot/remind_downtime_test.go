package bot_test

import (
	"testing"
	"time"
)

// TestSweepAfterWeeksOfDowntimeCountsEveryNudge: a request left unclaimed
// for four weeks owes a nudge per working day. One sweep after four weeks
// of downtime records as many reminders as hourly sweeps all along did
// (its nudges travel together, each counted), in one message per
// recipient; and the next day both desks owe the same single nudge.
func TestSweepAfterWeeksOfDowntimeCountsEveryNudge(t *testing.T) {
	along, down := newFixture(t), newFixture(t)
	for _, f := range []*fixture{along, down} {
		f.File(t, sam, "finance", "pay the supplier")
		f.Sent(t)
	}
	start := along.Clock.Now()
	end := start.Add(28 * 24 * time.Hour)
	sum := 0
	for at := start.Add(time.Hour); !at.After(end); at = at.Add(time.Hour) {
		along.Clock.Set(at)
		sum += along.sweep(t).Reminders
	}
	along.Sent(t)
	down.Clock.Set(end)
	rep := down.sweep(t)
	if rep.Reminders != sum || sum < 20 {
		t.Fatalf("one sweep after four weeks recorded %d reminders; hourly sweeps recorded %d (want the same, 20 nudges or more)", rep.Reminders, sum)
	}
	per := map[string]int{}
	for _, m := range down.Sent(t) {
		if m.CardFor == "" {
			per[m.To]++
		}
	}
	for to, n := range per {
		if n > 1 {
			t.Errorf("%s got %d messages from one sweep; want one", to, n)
		}
	}
	next := end.Add(24 * time.Hour)
	for name, f := range map[string]*fixture{"along": along, "down": down} {
		f.Clock.Set(next)
		if got := f.sweep(t).Reminders; got != 1 {
			t.Errorf("%s: the day after, %d reminders; want the one nudge", name, got)
		}
	}
}
