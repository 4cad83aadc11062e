package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// BenchmarkRollupUpkeep measures what keeping the cells costs the writer
// on the rated realistic store: Batch works out again 100 requests
// (report.RefreshParts' transaction, the cells kept in it); Rebuild makes
// every cell afresh from the million requests' parts, as after the
// upgrade or a copy, in its one transaction.
func BenchmarkRollupUpkeep(b *testing.B) {
	dir, _ := exampleDirectory(b)
	db := ratedStore(b)
	ctx := context.Background()
	refreshedParts(b, db, dir)
	b.Run("Batch", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			if err := store.ExecForTest(db, `INSERT INTO report_stale (request_id, version)
				SELECT id, version FROM requests WHERE id IN (SELECT request_id FROM report_parts WHERE dept = 'it' ORDER BY end_key DESC LIMIT 100)
				ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = report_stale.seq + 1`); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if err := report.RefreshParts(ctx, db, dir, benchNow); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Rebuild", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			if err := store.ExecForTest(db, `UPDATE report_rollup_state SET ready = 0`); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			start := time.Now()
			if err := report.RefreshParts(ctx, db, dir, benchNow); err != nil {
				b.Fatal(err)
			}
			b.Logf("cells rebuilt in %s", time.Since(start).Round(time.Millisecond))
		}
	})
}
