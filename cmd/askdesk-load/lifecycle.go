package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// outboxPending asks askdesk's /healthz how many messages wait to go out.
func outboxPending(ctx context.Context, hc *http.Client, base string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
	if err != nil {
		return 0, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var h struct {
		Pending *int `json:"outbox_pending"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		return 0, fmt.Errorf("healthz: %w", err)
	}
	if h.Pending == nil {
		return 0, fmt.Errorf("healthz: HTTP %d without outbox_pending", resp.StatusCode)
	}
	return *h.Pending, nil
}

// waitDrained polls /healthz until the outbox has been empty on two polls
// in a row, and returns how long that took and what was still pending when
// timeout ran out (0 when drained).
func waitDrained(ctx context.Context, hc *http.Client, base string, timeout time.Duration) (time.Duration, int, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	empty, pending := 0, -1
	for {
		n, err := outboxPending(ctx, hc, base)
		switch {
		case err == nil:
			pending = n
			if n == 0 {
				empty++
			} else {
				empty = 0
			}
			if empty == 2 {
				return time.Since(start), 0, nil
			}
		case ctx.Err() == nil:
			return time.Since(start), pending, err
		}
		select {
		case <-ctx.Done():
			return time.Since(start), pending, nil
		case <-t.C:
		}
	}
}

// cardCount is what the fake Slack received as request cards.
type cardCount struct {
	Cards      int      `json:"cards"`        // chat.postMessage to queue channels, top level
	Requests   int      `json:"requests"`     // distinct request IDs among them
	Duplicates []string `json:"duplicates"`   // IDs posted more than once
	Updates    int      `json:"card_updates"` // chat.update calls
}

// cardHeader finds the request ID in a card's header block ("FIN-12 · …").
var cardHeader = regexp.MustCompile(`"text":"([A-Z]+-\d+) ·`)

// countCards counts the top-level posts to the departments' channels by
// request ID.
func countCards(calls []slacktest.Call, dir *bot.Directory) cardCount {
	var channels []string
	for _, d := range dir.Departments {
		channels = append(channels, d.Channel, channelID(d.Channel))
	}
	var c cardCount
	seen := map[string]int{}
	for _, call := range calls {
		if call.Method == "chat.update" {
			c.Updates++
		}
		if call.Method != "chat.postMessage" || call.Status != http.StatusOK || call.Error != "" ||
			call.Params.Get("thread_ts") != "" || !slices.Contains(channels, call.Params.Get("channel")) {
			continue
		}
		c.Cards++
		if m := cardHeader.FindStringSubmatch(call.Params.Get("blocks")); m != nil {
			seen[m[1]]++
		}
	}
	c.Requests = len(seen)
	for id, n := range seen {
		if n > 1 {
			c.Duplicates = append(c.Duplicates, id)
		}
	}
	sort.Strings(c.Duplicates)
	return c
}

// lifecycleResult counts the Slack Web API calls of one request's life;
// POSTs to a response_url (webhooks, outside the Web API and its tiers)
// are counted apart.
type lifecycleResult struct {
	ID          string         `json:"id"`
	Steps       []stepCalls    `json:"steps"`
	ByMethod    map[string]int `json:"by_method"`
	Total       int            `json:"total"`
	ResponseURL int            `json:"response_url"`
	Note        string         `json:"note,omitempty"`
	// Again is a second lifecycle of the same requester right after: the
	// calls for someone askdesk has met (their DM channel known, the
	// workspace's URL read).
	Again *lifecycleResult `json:"again,omitempty"`
}

type stepCalls struct {
	Step        string         `json:"step"`
	Calls       int            `json:"calls"`
	ByMethod    map[string]int `json:"by_method"`
	ResponseURL int            `json:"response_url,omitempty"`
}

// runLifecycle runs lifecycle twice for the same requester: the first as
// askdesk meets them, the second (Again) as for someone seen before.
func runLifecycle(ctx context.Context, s sender, tag string, hc *http.Client, base string, fake *slacktest.Server,
	dir *bot.Directory, pl *payloads) (lifecycleResult, error) {
	first, err := lifecycle(ctx, s, tag, 0, hc, base, fake, dir, pl)
	if err != nil {
		return first, err
	}
	again, err := lifecycle(ctx, s, tag, 1, hc, base, fake, dir, pl)
	first.Again = &again
	return first, err
}

// lifecycle files one request, claims it, resolves it and rates it
// through s, waiting for the outbox (whose /healthz is at base) to drain
// after each step, and counts the Web API calls the fake Slack received
// meanwhile. tag and round make its envelope IDs unique.
func lifecycle(ctx context.Context, s sender, tag string, round int, hc *http.Client, base string, fake *slacktest.Server,
	dir *bot.Directory, pl *payloads) (lifecycleResult, error) {
	dep := dir.Departments[0]
	requester := ""
	if rs := requesters(dir); len(rs) > 0 {
		requester = rs[0]
	}
	staff := slices.Concat(dep.Members, dep.Leads)
	if requester == "" || len(staff) == 0 {
		return lifecycleResult{}, fmt.Errorf("lifecycle: %s needs staff and a requester outside it", dep.Name)
	}
	fake.Reset()
	res := lifecycleResult{ByMethod: map[string]int{}}
	prev := 0
	n := 0
	step := func(name string, do func(id, trigger string) error) error {
		n++
		id, trigger := fmt.Sprintf("lifecycle-%s-%d-%d", tag, round, n), fmt.Sprintf("lifecycle.%d.%d", round, n)
		if err := do(id, trigger); err != nil {
			return fmt.Errorf("lifecycle %s: %w", name, err)
		}
		if _, pending, err := waitDrained(ctx, hc, base, 30*time.Second); err != nil || pending > 0 {
			return fmt.Errorf("lifecycle %s: outbox not drained (%d pending): %v", name, pending, err)
		}
		calls := fake.Calls()
		sc := stepCalls{Step: name, ByMethod: map[string]int{}}
		for _, c := range calls[prev:] {
			if c.Method == slacktest.ResponseURLMethod {
				sc.ResponseURL++
				continue
			}
			sc.ByMethod[c.Method]++
			sc.Calls++
		}
		res.Steps = append(res.Steps, sc)
		prev = len(calls)
		return nil
	}
	click := func(user, channel, action, id, trigger string) error {
		_, err := s.interaction(ctx, id, pl.buttonAnswered(user, channel, action, res.ID, trigger, fake.ResponseURL(id)))
		return err
	}
	err := step("filed", func(id, trigger string) (err error) {
		form := pl.command(requester, dep.Name+" lifecycle check: count the Slack calls", trigger, fake.ResponseURL(id))
		res.ID, _, err = fileRequest(ctx, s, form, id)
		return err
	})
	if err == nil {
		err = step("claimed", func(id, trigger string) error {
			return click(staff[0], channelID(dep.Channel), "askdesk:claim", id, trigger)
		})
	}
	if err == nil {
		err = step("resolved", func(id, trigger string) error {
			return click(staff[0], channelID(dep.Channel), "askdesk:resolve", id, trigger)
		})
	}
	if err == nil {
		err = step("rated", func(id, trigger string) error {
			n := len(fake.CallsTo(slacktest.ResponseURLMethod))
			if err := click(requester, "D"+requester, "askdesk:rate4", id, trigger); err != nil {
				return err
			}
			// The thanks goes through the click's response_url, beside
			// the outbox.
			wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			_, err := fake.WaitCalls(wctx, slacktest.ResponseURLMethod, n+1)
			return err
		})
	}
	for _, c := range fake.Calls() {
		if c.Method == slacktest.ResponseURLMethod {
			res.ResponseURL++
			continue
		}
		res.ByMethod[c.Method]++
		res.Total++
	}
	return res, err
}

// requesters returns the people who staff no department, sorted, or
// everyone but the first department's staff when all of them do.
func requesters(dir *bot.Directory) []string {
	var only, others []string
	for id := range dir.People {
		staff := false
		for _, d := range dir.Departments {
			staff = staff || d.IsStaff(id)
		}
		if !staff {
			only = append(only, id)
		} else if !dir.Departments[0].IsStaff(id) {
			others = append(others, id)
		}
	}
	sort.Strings(only)
	sort.Strings(others)
	if len(only) > 0 {
		return only
	}
	return others
}
