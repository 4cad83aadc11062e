// Package metrics exposes askdesk's figures to Prometheus. It implements
// bot.Observer and slackapp.Observer, which are how the desk and the Slack
// adapter report what they do without knowing about Prometheus, and reads
// the request and outbox figures from the store when scraped. Every metric
// lives in its own registry, made by New: nothing is registered globally.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Store is what a scrape reads. store.DB implements it.
type Store interface {
	// RequestCounts calls each with the number of requests of every
	// department and state that has any.
	RequestCounts(ctx context.Context, each func(dept, state string, n int)) error
	// OutboxStats returns how many messages wait to be delivered and the
	// age of the oldest.
	OutboxStats(ctx context.Context, now time.Time) (pending int, oldest time.Duration, err error)
}

// CountsEvery bounds how often a scrape recounts the requests: the count
// scans an index entry per request ever filed (about 300 ms for a million),
// so scrapes in between are answered from the last count.
const CountsEvery = 15 * time.Second

// scrapeTimeout bounds the store reads of one scrape.
const scrapeTimeout = 5 * time.Second

// Options configure New.
type Options struct {
	Store Store
	// Now is the time for the outbox's age and the counts' freshness;
	// time.Now when nil.
	Now func() time.Time
	// Departments (those in force at each scrape: the service catalogue
	// may add one) and States are shown with zero requests when the store
	// has none, so a series drops to 0 instead of vanishing.
	Departments func() []string
	States      []string
	// Log receives scrape errors; none when nil.
	Log *slog.Logger
	// Version is askdesk's version, shown by askdesk_build_info.
	Version string
}

// Metrics holds askdesk's metrics and their registry.
type Metrics struct {
	reg *prometheus.Registry
	log *slog.Logger

	filed      *prometheus.CounterVec
	deliveries *prometheus.CounterVec
	reminders  *prometheus.CounterVec
	breaches   *prometheus.CounterVec
	apiTime    *prometheus.HistogramVec
	apiErrors  *prometheus.CounterVec
	ackTime    *prometheus.HistogramVec
}

// New returns metrics in a registry of their own, with the Go runtime and
// process collectors beside them.
func New(o Options) *Metrics {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		log: o.Log,
		filed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "askdesk_requests_filed_total", Help: "Requests filed, by department.",
		}, []string{"dept"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "askdesk_outbox_deliveries_total",
			Help: "Outbox delivery attempts, by outcome: sent, retry (refused for now), dead (set aside), outage (delivery paused).",
		}, []string{"outcome"}),
		reminders: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "askdesk_reminders_sent_total",
			Help: "Reminders recorded as sent by the sweep, by kind (warn, breach, escalate, nudge, waiting, rating) and SLA clock.",
		}, []string{"kind", "clock"}),
		breaches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "askdesk_sla_breaches_total",
			Help: "SLA targets passed, counted once each when the sweep records the breach, by department and clock (first_response, resolution).",
		}, []string{"dept", "clock"}),
		apiTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "askdesk_slack_api_duration_seconds",
			Help:    "Slack Web API call time, response body included, by method.",
			Buckets: []float64{.025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20},
		}, []string{"method"}),
		apiErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "askdesk_slack_api_errors_total",
			Help: "Slack Web API calls that failed, by method and error (Slack's error code, ratelimited, http_NNN, timeout, transport).",
		}, []string{"method", "error"}),
		ackTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "askdesk_slack_ack_duration_seconds",
			Help:    "Time from receiving a Slack request or Socket Mode envelope to writing its acknowledgement (Slack allows 3 s), by kind: command, interaction, event.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5},
		}, []string{"kind"}),
	}
	build := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "askdesk_build_info",
		Help: "Always 1; its labels say which askdesk is running: version (a release, or dev- and the commit) and the Go version.",
	}, []string{"version", "goversion"})
	build.WithLabelValues(o.Version, runtime.Version()).Set(1)
	m.reg.MustRegister(build, m.filed, m.deliveries, m.reminders, m.breaches, m.apiTime, m.apiErrors, m.ackTime,
		newStoreCollector(o),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Registry returns the registry, for tests and for adding collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in Prometheus' text format. A store that
// cannot be read leaves its figures out of the answer; the rest is served.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(m.log.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      m.reg,
	})
}

// Filed implements bot.Observer.
func (m *Metrics) Filed(dept string) { m.filed.WithLabelValues(dept).Inc() }

// Delivered implements bot.Observer.
func (m *Metrics) Delivered(outcome string) { m.deliveries.WithLabelValues(outcome).Inc() }

// Reminded implements bot.Observer.
func (m *Metrics) Reminded(kind, clock string, n int) {
	m.reminders.WithLabelValues(kind, clock).Add(float64(n))
}

// Breached implements bot.Observer.
func (m *Metrics) Breached(dept, clock string) { m.breaches.WithLabelValues(dept, clock).Inc() }

// APICall implements slackapp.Observer.
func (m *Metrics) APICall(method string, took time.Duration, errCode string) {
	m.apiTime.WithLabelValues(method).Observe(took.Seconds())
	if errCode != "" {
		m.apiErrors.WithLabelValues(method, errCode).Inc()
	}
}

// Acked implements slackapp.Observer.
func (m *Metrics) Acked(kind string, took time.Duration) {
	m.ackTime.WithLabelValues(kind).Observe(took.Seconds())
}

// storeCollector reads the store when scraped: the requests by department
// and state (recounted at most every CountsEvery) and the outbox.
type storeCollector struct {
	o                         Options
	requests, pending, oldest *prometheus.Desc

	mu      sync.Mutex
	counted time.Time
	counts  map[[2]string]int // dept, state → requests
}

func newStoreCollector(o Options) *storeCollector {
	return &storeCollector{
		o: o,
		requests: prometheus.NewDesc("askdesk_requests",
			"Requests by department and state, recounted at most every 15 s.", []string{"dept", "state"}, nil),
		pending: prometheus.NewDesc("askdesk_outbox_pending_messages",
			"Messages waiting in the outbox to be delivered to Slack.", nil, nil),
		oldest: prometheus.NewDesc("askdesk_outbox_oldest_age_seconds",
			"Age of the oldest message waiting in the outbox; 0 when it is empty.", nil, nil),
	}
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.requests
	ch <- c.pending
	ch <- c.oldest
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	now := c.o.Now()
	pending, oldest, err := c.o.Store.OutboxStats(ctx, now)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.pending, err)
	} else {
		ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(pending))
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, oldest.Seconds())
	}
	counts, err := c.count(ctx, now)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.requests, err)
		return
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.requests, prometheus.GaugeValue, float64(n), k[0], k[1])
	}
}

// count returns the request counts, recounting when the last count is older
// than CountsEvery. Scrapes that arrive together share one recount.
func (c *storeCollector) count(ctx context.Context, now time.Time) (map[[2]string]int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts != nil && now.Sub(c.counted) < CountsEvery && !now.Before(c.counted) {
		return c.counts, nil
	}
	counts := map[[2]string]int{}
	var depts []string
	if c.o.Departments != nil {
		depts = c.o.Departments()
	}
	for _, d := range depts {
		for _, s := range c.o.States {
			counts[[2]string{d, s}] = 0
		}
	}
	err := c.o.Store.RequestCounts(ctx, func(dept, state string, n int) {
		counts[[2]string{dept, state}] = n
	})
	if err != nil {
		return nil, err
	}
	c.counts, c.counted = counts, now
	return counts, nil
}
