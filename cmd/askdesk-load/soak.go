package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// A steady-rate run (-rate R): the clients no longer send as fast as they
// are answered; a pacer hands out R operations a second, each to a client
// that is free at that moment, so at most -clients are in flight and a
// server that falls behind is not buried under a queue of its own making:
// the ticks no client was free for are counted as behind, not sent later.
// Meanwhile the target's memory is read every -sample-every, and after the
// run the samples past -mem-warmup are checked for growth: a soak.

// pacer hands out ticks at a steady rate until end.
type pacer struct {
	ticks  chan struct{} // unbuffered: a tick goes to a client waiting for one, or is missed
	done   chan struct{} // closed when the pacer ends
	behind atomic.Int64  // ticks past the warm-up that found no client free
}

// startPacer starts a pacer of rate ticks a second; nil for rate 0 (the
// closed loop: each client sends again as soon as it is answered).
func startPacer(ctx context.Context, rate float64, counted, end time.Time) *pacer {
	if rate <= 0 {
		return nil
	}
	p := &pacer{ticks: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		t := time.NewTicker(time.Duration(float64(time.Second) / rate))
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				if !now.Before(end) {
					return
				}
				select {
				case p.ticks <- struct{}{}:
				default:
					if !now.Before(counted) {
						p.behind.Add(1)
					}
				}
			}
		}
	}()
	return p
}

// wait blocks until the client may send its next operation; false once
// the run is over.
func (p *pacer) wait(ctx context.Context) bool {
	if p == nil {
		return true
	}
	select {
	case <-p.ticks:
		return true
	case <-p.done:
		return false
	case <-ctx.Done():
		return false
	}
}

// memSample is one reading of a server's memory during a steady-rate run.
type memSample struct {
	AtS    float64 `json:"at_s"` // since the load began
	RSSMB  float64 `json:"rss_mb"`
	AnonMB float64 `json:"rss_anon_mb"`
	// HeapMB and StacksMB are the Go runtime's own figures
	// (go_memstats_heap_inuse_bytes, go_memstats_stack_inuse_bytes) from
	// the server's /metrics; 0 where it has none (the reference).
	HeapMB   float64 `json:"go_heap_inuse_mb,omitempty"`
	StacksMB float64 `json:"go_stack_inuse_mb,omitempty"`
	// IdleMB is heap the Go runtime holds but does not use and has not
	// given back (heap_idle - heap_released): private memory all the same,
	// so growth in RssAnon that neither it nor HeapMB explains is outside
	// Go's heap (SQLite's page caches, in modernc.org/sqlite's allocator).
	IdleMB     float64 `json:"go_heap_idle_kept_mb,omitempty"`
	Goroutines int64   `json:"goroutines,omitempty"`
	// Pending is askdesk's outbox backlog (/healthz outbox_pending): the
	// messages waiting to go to Slack; nil where there is none to read
	// (the reference) or the read failed.
	Pending *int `json:"outbox_pending,omitempty"`
}

// memSeries reads a server's memory every interval until stopped.
type memSeries struct {
	stopc   chan struct{}
	done    chan struct{}
	samples []memSample
	err     error
}

// metrics and health are the target's /metrics URL and /healthz base URL,
// "" for none. Each sample is also told to progress as it is taken, so a
// long soak's log holds its series even if the run is cut short.
func sampleSeries(pid int, metrics, health string, hc *http.Client, interval time.Duration, progress func(string, ...any)) *memSeries {
	s := &memSeries{stopc: make(chan struct{}), done: make(chan struct{})}
	start := time.Now()
	go func() {
		defer close(s.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			m, err := readMem(pid)
			if err != nil {
				s.err = err
				return
			}
			ms := memSample{AtS: time.Since(start).Seconds(), RSSMB: mb(m.RSS), AnonMB: mb(m.Anon)}
			if metrics != "" {
				// A failed read leaves the Go figures out of this sample:
				// they explain the series, the RSS is what is judged.
				if g, err := goMemory(hc, metrics); err == nil {
					ms.HeapMB, ms.StacksMB = mb(g["go_memstats_heap_inuse_bytes"]), mb(g["go_memstats_stack_inuse_bytes"])
					ms.IdleMB = mb(g["go_memstats_heap_idle_bytes"] - g["go_memstats_heap_released_bytes"])
					ms.Goroutines = g["go_goroutines"]
				}
			}
			if health != "" {
				// Likewise: a failed read leaves the backlog out of this
				// sample, and the judgement says how many it had.
				if n, err := outboxPending(context.Background(), hc, health); err == nil {
					ms.Pending = &n
				}
			}
			s.samples = append(s.samples, ms)
			pending := "-"
			if ms.Pending != nil {
				pending = strconv.Itoa(*ms.Pending)
			}
			progress("sample at %.0f s: RSS %.1f MB, anon %.1f MB, Go heap %.1f MB, Go idle %.1f MB, goroutines %d, outbox %s",
				ms.AtS, ms.RSSMB, ms.AnonMB, ms.HeapMB, ms.IdleMB, ms.Goroutines, pending)
			select {
			case <-s.stopc:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *memSeries) stop() ([]memSample, error) {
	close(s.stopc)
	<-s.done
	return s.samples, s.err
}

// goMemory reads the go_memstats gauges and go_goroutines from a
// Prometheus text page.
func goMemory(hc *http.Client, url string) (map[string]int64, error) {
	resp, err := hc.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d", url, resp.StatusCode)
	}
	out := map[string]int64{}
	sc := bufio.NewScanner(io.LimitReader(resp.Body, 4<<20))
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		if !ok || !strings.HasPrefix(name, "go_memstats_") && name != "go_goroutines" {
			continue
		}
		if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
			out[name] = int64(f)
		}
	}
	return out, sc.Err()
}

// growthReport judges a memory series past its warm-up.
type growthReport struct {
	WarmupS float64 `json:"warmup_s"`
	Samples int     `json:"samples"` // past the warm-up
	// FirstMB and LastMB are the private memory (RssAnon) of the first and
	// last sample past the warm-up; MaxMB the largest of them.
	FirstMB float64 `json:"first_anon_mb"`
	LastMB  float64 `json:"last_anon_mb"`
	MaxMB   float64 `json:"max_anon_mb"`
	// TrendMB is the least-squares slope of those samples times their
	// span: how much the private memory grew over it, noise averaged out.
	TrendMB     float64 `json:"trend_anon_mb"`
	ToleranceMB float64 `json:"tolerance_mb"`
	Flat        bool    `json:"flat"`
	Why         string  `json:"why,omitempty"` // when it cannot say
	// Backlog judges the outbox the same way, when the samples have it.
	Backlog *backlogReport `json:"outbox_backlog,omitempty"`
}

// backlogReport is the outbox backlog past the warm-up: a soak is only
// bounded when what askdesk is given to post does not outrun what it
// posts, or the database (and anything that follows the backlog) grows
// for as long as the load lasts.
type backlogReport struct {
	Samples int `json:"samples"` // past the warm-up, with a backlog read
	First   int `json:"first"`
	Last    int `json:"last"`
	Max     int `json:"max"`
	// Trend is the least-squares slope of the backlog times the span, in
	// messages; Bounded when it is under Tolerance.
	Trend     float64 `json:"trend"`
	Tolerance float64 `json:"tolerance"`
	Bounded   bool    `json:"bounded"`
}

// judgeGrowth fits a line to the private memory of the samples taken
// after warmup and calls the series flat when the line rises less than
// tolerance MB over their span. It needs three samples to say anything.
// The outbox backlog, where the samples have it, is judged alike against
// backlogTolerance messages.
func judgeGrowth(samples []memSample, warmup time.Duration, tolerance, backlogTolerance float64) *growthReport {
	g := &growthReport{WarmupS: warmup.Seconds(), ToleranceMB: tolerance}
	var xs, ys, bxs, bys []float64
	for _, s := range samples {
		if s.AtS >= warmup.Seconds() {
			xs, ys = append(xs, s.AtS), append(ys, s.AnonMB)
			if s.Pending != nil {
				bxs, bys = append(bxs, s.AtS), append(bys, float64(*s.Pending))
			}
		}
	}
	g.Samples = len(xs)
	if len(xs) < 3 {
		g.Why = fmt.Sprintf("%d samples after the warm-up: need 3 (a longer -duration, or a shorter -sample-every or -mem-warmup)", len(xs))
		return g
	}
	g.FirstMB, g.LastMB = ys[0], ys[len(ys)-1]
	for _, y := range ys {
		g.MaxMB = max(g.MaxMB, y)
	}
	g.TrendMB = trend(xs, ys)
	g.Flat = g.TrendMB < tolerance
	if len(bxs) >= 3 {
		b := &backlogReport{Samples: len(bxs), First: int(bys[0]), Last: int(bys[len(bys)-1]), Tolerance: backlogTolerance}
		for _, y := range bys {
			b.Max = max(b.Max, int(y))
		}
		b.Trend = trend(bxs, bys)
		b.Bounded = b.Trend < backlogTolerance
		g.Backlog = b
	}
	return g
}

// trend is the least-squares slope of ys over xs times the span of xs:
// how much ys rose over it, noise averaged out. It needs two distinct xs.
func trend(xs, ys []float64) float64 {
	var mx, my float64
	for i := range xs {
		mx, my = mx+xs[i], my+ys[i]
	}
	mx, my = mx/float64(len(xs)), my/float64(len(xs))
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	return sxy / sxx * (xs[len(xs)-1] - xs[0])
}

func (g *growthReport) print(w io.Writer) {
	switch {
	case g.Why != "":
		fmt.Fprintf(w, "  memory growth after %.0f s warm-up: cannot say: %s\n", g.WarmupS, g.Why)
	case g.Flat:
		fmt.Fprintf(w, "  memory growth after %.0f s warm-up: FLAT: private memory %.1f → %.1f MB (max %.1f) over %d samples, trend %+.2f MB (tolerance %.1f MB)\n",
			g.WarmupS, g.FirstMB, g.LastMB, g.MaxMB, g.Samples, g.TrendMB, g.ToleranceMB)
	default:
		fmt.Fprintf(w, "  memory growth after %.0f s warm-up: GROWS: private memory %.1f → %.1f MB (max %.1f) over %d samples, trend %+.2f MB (tolerance %.1f MB)\n",
			g.WarmupS, g.FirstMB, g.LastMB, g.MaxMB, g.Samples, g.TrendMB, g.ToleranceMB)
	}
	if b := g.Backlog; b != nil {
		verdict := "BOUNDED"
		if !b.Bounded {
			verdict = "GROWS"
		}
		fmt.Fprintf(w, "  outbox backlog after %.0f s warm-up: %s: %d → %d waiting (max %d) over %d samples, trend %+.0f (tolerance %.0f)\n",
			g.WarmupS, verdict, b.First, b.Last, b.Max, b.Samples, b.Trend, b.Tolerance)
	}
}

func printSeries(w io.Writer, samples []memSample) {
	fmt.Fprintln(w, "  memory every sample:   at        RSS MB   anon MB   Go heap MB   Go idle MB   Go stacks MB   goroutines   outbox")
	for _, s := range samples {
		pending := "-"
		if s.Pending != nil {
			pending = strconv.Itoa(*s.Pending)
		}
		fmt.Fprintf(w, "                      %6.0f s   %7.1f   %7.1f   %10.1f   %10.1f   %12.1f   %10d   %6s\n", s.AtS, s.RSSMB, s.AnonMB, s.HeapMB, s.IdleMB, s.StacksMB, s.Goroutines, pending)
	}
}
