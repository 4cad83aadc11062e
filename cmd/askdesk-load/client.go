package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// shortcutChannel is where the messages used with the shortcut are.
const shortcutChannel = "C0LOADMSG1"

// loadPlan is what every client works from.
type loadPlan struct {
	clients          int
	rate             float64 // operations a second, steady; 0 for a closed loop
	warmup, duration time.Duration
	mix              opMix
	depts            []*bot.Department
	people           []string // possible requesters, reactors, authors
	intake           []string // departments' intake channels, where reactions file
	pl               *payloads
	fake             *slacktest.Server // holds the messages shortcuts and reactions use
	msgSeq           *atomic.Int64     // numbers those messages
}

// intakeChannels lists every department's intake channels, by ID.
func intakeChannels(dir *bot.Directory) []string {
	var out []string
	for _, d := range dir.Departments {
		out = append(out, d.IntakeChannels...)
	}
	return out
}

// newMessage adds a message by author to channel in the fake Slack, for a
// shortcut or a reaction to be used on, each on a message of its own.
func (p *loadPlan) newMessage(channel, author, text string) message {
	n := p.msgSeq.Add(1)
	ts := fmt.Sprintf("%d.%06d", 1700000000+n/1_000_000, n%1_000_000)
	p.fake.AddMessage(channel, ts, author, text)
	return message{channel: channel, ts: ts, author: author, text: text}
}

// target is where a load goes.
type target struct {
	name, mode string
	sender     func(client int) sender
	// strict checks each reply as askdesk gives it; the reference answers
	// everything with "Filed REF-n".
	strict bool
}

// filed is a request a client filed and will claim, then resolve.
type filed struct {
	id, dept, channel, staff string
}

// client is one of the load's concurrent users.
type client struct {
	n                  int
	t                  target
	s                  sender
	plan               *loadPlan
	rng                *rand.Rand
	toClaim, toResolve []filed
	filed, clicked     int
}

// filedID finds the request ID in /ask's ephemeral reply.
var filedID = regexp.MustCompile(`Filed \*?([A-Z]+-\d+)`)

// step does one operation and returns its kind and acknowledgement.
func (cl *client) step(ctx context.Context, seq int) (string, ack, error) {
	p := cl.plan
	id := fmt.Sprintf("%s-%d-%d", cl.t.name, cl.n, seq) // envelope ID
	trigger := fmt.Sprintf("%d.%d.load%08x", cl.n, seq, cl.rng.Uint32())
	respURL := p.fake.ResponseURL(id)
	user := p.people[cl.rng.IntN(len(p.people))]
	dep := p.depts[(cl.n+seq)%len(p.depts)]
	text := fmt.Sprintf("load test c%d n%d: please look at this", cl.n, seq)
	switch kind := p.mix.pick(cl.rng.Float64()); {
	case kind == "clicks" && len(cl.toResolve) > 0 && (len(cl.toClaim) == 0 || seq%2 == 0):
		f := cl.toResolve[0]
		cl.toResolve = cl.toResolve[1:]
		a, err := cl.s.interaction(ctx, id, p.pl.button(f.staff, f.channel, "askdesk:resolve", f.id, trigger))
		if err == nil {
			cl.clicked++
		}
		return opResolve, a, err
	case kind == "clicks" && len(cl.toClaim) > 0:
		f := cl.toClaim[0]
		cl.toClaim = cl.toClaim[1:]
		a, err := cl.s.interaction(ctx, id, p.pl.button(f.staff, f.channel, "askdesk:claim", f.id, trigger))
		if err == nil {
			cl.clicked++
			cl.toResolve = append(cl.toResolve, f)
		}
		return opClaim, a, err
	case kind == opList || kind == opHelp:
		a, err := cl.s.command(ctx, id, p.pl.command(user, kind, trigger, respURL))
		if err == nil && cl.t.strict {
			_, err = replyText(a.body, "/ask "+kind)
		}
		return kind, a, err
	case kind == opModal:
		a, err := cl.s.command(ctx, id, p.pl.command(user, "", trigger, respURL))
		if err == nil && cl.t.strict && !bare(a.body) {
			err = fmt.Errorf("/ask with no text: the form did not open; replied %.200s", a.body)
		}
		return kind, a, err
	case kind == opShortcut:
		msg := p.newMessage(shortcutChannel, user, text)
		invoker := p.people[cl.rng.IntN(len(p.people))]
		a, err := cl.s.interaction(ctx, id, p.pl.shortcutPayload(invoker, msg, trigger, respURL))
		return kind, a, err
	case kind == opSubmit:
		msg := p.newMessage(shortcutChannel, user, text)
		submitter := p.people[cl.rng.IntN(len(p.people))]
		prio := string(bot.Priorities[seq%len(bot.Priorities)])
		a, err := cl.s.interaction(ctx, id, p.pl.submissionPayload(submitter, dep.Name, prio, "from a message: "+text, msg, trigger))
		if err == nil && cl.t.strict && strings.Contains(string(a.body), `"response_action":"errors"`) {
			err = fmt.Errorf("intake modal refused: %.200s", a.body)
		}
		return kind, a, err
	case kind == opReact:
		msg := p.newMessage(p.intake[(cl.n+seq)%len(p.intake)], user, text)
		reactor := p.people[cl.rng.IntN(len(p.people))]
		a, err := cl.s.event(ctx, id, p.pl.reactionCallback("Ev"+id, reactor, intakeEmoji, msg))
		return kind, a, err
	}
	reqID, a, err := fileRequest(ctx, cl.s, p.pl.command(user, dep.Name+" "+text, trigger, respURL), id)
	if err == nil {
		cl.filed++
		staff := slices.Concat(dep.Members, dep.Leads)
		cl.toClaim = append(cl.toClaim, filed{id: reqID, dept: dep.Name, channel: channelID(dep.Channel), staff: staff[cl.rng.IntN(len(staff))]})
	}
	return opFile, a, err
}

// fileRequest sends /ask <dept> <text> and returns the ID its reply names.
func fileRequest(ctx context.Context, s sender, form url.Values, id string) (string, ack, error) {
	a, err := s.command(ctx, id, form)
	if err != nil {
		return "", a, err
	}
	got, err := replyText(a.body, "/ask")
	if err != nil {
		return "", a, err
	}
	m := filedID.FindStringSubmatch(got)
	if m == nil {
		return "", a, fmt.Errorf("/ask reply names no request: %.200s", got)
	}
	return m[1], a, nil
}

// replyText is the text of a command's ephemeral reply.
func replyText(body []byte, what string) (string, error) {
	var msg struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(body, &msg); err != nil {
		return "", fmt.Errorf("%s reply: %w: %.200s", what, err, body)
	}
	if msg.Text == "" {
		return "", fmt.Errorf("%s: empty reply: %.200s", what, body)
	}
	return msg.Text, nil
}

// bare reports whether an acknowledgement carries nothing.
func bare(body []byte) bool {
	s := strings.TrimSpace(string(body))
	return s == "" || s == "null"
}

// sample is one acknowledged operation.
type sample struct {
	kind string
	took time.Duration
}

// runLoad runs plan.clients clients against t: each picks operations by
// the mix, and claims then resolves requests it filed earlier, as the
// department's staff. Operations finishing in the warm-up are done but not
// counted.
func runLoad(ctx context.Context, t target, plan *loadPlan) loadResult {
	start := time.Now()
	counted, end := start.Add(plan.warmup), start.Add(plan.warmup+plan.duration)
	type clientResult struct {
		samples            []sample
		ok, errs, timeouts map[string]int
		unacked            []string
		firstErr           error
		last               time.Time
		filed, clicked     int
	}
	results := make([]clientResult, plan.clients)
	pace := startPacer(ctx, plan.rate, counted, end)
	var wg sync.WaitGroup
	for c := range plan.clients {
		wg.Go(func() {
			res := &results[c]
			res.ok, res.errs, res.timeouts = map[string]int{}, map[string]int{}, map[string]int{}
			cl := &client{n: c, t: t, s: t.sender(c), plan: plan, rng: rand.New(rand.NewPCG(uint64(c)+1, 42))}
			defer func() { res.filed, res.clicked = cl.filed, cl.clicked }()
			for seq := 0; ; seq++ {
				if !time.Now().Before(end) || ctx.Err() != nil || !pace.wait(ctx) {
					return
				}
				kind, a, err := cl.step(ctx, seq)
				t1 := time.Now()
				if t1.Before(counted) {
					continue
				}
				if ctx.Err() != nil {
					return
				}
				var timeout *ackTimeout
				if errors.As(err, &timeout) {
					res.timeouts[kind]++
					if timeout.id != "" {
						res.unacked = append(res.unacked, timeout.id)
					}
					continue
				}
				if a.took > 0 { // acknowledged, whatever the reply
					res.samples = append(res.samples, sample{kind, a.took})
				}
				if err != nil {
					res.errs[kind]++
					if res.firstErr == nil {
						res.firstErr = fmt.Errorf("%s: %w", kind, err)
					}
					continue
				}
				res.ok[kind]++
				res.last = t1
			}
		})
	}
	wg.Wait()
	out := loadResult{ByKind: map[string]*ackStats{}}
	if pace != nil {
		<-pace.done
		out.Behind = pace.behind.Load()
	}
	kind := func(k string) *ackStats {
		if out.ByKind[k] == nil {
			out.ByKind[k] = &ackStats{}
		}
		return out.ByKind[k]
	}
	var every []time.Duration
	byKind := map[string][]time.Duration{}
	last := counted
	for _, r := range results {
		for _, s := range r.samples {
			byKind[s.kind] = append(byKind[s.kind], s.took)
			every = append(every, s.took)
		}
		for k, n := range r.ok {
			kind(k).Ops += n
			out.Ops += n
		}
		for k, n := range r.errs {
			kind(k).Errors += n
			out.Errors += n
		}
		for k, n := range r.timeouts {
			kind(k).Timeouts += n
			out.Timeouts += n
		}
		out.Unacked = append(out.Unacked, r.unacked...)
		out.Filed += r.filed
		out.Clicks += r.clicked
		if r.firstErr != nil && out.FirstErr == "" {
			out.FirstErr = r.firstErr.Error()
		}
		if r.last.After(last) {
			last = r.last
		}
	}
	for k, lat := range byKind {
		kind(k).fill(lat)
	}
	out.fill(every)
	if elapsed := last.Sub(counted); elapsed > 0 {
		out.OpsPerS = float64(out.Ops) / elapsed.Seconds()
	}
	return out
}

// loadResult is the outcome of one load run on one target.
type loadResult struct {
	ackStats                      // every counted operation
	OpsPerS  float64              `json:"ops_per_s"`
	ByKind   map[string]*ackStats `json:"by_kind"`
	Filed    int                  `json:"filed_total"` // /ask that filed, warm-up included
	Clicks   int                  `json:"clicks_total"`
	FirstErr string               `json:"first_error,omitempty"`
	// Behind counts the ticks of a steady rate (-rate) that found no client
	// free: operations not sent because the target was still busy.
	Behind int64 `json:"behind,omitempty"`
	// Unacked are the envelopes that timed out (Socket Mode).
	Unacked []string `json:"-"`
	// CPUSeconds is the CPU time (user and system) the target's process
	// spent over the measured load, and CPUMsPerAck that per
	// acknowledgement: on a machine shared with other work it moves far
	// less than throughput does.
	CPUSeconds  float64 `json:"cpu_s,omitempty"`
	CPUMsPerAck float64 `json:"cpu_ms_per_ack,omitempty"`
}

// ackStats is how a set of operations was acknowledged. The latencies are
// of every acknowledgement, wrong replies included.
type ackStats struct {
	Ops      int     `json:"ops"`  // acknowledged with the expected reply
	Acks     int     `json:"acks"` // acknowledged at all: the latencies' count
	P50ms    float64 `json:"ack_p50_ms"`
	P99ms    float64 `json:"ack_p99_ms"`
	MaxMs    float64 `json:"ack_max_ms"`
	Over3s   int     `json:"acks_over_3s"` // acknowledged, but after Slack's 3 s
	Timeouts int     `json:"ack_timeouts"` // no acknowledgement within -ack-timeout
	Errors   int     `json:"errors"`       // a wrong reply, or a failed send
}

// slackGivesUp is how long Slack waits for an acknowledgement.
const slackGivesUp = 3 * time.Second

// fill sets the latency figures from lat, which it sorts.
func (s *ackStats) fill(lat []time.Duration) {
	slices.Sort(lat)
	s.Acks = len(lat)
	s.P50ms, s.P99ms = ms(percentile(lat, 0.50)), ms(percentile(lat, 0.99))
	if len(lat) > 0 {
		s.MaxMs = ms(lat[len(lat)-1])
	}
	i, _ := slices.BinarySearch(lat, slackGivesUp+1)
	s.Over3s = len(lat) - i
}

// percentile returns the q-th quantile of sorted by the nearest-rank
// method, or 0 for no samples.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// everyone returns the directory's people by ID: any of them may file.
func everyone(dir *bot.Directory) []string {
	ids := make([]string, 0, len(dir.People))
	for id := range dir.People {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
