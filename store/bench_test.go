package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/askdesk/askdesk/store"
)

// benchStore returns a store holding n requests. The seeded file is kept in
// the system temp dir between runs, since seeding a million rows takes a
// while; delete askdesk-bench-*.db there to force a fresh one.
func benchStore(b *testing.B, n int) *store.DB {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("askdesk-bench-%d-v1.db", n))
	if _, err := os.Stat(path); err != nil {
		tmp := path + ".seeding"
		os.Remove(tmp)
		db, err := store.Open(ctx, tmp)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := store.SeedForBench(db, n, benchNow.UnixMilli()); err != nil {
			b.Fatal(err)
		}
		db.Close()
		os.Remove(tmp + "-wal")
		os.Remove(tmp + "-shm")
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d requests in %s", n, time.Since(start).Round(time.Millisecond))
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

var benchNow = time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)

// BenchmarkDueBefore asks what is due in the next hour, and in the next
// day, of a store with a million requests (100,000 still running).
func BenchmarkDueBefore(b *testing.B) {
	db := benchStore(b, 1_000_000)
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		within time.Duration
		limit  int
	}{{"NextHour", time.Hour, 1000}, {"NextDay", 24 * time.Hour, 10000}} {
		b.Run(c.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				rs, err := db.DueBefore(ctx, benchNow.Add(c.within), c.limit)
				if err != nil {
					b.Fatal(err)
				}
				n = len(rs)
			}
			b.ReportMetric(float64(n), "rows/op")
		})
	}
}
