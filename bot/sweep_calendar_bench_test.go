package bot_test

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkSweepRealCalendar sweeps 2,000 requests overdue for weeks
// (daily nudges) on a real calendar (nights, lunch, weekends, holidays),
// where store's BenchmarkSweep uses one open 24/7 and clocks 4h overdue.
func BenchmarkSweepRealCalendar(b *testing.B) {
	const n = 2000
	f := newFixture(b)
	for i := range n {
		f.File(b, sam, "finance", fmt.Sprint("r", i))
	}
	f.Sent(b)
	ny := mustZone(b, "America/New_York")
	day := at(b, ny, "2027-01-20 16:00") // ~40 business days overdue
	f.Clock.Set(day)
	f.sweep(b)
	f.Sent(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		day = day.AddDate(0, 0, 1)
		for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			day = day.AddDate(0, 0, 1)
		}
		f.Clock.Set(day)
		b.StartTimer()
		rep := f.sweep(b)
		b.ReportMetric(float64(rep.Requests), "requests")
		b.ReportMetric(float64(rep.Reminders), "reminders")
	}
}
