package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp/fakeslack"
)

// payloads builds Slack's real request bodies from the documented samples
// in testdata/slack.
type payloads struct {
	slash url.Values     // slash_docs_weather.txt
	click map[string]any // interactive_block_actions_message.json
}

func loadPayloads(root string) (*payloads, error) {
	raw, err := os.ReadFile(filepath.Join(root, "testdata/slack/slash_docs_weather.txt"))
	if err != nil {
		return nil, err
	}
	slash, err := url.ParseQuery(strings.TrimSpace(string(raw)))
	if err != nil {
		return nil, fmt.Errorf("slash sample: %w", err)
	}
	raw, err = os.ReadFile(filepath.Join(root, "testdata/slack/interactive_block_actions_message.json"))
	if err != nil {
		return nil, err
	}
	var click map[string]any
	if err := json.Unmarshal(raw, &click); err != nil {
		return nil, fmt.Errorf("click sample: %w", err)
	}
	if _, ok := click["user"].(map[string]any); !ok {
		return nil, fmt.Errorf("click sample: no user object")
	}
	if _, ok := click["channel"].(map[string]any); !ok {
		return nil, fmt.Errorf("click sample: no channel object")
	}
	return &payloads{slash: slash, click: click}, nil
}

// command is /ask text from user, form-encoded.
func (p *payloads) command(user, text, trigger string) []byte {
	f := url.Values{}
	for k, v := range p.slash {
		f[k] = v
	}
	f.Set("command", "/ask")
	f.Set("user_id", user)
	f.Set("text", text)
	f.Set("trigger_id", trigger)
	return []byte(f.Encode())
}

// button is a block_actions payload: user clicked actionID with value on a
// message in channel, form-encoded as payload=….
func (p *payloads) button(user, channel, actionID, value, trigger string) []byte {
	m := make(map[string]any, len(p.click))
	for k, v := range p.click {
		m[k] = v
	}
	m["user"] = map[string]any{"id": user, "username": "load", "team_id": "T9TK3CUKW"}
	m["channel"] = map[string]any{"id": channel, "name": "load"}
	m["trigger_id"] = trigger
	m["actions"] = []any{map[string]any{
		"action_id": actionID, "block_id": "askdesk:req:" + value, "value": value, "type": "button",
		"text": map[string]any{"type": "plain_text", "text": "x"}, "action_ts": "1548426417.840180",
	}}
	b, _ := json.Marshal(m)
	return []byte(url.Values{"payload": {string(b)}}.Encode())
}

// filedID finds the request ID in /ask's ephemeral reply.
var filedID = regexp.MustCompile(`Filed \*?([A-Z]+-\d+)`)

// poster sends signed requests to one target.
type poster struct {
	base   string   // http://host:port
	bases  []string // every replica's, when there are several
	secret string
	http   *http.Client
	p      *payloads
}

// forClient is the poster client c uses: with several replicas, the
// clients are spread over them as a load balancer would.
func (s *poster) forClient(c int) *poster {
	if len(s.bases) < 2 {
		return s
	}
	cp := *s
	cp.base = s.bases[c%len(s.bases)]
	return &cp
}

// post sends body to path signed with the current time and returns the
// status and the reply.
func (s *poster) post(ctx context.Context, path string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	fakeslack.SignRequest(req, s.secret, time.Now(), body)
	resp, err := s.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(resp.Body)
	return resp.StatusCode, reply, err
}

// file runs /ask "<dept> <text>" as user and returns the filed ID.
func (s *poster) file(ctx context.Context, user, dept, text, trigger string) (string, error) {
	code, reply, err := s.post(ctx, "/slack/commands", s.p.command(user, dept+" "+text, trigger))
	if err != nil {
		return "", err
	}
	if code != http.StatusOK {
		return "", fmt.Errorf("/ask: HTTP %d: %.200s", code, reply)
	}
	var msg struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(reply, &msg); err != nil {
		return "", fmt.Errorf("/ask reply: %w: %.200s", err, reply)
	}
	m := filedID.FindStringSubmatch(msg.Text)
	if m == nil {
		return "", fmt.Errorf("/ask reply names no request: %.200s", msg.Text)
	}
	return m[1], nil
}

// click sends a button click and wants a 200.
func (s *poster) click(ctx context.Context, user, channel, actionID, value, trigger string) error {
	code, reply, err := s.post(ctx, "/slack/interactions", s.p.button(user, channel, actionID, value, trigger))
	if err != nil {
		return err
	}
	if code != http.StatusOK {
		return fmt.Errorf("click %s: HTTP %d: %.200s", actionID, code, reply)
	}
	return nil
}

// loadPlan is what every client works from.
type loadPlan struct {
	clients          int
	warmup, duration time.Duration
	clicks           float64 // share of operations that are clicks
	depts            []*bot.Department
	people           []string // possible requesters
}

// filed is a request a client filed and will claim, then resolve.
type filed struct {
	id, dept, channel, staff string
}

// loadResult is the outcome of one load run on one target.
type loadResult struct {
	Ops      int            `json:"ops"` // counted (after the warm-up)
	ByKind   map[string]int `json:"ops_by_kind"`
	Errors   int            `json:"errors"`
	Elapsed  time.Duration  `json:"-"`
	OpsPerS  float64        `json:"ops_per_s"`
	P50      time.Duration  `json:"-"`
	P99      time.Duration  `json:"-"`
	Max      time.Duration  `json:"-"`
	Filed    int            `json:"filed_total"` // /ask that filed, warm-up included
	Clicks   int            `json:"clicks_total"`
	FirstErr string         `json:"first_error,omitempty"`
}

// runLoad runs plan.clients clients against s: each files requests and,
// for a share of its operations, claims then resolves requests it filed
// earlier, as the department's staff. Operations finishing in the warm-up
// are done but not counted.
func runLoad(ctx context.Context, s *poster, plan loadPlan) loadResult {
	start := time.Now()
	counted, end := start.Add(plan.warmup), start.Add(plan.warmup+plan.duration)
	type clientResult struct {
		lat            []time.Duration
		kinds          map[string]int
		errs           int
		firstErr       error
		filed, clicked int
		last           time.Time
	}
	results := make([]clientResult, plan.clients)
	var wg sync.WaitGroup
	for c := range plan.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := s.forClient(c)
			rng := rand.New(rand.NewPCG(uint64(c)+1, 42))
			res := &results[c]
			res.kinds = map[string]int{}
			var toClaim, toResolve []filed
			for seq := 0; ; seq++ {
				t0 := time.Now()
				if !t0.Before(end) || ctx.Err() != nil {
					return
				}
				trigger := fmt.Sprintf("%d.%d.load%08x", c, seq, rng.Uint32())
				var kind string
				var err error
				click := rng.Float64() < plan.clicks
				switch {
				case click && len(toResolve) > 0 && (len(toClaim) == 0 || seq%2 == 0):
					kind = "resolve"
					f := toResolve[0]
					toResolve = toResolve[1:]
					err = s.click(ctx, f.staff, f.channel, "askdesk:resolve", f.id, trigger)
				case click && len(toClaim) > 0:
					kind = "claim"
					f := toClaim[0]
					toClaim = toClaim[1:]
					if err = s.click(ctx, f.staff, f.channel, "askdesk:claim", f.id, trigger); err == nil {
						toResolve = append(toResolve, f)
					}
				default:
					kind = "file"
					dep := plan.depts[(c+seq)%len(plan.depts)]
					user := plan.people[rng.IntN(len(plan.people))]
					var id string
					id, err = s.file(ctx, user, dep.Name, fmt.Sprintf("load test c%d n%d: please look at this", c, seq), trigger)
					if err == nil {
						res.filed++
						staff := slices.Concat(dep.Members, dep.Leads)
						toClaim = append(toClaim, filed{id: id, dept: dep.Name, channel: channelID(dep.Channel), staff: staff[rng.IntN(len(staff))]})
					}
				}
				if kind != "file" && err == nil {
					res.clicked++
				}
				t1 := time.Now()
				if t1.Before(counted) {
					continue
				}
				if err != nil {
					if ctx.Err() != nil {
						return
					}
					res.errs++
					if res.firstErr == nil {
						res.firstErr = err
					}
					continue
				}
				res.lat = append(res.lat, t1.Sub(t0))
				res.kinds[kind]++
				res.last = t1
			}
		}()
	}
	wg.Wait()
	out := loadResult{ByKind: map[string]int{}}
	var all []time.Duration
	last := counted
	for _, r := range results {
		all = append(all, r.lat...)
		for k, n := range r.kinds {
			out.ByKind[k] += n
		}
		out.Errors += r.errs
		out.Filed += r.filed
		out.Clicks += r.clicked
		if r.firstErr != nil && out.FirstErr == "" {
			out.FirstErr = r.firstErr.Error()
		}
		if r.last.After(last) {
			last = r.last
		}
	}
	out.Ops = len(all)
	out.Elapsed = last.Sub(counted)
	if out.Elapsed > 0 {
		out.OpsPerS = float64(out.Ops) / out.Elapsed.Seconds()
	}
	slices.Sort(all)
	out.P50, out.P99 = percentile(all, 0.50), percentile(all, 0.99)
	if len(all) > 0 {
		out.Max = all[len(all)-1]
	}
	return out
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
