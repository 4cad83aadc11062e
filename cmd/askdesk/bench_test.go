package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
	"github.com/askdesk/askdesk/store/storetest"
)

// BenchmarkSlashCommandHTTP measures what Slack sees of /ask over HTTP:
// signed requests from 16 concurrent clients to the real serve code, which
// verifies the signature, parses, files the request (request, event and
// outbox message in one transaction) and answers with the ephemeral reply.
// The outbox delivers cards to the fake Slack meanwhile. It reports
// throughput and ack latency percentiles, on SQLite, on PostgreSQL with one
// server, and on PostgreSQL with three servers sharing it (the clients'
// requests spread over them as by a load balancer). The PostgreSQL cases
// skip without a server (see store/storetest).
func BenchmarkSlashCommandHTTP(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchSlash(b, benchServers(b, "", 1)) })
	b.Run("postgres", func(b *testing.B) { benchSlash(b, benchServers(b, storetest.URL(b), 1)) })
	b.Run("postgres-3-replicas", func(b *testing.B) { benchSlash(b, benchServers(b, storetest.URL(b), 3)) })
}

// benchServers starts n servers on the database db ("" for a new SQLite
// file) and returns their base URLs.
func benchServers(b *testing.B, db string, n int) []string {
	var so serverOptions
	h := newHarness(b, false, func(o *serverOptions) {
		if db != "" {
			o.DBPath = db
		}
		so = *o
	})
	bases := []string{h.base}
	for range n - 1 {
		srv, err := startServer(context.Background(), so)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { srv.Close() })
		bases = append(bases, "http://"+srv.Addr())
	}
	return bases
}

func benchSlash(b *testing.B, bases []string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	form := slashForm(b, sam, "")
	var seq atomic.Int64
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	b.SetParallelism(8) // 16 clients on 2 cores
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			// Each body differs: the same signed body twice is a replay.
			f := maps.Clone(form)
			f.Set("text", fmt.Sprintf("finance need the Q3 budget numbers (%d)", seq.Add(1)))
			body := []byte(f.Encode())
			n := seq.Load()
			req, _ := http.NewRequest(http.MethodPost, bases[int(n)%len(bases)]+"/slack/commands", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			t0 := time.Now()
			slacktest.SignRequest(req, testSecret, t0, body)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body) // so the connection is reused
			resp.Body.Close()
			mine = append(mine, time.Since(t0))
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(float64(len(lat))*p))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}
