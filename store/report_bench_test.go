package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/askdesk/askdesk"
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// ratedStore returns a copy of the realistic store (realisticStore) in
// which every resolution had a rating prompt: 5% skipped for fatigue, 60%
// of the rest rated, scores spread over 1–5. It is kept in the temp dir
// like the others; the realistic file itself is left as the digest
// benchmarks know it.
func ratedStore(b *testing.B) *store.DB {
	src := realisticStore(b, 1_000_000).Path()
	return openBench(b, cachedFile(b, "askdesk-bench-rated-1000000-v1.db", derived(b, src, func(db *store.DB) error {
		return store.ExecForTest(db, `INSERT INTO ratings (request_id, round, requester, dept, asked_at, skipped, score, rated_at)
			SELECT id, reopens, requester, dept, resolved_at,
				CASE WHEN num % 20 = 0 THEN 'fatigue' ELSE '' END,
				CASE WHEN num % 20 != 0 AND num % 10 < 6 THEN (num * 7 + length(requester)) % 5 + 1 END,
				CASE WHEN num % 20 != 0 AND num % 10 < 6 THEN resolved_at + 3600000 END
			FROM requests WHERE resolved_at IS NOT NULL`)
	})))
}

func exampleDirectory(b *testing.B) (*bot.Directory, *time.Location) {
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
	return dir, org
}

// BenchmarkReport computes the scorecards of 2026-Q3 (every department
// and the company, compared with Q2) from the rated realistic store: a
// year of history, 1,000,000 requests, 4 million events, 0.9 million
// rating prompts; and writes them as a table. Parts reads the stored parts
// (worked out first, once: the time is logged); WholeRequests the
// requests and their histories, as figures did before parts were kept.
func BenchmarkReport(b *testing.B) {
	dir, org := exampleDirectory(b)
	db := ratedStore(b)
	ctx := context.Background()
	refreshedParts(b, db, dir)
	opts := report.ReportOptions{Period: report.QuarterPeriod(bot.Quarter{Year: 2026, Q: 3}), OrgZone: org, Now: benchNow}
	for _, src := range benchSources(db) {
		b.Run(src.name, func(b *testing.B) {
			var r *report.Report
			cpu := processCPU()
			for b.Loop() {
				var err error
				if r, err = report.ComputeReport(ctx, src.reports, dir, opts); err != nil {
					b.Fatal(err)
				}
				if err := report.WriteReport(io.Discard, r, "table", dir); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((processCPU()-cpu).Milliseconds())/float64(b.N), "cpu-ms")
			b.ReportMetric(float64(r.Company.Figures.New), "new/quarter")
			b.ReportMetric(float64(r.Company.CSAT.Answered), "ratings/quarter")
			b.Logf("company %s: %+v, CSAT %+v", r.Period, r.Company.Figures, r.Company.CSAT)
		})
	}
}

// benchSource is where a figures benchmark reads from.
type benchSource struct {
	name    string
	reports report.Reports
}

// benchSources are the stored parts, and whole requests (the reference).
func benchSources(db *store.DB) []benchSource {
	return []benchSource{{"Parts", db}, {"WholeRequests", reference(db)}}
}

// refreshedParts works out the parts of every request changed since the
// last run (all of them the first time: the backfill) and logs how long
// it took.
func refreshedParts(b *testing.B, db *store.DB, dir *bot.Directory) {
	b.Helper()
	start := time.Now()
	if err := report.RefreshParts(context.Background(), db, dir, benchNow); err != nil {
		b.Fatal(err)
	}
	b.Logf("parts refreshed in %s", time.Since(start).Round(time.Millisecond))
}

// BenchmarkExport streams whole tables of the rated realistic store
// through the exporter into CSV and JSON Lines, discarding the bytes.
func BenchmarkExport(b *testing.B) {
	dir, _ := exampleDirectory(b)
	db := ratedStore(b)
	ctx := context.Background()
	for _, format := range report.ExportFormats {
		for _, table := range report.ExportTables {
			b.Run(table+"/"+format, func(b *testing.B) {
				var rows int
				var out countingWriter
				for b.Loop() {
					out = 0
					w, err := report.NewRecordWriter(&out, format, report.ExportColumns(table))
					if err != nil {
						b.Fatal(err)
					}
					if rows, err = report.NewExporter(dir, benchNow).Export(ctx, db, table, time.Time{}, time.Time{}, w); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(rows), "rows/op")
				b.ReportMetric(float64(out)/1e6, "MB/op")
			})
		}
	}
}

// countingWriter counts the bytes it is given and keeps none.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// BenchmarkMap computes the relationship map as /ask map does (the last 30
// days) and as askdesk map does for a quarter, on the rated realistic
// store; cpu-ms is the process's CPU time per map, steadier than the time
// on a shared machine.
func BenchmarkMap(b *testing.B) {
	dir, _ := exampleDirectory(b)
	db := ratedStore(b)
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
				b.Logf("pairs %x", sha256.Sum256(fmt.Appendf(nil, "%+v", m.Pairs))) // the same figures before and after a change
				b.Logf("busiest pair %+v", m.Pairs[0])
			})
		}
	}
}
