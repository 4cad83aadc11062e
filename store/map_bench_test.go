package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// stampedStore returns a copy of the rated realistic store (ratedStore)
// in which every request carries its requester's department as stamped
// at filing (one of twelve, by requester), as askdesk stamps those it can
// place: the realistic seed files every request from a requester it
// cannot place. The cells are marked not ready, so that the first
// refresh works every part out again and rebuilds every cell, the map's
// ratings' too.
func stampedStore(b *testing.B) *store.DB {
	src := ratedStore(b).Path()
	return openBench(b, cachedFile(b, "askdesk-bench-stamped-1000000-v1.db", derived(b, src, func(db *store.DB) error {
		if err := store.ExecForTest(db, `UPDATE requests SET requester_dept = 'c' || ((length(requester) + unicode(substr(requester, -1))) % 12)`); err != nil {
			return err
		}
		return store.ExecForTest(db, `UPDATE report_rollup_state SET ready = 0`)
	})))
}

// BenchmarkCustomerCells is BenchmarkMap on the stamped store
// (stampedStore): 90 pairs of twelve customer departments and the nine
// serving ones, whose map cells hold a department's customers rather
// than each requester's.
func BenchmarkCustomerCells(b *testing.B) {
	dir, _ := exampleDirectory(b)
	db := stampedStore(b)
	ctx := context.Background()
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	last30, err := report.DatePeriod(today.AddDate(0, 0, -29), today)
	if err != nil {
		b.Fatal(err)
	}
	refreshedParts(b, db, dir)
	for _, c := range []struct {
		name string
		p    report.Period
	}{{"Last30Days", last30}, {"Quarter", report.QuarterPeriod(bot.Quarter{Year: 2026, Q: 3})}} {
		for _, src := range benchSources(db) {
			b.Run(c.name+"/"+src.name, func(b *testing.B) {
				var m *report.RelMap
				cpu := processCPU()
				for b.Loop() {
					if m, err = report.ComputeMap(ctx, src.reports, dir, c.p, benchNow); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64((processCPU()-cpu).Milliseconds())/float64(b.N), "cpu-ms")
				b.ReportMetric(float64(len(m.Pairs)), "pairs")
				b.Logf("busiest pair %+v", m.Pairs[0])
			})
		}
	}
}
