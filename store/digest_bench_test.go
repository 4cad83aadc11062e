package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// realisticStore returns a store seeded by SeedRealisticForBench, cached
// like benchStore's.
func realisticStore(b *testing.B, n int) *store.DB {
	return openBench(b, cachedFile(b, fmt.Sprintf("askdesk-bench-realistic-%d-v2.db", n), seeded(func(db *store.DB) error {
		return store.SeedRealisticForBench(db, n, benchNow)
	})))
}

// BenchmarkDigest computes the weekly digests of every department of the
// example company, and the org-wide one, from a store holding a year of
// history: 1,000,000 requests. Realistic: a working desk, about 1% still
// open (SeedRealisticForBench). Backlog: BenchmarkDueBefore's store, where
// a tenth (100,000) are still open, a year's worth of backlog to evaluate
// at every week's end.
func BenchmarkDigest(b *testing.B) {
	dir, org := exampleDirectory(b)
	// Tuesday 24 November 2026: the digests of 2026-W47.
	week := report.LastCompleteWeek(benchNow, org)
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
			refreshedParts(b, db, dir)
			for _, src := range benchSources(db) {
				b.Run(src.name, func(b *testing.B) {
					var ds []*report.Digest
					var err error
					cpu := processCPU()
					for b.Loop() {
						if ds, err = report.ComputeDigests(ctx, src.reports, dir, week, org, benchNow); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64((processCPU()-cpu).Milliseconds())/float64(b.N), "cpu-ms")
					all := ds[len(ds)-1].Figures
					b.ReportMetric(float64(all.New), "new/week")
					b.ReportMetric(float64(all.Open), "open")
					b.Logf("%s org-wide %s: %+v", c.name, ds[len(ds)-1].Week, all)
				})
			}
		})
	}
}
