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
	Params      options          `json:"params"`
	SeedSeconds float64          `json:"seed_seconds,omitempty"` // 0: the store came from the cache
	Targets     []targetReport   `json:"targets"`
	Ratio       float64          `json:"throughput_ratio,omitempty"` // askdesk ops/s over the reference's
	Drain       *drainReport     `json:"drain,omitempty"`
	Lifecycle   *lifecycleResult `json:"lifecycle,omitempty"`
}

type targetReport struct {
	Name    string `json:"target"`
	Clients int    `json:"clients"`
	loadResult
	P50ms     float64 `json:"p50_ms"`
	P99ms     float64 `json:"p99_ms"`
	MaxMs     float64 `json:"max_ms"`
	PeakRSSMB float64 `json:"peak_rss_mb"`     // VmHWM after the load: the peak since start
	MaxRSSMB  float64 `json:"max_rss_mb"`      // largest VmRSS sampled during the load
	MaxAnonMB float64 `json:"max_rss_anon_mb"` // largest RssAnon sampled (heap and stacks, no file pages)
	StartupMs float64 `json:"startup_ms"`      // exec to the "serving" log line
	Warnings  int     `json:"log_warnings"`    // WARN and ERROR lines logged
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
	fmt.Fprintf(w, "askdesk-load: %d clients, %s measured after %s warm-up per target, %.0f%% clicks, store %d requests\n\n",
		o.Clients, o.Duration, o.Warmup, o.Clicks*100, o.StoreRequests)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "target\tclients\tops\tops/s\tp50 ms\tp99 ms\tmax ms\tpeak RSS MB\tanon MB\tstart-up\terrors")
	for _, t := range r.Targets {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.1f\t%.1f\t%.0f ms\t%d\n", t.Name, t.Clients, t.Ops, t.OpsPerS,
			t.P50ms, t.P99ms, t.MaxMs, t.PeakRSSMB, t.MaxAnonMB, t.StartupMs, t.Errors)
	}
	tw.Flush()
	for _, t := range r.Targets {
		fmt.Fprintf(w, "%s ops: %s", t.Name, kinds(t.ByKind))
		if t.FirstErr != "" {
			fmt.Fprintf(w, "; first error: %s", t.FirstErr)
		}
		if t.Warnings > 0 {
			fmt.Fprintf(w, "; %d WARN/ERROR log lines", t.Warnings)
		}
		fmt.Fprintln(w)
	}
	if r.Ratio > 0 {
		fmt.Fprintf(w, "ratio askdesk/reference throughput: %.2f\n", r.Ratio)
	}
	if r.SeedSeconds > 0 {
		fmt.Fprintf(w, "seeded the store in %.1f s (cached at %s)\n", r.SeedSeconds, o.StoreCache)
	}
	if d := r.Drain; d != nil {
		state := fmt.Sprintf("%d pending at the end of the load, drained in %.1f s", d.PendingAtEnd, d.Seconds)
		if !d.Drained {
			state = fmt.Sprintf("%d pending at the end of the load, NOT drained after %.0f s: %d still pending (%.1f/s went out, so about %.0f s more)",
				d.PendingAtEnd, d.Seconds, d.Pending, d.PerSecond, float64(d.Pending)/max(d.PerSecond, 0.001))
		}
		fmt.Fprintf(w, "\noutbox: %s; %d requests filed, %d cards posted for %d requests, %d card updates, %d ephemerals, %d Slack calls in all\n",
			state, d.Filed, d.Cards.Cards, d.Cards.Requests, d.Cards.Updates, d.Ephemerals, d.SlackCalls)
		if len(d.Cards.Duplicates) > 0 {
			fmt.Fprintf(w, "DUPLICATE cards for %d requests: %s\n", len(d.Cards.Duplicates), clip(d.Cards.Duplicates, 10))
		} else {
			fmt.Fprintln(w, "no duplicate cards")
		}
	}
	if l := r.Lifecycle; l != nil {
		fmt.Fprintf(w, "\nlifecycle of %s: %d Slack calls: %s\n", l.ID, l.Total, kinds(l.ByMethod))
		for _, s := range l.Steps {
			fmt.Fprintf(w, "  %-9s %2d  %s\n", s.Step, s.Calls, kinds(s.ByMethod))
		}
		if l.Note != "" {
			fmt.Fprintf(w, "  (%s)\n", l.Note)
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
