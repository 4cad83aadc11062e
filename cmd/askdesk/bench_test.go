package main

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/fakeslack"
)

// BenchmarkSlashCommandHTTP measures what Slack sees of /ask over HTTP:
// signed requests from 16 concurrent clients to the real serve code, which
// verifies the signature, parses, files the request in SQLite (request,
// event and outbox message in one transaction) and answers with the
// ephemeral reply. The outbox delivers cards to the fake Slack meanwhile.
// It reports throughput and ack latency percentiles.
func BenchmarkSlashCommandHTTP(b *testing.B) {
	h := newHarness(b, false)
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
			req, _ := http.NewRequest(http.MethodPost, h.base+"/slack/commands", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			t0 := time.Now()
			fakeslack.SignRequest(req, testSecret, t0, body)
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
