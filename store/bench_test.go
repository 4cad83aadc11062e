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

// cachedFile returns the path of the benchmark database name in the system
// temp dir, building it first with build (given a scratch path) when it is
// missing. Seeding a million rows takes a while, so the files are kept
// between runs; delete askdesk-bench-*.db there to force fresh ones.
func cachedFile(b *testing.B, name string, build func(tmp string) error) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), name)
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".building"
	os.Remove(tmp)
	start := time.Now()
	if err := build(tmp); err != nil {
		b.Fatal(err)
	}
	os.Remove(tmp + "-wal")
	os.Remove(tmp + "-shm")
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %s in %s", name, time.Since(start).Round(time.Millisecond))
	return path
}

// seeded builds a cached file from a fresh store filled by seed.
func seeded(seed func(db *store.DB) error) func(tmp string) error {
	return func(tmp string) error {
		db, err := store.Open(context.Background(), tmp)
		if err != nil {
			return err
		}
		defer db.Close()
		return seed(db)
	}
}

// derived builds a cached file from a copy of src changed by change.
func derived(b *testing.B, src string, change func(db *store.DB) error) func(tmp string) error {
	return func(tmp string) error {
		copyFile(b, src, tmp)
		return seeded(change)(tmp)
	}
}

// openBench opens a cached benchmark file for the benchmark's duration.
func openBench(b *testing.B, path string) *store.DB {
	b.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// postgresBenchStore opens the PostgreSQL database named by
// ASKDESK_BENCH_POSTGRES_1M: the million-request store copied there once
// (docs/performance.md says how), too slow to seed afresh for every run.
func postgresBenchStore(b *testing.B) *store.DB {
	u := os.Getenv("ASKDESK_BENCH_POSTGRES_1M")
	if u == "" {
		b.Skip("set ASKDESK_BENCH_POSTGRES_1M to a PostgreSQL URL holding the million-request store (docs/performance.md)")
	}
	return openBench(b, u)
}

// benchStore returns a store holding n requests (SeedForBench).
func benchStore(b *testing.B, n int) *store.DB {
	path := cachedFile(b, fmt.Sprintf("askdesk-bench-%d-v2.db", n), seeded(func(db *store.DB) error {
		return store.SeedForBench(db, n, benchNow.UnixMilli())
	}))
	// Migrated and closed (which checkpoints it) before it is held open:
	// derived files are copied from it while it is open, and a file built
	// before the latest migration would otherwise be migrated on opening
	// and checkpointed while being copied, a torn copy.
	db, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	return openBench(b, path)
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
