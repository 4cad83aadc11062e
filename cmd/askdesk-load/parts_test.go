package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/askdesk/askdesk/bot/slackapp"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

func TestParseMix(t *testing.T) {
	t.Run("Default", func(t *testing.T) {
		m, err := parseMix(defaultMix, 0.2)
		if err != nil {
			t.Fatal(err)
		}
		got, want := m.String(), "file 35%, clicks 20% (claim, then resolve), list 10%, help 5%, modal 5%, shortcut 10%, submit 10%, react 5%"
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		// Picks over an even spread of r follow the shares.
		counts := map[string]int{}
		for i := range 1000 {
			counts[m.pick((float64(i)+0.5)/1000)]++
		}
		for k, share := range m.asMap() {
			if k == opFile || k == "clicks" || k == opList {
				if d := counts[k] - int(share*1000+0.5); d < -1 || d > 1 {
					t.Errorf("%s: %d picks of 1000 for a share of %v", k, counts[k], share)
				}
			}
		}
		if counts[opReact] != 50 || counts[opSubmit] != 100 {
			t.Errorf("picks: %v", counts)
		}
	})
	t.Run("None", func(t *testing.T) {
		m, err := parseMix("none", 0.2)
		if err != nil || m.String() != "file 80%, clicks 20% (claim, then resolve)" || m.pick(0.99) != opFile {
			t.Errorf("%v %v", m, err)
		}
	})
	for name, s := range map[string]string{
		"ErrUnknownKind": "lists=0.1",
		"ErrClicksInMix": "clicks=0.1",
		"ErrNoShare":     "list",
		"ErrNegative":    "list=-0.1",
		"ErrOverOne":     "list=0.5,help=0.4",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := parseMix(s, 0.2); err == nil {
				t.Errorf("-mix %q accepted", s)
			}
		})
	}
}

func TestParseFlags(t *testing.T) {
	for name, args := range map[string][]string{
		"ErrMode":            {"-mode", "websocket"},
		"ErrReferenceSocket": {"-mode", "socket", "-only", "reference"},
		"ErrReplicasSocket":  {"-mode", "both", "-replicas", "2", "-database", "postgres://x/y"},
		"ErrSlow":            {"-slow", "1.5"},
		"ErrSlowForZero":     {"-slow", "0.1", "-slow-for", "0s"},
		"ErrAckTimeout":      {"-ack-timeout", "0s"},
		"ErrMixWithClicks":   {"-clicks", "0.5", "-mix", "list=0.6"},
		"ErrUnexpectedArgs":  {"socket"},
		"ErrRate":            {"-rate", "-1"},
		"ErrSampleEvery":     {"-rate", "50", "-sample-every", "0s"},
		"ErrMemTolerance":    {"-rate", "50", "-mem-tolerance", "-1"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := parseFlags(args, new(bytes.Buffer)); err == nil {
				t.Errorf("%q accepted", args)
			}
		})
	}
	o, err := parseFlags([]string{"-mode", "both", "-slow", "0.1", "-slow-for", "2s", "-mix", "none"}, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	if got := o.modes(); len(got) != 2 || got[0] != "http" || got[1] != "socket" || o.SlowForS != 2 || o.Mix[opFile] != 0.8 {
		t.Errorf("modes %v, slow for %v s, mix %v", got, o.SlowForS, o.Mix)
	}
	// A soak's memory warm-up is a quarter of the load, at most 15 minutes.
	for _, c := range []struct {
		duration string
		want     time.Duration
	}{{"1h", 15 * time.Minute}, {"10m", (10*time.Minute + time.Second) / 4}} {
		o, err := parseFlags([]string{"-rate", "50", "-duration", c.duration}, new(bytes.Buffer))
		if err != nil || o.MemWarmup != c.want || o.SampleEvery != time.Minute {
			t.Errorf("-rate 50 -duration %s: mem warm-up %s, samples every %s, %v; want %s, 1m", c.duration, o.MemWarmup, o.SampleEvery, err, c.want)
		}
	}
}

// TestJudgeGrowth pins what a soak calls flat: the trend of private memory
// after the warm-up, noise averaged out, under the tolerance.
func TestJudgeGrowth(t *testing.T) {
	series := func(anon ...float64) []memSample {
		var out []memSample
		for i, a := range anon {
			out = append(out, memSample{AtS: float64(60 * i), AnonMB: a})
		}
		return out
	}
	for name, c := range map[string]struct {
		samples []memSample
		flat    bool
		why     bool
	}{
		// The first two minutes fill the caches: not judged.
		"FlatAfterWarmup": {samples: series(8, 20, 26, 27, 25.5, 26.8, 26, 27.2, 25.9, 26.4), flat: true},
		"GrowsSlowly":     {samples: series(8, 20, 26, 26.5, 27, 27.5, 28, 28.5, 29, 29.5), flat: false},
		// A single spike is not a trend.
		"SpikeIsNotGrowth": {samples: series(8, 20, 26, 26, 31, 26, 26, 26, 26, 26), flat: true},
		"TooFewSamples":    {samples: series(8, 20, 26, 26), why: true},
	} {
		t.Run(name, func(t *testing.T) {
			g := judgeGrowth(c.samples, 2*time.Minute, 2, 100)
			if (g.Why != "") != c.why {
				t.Fatalf("why %q", g.Why)
			}
			if !c.why && g.Flat != c.flat {
				t.Errorf("flat %v, want %v: %+v", g.Flat, c.flat, *g)
			}
		})
	}
}

// TestJudgeBacklog pins what a soak calls a bounded outbox: the trend of
// the backlog after the warm-up under the tolerance, judged only when the
// samples read it.
func TestJudgeBacklog(t *testing.T) {
	series := func(pending ...int) []memSample {
		var out []memSample
		for i, p := range pending {
			out = append(out, memSample{AtS: float64(60 * i), AnonMB: 20, Pending: &p})
		}
		return out
	}
	for name, c := range map[string]struct {
		samples []memSample
		bounded bool
	}{
		// A burst in the warm-up, then a few waiting at each sample.
		"Bounded": {samples: series(900, 40, 3, 0, 12, 5, 0, 30, 2, 7), bounded: true},
		// The 45-minute soak's default mix: ~40 more waiting a second.
		"Grows":            {samples: series(0, 2400, 4800, 7200, 9600, 12000, 14400, 16800, 19200, 21600), bounded: false},
		"SpikeIsNotGrowth": {samples: series(0, 5, 3, 0, 250, 2, 0, 4, 1, 3), bounded: true},
	} {
		t.Run(name, func(t *testing.T) {
			g := judgeGrowth(c.samples, 2*time.Minute, 2, 100)
			if g.Backlog == nil {
				t.Fatalf("no backlog judged: %+v", *g)
			}
			if g.Backlog.Bounded != c.bounded {
				t.Errorf("bounded %v, want %v: %+v", g.Backlog.Bounded, c.bounded, *g.Backlog)
			}
			if want := *c.samples[2].Pending; g.Backlog.First != want {
				t.Errorf("first %d, want %d (the first sample past the warm-up)", g.Backlog.First, want)
			}
		})
	}
	t.Run("NotRead", func(t *testing.T) {
		samples := series(1, 2, 3, 4, 5)
		for i := range samples {
			samples[i].Pending = nil
		}
		if g := judgeGrowth(samples, 2*time.Minute, 2, 100); g.Backlog != nil {
			t.Errorf("backlog judged from samples without one: %+v", *g.Backlog)
		}
	})
}

// TestBoundedMix checks that -bounded sends each Slack-calling kind at its
// rate a second whatever -rate is, and the rest as list and help.
func TestBoundedMix(t *testing.T) {
	for _, rate := range []float64{10, 50, 150} {
		o, err := parseFlags([]string{"-rate", fmt.Sprint(rate), "-bounded"}, new(bytes.Buffer))
		if err != nil {
			t.Fatalf("-rate %v -bounded: %v", rate, err)
		}
		perSecond := map[string]float64{}
		for k, share := range o.Mix {
			perSecond[k] = share * rate
		}
		for k, want := range boundedPerSecond {
			if got := perSecond[k]; math.Abs(got-want) > 1e-9 {
				t.Errorf("-rate %v: %s %.3f/s, want %.3f/s", rate, k, got, want)
			}
		}
		var sum float64
		for _, share := range o.Mix {
			sum += share
		}
		if math.Abs(sum-1) > 1e-9 || perSecond[opList] <= 0 || perSecond[opHelp] <= 0 {
			t.Errorf("-rate %v: shares add up to %v, list %.2f/s, help %.2f/s", rate, sum, perSecond[opList], perSecond[opHelp])
		}
	}
	for _, args := range [][]string{
		{"-rate", "4", "-bounded"}, // less than its Slack-calling kinds take
		{"-bounded"},               // no rate
		{"-rate", "50", "-bounded", "-clicks", "0.1"}, // the mix is its own
		{"-rate", "50", "-bounded", "-mix", "none"},
	} {
		if _, err := parseFlags(args, new(bytes.Buffer)); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}

// TestPayloads checks that what the load sends is what askdesk reads:
// each payload parsed as slack-go parses it for askdesk's handlers.
func TestPayloads(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	pl, err := loadPayloads(root)
	if err != nil {
		t.Fatal(err)
	}
	msg := message{channel: "C0LOADMSG1", ts: "1700000000.000042", author: "U0SAM0001", text: "the printer is on fire"}

	t.Run("Shortcut", func(t *testing.T) {
		var cb slack.InteractionCallback
		if err := json.Unmarshal(pl.shortcutPayload("U0TINA001", msg, "trig", "http://x/response/1"), &cb); err != nil {
			t.Fatal(err)
		}
		if cb.Type != slack.InteractionTypeMessageAction || cb.CallbackID != slackapp.ShortcutCallbackID || cb.TriggerID != "trig" ||
			cb.User.ID != "U0TINA001" || cb.Channel.ID != msg.channel || cb.Message.Timestamp != msg.ts || cb.Message.User != msg.author ||
			cb.Message.Text != msg.text {
			t.Errorf("%+v", cb)
		}
	})
	t.Run("Submission", func(t *testing.T) {
		var cb slack.InteractionCallback
		if err := json.Unmarshal(pl.submissionPayload("U0TINA001", "finance", "urgent", "please", msg, "trig"), &cb); err != nil {
			t.Fatal(err)
		}
		if cb.Type != slack.InteractionTypeViewSubmission || cb.View.CallbackID != slackapp.FileModalCallbackID || cb.User.ID != "U0TINA001" {
			t.Errorf("%+v", cb)
		}
		dept, prio, text, errs := slackapp.ParseFileModal(cb.View)
		if dept != "finance" || prio != "urgent" || text != "please" || errs != nil {
			t.Errorf("ParseFileModal: %q %q %q %v", dept, prio, text, errs)
		}
		var meta struct{ C, T, A string }
		if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta); err != nil || meta.C != msg.channel || meta.T != msg.ts || meta.A != msg.author {
			t.Errorf("private_metadata %q: %v", cb.View.PrivateMetadata, err)
		}
	})
	t.Run("Button", func(t *testing.T) {
		var cb slack.InteractionCallback
		if err := json.Unmarshal(pl.button("U0FIONA01", "C0FIN", "askdesk:claim", "FIN-7", "trig"), &cb); err != nil {
			t.Fatal(err)
		}
		acts := cb.ActionCallback.BlockActions
		if cb.Type != slack.InteractionTypeBlockActions || len(acts) != 1 {
			t.Fatalf("%+v", cb)
		}
		if action, id, _, ok := slackapp.ParseAction(acts[0]); !ok || action == "" || id != "FIN-7" {
			t.Errorf("ParseAction: %q %q %v", action, id, ok)
		}
	})
	t.Run("Reaction", func(t *testing.T) {
		body := pl.reactionCallback("EvX1", "U0TINA001", intakeEmoji, msg)
		ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
		if err != nil {
			t.Fatal(err)
		}
		cbe, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
		if !ok || cbe.EventID != "EvX1" {
			t.Fatalf("%+v", ev.Data)
		}
		e, ok := ev.InnerEvent.Data.(*slackevents.ReactionAddedEvent)
		if !ok || e.Reaction != "ticket" || e.User != "U0TINA001" || e.ItemUser != msg.author || e.Item.Type != "message" ||
			e.Item.Channel != msg.channel || e.Item.Timestamp != msg.ts {
			t.Errorf("%+v", ev.InnerEvent.Data)
		}
	})
	t.Run("Command", func(t *testing.T) {
		f := pl.command("U0SAM0001", "finance need a PO", "trig", "http://x/response/1")
		if f.Get("command") != "/ask" || f.Get("text") != "finance need a PO" || f.Get("user_id") != "U0SAM0001" || f.Get("channel_id") == "" {
			t.Errorf("%v", f)
		}
	})
}

func TestAckStats(t *testing.T) {
	var s ackStats
	// Nearest rank: the 3rd of 5 is the median; exactly 3 s is not over.
	s.fill([]time.Duration{12 * time.Second, time.Millisecond, 3 * time.Second, 3*time.Second + time.Millisecond, 2 * time.Second})
	if s.Acks != 5 || s.Over3s != 2 || s.P50ms != 3000 || s.P99ms != 12000 || s.MaxMs != 12000 {
		t.Errorf("%+v", s)
	}
	var none ackStats
	none.fill(nil)
	if none != (ackStats{}) {
		t.Errorf("no samples: %+v", none)
	}
}

// TestPosterTimeout: a request with no response within the ack timeout is
// a timeout, not an error; a non-200 is an error.
func TestPosterTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slack/events" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	s := &poster{base: srv.URL, secret: "s", http: srv.Client(), timeout: 50 * time.Millisecond}
	_, err := s.interaction(context.Background(), "", []byte(`{}`))
	if to, ok := errors.AsType[*ackTimeout](err); !ok || to.id != "" {
		t.Errorf("got %v, want a timeout", err)
	}
	_, err = s.event(context.Background(), "", []byte(`{}`))
	if _, ok := errors.AsType[*ackTimeout](err); ok || err == nil || !strings.Contains(err.Error(), "HTTP 401") {
		t.Errorf("got %v, want HTTP 401", err)
	}
}

// TestSocketSenderTimeout: an envelope not acked within the ack timeout
// is a timeout naming it, and lateAcks counts it once it is acked.
func TestSocketSenderTimeout(t *testing.T) {
	fake := slacktest.New(slacktest.WithAppToken(appToken))
	defer fake.Close()
	ws := dialSocket(t, fake)
	s := &socketSender{fake: fake, timeout: 50 * time.Millisecond}
	_, err := s.command(context.Background(), "env-1", pl(t).command("U1", "help", "trig", ""))
	to, ok := errors.AsType[*ackTimeout](err)
	if !ok || to.id != "env-1" {
		t.Fatalf("got %v, want a timeout of env-1", err)
	}
	// The app acks it after all, and acks the next one as it comes.
	done := make(chan struct{})
	defer func() { ws.Close(); <-done }()
	go func() {
		defer close(done)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			var env struct {
				ID string `json:"envelope_id"`
			}
			if json.Unmarshal(data, &env) == nil && env.ID != "" {
				ws.WriteJSON(map[string]any{"envelope_id": env.ID, "payload": map[string]string{"text": "hi " + env.ID}})
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if n := lateAcks(ctx, fake, []string{"env-1"}, time.Now().Add(time.Minute)); n != 1 {
		t.Errorf("late acks: %d", n)
	}
	s.timeout = time.Minute
	a, err := s.interaction(ctx, "env-2", pl(t).button("U1", "C1", "askdesk:claim", "FIN-1", "trig"))
	if err != nil || !strings.Contains(string(a.body), "hi env-2") || a.took <= 0 {
		t.Errorf("ack %q after %v: %v", a.body, a.took, err)
	}
}

// dialSocket connects to the fake's Socket Mode websocket as an app would
// and reads its hello.
func dialSocket(t *testing.T, fake *slacktest.Server) *websocket.Conn {
	t.Helper()
	api := slack.New("xoxb-x", slack.OptionAPIURL(fake.URL), slack.OptionAppLevelToken(appToken))
	_, url, err := api.StartSocketModeContext(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, hello, err := ws.ReadMessage(); err != nil || !strings.Contains(string(hello), `"hello"`) {
		t.Fatalf("hello: %s %v", hello, err)
	}
	return ws
}

func pl(t *testing.T) *payloads {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	p, err := loadPayloads(root)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReportText: the text report shows each target's mode and ack
// figures, overall and by kind, and what timed out.
func TestReportText(t *testing.T) {
	o, err := parseFlags([]string{"-mode", "both", "-slow", "0.1"}, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	st := func(ops int, p50, p99, max float64, over, timeouts int) *ackStats {
		return &ackStats{Ops: ops, Acks: ops, P50ms: p50, P99ms: p99, MaxMs: max, Over3s: over, Timeouts: timeouts}
	}
	rep := report{Params: o, Targets: []targetReport{
		{Name: "askdesk", Mode: "http", Clients: 16, loadResult: loadResult{ackStats: *st(100, 1.5, 2001, 2020, 0, 0),
			ByKind: map[string]*ackStats{opFile: st(60, 1.2, 7, 9, 0, 0), opModal: st(40, 2.8, 2001, 2020, 0, 0)}}},
		{Name: "askdesk-socket", Mode: "socket", Clients: 16, loadResult: loadResult{ackStats: *st(50, 2011, 4100, 9000, 7, 3),
			ByKind: map[string]*ackStats{opSubmit: st(50, 2011, 4100, 9000, 7, 3)}, CPUSeconds: 0.6, CPUMsPerAck: 12},
			Late: &lateReport{TimedOut: 3, AckedLater: 2, Never: 1, WaitedS: 120}},
	}}
	var buf bytes.Buffer
	rep.print(&buf)
	out := buf.String()
	for _, want := range []string{
		"slow Slack: 10% of Web API calls (*) answered after 2s",
		"ack p50 ms", ">3s", "timeouts",
		"askdesk-socket (socket): acks by kind",
		"askdesk (http): acks by kind",
		"envelopes that timed out: 3; acked later: 2; never acked (waited 120.0 s after the load): 1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	for _, line := range []string{
		"target mode clients ops ops/s ack p50 ms p99 ms max ms >3s timeouts errors CPU ms/ack",
		"askdesk-socket socket 16 50 0 2011.00 4100.00 9000.00 7 3 0 12.000",
		"kind ops ack p50 ms p99 ms max ms >3s timeouts errors",
		"submit 50 2011.00 4100.00 9000.00 7 3 0",
		"modal 40 2.80 2001.00 2020.00 0 0 0",
	} {
		if !hasLine(out, line) {
			t.Errorf("no line %q in\n%s", line, out)
		}
	}
}

// hasLine reports whether a line of out holds want's fields in a row,
// whatever the padding between them.
func hasLine(out, want string) bool {
	w := strings.Join(strings.Fields(want), " ")
	for line := range strings.Lines(out) {
		if strings.Contains(strings.Join(strings.Fields(line), " "), w) {
			return true
		}
	}
	return false
}
