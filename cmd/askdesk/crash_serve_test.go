package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/fakeslack"
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
// real `askdesk serve`, kills it with SIGKILL at a random moment three
// times (while filing, or just as Slack has answered a card post), restarts
// it each time, and lets a last run drain the outbox. Then: every /ask
// acknowledged with an ID is stored with its history, the outbox is empty,
// and every request has exactly one card, except a card posted again
// because its process was killed between Slack's answer and recording the
// card's ts: each earlier post must be the last call its process made, so
// there is at most one repeat per kill.
func TestKill9ServeUnderLoad(t *testing.T) {
	bin := buildAskdesk(t)
	fake := fakeslack.New()
	t.Cleanup(fake.Close)
	fake.AddChannel(finCh, "finance-requests")
	cfg := writeServeConfig(t, fake, loadConfig())
	dbPath := filepath.Join(t.TempDir(), "askdesk.db")
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tmpl := slashTemplate(t)
	client := &http.Client{Timeout: 10 * time.Second}

	const kills, perRun = 3, 16
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

	// Card posts per request, and the last call each process made.
	calls := fake.Calls()
	last := map[string]int{}
	posts := map[string][]int{}
	for i, c := range calls {
		last[c.Token] = i
		if id := cardID(c.Params.Get("blocks")); c.Method == "chat.postMessage" && id != "" && c.Status == http.StatusOK && c.Error == "" {
			posts[id] = append(posts[id], i)
		}
	}
	// A card is posted again only when its process was killed before it
	// could record the post, and then that post was the process's last call.
	dupsPerRun := map[string]int{}
	dups := 0
	for _, id := range ids {
		ps := posts[id]
		if len(ps) == 0 {
			t.Errorf("%s: no card posted", id)
			continue
		}
		for _, i := range ps[:len(ps)-1] {
			if tok := calls[i].Token; last[tok] != i || tok == genToken(kills) {
				t.Errorf("%s: card posted %d times (calls %v); call %d by %s was not that run's last before a kill", id, len(ps), ps, i, tok)
			}
			dupsPerRun[calls[i].Token]++
			dups++
		}
	}
	if dups > kills {
		t.Errorf("%d repeated card posts, more than the %d kills", dups, kills)
	}
	if len(posts) != len(ids) {
		t.Errorf("cards for %d requests, %d requests stored", len(posts), len(ids))
	}
	t.Logf("%d /asks acknowledged, %d stored; %d repeated card posts across %d kills (%v)", len(acked), len(ids), dups, kills, dupsPerRun)
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
