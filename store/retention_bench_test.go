package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// BenchmarkBackup copies and verifies the realistic store: a year of
// history, 1,000,000 requests and their 4 million events. WhileFiling
// files requests meanwhile, on a copy, as serve would, and reports the
// longest a filing waited.
func BenchmarkBackup(b *testing.B) {
	src := realisticStore(b, 1_000_000)
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		filing bool
	}{{"Idle", false}, {"WhileFiling", true}} {
		b.Run(c.name, func(b *testing.B) {
			db := src
			if c.filing {
				path := filepath.Join(b.TempDir(), "live.db")
				copyFile(b, src.Path(), path)
				syncForBench(b, path)
				db = openBench(b, path)
			}
			var info store.BackupInfo
			var slowest time.Duration
			for b.Loop() {
				stop, started, done := make(chan struct{}), make(chan struct{}), make(chan time.Duration, 1)
				if c.filing {
					go fileTimed(db, stop, started, done)
					<-started
				}
				out := filepath.Join(b.TempDir(), "backup.db")
				var err error
				if info, err = db.Backup(ctx, out, false); err != nil {
					b.Fatal(err)
				}
				if c.filing {
					close(stop)
					slowest = max(slowest, <-done)
				}
				os.Remove(out)
			}
			b.ReportMetric(float64(info.Bytes)/(1<<20), "MiB")
			b.ReportMetric(float64(info.Requests), "requests")
			b.ReportMetric(float64(info.Events), "events")
			if c.filing {
				b.ReportMetric(float64(slowest.Microseconds())/1000, "max-filing-ms")
			}
		})
	}
}

// BenchmarkRedact redacts the realistic store, on a fresh copy each time.
// CatchUp: the first run of a 30-day policy, which finds most of a year to
// do. Daily: the next day's run, after the catch-up: one day's closings;
// WhileFiling, with requests filed meanwhile, reports the longest a filing
// waited.
func BenchmarkRedact(b *testing.B) {
	src := realisticStore(b, 1_000_000).Path()
	cutoff := benchNow.AddDate(0, 0, -30)
	caughtUp := cachedFile(b, "askdesk-bench-redacted-1000000-v1.db", derived(b, src, func(db *store.DB) error {
		_, err := db.Redact(context.Background(), cutoff.AddDate(0, 0, -1))
		return err
	}))
	for _, c := range []struct {
		name   string
		base   string
		filing bool // file requests meanwhile, as serve would
	}{{"CatchUp", src, false}, {"Daily", caughtUp, false}, {"DailyWhileFiling", caughtUp, true}} {
		b.Run(c.name, func(b *testing.B) {
			var st store.RedactStats
			var took, slowest time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				path := filepath.Join(b.TempDir(), "redact.db")
				copyFile(b, c.base, path)
				syncForBench(b, path)
				db, err := store.Open(context.Background(), path)
				if err != nil {
					b.Fatal(err)
				}
				stop, started, done := make(chan struct{}), make(chan struct{}), make(chan time.Duration, 1)
				if c.filing {
					go fileTimed(db, stop, started, done)
					<-started
				}
				b.StartTimer()
				start := time.Now()
				if st, err = db.Redact(context.Background(), cutoff); err != nil {
					b.Fatal(err)
				}
				took = time.Since(start)
				b.StopTimer()
				if c.filing {
					close(stop)
					slowest = max(slowest, <-done)
				}
				db.Close()
			}
			b.ReportMetric(float64(st.Requests), "requests")
			b.ReportMetric(float64(st.Events), "events")
			if st.Requests > 0 {
				// How long one transaction holds the writer.
				b.ReportMetric(float64(took.Milliseconds())/float64((st.Requests+99)/100), "ms/batch")
			}
			if c.filing {
				b.ReportMetric(float64(slowest.Microseconds())/1000, "max-filing-ms")
			}
		})
	}
}

// syncForBench flushes a fresh copy to disk, so that the first checkpoint
// of the run measured does not pay for writing out the whole file.
func syncForBench(b *testing.B, path string) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
}

// fileTimed files a request every 10 ms (a hundred a second, far busier
// than any desk) until stop is closed, and sends the longest any took;
// started is closed after the first.
func fileTimed(db *store.DB, stop <-chan struct{}, started chan<- struct{}, done chan<- time.Duration) {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	var slowest time.Duration
	for i := 0; ; i++ {
		ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: "U0SAM0001", At: benchNow, Dept: "finance",
			Priority: bot.Normal, Title: "need numbers", Text: "need numbers for the board"}
		var r bot.Request
		r.Apply(ev)
		start := time.Now()
		if err := db.CreateRequest(context.Background(), "FIN", &r, &ev, nil); err != nil {
			panic(err)
		}
		slowest = max(slowest, time.Since(start))
		if i == 0 {
			close(started)
		}
		select {
		case <-stop:
			done <- slowest
			return
		case <-tick.C:
		}
	}
}
