package main

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/askdesk/askdesk"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestMetrics files a request over HTTP, delivers it after a Slack
// failure, lets its first-response target pass, and reads every figure back
// from GET /metrics as Prometheus would.
func TestMetrics(t *testing.T) {
	h := newHarness(t, false)
	// Slack fails every post until told otherwise, so what the background
	// delivery does before the scrape is known: one failed try each.
	h.fake.FailWith("chat.postMessage", -1, "internal_error")
	if code, body := h.slash(sam, "finance need the Q3 budget numbers"); code != http.StatusOK || !strings.Contains(body, "FIN-1") {
		t.Fatalf("ack %d %s", code, body)
	}
	if _, err := h.fake.WaitCalls(waitCtx(t), "chat.postMessage", 1); err != nil {
		t.Fatal(err)
	}
	h.deliverNow() // waits for the background delivery; nothing is due again yet

	m := h.scrape()
	m.want(t, `askdesk_requests{dept="finance",state="open"}`, 1)
	m.want(t, `askdesk_requests{dept="it",state="open"}`, 0) // zeros are shown
	m.want(t, `askdesk_requests_filed_total{dept="finance"}`, 1)
	m.want(t, `askdesk_slack_ack_duration_seconds_count{kind="command"}`, 1)
	pending := m.get(t, "askdesk_outbox_pending_messages")
	if pending < 1 {
		t.Fatalf("outbox pending before delivery: %v", pending)
	}
	m.want(t, `askdesk_slack_api_errors_total{error="internal_error",method="chat.postMessage"}`, pending)
	m.want(t, `askdesk_outbox_deliveries_total{outcome="retry"}`, pending)
	m.want(t, "askdesk_outbox_oldest_age_seconds", 0) // the clock has not moved

	h.fake.Recover()
	h.clock.Advance(10 * time.Second)
	m = h.scrape()
	m.want(t, "askdesk_outbox_oldest_age_seconds", 10)
	h.deliverAll()
	m = h.scrape()
	m.want(t, "askdesk_outbox_pending_messages", 0)
	m.want(t, `askdesk_outbox_deliveries_total{outcome="sent"}`, pending)
	posts := float64(len(h.fake.CallsTo("chat.postMessage")))
	m.want(t, `askdesk_slack_api_duration_seconds_count{method="chat.postMessage"}`, posts)
	m.has(t, `askdesk_slack_api_duration_seconds_bucket{le="+Inf",method="chat.postMessage"}`)

	// Four and a half hours on, the 4h first-response target has passed:
	// the sweep sends the 50% and 75% warnings and the breach, once.
	h.clock.Advance(4*time.Hour + 30*time.Minute)
	for range 2 {
		if _, err := h.srv.desk.Sweep(h.ctx); err != nil {
			t.Fatal(err)
		}
	}
	m = h.scrape()
	m.want(t, `askdesk_sla_breaches_total{clock="first_response",dept="finance"}`, 1)
	m.want(t, `askdesk_reminders_sent_total{clock="first_response",kind="warn"}`, 2)
	m.want(t, `askdesk_reminders_sent_total{clock="first_response",kind="breach"}`, 1)
	m.want(t, `askdesk_requests{dept="finance",state="open"}`, 1)
	m.has(t, "go_goroutines")
	m.want(t, `askdesk_build_info{goversion="`+runtime.Version()+`",version="`+askdesk.Version()+`"}`, 1)
	m.has(t, "process_cpu_seconds_total")
}

// TestMetricsSocketMode: /metrics answers in Socket Mode too, and times the
// acknowledgement of an envelope.
func TestMetricsSocketMode(t *testing.T) {
	h := newHarness(t, true)
	ctx := waitCtx(t)
	if err := h.fake.WaitSocketConnections(ctx, 1); err != nil {
		t.Fatal(err)
	}
	form := slashForm(t, sam, "finance need the Q3 budget numbers")
	if err := h.fake.SendEnvelope(ctx, slacktest.SlashCommandEnvelope("env-1", form)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.fake.WaitAck(ctx, "env-1"); err != nil {
		t.Fatal(err)
	}
	m := h.scrape()
	m.want(t, `askdesk_slack_ack_duration_seconds_count{kind="command"}`, 1)
	m.want(t, `askdesk_requests_filed_total{dept="finance"}`, 1)
	m.has(t, `askdesk_slack_api_duration_seconds_count{method="apps.connections.open"}`)
}

// scraped is one scrape: every sample by its series, written as
// name{label="value",…} with the labels in name order.
type scraped map[string]float64

// scrape reads GET /metrics and parses it with Prometheus' own parser.
func (h *harness) scrape() scraped {
	h.t.Helper()
	resp, err := http.Get(h.base + "/metrics")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		h.t.Fatalf("GET /metrics: %d %s", resp.StatusCode, b)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		h.t.Fatalf("parse /metrics: %v", err)
	}
	out := scraped{}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			switch f.GetType() {
			case dto.MetricType_COUNTER:
				out[series(name, m.GetLabel())] = m.GetCounter().GetValue()
			case dto.MetricType_GAUGE:
				out[series(name, m.GetLabel())] = m.GetGauge().GetValue()
			case dto.MetricType_UNTYPED:
				out[series(name, m.GetLabel())] = m.GetUntyped().GetValue()
			case dto.MetricType_HISTOGRAM:
				hg := m.GetHistogram()
				out[series(name+"_count", m.GetLabel())] = float64(hg.GetSampleCount())
				out[series(name+"_sum", m.GetLabel())] = hg.GetSampleSum()
				for _, b := range hg.GetBucket() {
					le := fmt.Sprint(b.GetUpperBound())
					out[series(name+"_bucket", m.GetLabel(), "le", le)] = float64(b.GetCumulativeCount())
				}
				out[series(name+"_bucket", m.GetLabel(), "le", "+Inf")] = float64(hg.GetSampleCount())
			case dto.MetricType_SUMMARY:
				out[series(name+"_count", m.GetLabel())] = float64(m.GetSummary().GetSampleCount())
			}
		}
	}
	return out
}

func series(name string, labels []*dto.LabelPair, extra ...string) string {
	var parts []string
	for _, l := range labels {
		parts = append(parts, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
	}
	for i := 0; i+1 < len(extra); i += 2 {
		parts = append(parts, fmt.Sprintf("%s=%q", extra[i], extra[i+1]))
	}
	if len(parts) == 0 {
		return name
	}
	sort.Strings(parts)
	return name + "{" + strings.Join(parts, ",") + "}"
}

func (s scraped) get(t *testing.T, key string) float64 {
	t.Helper()
	v, ok := s[key]
	if !ok {
		t.Fatalf("no series %s in /metrics; have %s", key, s.like(key))
	}
	return v
}

func (s scraped) want(t *testing.T, key string, want float64) {
	t.Helper()
	if got := s.get(t, key); got != want {
		t.Errorf("%s = %v, want %v", key, got, want)
	}
}

func (s scraped) has(t *testing.T, key string) { t.Helper(); s.get(t, key) }

// like lists the series with the same name, for a failure message.
func (s scraped) like(key string) string {
	name, _, _ := strings.Cut(key, "{")
	var out []string
	for k := range s {
		if strings.HasPrefix(k, name) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// TestMetricsFollowTheCatalogue: a department added to the catalogue while
// serve runs shows in /metrics, with zeros, without a restart.
func TestMetricsFollowTheCatalogue(t *testing.T) {
	cfg, err := config.Parse("test.toml", strings.NewReader(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, false, func(o *serverOptions) { o.Config, o.ConfigFile = cfg, "test.toml" })
	more, err := config.Parse("test.toml", strings.NewReader(testConfig+`
[[department]]
name = "legal"
prefix = "LEG"
channel = "#legal"
members = ["U0LENA001"]
timezone = "America/New_York"
hours.weekdays = "09:00-17:00"
sla.normal = { first_response = "1d", resolution = "5d" }
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.cat.ApplyFile(h.ctx, more, "Legal joins", false); err != nil {
		t.Fatal(err)
	}
	h.scrape().want(t, `askdesk_requests{dept="legal",state="open"}`, 0)
}
