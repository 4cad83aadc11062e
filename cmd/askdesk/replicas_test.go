package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
	"github.com/askdesk/askdesk/store"
	"github.com/askdesk/askdesk/store/storetest"
)

// Replicas of askdesk serve, in this process, sharing one PostgreSQL
// schema, one fake Slack and one manual clock, as behind a load balancer.
// Each replica's connections carry its own application_name, so a test can
// end them as if the replica's process had died.

// cluster is the replicas of one test and what they share.
type cluster struct {
	t     *testing.T
	db    string // a PostgreSQL URL, or an SQLite file for a single replica
	dir   *bot.Directory
	sched config.ScheduleConfig
	fake  *slacktest.Server
	clock *bot.ManualClock
	sql   *sql.DB // the test's own connection, for reading and killing
	reps  []*replica
	gens  map[int]int // starts so far of each replica number
}

// replica is one running server, the n-th of its cluster, started for the
// gen-th time (its Slack calls carry token, so each start is told apart).
type replica struct {
	n, gen int
	token  string
	srv    *server
	gate   *slackGate
	base   string
	// deliverCtx bounds the deliveries the test runs on this replica, as
	// the server's context bounds its own delivery loop.
	deliverCtx  context.Context
	stopDeliver context.CancelFunc
}

// newCluster starts n replicas on db ("" for a new PostgreSQL schema;
// skips without a server).
func newCluster(t *testing.T, db string, n int, sched config.ScheduleConfig) *cluster {
	t.Helper()
	if testing.Short() {
		// About a minute of the suite's time: go test without -short runs it.
		t.Skip("-short: several replicas on PostgreSQL")
	}
	if db == "" {
		db = storetest.URL(t)
	}
	cfg, err := config.Parse("test.toml", strings.NewReader(testConfig))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := cfg.Directory()
	if err != nil {
		t.Fatal(err)
	}
	clock := bot.NewManualClock(time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC))
	// Slack stamps posts with its own time, which is the replicas' here: a
	// replica looking for an earlier post of a message reads the channel
	// from the time the message was queued.
	fake := slacktest.New(slacktest.WithClock(clock.Now))
	t.Cleanup(fake.Close)
	fake.AddUser(sam, "sam", "Sam Seller", "America/Chicago")
	fake.AddChannel(finCh, "finance-requests")
	driver, dsn := "sqlite", "file:"+db+"?mode=ro"
	if store.IsPostgresURL(db) {
		driver, dsn = "pgx", db
	}
	c := &cluster{t: t, db: db, dir: dir, sched: sched, fake: fake, gens: map[int]int{}, clock: clock}
	for i := range n {
		c.reps = append(c.reps, c.start(i+1))
	}
	// Opened once the first replica has created the schema (or the file).
	c.sql, err = sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.sql.Close() })
	return c
}

// appName is replica n's application_name: replicaN, and the schema so
// that tests running at once on one server never end each other's.
func (c *cluster) appName(n int) string {
	u, _ := url.Parse(c.db)
	return fmt.Sprintf("replica%d.%s", n, u.Query().Get("search_path"))
}

// start starts replica n (again) on the cluster's database.
func (c *cluster) start(n int) *replica {
	c.t.Helper()
	dsn := c.db
	if store.IsPostgresURL(dsn) {
		u, err := url.Parse(dsn)
		if err != nil {
			c.t.Fatal(err)
		}
		q := u.Query()
		q.Set("application_name", c.appName(n))
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	r := &replica{n: n, gen: c.gens[n], gate: newSlackGate(c.t, c.fake)}
	c.gens[n]++
	r.token = fmt.Sprintf("xoxb-replica%d-gen%d", n, r.gen)
	srv, err := startServer(context.Background(), serverOptions{
		Slack:    config.SlackConfig{BotToken: r.token, SigningSecret: testSecret, APIURL: r.gate.url, Listen: "127.0.0.1:0"},
		Schedule: c.sched, Dir: c.dir, DBPath: dsn, Clock: c.clock, DeliveryTick: time.Hour,
		// Numbering and delivery are pinned here, not ack time: 1,000
		// concurrent /asks under -race can outlast Slack's 2 s.
		AckBudget: time.Minute,
	})
	if err != nil {
		c.t.Fatalf("start replica %d: %v", n, err)
	}
	c.t.Cleanup(func() { srv.Close() })
	r.srv, r.base = srv, "http://"+srv.Addr()
	r.deliverCtx, r.stopDeliver = context.WithCancel(context.Background())
	c.t.Cleanup(r.stopDeliver)
	return r
}

// remove takes r out of the live replicas.
func (c *cluster) remove(r *replica) {
	for i, x := range c.reps {
		if x == r {
			c.reps = append(c.reps[:i], c.reps[i+1:]...)
			return
		}
	}
}

// kill stops r as if its process died: it can open no more connections,
// the sessions it has are ended by PostgreSQL (rolling back what they had
// not committed, and dropping the leadership lock), and its goroutines are
// told to stop. A call to Slack it has in flight still lands, as it would
// from a process that died after sending it.
func (c *cluster) kill(ctx context.Context, r *replica) {
	c.t.Helper()
	r.srv.db.Close()
	var n int
	if err := c.sql.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = $1 AND pid <> pg_backend_pid()`, c.appName(r.n)).Scan(&n); err != nil {
		c.t.Fatalf("kill replica %d: %v", r.n, err)
	}
	c.t.Logf("killed replica %d (gen %d): %d PostgreSQL sessions ended", r.n, r.gen, n)
	r.stopDeliver()
	r.srv.cancel()
}

// pending is how many messages wait in the outbox, as a replica sees it.
func (c *cluster) pending(ctx context.Context) int {
	c.t.Helper()
	n, _, err := c.reps[0].srv.db.OutboxStats(ctx, c.clock.Now())
	if err != nil {
		c.t.Fatal(err)
	}
	return n
}

// column runs q on the test's connection; it returns the first column.
func (c *cluster) column(ctx context.Context, q string, args ...any) []string {
	c.t.Helper()
	rows, err := c.sql.QueryContext(ctx, q, args...)
	if err != nil {
		c.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			c.t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		c.t.Fatal(err)
	}
	return out
}

// ask files n requests by signed /ask over HTTP from clients at once,
// spread round-robin over the replicas, the i-th (from 0) saying text(i).
// It returns the acknowledged IDs, in no particular order.
func (c *cluster) ask(ctx context.Context, n, clients int, text func(i int) string) []string {
	c.t.Helper()
	tmpl := slashTemplate(c.t)
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	defer client.CloseIdleConnections()
	reps := append([]*replica(nil), c.reps...)
	var next atomic.Int64
	var mu sync.Mutex
	var ids []string
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				code, body, err := postSlash(ctx, client, reps[i%len(reps)].base, tmpl, sam, text(i))
				id := filedID(body)
				if err != nil || code != http.StatusOK || id == "" {
					c.t.Errorf("/ask %d: HTTP %d %q %v", i, code, body, err)
					return
				}
				mu.Lock()
				ids = append(ids, id)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return ids
}

// deliveryPass is one delivery run on every live replica at once.
type deliveryPass struct {
	done chan struct{} // closed when every replica's run has returned
	errs map[*replica]error
}

// startPass moves the clock on by step (pacing lets about a message a
// second go to each channel) and starts a delivery on each of reps at once.
func (c *cluster) startPass(step time.Duration, reps []*replica) *deliveryPass {
	c.clock.Advance(step)
	p := &deliveryPass{done: make(chan struct{}), errs: map[*replica]error{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, r := range reps {
		wg.Go(func() {
			_, err := r.srv.desk.Deliver(r.deliverCtx)
			mu.Lock()
			p.errs[r] = err
			mu.Unlock()
		})
	}
	go func() { wg.Wait(); close(p.done) }()
	return p
}

// wait waits for the pass; errors of live replicas fail the test.
func (p *deliveryPass) wait(ctx context.Context, c *cluster) {
	c.t.Helper()
	select {
	case <-p.done:
	case <-ctx.Done():
		c.t.Fatalf("delivery pass: %v", ctx.Err())
	}
	for _, r := range c.reps {
		if err := p.errs[r]; err != nil {
			c.t.Errorf("replica %d delivery: %v", r.n, err)
		}
	}
}

// passStep is how far the clock moves between delivery passes: three
// seconds refill a channel's burst of three messages. The clock moves only
// between passes; a server's own delivery loop (woken by a filing) may be
// sending across one step at most, since the next pass on that replica
// waits for it: far inside a claim's one-minute lease, so no message is
// claimed again because the test's clock ran ahead of a send in flight.
const passStep = 3 * time.Second

// deliverAll runs delivery passes until the outbox is empty.
func (c *cluster) deliverAll(ctx context.Context) (passes int) {
	c.t.Helper()
	for ; c.pending(ctx) > 0; passes++ {
		c.startPass(passStep, c.reps).wait(ctx, c)
		if c.t.Failed() {
			c.t.FailNow()
		}
	}
	return passes
}

// waitLeader waits until exactly one live replica leads and returns it.
func (c *cluster) waitLeader(ctx context.Context) *replica {
	c.t.Helper()
	for {
		cases := []reflect.SelectCase{{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ctx.Done())}}
		var leaders []*replica
		for _, r := range c.reps {
			// The channel first: a change after it is read closes it.
			cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(r.srv.lead.Changed())})
			if r.srv.lead.Leading() {
				leaders = append(leaders, r)
			}
		}
		if len(leaders) == 1 {
			return leaders[0]
		}
		if i, _, _ := reflect.Select(cases); i == 0 {
			c.t.Fatalf("no single leader among %d replicas: %v", len(c.reps), ctx.Err())
		}
	}
}

// cardPosts returns the card posts Slack carried out, by request, each
// as the index of the call in calls.
func cardPosts(calls []slacktest.Call) map[string][]int {
	posts := map[string][]int{}
	for i, call := range calls {
		if id := cardID(call.Params.Get("blocks")); call.Method == "chat.postMessage" && id != "" && call.Status == http.StatusOK && call.Error == "" {
			posts[id] = append(posts[id], i)
		}
	}
	return posts
}

// lastCall is the index of the last call made with token, or -1.
func lastCall(calls []slacktest.Call, token string) int {
	last := -1
	for i, call := range calls {
		if call.Token == token {
			last = i
		}
	}
	return last
}

// TestReplicasConcurrentAsk files 1,000 requests by /ask from 32 clients
// at once, spread over three replicas of one PostgreSQL: every /ask is
// acknowledged with its own ID, the IDs are FIN-1 to FIN-1000 with no gap
// and none twice, as stored; then the three replicas deliver at once from
// the shared outbox until it is empty, and Slack has exactly one card for
// each request.
func TestReplicasConcurrentAsk(t *testing.T) {
	c := newCluster(t, "", 3, config.ScheduleConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	const n = 1000
	start := time.Now()
	acked := c.ask(ctx, n, 32, func(i int) string { return fmt.Sprintf("finance invoice %d needs a second look", i) })
	if t.Failed() {
		t.FailNow()
	}
	t.Logf("%d /asks acknowledged in %v", len(acked), time.Since(start))
	seen := map[string]bool{}
	for _, id := range acked {
		if seen[id] {
			t.Errorf("%s acknowledged twice", id)
		}
		seen[id] = true
	}
	stored := c.column(ctx, "SELECT id FROM requests ORDER BY num")
	if len(stored) != n || len(acked) != n {
		t.Fatalf("%d acknowledged, %d stored; want %d", len(acked), len(stored), n)
	}
	for i, id := range stored {
		if want := fmt.Sprintf("FIN-%d", i+1); id != want {
			t.Fatalf("stored IDs in order: #%d is %s, want %s (a gap or a repeat)", i+1, id, want)
		}
		if !seen[id] {
			t.Errorf("%s stored but never acknowledged", id)
		}
	}

	start = time.Now()
	passes := c.deliverAll(ctx)
	t.Logf("outbox emptied in %d delivery passes, %v", passes, time.Since(start))
	calls := c.fake.Calls()
	posts := cardPosts(calls)
	for _, id := range stored {
		if len(posts[id]) != 1 {
			t.Errorf("%s: %d cards posted, want 1", id, len(posts[id]))
		}
	}
	if len(posts) != n {
		t.Errorf("cards posted for %d requests, want %d", len(posts), n)
	}
	if m := c.fake.Messages(finCh); len(m) != n {
		t.Errorf("%d messages in #finance-requests, want %d", len(m), n)
	}
	if ups := c.fake.CallsTo("chat.update"); len(ups) != 0 {
		t.Errorf("%d chat.update calls; nothing changed a card", len(ups))
	}
	if dead := c.column(ctx, "SELECT id FROM outbox WHERE dead_at IS NOT NULL"); len(dead) > 0 {
		t.Errorf("outbox messages set aside as undeliverable: %v", dead)
	}
	byReplica := map[string]int{}
	for _, ps := range posts {
		for _, i := range ps {
			byReplica[calls[i].Token]++
		}
	}
	t.Logf("cards posted by replica: %v", byReplica)
}
