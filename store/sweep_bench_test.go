package store_test

import (
	"io"
	"os"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// benchDirectory has the eight departments SeedForBench uses, open around
// the clock so that no reminder is deferred, each with one lead.
func benchDirectory() *bot.Directory {
	names := []string{"finance", "it", "hr", "legal", "marketing", "sales", "facilities", "purchasing"}
	prefixes := []string{"FIN", "IT", "HR", "LEG", "MKT", "SAL", "FAC", "PUR"}
	cal := &bot.Calendar{Location: time.UTC}
	for d := range 7 {
		cal.Hours[d] = []bot.Span{{Start: 0, End: 24 * 60}}
	}
	dir := &bot.Directory{}
	for i, n := range names {
		dir.Departments = append(dir.Departments, &bot.Department{Name: n, DisplayName: n, Prefix: prefixes[i],
			Channel: "#" + n, Leads: []string{"ULEAD" + prefixes[i]}, Calendar: cal,
			Targets: map[bot.Priority]bot.Target{bot.Normal: {
				FirstResponse: bot.BusinessDuration{Time: 4 * time.Hour}, Resolution: bot.BusinessDuration{Days: 3}}}})
	}
	dir.Index()
	return dir
}

// sweepBase prepares, once, a copy of the million-request store where the
// 100,000 running requests are unanswered, each first-response clock (4h)
// due at its stored deadline.
func sweepBase(b *testing.B) string {
	src := benchStore(b, 1_000_000).Path()
	const h = int64(time.Hour / time.Millisecond)
	return cachedFile(b, "askdesk-bench-sweep-v2.db", derived(b, src, func(db *store.DB) error {
		if err := store.ExecForTest(db, `UPDATE requests SET created_at = next_due - 4*?, resolution_start = next_due - 4*?,
			first_response_at = NULL, first_response_due = next_due
			WHERE next_due IS NOT NULL`, h, h); err != nil {
			return err
		}
		return remindBeforeDue(db, 2*time.Hour)
	}))
}

// remindBeforeDue sets each running request's next reminder time ahead by
// before of its deadline, and copies the requests' columns, which the
// derivations change behind the store's back, into remind_next beside it
// (migration 0030).
func remindBeforeDue(db *store.DB, before time.Duration) error {
	if err := store.ExecForTest(db, `UPDATE remind_next SET at = (SELECT next_due FROM requests WHERE id = request_id) - ?
		WHERE request_id IN (SELECT id FROM requests WHERE next_due IS NOT NULL)`, before.Milliseconds()); err != nil {
		return err
	}
	return store.ExecForTest(db, `UPDATE remind_next SET (`+store.RemindCopies+`) =
		(SELECT `+store.RemindCopies+` FROM requests WHERE id = request_id)`)
}

func copyFile(tb testing.TB, src, dst string) {
	in, err := os.Open(src)
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkSweep runs one reminder sweep over a store of 1,000,000 requests
// of which about 13,000 have reminders due (50%, 75%, breach, escalation,
// nudges), on a fresh copy each time. Their first-response clocks count
// from when the department took the request (held_since, kept from the
// seed: up to a year before), so most owe all 60 daily nudges;
// BenchmarkSweepOverdue varies that age. It reports the messages written:
// one per recipient (each queue channel, each lead), not one per request.
func BenchmarkSweep(b *testing.B) {
	benchSweepFrom(b, sweepBase(b))
}
