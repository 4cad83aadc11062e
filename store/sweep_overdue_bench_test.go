package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// sweepOverdueBase prepares, once per age, a copy of the million-request
// store where the 100,000 running requests are unanswered and both their
// clocks started age earlier than in sweepBase (held by their department
// since then): the same ~13,000 requests are due at BenchmarkSweep's now,
// overdue by age more. Their next reminder time stays where sweepBase puts
// it, as it would for a request whose next nudge has come.
func sweepOverdueBase(b *testing.B, age time.Duration) string {
	src := benchStore(b, 1_000_000).Path()
	const h = int64(time.Hour / time.Millisecond)
	shift := age.Milliseconds()
	name := fmt.Sprintf("askdesk-bench-sweep-overdue-%dh-v2.db", int(age.Hours()))
	return cachedFile(b, name, derived(b, src, func(db *store.DB) error {
		if err := store.ExecForTest(db, `UPDATE requests SET created_at = next_due - 4*? - ?, held_since = next_due - 4*? - ?,
			resolution_start = next_due - 4*? - ?, first_response_at = NULL, first_response_due = next_due - ?
			WHERE next_due IS NOT NULL`, h, shift, h, shift, h, shift, shift); err != nil {
			return err
		}
		return remindBeforeDue(db, 2*time.Hour)
	}))
}

// BenchmarkSweepOverdue runs BenchmarkSweep's sweep (a million requests,
// ~13,000 due, nothing sent before) with the due requests overdue for up
// to three days, three weeks more, and three months more (past the 60
// daily nudges a clock is chased for): the sweep's cost must not grow with
// how long requests have been overdue.
func BenchmarkSweepOverdue(b *testing.B) {
	for _, c := range []struct {
		name string
		age  time.Duration
	}{
		{"Days", 0},
		{"Weeks", 21 * 24 * time.Hour},
		{"Months", 90 * 24 * time.Hour},
	} {
		b.Run(c.name, func(b *testing.B) {
			benchSweepFrom(b, sweepOverdueBase(b, c.age))
		})
	}
}

// benchSweepFrom times one sweep at BenchmarkSweep's now on a fresh copy of
// base per iteration, and reports what the last one did and the process's
// CPU time per sweep (cpu-ms), which other work on the machine disturbs
// less than the time.
func benchSweepFrom(b *testing.B, base string) {
	dir := benchDirectory()
	// ~3 days of deadlines have come within two hours of now.
	now := bot.NewManualClock(benchNow.Add(72*time.Hour - 2*time.Hour))
	var rep bot.SweepReport
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "sweep.db")
		copyFile(b, base, path)
		db, err := store.Open(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		desk := bot.New(dir, db, bot.Discard{}, now, nil)
		b.StartTimer()
		before := processCPU()
		rep, err = desk.Sweep(context.Background())
		cpu += processCPU() - before
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
	}
	b.ReportMetric(float64(rep.Requests), "requests")
	b.ReportMetric(float64(rep.Reminders), "reminders")
	b.ReportMetric(float64(rep.Messages), "messages")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms")
}
