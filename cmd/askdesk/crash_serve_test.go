package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
	"github.com/askdesk/askdesk/store"
)

// loadDepts are round-the-clock departments with a queue channel each, one
// per load client, so that pacing (a message per second per channel)
// drains the cards of a load test in seconds.
var loadDepts = []struct{ name, prefix, channel string }{
	{"alpha", "ALP", "C0LOADA01"}, {"bravo", "BRA", "C0LOADB01"}, {"charlie", "CHA", "C0LOADC01"},
	{"delta", "DEL", "C0LOADD01"}, {"echo", "ECH", "C0LOADE01"}, {"foxtrot", "FOX", "C0LOADF01"},
	{"golf", "GOL", "C0LOADG01"}, {"hotel", "HOT", "C0LOADH01"},
}

func loadConfig() string {
	var b strings.Builder
	for _, d := range loadDepts {
		fmt.Fprintf(&b, `
[[department]]
name = %q
prefix = %q
channel = %q
members = ["U0FRANK01"]
timezone = "UTC"
hours.weekdays = "00:00-24:00"
hours.sat = "00:00-24:00"
hours.sun = "00:00-24:00"
sla.normal = { first_response = "4h", resolution = "2d" }
`, d.name, d.prefix, d.channel)
	}
	return b.String()
}

// genToken is the bot token of the process started gen-th, so every call
// the fake records says which process made it.
func genToken(gen int) string { return fmt.Sprintf("xoxb-gen%d", gen) }

// TestKill9ServeUnderLoad files /asks from eight concurrent clients into a
// real `askdesk serve`, whose Slack takes 100 ms per post, kills it with
// SIGKILL at a random moment three times (while filing, or just as Slack
// has answered a card post), restarts it each time, and lets a last run
// drain the outbox. Then: every /ask acknowledged with an ID is stored with
// its history, the outbox is empty, and every request has exactly one
// card. A card whose process was killed between Slack's answer and
// recording it is in doubt after the restart, and found in Slack by its
// outbox ID rather than posted again.
//
// ASKDESK_KILL9_KILLS=20 kills more often (a longer run, for measuring);
// ASKDESK_KILL9_SLACK_DELAY=0 makes Slack answer at once.
func TestKill9ServeUnderLoad(t *testing.T) {
	kills, slackDelay := 3, 100*time.Millisecond
	if v := os.Getenv("ASKDESK_KILL9_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("ASKDESK_KILL9_KILLS=%q: want a count of kills", v)
		}
		kills = n
	}
	if v := os.Getenv("ASKDESK_KILL9_SLACK_DELAY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("ASKDESK_KILL9_SLACK_DELAY=%q: %v", v, err)
		}
		slackDelay = d
	}
	bin := buildAskdesk(t)
	// Posts take their ts from the real clock, as the processes' lookups
	// for a post in doubt expect.
	fake := slacktest.New(slacktest.WithClock(time.Now))
	t.Cleanup(fake.Close)
	fake.AddChannel(finCh, "finance-requests")
	if slackDelay > 0 {
		fake.Delay("chat.postMessage", -1, slackDelay)
	}
	cfg := writeServeConfig(t, fake, loadConfig())
	dbPath := filepath.Join(t.TempDir(), "askdesk.db")
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d; %d kills; Slack takes %v per post", seed, kills, slackDelay)
	rng := rand.New(rand.NewPCG(seed, 0))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute+time.Duration(kills)*10*time.Second)
	defer cancel()
	tmpl := slashTemplate(t)
	client := &http.Client{Timeout: 10 * time.Second}

	const perRun = 16
	var acked []string
	for gen := range kills {
		p := startServe(t, bin, cfg, dbPath, genToken(gen))
		postsBefore := len(fake.CallsTo("chat.postMessage"))
		acks := make(chan string, perRun)
		var budget atomic.Int64
		budget.Store(perRun)
		var wg sync.WaitGroup
		for c, d := range loadDepts {
			wg.Go(func() {
				for i := 0; budget.Add(-1) >= 0; i++ {
					code, body, err := postSlash(ctx, client, "http://"+p.addr, tmpl, sam, fmt.Sprintf("%s load run %d client %d #%d", d.name, gen, c, i))
					if err != nil {
						return // killed
					}
					id := filedID(body)
					if code != http.StatusOK || id == "" {
						t.Errorf("run %d: /ask answered %d %s", gen, code, body)
						return
					}
					acks <- id
				}
			})
		}
		fatal := func(format string, args ...any) {
			t.Helper()
			p.kill()
			wg.Wait()
			t.Fatalf(format, args...)
		}
		if rng.IntN(2) == 0 {
			k := 1 + rng.IntN(perRun-1)
			t.Logf("run %d: kill after %d acknowledged /asks", gen, k)
			for range k {
				select {
				case id := <-acks:
					acked = append(acked, id)
				case <-ctx.Done():
					fatal("run %d: waiting for /ask %d: %v\n%s", gen, k, ctx.Err(), p.log())
				}
			}
		} else {
			m := 1 + rng.IntN(len(loadDepts))
			t.Logf("run %d: kill as Slack answers card post %d", gen, m)
			if _, err := fake.WaitCalls(ctx, "chat.postMessage", postsBefore+m); err != nil {
				fatal("run %d: %v\n%s", gen, err, p.log())
			}
		}
		p.kill()
		wg.Wait()
		close(acks)
		for id := range acks {
			acked = append(acked, id)
		}
	}

	// A clean run delivers what is left, then stops on SIGTERM.
	p := startServe(t, bin, cfg, dbPath, genToken(kills))
	waitOutboxEmpty(t, ctx, "http://"+p.addr)
	p.cmd.Process.Signal(syscall.SIGTERM)
	if st, err := p.wait(ctx); err != nil || st.ExitCode() != 0 {
		t.Fatalf("last run: exit %v, %v\n%s", st, err, p.log())
	}

	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, id := range acked {
		r, err := db.Request(ctx, id)
		if err != nil {
			t.Fatalf("acknowledged %s is lost: %v", id, err)
		}
		if evs, err := db.Events(ctx, id); err != nil || len(evs) != r.Version {
			t.Errorf("%s history: %d events, version %d, %v", id, len(evs), r.Version, err)
		}
	}
	if pending, _, err := db.OutboxStats(ctx, time.Now()); err != nil || pending != 0 {
		t.Errorf("outbox: %d pending, %v", pending, err)
	}
	ids := queryStrings(t, dbPath, "SELECT id FROM requests ORDER BY id")
	if n := queryStrings(t, dbPath, "SELECT count(*) FROM outbox WHERE sent_at IS NULL"); n[0] != "0" {
		t.Errorf("%s outbox messages never sent (set aside as undeliverable)", n[0])
	}

	// Card posts per request, and which process made each.
	calls := fake.Calls()
	posts := map[string][]int{}
	lookups := 0
	for i, c := range calls {
		if id := cardID(c.Params.Get("blocks")); c.Method == "chat.postMessage" && id != "" && c.Status == http.StatusOK && c.Error == "" {
			posts[id] = append(posts[id], i)
		}
		if c.Method == "conversations.history" && c.Params.Get("include_all_metadata") != "" {
			lookups++
		}
	}
	// A card posted by a process killed before it could record the post
	// is found by the next one, never posted again.
	dupsPerRun := map[string]int{}
	dups := 0
	for _, id := range ids {
		ps := posts[id]
		if len(ps) == 0 {
			t.Errorf("%s: no card posted", id)
			continue
		}
		if len(ps) > 1 {
			var by []string
			for _, i := range ps {
				by = append(by, calls[i].Token)
			}
			t.Errorf("%s: card posted %d times, by %v", id, len(ps), by)
		}
		for _, i := range ps[:len(ps)-1] {
			dupsPerRun[calls[i].Token]++
			dups++
		}
	}
	if len(posts) != len(ids) {
		t.Errorf("cards for %d requests, %d requests stored", len(posts), len(ids))
	}
	t.Logf("%d /asks acknowledged, %d stored; %d repeated card posts across %d kills (%v); %d lookups in Slack for a post in doubt",
		len(acked), len(ids), dups, kills, dupsPerRun, lookups)
}

// waitOutboxEmpty polls /healthz until the outbox is empty. Nothing is
// filed meanwhile, so the count only falls; pacing lets it fall by about
// one message per channel per second.
func waitOutboxEmpty(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		code, body := getStatus(base + "/healthz")
		var h struct {
			Pending *int `json:"outbox_pending"`
		}
		if code == http.StatusOK && json.Unmarshal([]byte(body), &h) == nil && h.Pending != nil && *h.Pending == 0 {
			return
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatalf("outbox not empty: %d %s", code, body)
		}
	}
}

// queryStrings runs a query on the file with a connection of its own and
// returns the first column of each row.
func queryStrings(t *testing.T, path, q string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
