package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// BenchmarkAckLimit is the ceiling of the ack path: what an /ask writes
// before its reply (the replay check's row in slack_seen; the request, its
// created event, its search document and its card in the outbox, in one
// job) committed by 16 goroutines through the group commit, with no HTTP,
// no Slack payload and no desk around it. askdesk serve under the load
// tool can at best approach this figure (docs/performance.md).
func BenchmarkAckLimit(b *testing.B) {
	b.Run("empty", func(b *testing.B) {
		benchAckLimit(b, MustOpenStore(b))
	})
	b.Run("1M", func(b *testing.B) {
		// A copy: the benchmark writes, and the cached store must stay as
		// built.
		src := cachedFile(b, "askdesk-bench-1000000-v2.db", seeded(func(db *store.DB) error {
			return store.SeedForBench(db, 1_000_000, benchNow.UnixMilli())
		}))
		dst := filepath.Join(b.TempDir(), "askdesk.db")
		copyFile(b, src, dst)
		benchAckLimit(b, openBench(b, dst))
	})
}

func benchAckLimit(b *testing.B, db *store.DB) {
	ctx := context.Background()
	depts := []struct{ prefix, name, channel string }{
		{"FIN", "finance", "#finance"}, {"IT", "it", "#it-help"}, {"HR", "hr", "#hr"}, {"FAC", "facilities", "#facilities"},
	}
	var seq atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(8) // 16 goroutines on 2 cores, as the load tool's 16 clients
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			n := seq.Add(1)
			t0 := time.Now()
			d := depts[n%int64(len(depts))]
			if first, err := db.FirstSeen(ctx, fmt.Sprintf("sig:v0=%064x", n), t0); err != nil || !first {
				b.Errorf("first seen: %v, %v", first, err)
				return
			}
			text := fmt.Sprintf("load test c%d n%d: please look at this", n%16, n)
			ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: fmt.Sprintf("U%04d", n%500), At: t0, Dept: d.name,
				Priority: bot.Normal, Title: bot.Title(text), Text: text, Source: "slash"}
			var r bot.Request
			if err := r.Apply(ev); err != nil {
				b.Error(err)
				return
			}
			r.FirstResponseDue, r.ResolutionDue = t0.Add(4*time.Hour), t0.Add(48*time.Hour)
			r.NextRemindAt = t0.Add(2 * time.Hour)
			announce := func(r *bot.Request) []bot.Message {
				return []bot.Message{{To: d.channel, CardFor: r.ID, Change: "filed by " + bot.Mention(r.Requester)}}
			}
			if err := db.CreateRequest(ctx, d.prefix, &r, &ev, announce); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) == 0 {
		return
	}
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(float64(len(lat))*p))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "filings/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
