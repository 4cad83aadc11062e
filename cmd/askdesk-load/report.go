package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// report is everything one run found; -json prints it as it is.
type report struct {
	Params      options        `json:"params"`
	SeedSeconds float64        `json:"seed_seconds,omitempty"` // 0: the store came from the cache
	Targets     []targetReport `json:"targets"`
	// Ratio is askdesk's ops/s in HTTP mode over the reference's;
	// SocketRatio the same for askdesk in Socket Mode.
	Ratio       float64 `json:"throughput_ratio,omitempty"`
	SocketRatio float64 `json:"socket_throughput_ratio,omitempty"`
}

// ratios compares askdesk's throughput with the reference's.
func (r *report) ratios() {
	var ref float64
	for _, t := range r.Targets {
		switch {
		case t.Name == "reference":
			ref = t.OpsPerS
		case ref <= 0:
		case t.Mode == "http":
			r.Ratio = t.OpsPerS / ref
		case t.Mode == "socket":
			r.SocketRatio = t.OpsPerS / ref
		}
	}
}

type targetReport struct {
	Name    string `json:"target"`
	Mode    string `json:"mode"` // http or socket
	Clients int    `json:"clients"`
	loadResult
	PeakRSSMB float64 `json:"peak_rss_mb"`     // VmHWM after the load: the peak since start
	MaxRSSMB  float64 `json:"max_rss_mb"`      // largest VmRSS sampled during the load
	MaxAnonMB float64 `json:"max_rss_anon_mb"` // largest RssAnon sampled (heap and stacks, no file pages)
	StartupMs float64 `json:"startup_ms"`      // exec to the "serving" log line
	Warnings  int     `json:"log_warnings"`    // WARN and ERROR lines logged
	// LoadCalls are the Web API calls the fake Slack answered during the
	// load, warm-up included, by method.
	LoadCalls map[string]int   `json:"slack_calls_during_load"`
	Late      *lateReport      `json:"late_acks,omitempty"`
	Drain     *drainReport     `json:"drain,omitempty"`
	Lifecycle *lifecycleResult `json:"lifecycle,omitempty"`
	// Memory is sampled every -sample-every in a steady-rate run, and
	// Growth judges it (soak.go).
	Memory []memSample   `json:"memory,omitempty"`
	Growth *growthReport `json:"memory_growth,omitempty"`
}

// lateReport is what became of the envelopes that timed out.
type lateReport struct {
	TimedOut   int     `json:"timed_out"`
	AckedLater int     `json:"acked_later"` // after the timeout, before the wait ended
	Never      int     `json:"never_acked"` // not even then
	WaitedS    float64 `json:"waited_s"`
}

type drainReport struct {
	Drained bool    `json:"drained"`
	Seconds float64 `json:"seconds"`
	// PendingAtEnd was in the outbox when the load ended, Pending still is
	// at the timeout; PerSecond is how fast it went out meanwhile.
	PendingAtEnd int       `json:"pending_at_load_end"`
	Pending      int       `json:"pending"`
	PerSecond    float64   `json:"drained_per_s"`
	Filed        int       `json:"filed"` // requests filed, warm-up included
	Cards        cardCount `json:"cards"`
	Ephemerals   int       `json:"ephemerals"` // chat.postEphemeral: refusals told to a clicker
	SlackCalls   int       `json:"slack_calls"`
}

func (r *report) print(w io.Writer) {
	o := r.Params
	fmt.Fprintf(w, "askdesk-load: %d clients, %s measured after %s warm-up per target, store %d requests\n",
		o.Clients, o.Duration, o.Warmup, o.StoreRequests)
	fmt.Fprintf(w, "mix: %s\n", o.mix)
	if o.Rate > 0 {
		fmt.Fprintf(w, "steady rate: %g operations/s for all clients together (at most %d in flight); memory sampled every %s\n", o.Rate, o.Clients, o.SampleEvery)
	}
	if o.Slow > 0 {
		fmt.Fprintf(w, "slow Slack: %.0f%% of Web API calls (%s) answered after %s, during the load only\n", 100*o.Slow, o.SlowMethod, o.SlowFor)
	} else {
		fmt.Fprintln(w, "slow Slack: none (-slow 0)")
	}
	fmt.Fprintf(w, "ack: HTTP response time, or in Socket Mode from the envelope's write to its ack; timeouts (none within %s) are counted apart, not in the percentiles; Slack gives up after 3s\n\n", o.AckTimeout)
	// Right-aligned numbers; the names padded to one width read as left-aligned.
	nw := len("target")
	for _, t := range r.Targets {
		nw = max(nw, len(t.Name))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\tmode\tclients\tops\tops/s\tack p50 ms\tp99 ms\tmax ms\t>3s\ttimeouts\terrors\tCPU ms/ack\tpeak RSS MB\tanon MB\tstart-up ms\t\n", nw, "target")
	for _, t := range r.Targets {
		fmt.Fprintf(tw, "%-*s\t%s\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%d\t%d\t%d\t%.3f\t%.1f\t%.1f\t%.0f\t\n", nw, t.Name, t.Mode, t.Clients, t.Ops, t.OpsPerS,
			t.P50ms, t.P99ms, t.MaxMs, t.Over3s, t.Timeouts, t.Errors, t.CPUMsPerAck, t.PeakRSSMB, t.MaxAnonMB, t.StartupMs)
	}
	tw.Flush()
	if r.Ratio > 0 {
		fmt.Fprintf(w, "ratio askdesk (HTTP)/reference throughput: %.2g\n", r.Ratio)
	}
	if r.SocketRatio > 0 {
		fmt.Fprintf(w, "ratio askdesk (Socket Mode)/reference throughput: %.2g\n", r.SocketRatio)
	}
	if r.SeedSeconds > 0 {
		fmt.Fprintf(w, "seeded the store in %.1f s (cached at %s)\n", r.SeedSeconds, o.StoreCache)
	}
	for _, t := range r.Targets {
		t.printDetail(w)
	}
}

// printDetail prints a target's acks by kind, what went wrong, and for
// askdesk the outbox and the lifecycle.
func (t *targetReport) printDetail(w io.Writer) {
	fmt.Fprintf(w, "\n%s (%s): acks by kind\n", t.Name, t.Mode)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  kind    \tops\tack p50 ms\tp99 ms\tmax ms\t>3s\ttimeouts\terrors\t")
	for _, k := range opOrder {
		if s := t.ByKind[k]; s != nil {
			fmt.Fprintf(tw, "  %-8s\t%d\t%.2f\t%.2f\t%.2f\t%d\t%d\t%d\t\n", k, s.Ops, s.P50ms, s.P99ms, s.MaxMs, s.Over3s, s.Timeouts, s.Errors)
		}
	}
	tw.Flush()
	if t.FirstErr != "" {
		fmt.Fprintf(w, "  first error: %s\n", t.FirstErr)
	}
	if t.Behind > 0 {
		fmt.Fprintf(w, "  behind: %d operations of the steady rate not sent, no client being free\n", t.Behind)
	}
	if len(t.Memory) > 0 {
		printSeries(w, t.Memory)
	}
	if t.Growth != nil {
		t.Growth.print(w)
	}
	if t.Warnings > 0 {
		fmt.Fprintf(w, "  %d WARN/ERROR log lines\n", t.Warnings)
	}
	if l := t.Late; l != nil {
		fmt.Fprintf(w, "  envelopes that timed out: %d; acked later: %d; never acked (waited %.1f s after the load): %d\n", l.TimedOut, l.AckedLater, l.WaitedS, l.Never)
	}
	if len(t.LoadCalls) > 0 {
		n := 0
		for _, v := range t.LoadCalls {
			n += v
		}
		fmt.Fprintf(w, "  Slack calls during the load: %d: %s\n", n, kinds(t.LoadCalls))
	}
	if d := t.Drain; d != nil {
		state := fmt.Sprintf("%d pending at the end of the load, drained in %.1f s", d.PendingAtEnd, d.Seconds)
		if !d.Drained {
			state = fmt.Sprintf("%d pending at the end of the load, NOT drained after %.0f s: %d still pending (%.1f/s went out, so about %.0f s more)",
				d.PendingAtEnd, d.Seconds, d.Pending, d.PerSecond, float64(d.Pending)/max(d.PerSecond, 0.001))
		}
		fmt.Fprintf(w, "  outbox: %s; %d requests filed, %d cards posted for %d requests, %d card updates, %d ephemerals, %d Slack calls in all\n",
			state, d.Filed, d.Cards.Cards, d.Cards.Requests, d.Cards.Updates, d.Ephemerals, d.SlackCalls)
		if len(d.Cards.Duplicates) > 0 {
			fmt.Fprintf(w, "  DUPLICATE cards for %d requests: %s\n", len(d.Cards.Duplicates), clip(d.Cards.Duplicates, 10))
		} else {
			fmt.Fprintln(w, "  no duplicate cards")
		}
	}
	for l, who := t.Lifecycle, "someone new"; l != nil; l, who = l.Again, "someone seen before" {
		fmt.Fprintf(w, "  lifecycle of %s (%s): %d Slack Web API calls: %s; %d response_url\n",
			l.ID, who, l.Total, kinds(l.ByMethod), l.ResponseURL)
		for _, s := range l.Steps {
			fmt.Fprintf(w, "    %-9s %2d  %s\n", s.Step, s.Calls, kinds(s.ByMethod))
		}
		if l.Note != "" {
			fmt.Fprintf(w, "    (%s)\n", l.Note)
		}
	}
}

// kinds formats counts by name, largest first.
func kinds(m map[string]int) string {
	type kv struct {
		k string
		v int
	}
	var s []kv
	for k, v := range m {
		s = append(s, kv{k, v})
	}
	sort.Slice(s, func(i, j int) bool { return s[i].v > s[j].v || s[i].v == s[j].v && s[i].k < s[j].k })
	var out []string
	for _, e := range s {
		out = append(out, fmt.Sprintf("%s %d", e.k, e.v))
	}
	return strings.Join(out, ", ")
}

func clip(ss []string, n int) string {
	if len(ss) <= n {
		return strings.Join(ss, " ")
	}
	return strings.Join(ss[:n], " ") + fmt.Sprintf(" … (%d more)", len(ss)-n)
}
