// Command askdesk-load measures askdesk serve under load: N concurrent
// clients send signed slash commands and button clicks, first to a minimal
// reference handler (verify, one SQLite insert, reply) and then to askdesk
// in HTTP mode against a fake Slack in this process, and it reports
// throughput, acknowledgement latency, memory and start-up for both, the
// throughput ratio, how long the outbox took to drain, and the Slack calls
// of one request's lifecycle.
//
// Run it from the repository root:
//
//	go run ./cmd/askdesk-load -clients 16 -duration 10s
//
// With -database postgres://… askdesk keeps its data in a fresh schema of
// that PostgreSQL database (dropped afterwards), and -replicas N runs N
// askdesk serve processes on it, the clients spread over them.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/slackapp/fakeslack"
)

const botToken = "xoxb-load"

type options struct {
	Clients       int           `json:"clients"`
	Duration      time.Duration `json:"-"`
	Warmup        time.Duration `json:"-"`
	DrainTimeout  time.Duration `json:"-"`
	Clicks        float64       `json:"clicks"`
	Askdesk       string        `json:"askdesk_binary,omitempty"`
	StoreRequests int           `json:"store_requests"`
	StoreCache    string        `json:"store_cache,omitempty"`
	JSON          bool          `json:"-"`
	Only          string        `json:"only,omitempty"`
	Database      string        `json:"-"` // may hold a password
	Postgres      bool          `json:"postgres,omitempty"`
	Replicas      int           `json:"replicas"`
	// DurationS, WarmupS and DrainTimeoutS are the durations for -json.
	DurationS     float64 `json:"duration_s"`
	WarmupS       float64 `json:"warmup_s"`
	DrainTimeoutS float64 `json:"drain_timeout_s"`
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "reference" {
		if err := runReference(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "askdesk-load reference:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "askdesk-load:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("askdesk-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.Clients, "clients", 16, "concurrent clients")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "measured load per target, after the warm-up")
	fs.DurationVar(&o.Warmup, "warmup", time.Second, "load per target before measuring")
	fs.DurationVar(&o.DrainTimeout, "drain-timeout", 120*time.Second, "how long to wait for askdesk's outbox to drain after the load")
	fs.Float64Var(&o.Clicks, "clicks", 0.2, "share of operations that are button clicks (claim, then resolve)")
	fs.StringVar(&o.Askdesk, "askdesk", "", "askdesk binary (default: go build ./cmd/askdesk into a temporary directory)")
	fs.IntVar(&o.StoreRequests, "store-requests", 0, "fill askdesk's database with this many synthetic requests first")
	fs.StringVar(&o.StoreCache, "store-cache", "", "where the filled database is cached (default $TMPDIR/askdesk-load-N.db)")
	fs.BoolVar(&o.JSON, "json", false, "print the report as JSON")
	fs.StringVar(&o.Only, "only", "", "run one target: askdesk or reference")
	fs.StringVar(&o.Database, "database", "", "askdesk's database: a postgres:// URL, in which a fresh schema is used (default: a new SQLite file)")
	fs.IntVar(&o.Replicas, "replicas", 1, "askdesk serve processes sharing the -database, clients spread over them")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.Postgres = o.Database != ""
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	case o.Clients < 1:
		return o, errors.New("-clients must be at least 1")
	case o.Duration <= 0 || o.Warmup < 0:
		return o, errors.New("-duration must be positive and -warmup not negative")
	case o.Clicks < 0 || o.Clicks > 1:
		return o, errors.New("-clicks must be between 0 and 1")
	case o.Only != "" && o.Only != "askdesk" && o.Only != "reference":
		return o, fmt.Errorf("-only %q: want askdesk or reference", o.Only)
	case o.StoreRequests < 0:
		return o, errors.New("-store-requests must not be negative")
	case o.Database != "" && !strings.HasPrefix(o.Database, "postgres://") && !strings.HasPrefix(o.Database, "postgresql://"):
		return o, errors.New("-database must be a postgres:// URL")
	case o.Database != "" && o.StoreRequests > 0:
		return o, errors.New("-store-requests fills an SQLite file; it cannot be used with -database")
	case o.Replicas < 1 || (o.Replicas > 1 && o.Database == ""):
		return o, errors.New("-replicas must be at least 1, and more than 1 needs a shared -database")
	}
	if o.StoreRequests > 0 && o.StoreCache == "" {
		o.StoreCache = filepath.Join(os.TempDir(), fmt.Sprintf("askdesk-load-%d.db", o.StoreRequests))
	}
	o.DurationS, o.WarmupS, o.DrainTimeoutS = o.Duration.Seconds(), o.Warmup.Seconds(), o.DrainTimeout.Seconds()
	return o, nil
}

// run is the whole tool: set up, load each target, report.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "askdesk-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	progress := func(format string, args ...any) { fmt.Fprintf(stderr, "askdesk-load: "+format+"\n", args...) }

	fake := fakeslack.New(fakeslack.WithBotToken(botToken))
	defer fake.Close()
	cfgPath := filepath.Join(tmp, "askdesk.toml")
	dir, err := writeConfig(filepath.Join(root, "config.example.toml"), cfgPath, fake.URL)
	if err != nil {
		return err
	}
	for _, d := range dir.Departments {
		fake.AddChannel(channelID(d.Channel), d.Channel)
	}
	for _, p := range dir.People {
		fake.AddUser(p.ID, p.Name, p.Name, p.Timezone)
	}
	pl, err := loadPayloads(root)
	if err != nil {
		return err
	}
	plan := loadPlan{clients: o.Clients, warmup: o.Warmup, duration: o.Duration, clicks: o.Clicks,
		depts: dir.Departments, people: everyone(dir)}
	secret := randomSecret()
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 2 * o.Clients, MaxIdleConnsPerHost: 2 * o.Clients, IdleConnTimeout: time.Minute}}
	defer hc.CloseIdleConnections()
	rep := report{Params: o}

	if o.Only != "askdesk" {
		self, err := os.Executable()
		if err != nil {
			return err
		}
		progress("reference: %d clients for %s after %s warm-up", o.Clients, o.Duration, o.Warmup)
		args := []string{"reference", "--listen", "127.0.0.1:0", "--db", filepath.Join(tmp, "reference.db"), "--secret", secret}
		p, err := launch("reference", self, args, os.Environ(), 30*time.Second)
		if err != nil {
			return err
		}
		tr, err := loadTarget(ctx, p, &poster{base: "http://" + p.addr, secret: secret, http: hc, p: pl}, plan)
		p.stop(10 * time.Second)
		if err != nil {
			return err
		}
		rep.Targets = append(rep.Targets, tr)
	}
	if o.Only != "reference" {
		if err := runAskdesk(ctx, o, root, tmp, cfgPath, secret, fake, dir, pl, plan, hc, &rep, progress); err != nil {
			return err
		}
	}
	if len(rep.Targets) == 2 && rep.Targets[0].OpsPerS > 0 {
		rep.Ratio = rep.Targets[1].OpsPerS / rep.Targets[0].OpsPerS
	}
	if o.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.print(stdout)
	return nil
}

// runAskdesk builds (unless given) and starts askdesk serve, loads it,
// waits for its outbox to drain and counts one lifecycle's Slack calls.
func runAskdesk(ctx context.Context, o options, root, tmp, cfgPath, secret string, fake *fakeslack.Server, dir *bot.Directory,
	pl *payloads, plan loadPlan, hc *http.Client, rep *report, progress func(string, ...any)) error {
	bin := o.Askdesk
	if bin == "" {
		bin = filepath.Join(tmp, "askdesk")
		progress("building askdesk")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/askdesk")
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("go build ./cmd/askdesk: %w\n%s", err, out)
		}
	}
	dbPath := filepath.Join(tmp, "askdesk.db")
	if o.StoreRequests > 0 {
		took, err := ensureSeeded(ctx, o.StoreCache, o.StoreRequests, progress)
		if err != nil {
			return err
		}
		rep.SeedSeconds = took.Seconds()
		if err := copyDB(o.StoreCache, dbPath); err != nil {
			return err
		}
	}
	env := []string{"SLACK_BOT_TOKEN=" + botToken, "SLACK_SIGNING_SECRET=" + secret}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SLACK_") && !strings.HasPrefix(kv, "ASKDESK_") {
			env = append(env, kv)
		}
	}
	serveArgs := func(db string) []string { return []string{"serve", "--config", cfgPath, "--db", db} }
	if o.Database != "" {
		schemaURL, drop, err := freshSchema(ctx, o.Database)
		if err != nil {
			return err
		}
		defer drop()
		dbPath = schemaURL
	}
	progress("askdesk: %d clients for %s after %s warm-up (store: %d requests, %d replica(s), %s)",
		o.Clients, o.Duration, o.Warmup, o.StoreRequests, o.Replicas, map[bool]string{false: "SQLite", true: "PostgreSQL"}[o.Postgres])
	var procs []*proc
	defer func() {
		for _, p := range procs {
			p.stop(15 * time.Second)
		}
	}()
	for range o.Replicas {
		p, err := launch("askdesk", bin, serveArgs(dbPath), env, 60*time.Second)
		if err != nil {
			return err
		}
		procs = append(procs, p)
	}
	p := procs[0]
	s := &poster{base: "http://" + p.addr, secret: secret, http: hc, p: pl}
	for _, rp := range procs {
		s.bases = append(s.bases, "http://"+rp.addr)
	}
	tr, err := loadTarget(ctx, p, s, plan)
	if err != nil {
		return err
	}
	rep.Targets = append(rep.Targets, tr)

	before, err := outboxPending(ctx, hc, s.base)
	if err != nil {
		return err
	}
	progress("askdesk: waiting up to %s for the outbox to drain (%d pending)", o.DrainTimeout, before)
	took, pending, err := waitDrained(ctx, hc, s.base, o.DrainTimeout)
	if err != nil {
		return err
	}
	calls := fake.Calls()
	d := &drainReport{Drained: pending == 0, Seconds: took.Seconds(), PendingAtEnd: before, Pending: pending, Filed: tr.Filed,
		Cards: countCards(calls, dir), Ephemerals: countMethod(calls, "chat.postEphemeral"), SlackCalls: len(calls)}
	if took > 0 {
		d.PerSecond = float64(before-pending) / took.Seconds()
	}
	rep.Drain = d

	progress("askdesk: one lifecycle (filed, claimed, resolved, rated)")
	lp, ls := p, s
	if o.Database != "" && !d.Drained {
		progress("askdesk: lifecycle skipped: the outbox had not drained and a fresh PostgreSQL run is not made for it")
		return nil
	}
	if !d.Drained { // leftovers would be counted: use a fresh askdesk
		p.stop(15 * time.Second)
		lp, err = launch("askdesk", bin, serveArgs(filepath.Join(tmp, "lifecycle.db")), env, 60*time.Second)
		if err != nil {
			return err
		}
		defer lp.stop(15 * time.Second)
		ls = &poster{base: "http://" + lp.addr, secret: secret, http: hc, p: pl}
	}
	lc, err := runLifecycle(ctx, ls, fake, dir)
	if !d.Drained {
		lc.Note = "on a fresh askdesk with an empty database: the load's outbox had not drained"
	}
	rep.Lifecycle = &lc
	if err != nil {
		return fmt.Errorf("%w\n%s", err, lp.log())
	}
	return nil
}

// loadTarget runs the load on a started target and samples its memory.
func loadTarget(ctx context.Context, p *proc, s *poster, plan loadPlan) (targetReport, error) {
	sm := sampleRSS(p.cmd.Process.Pid, 100*time.Millisecond)
	res := runLoad(ctx, s, plan)
	mem, err := sm.stop()
	if err != nil {
		return targetReport{}, fmt.Errorf("%s memory: %w", p.name, err)
	}
	if ctx.Err() != nil {
		return targetReport{}, ctx.Err()
	}
	return targetReport{Name: p.name, Clients: plan.clients, loadResult: res,
		P50ms: ms(res.P50), P99ms: ms(res.P99), MaxMs: ms(res.Max),
		PeakRSSMB: mb(mem.HWM), MaxRSSMB: mb(mem.RSS), MaxAnonMB: mb(mem.Anon),
		StartupMs: ms(p.startup), Warnings: p.warnings()}, nil
}

// writeConfig writes config.example.toml with [slack] listen on a free
// local port and api_url at the fake, and returns its directory.
func writeConfig(example, dst, apiURL string) (*bot.Directory, error) {
	raw, err := os.ReadFile(example)
	if err != nil {
		return nil, err
	}
	body := string(raw)
	for _, r := range [][2]string{
		{`# listen = ":3000"`, `listen = "127.0.0.1:0"`},
		{`# api_url = "http://127.0.0.1:8080/api/"`, fmt.Sprintf("api_url = %q", apiURL)},
	} {
		if !strings.Contains(body, r[0]) {
			return nil, fmt.Errorf("%s no longer has the line %s to replace; update askdesk-load's writeConfig", example, r[0])
		}
		body = strings.Replace(body, r[0], r[1], 1)
	}
	if err := os.WriteFile(dst, []byte(body), 0o600); err != nil {
		return nil, err
	}
	cfg, err := config.Parse(dst, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	if cfg.Slack.Listen != "127.0.0.1:0" || cfg.Slack.APIURL != apiURL {
		return nil, fmt.Errorf("%s: listen %q, api_url %q after the substitution", dst, cfg.Slack.Listen, cfg.Slack.APIURL)
	}
	return cfg.Directory()
}

// channelID is the ID the fake gives a channel named in the config:
// the ID itself, or a made-up one for "#name".
func channelID(ch string) string {
	if !strings.HasPrefix(ch, "#") {
		return ch
	}
	id := "C" + strings.ToUpper(strings.NewReplacer("-", "", "_", "").Replace(ch[1:]))
	return id[:min(len(id), 11)]
}

// repoRoot finds the repository root above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "testdata/slack/slash_docs_weather.txt")); err == nil {
			if _, err := os.Stat(filepath.Join(d, "config.example.toml")); err == nil {
				return d, nil
			}
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("run askdesk-load inside the askdesk repository (no testdata/slack above %s)", dir)
		}
	}
}

func randomSecret() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func countMethod(calls []fakeslack.Call, method string) int {
	n := 0
	for _, c := range calls {
		if c.Method == method {
			n++
		}
	}
	return n
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func mb(b int64) float64         { return float64(b) / (1 << 20) }
