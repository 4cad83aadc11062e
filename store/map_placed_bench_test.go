package store_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

// BenchmarkMapPlaced is BenchmarkMap with a directory whose [people]
// places some of the rated store's 3,000 requesters (U0000 to U2999,
// whose requests carry no stamped department) in the example's
// departments: every tenth, then all of them. A map reads each placed
// requester's cells on their own.
func BenchmarkMapPlaced(b *testing.B) {
	db := ratedStore(b)
	ctx := context.Background()
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	last30, err := report.DatePeriod(today.AddDate(0, 0, -29), today)
	if err != nil {
		b.Fatal(err)
	}
	base, _ := exampleDirectory(b)
	refreshedParts(b, db, base)
	for _, every := range []int{10, 1} {
		dir, _ := exampleDirectory(b)
		for i := 0; i < 3000; i += every {
			u := fmt.Sprintf("U%04d", i)
			dir.People[u] = &bot.Person{ID: u, Department: dir.Departments[i%len(dir.Departments)].Name}
		}
		for _, c := range []struct {
			name string
			p    report.Period
		}{{"Last30Days", last30}, {"Quarter", report.QuarterPeriod(bot.Quarter{Year: 2026, Q: 3})}} {
			b.Run(fmt.Sprintf("%d/%s", 3000/every, c.name), func(b *testing.B) {
				var m *report.RelMap
				cpu := processCPU()
				for b.Loop() {
					if m, err = report.ComputeMap(ctx, db, dir, c.p, benchNow); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64((processCPU()-cpu).Milliseconds())/float64(b.N), "cpu-ms")
				b.ReportMetric(float64(len(m.Pairs)), "pairs")
				b.Logf("pairs %x", sha256.Sum256(fmt.Appendf(nil, "%+v", m.Pairs)))
			})
		}
	}
}
