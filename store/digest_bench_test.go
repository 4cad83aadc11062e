package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/askdesk/askdesk"
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/store"
)

// realisticStore returns a store seeded by SeedRealisticForBench, kept in
// the system temp dir between runs like benchStore's.
func realisticStore(b *testing.B, n int) *store.DB {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("askdesk-bench-realistic-%d-v2.db", n))
	if _, err := os.Stat(path); err != nil {
		tmp := path + ".seeding"
		os.Remove(tmp)
		db, err := store.Open(ctx, tmp)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := store.SeedRealisticForBench(db, n, benchNow); err != nil {
			b.Fatal(err)
		}
		db.Close()
		os.Remove(tmp + "-wal")
		os.Remove(tmp + "-shm")
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d requests with their histories in %s", n, time.Since(start).Round(time.Millisecond))
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkDigest computes the weekly digests of every department of the
// example company, and the org-wide one, from a store holding a year of
// history: 1,000,000 requests. Realistic: a working desk, about 1% still
// open (SeedRealisticForBench). Backlog: BenchmarkDueBefore's store, where
// a tenth (100,000) are still open, a year's worth of backlog to evaluate
// at every week's end.
func BenchmarkDigest(b *testing.B) {
	cfg, err := config.Parse("config.example.toml", bytes.NewReader(askdesk.ExampleConfig))
	if err != nil {
		b.Fatal(err)
	}
	dir, err := cfg.Directory()
	if err != nil {
		b.Fatal(err)
	}
	org, err := time.LoadLocation(cfg.Schedule.Timezone)
	if err != nil {
		b.Fatal(err)
	}
	// Tuesday 24 November 2026: the digests of 2026-W47.
	week := bot.LastCompleteWeek(benchNow, org)
	for _, c := range []struct {
		name string
		open func(*testing.B) *store.DB
	}{
		{"Realistic", func(b *testing.B) *store.DB { return realisticStore(b, 1_000_000) }},
		{"Backlog", func(b *testing.B) *store.DB { return benchStore(b, 1_000_000) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			db := c.open(b)
			ctx := context.Background()
			var ds []*bot.Digest
			for b.Loop() {
				if ds, err = bot.ComputeDigests(ctx, db, dir, week, org, benchNow); err != nil {
					b.Fatal(err)
				}
			}
			all := ds[len(ds)-1].Figures
			b.ReportMetric(float64(all.New), "new/week")
			b.ReportMetric(float64(all.Open), "open")
			b.Logf("%s org-wide %s: %+v", c.name, ds[len(ds)-1].Week, all)
		})
	}
}
