package store_test

import (
	"context"
	"testing"

	"github.com/askdesk/askdesk/store"
)

// BenchmarkRoutingHistory reads what routing reads when it builds its
// model: each of eight departments' last 500 routed and resolved requests,
// from a store of 1,000,000 requests. It works on a copy of the
// 1,000,000-request benchmark file migrated to this version.
func BenchmarkRoutingHistory(b *testing.B) {
	src := cachedFile(b, "askdesk-bench-1000000-v1.db", seeded(func(db *store.DB) error {
		return store.SeedForBench(db, 1_000_000, benchNow.UnixMilli())
	}))
	db := openBench(b, cachedFile(b, "askdesk-bench-1000000-v1-routing.db", derived(b, src, func(*store.DB) error { return nil })))
	ctx := context.Background()
	depts := []string{"finance", "it", "hr", "legal", "marketing", "sales", "facilities", "purchasing"}
	var n int
	for b.Loop() {
		n = 0
		for _, d := range depts {
			h, err := db.RoutingHistory(ctx, d, 500)
			if err != nil {
				b.Fatal(err)
			}
			n += len(h)
		}
	}
	b.ReportMetric(float64(n), "titles/op")
}
