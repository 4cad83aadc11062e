// Command askdesk-load measures askdesk serve under load: N concurrent
// clients act as Slack users, and the tool reports throughput, how soon
// each request was acknowledged (overall and by kind), memory and
// start-up, how long the outbox took to drain, and the Slack calls of one
// request's lifecycle. The fake Slack (bot/slackapp/slacktest) runs in this
// process; askdesk runs as a child process against it.
//
// Run it from the repository root:
//
//	go run ./cmd/askdesk-load -clients 16 -duration 10s
//	go run ./cmd/askdesk-load -mode socket -slow 0.1 -slow-for 2s
//	go run ./cmd/askdesk-load -mode both -only askdesk -slow 0.1 -slow-for 2s -json
//	go run ./cmd/askdesk-load -mode attack -conns 600 -body 1MiB
//
// -mode http (the default) sends signed HTTP requests, first to a minimal
// reference handler (verify, one SQLite insert, reply) and then to askdesk
// in HTTP mode; the acknowledgement is the HTTP response, and its latency
// the response time. -mode socket starts askdesk with an app-level token
// (SLACK_APP_TOKEN, no signing secret) and sends the same payloads as
// Socket Mode envelopes on the fake's websocket; the latency is the fake's,
// from writing an envelope to reading its ack. -mode both runs HTTP, then
// Socket Mode, on the same mix, for a side-by-side report. The reference
// speaks HTTP only, so it is not run in -mode socket.
//
// Each client repeatedly picks an operation by the mix and waits for its
// acknowledgement: /ask <dept> <text> (the reply, naming the request, is in
// the ack), button clicks (claim, then resolve, a request the client filed
// earlier, as one of the department's staff: -clicks), and by -mix:
// /ask list, /ask help, /ask with no text (views.open), the "Send to a
// department" message shortcut (views.open), the intake modal submitted
// from a shortcut (users.info, chat.getPermalink) and a :ticket: reaction
// in a department's intake channel (conversations.history). Filing takes
// the share the others leave. The payloads are Slack's published samples
// in testdata/slack with only the scenario's fields changed.
//
// -slow S -slow-for D makes the fake Slack answer an evenly spread share S
// of Web API calls (every method, or -slow-method's) only after D, in both
// modes, for the load only; the outbox then drains at full speed. An
// acknowledgement not received within -ack-timeout (10s) counts as a
// timeout, not as an error, and an ack later than Slack's 3 s counts in
// ">3s"; in Socket Mode the tool then waits (up to -drain-timeout) for the
// envelopes that timed out and says how many were acked late.
//
// -lock D runs no load: instead -clients clients file /ask for D while
// this tool holds the SQLite database's write lock, and every answer is
// checked against the database afterwards (said filed but not stored, said
// nothing was filed but stored).
//
// -mode attack measures what clients that are not Slack cost askdesk: see
// attack.go.
//
// With -database postgres://… askdesk keeps its data in a fresh schema of
// that PostgreSQL database (dropped afterwards), and -replicas N (HTTP mode
// only) runs N askdesk serve processes on it, the clients spread over them.
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
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

const (
	botToken = "xoxb-load"
	appToken = "xapp-1-load"
)

type options struct {
	Mode          string             `json:"mode"` // http, socket or both
	Clients       int                `json:"clients"`
	Duration      time.Duration      `json:"-"`
	Warmup        time.Duration      `json:"-"`
	DrainTimeout  time.Duration      `json:"-"`
	AckTimeout    time.Duration      `json:"-"`
	Clicks        float64            `json:"clicks"`
	MixFlag       string             `json:"-"`
	Mix           map[string]float64 `json:"mix"` // every kind's share, filing and clicks included
	Slow          float64            `json:"slow_share"`
	SlowFor       time.Duration      `json:"-"`
	SlowMethod    string             `json:"slow_method"`
	Askdesk       string             `json:"askdesk_binary,omitempty"`
	StoreRequests int                `json:"store_requests"`
	StoreCache    string             `json:"store_cache,omitempty"`
	JSON          bool               `json:"-"`
	Only          string             `json:"only,omitempty"`
	Database      string             `json:"-"` // may hold a password
	Postgres      bool               `json:"postgres,omitempty"`
	Replicas      int                `json:"replicas"`
	Lock          time.Duration      `json:"-"`
	Profile       string             `json:"profile,omitempty"`
	// A steady-rate run (soak.go).
	Rate         float64       `json:"rate,omitempty"`
	SampleEvery  time.Duration `json:"-"`
	MemWarmup    time.Duration `json:"-"`
	MemTolerance float64       `json:"mem_tolerance_mb,omitempty"`
	// BacklogTolerance is how far the outbox backlog's trend may rise
	// after the warm-up and still count as bounded; Bounded picks the
	// mix that keeps it so (boundedMix).
	BacklogTolerance float64 `json:"backlog_tolerance,omitempty"`
	Bounded          bool    `json:"bounded,omitempty"`
	// -mode attack (attack.go).
	Conns      int           `json:"conns,omitempty"`
	BodyFlag   string        `json:"body,omitempty"`
	Settle     time.Duration `json:"-"`
	Hold       time.Duration `json:"-"`
	AttackFlag string        `json:"attacks,omitempty"`
	bodyBytes  int64
	attacks    []string
	// The durations in seconds, for -json.
	DurationS     float64 `json:"duration_s"`
	WarmupS       float64 `json:"warmup_s"`
	DrainTimeoutS float64 `json:"drain_timeout_s"`
	AckTimeoutS   float64 `json:"ack_timeout_s"`
	SlowForS      float64 `json:"slow_for_s"`

	mix opMix
}

// modes lists the askdesk modes to run, in order.
func (o options) modes() []string {
	if o.Mode == "both" {
		return []string{"http", "socket"}
	}
	return []string{o.Mode}
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
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); errors.Is(err, flag.ErrHelp) {
		return
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "askdesk-load:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("askdesk-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: go run ./cmd/askdesk-load [flags]   (from the repository root)

Loads askdesk serve with N concurrent Slack users against a fake Slack in
this process and reports throughput and acknowledgement latency (overall and
by kind), memory, start-up, the outbox drain and one lifecycle's Slack calls.
In HTTP mode a minimal reference handler is loaded first, for a ratio.

Flags:
`)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.Mode, "mode", "http", "how Slack reaches askdesk: http (signed requests; also runs the reference), socket (Socket Mode envelopes), or both; or attack (clients that are not Slack: -conns, -body, -attacks)")
	fs.IntVar(&o.Conns, "conns", 600, "-mode attack: connections opened at once in each round")
	fs.StringVar(&o.BodyFlag, "body", "1MiB", "-mode attack: the body each connection sends (B, KB, KiB, MB, MiB)")
	fs.DurationVar(&o.Hold, "hold", 2*time.Second, "-mode attack: how long each connection holds back its body's last byte once all have sent the rest")
	fs.DurationVar(&o.Settle, "settle", 15*time.Second, "-mode attack: how long after a round its memory is read again")
	fs.StringVar(&o.AttackFlag, "attacks", strings.Join(attackKinds, ","), "-mode attack: the rounds, of "+strings.Join(attackKinds, ", "))
	fs.IntVar(&o.Clients, "clients", 16, "concurrent clients")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "measured load per target, after the warm-up")
	fs.DurationVar(&o.Warmup, "warmup", time.Second, "load per target before measuring")
	fs.DurationVar(&o.DrainTimeout, "drain-timeout", 120*time.Second, "how long to wait for askdesk's outbox to drain after the load (and, in Socket Mode, for envelopes that timed out)")
	fs.DurationVar(&o.AckTimeout, "ack-timeout", 10*time.Second, "an operation with no acknowledgement after this long is a timeout (Slack itself gives up after 3s)")
	fs.Float64Var(&o.Clicks, "clicks", 0.2, "share of operations that are button clicks (claim, then resolve)")
	fs.StringVar(&o.MixFlag, "mix", defaultMix, "shares of the other operations, kind=share,…: list, help, modal (/ask with no text), shortcut, submit (modal from a shortcut), react (intake emoji); none for none; /ask <dept> <text> takes the rest")
	fs.Float64Var(&o.Slow, "slow", 0, "share of the fake Slack's Web API calls answered only after -slow-for, evenly spread, during the load (0..1)")
	fs.DurationVar(&o.SlowFor, "slow-for", 2*time.Second, "how long a slowed Web API call waits before it is answered")
	fs.StringVar(&o.SlowMethod, "slow-method", "*", "the Web API method -slow applies to, or * for all")
	fs.StringVar(&o.Askdesk, "askdesk", "", "askdesk binary (default: go build ./cmd/askdesk into a temporary directory)")
	fs.IntVar(&o.StoreRequests, "store-requests", 0, "fill askdesk's database with this many synthetic requests first")
	fs.StringVar(&o.StoreCache, "store-cache", "", "where the filled database is cached (default $TMPDIR/askdesk-load-N-v2.db, with its report parts worked out)")
	fs.BoolVar(&o.JSON, "json", false, "print the report as JSON")
	fs.StringVar(&o.Only, "only", "", "run one target: askdesk or reference")
	fs.StringVar(&o.Database, "database", "", "askdesk's database: a postgres:// URL, in which a fresh schema is used (default: a new SQLite file)")
	fs.IntVar(&o.Replicas, "replicas", 1, "askdesk serve processes sharing the -database, clients spread over them (HTTP mode)")
	fs.DurationVar(&o.Lock, "lock", 0, "instead of the load: hold the SQLite database's write lock (BEGIN EXCLUSIVE) this long while the clients file /ask, then check every answer against the database")
	fs.Float64Var(&o.Rate, "rate", 0, "operations per second, steady, handed to whichever client is free (at most -clients in flight; ticks none is free for count as behind); 0 for each client sending as soon as it is answered. With -rate, memory is sampled every -sample-every and checked for growth")
	fs.DurationVar(&o.SampleEvery, "sample-every", time.Minute, "-rate: how often the target's memory (RSS, private, Go heap) is sampled")
	fs.DurationVar(&o.MemWarmup, "mem-warmup", 0, "-rate: samples before this (since the load began) are not judged for growth (default: a quarter of the load, at most 15m; askdesk remembers signatures for 11m)")
	fs.Float64Var(&o.MemTolerance, "mem-tolerance", 2, "-rate: private memory (MB) the trend after -mem-warmup may rise by and still count as flat")
	fs.Float64Var(&o.BacklogTolerance, "backlog-tolerance", 100, "-rate: messages the outbox backlog's trend after -mem-warmup may rise by and still count as bounded")
	fs.BoolVar(&o.Bounded, "bounded", false, "-rate: instead of -mix and -clicks, a mix whose Slack calls stay near half of what askdesk paces itself to (Slack's limits), so the outbox keeps up: filings 3/s, clicks 0.4/s, intake submissions 0.5/s and reactions 0.3/s, modals 0.3/s, shortcuts 0.4/s, the rest /ask list and help")
	fs.StringVar(&o.Profile, "profile", "", "write each askdesk serve's CPU profile (the whole run) and heap profile (when it stops) into this directory; with -rate, heap profiles only, one every -sample-every too (askdesk-MODE-N.heap.at-SECONDSs.pprof)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.Postgres = o.Database != ""
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	case o.Mode != "http" && o.Mode != "socket" && o.Mode != "both" && o.Mode != "attack":
		return o, fmt.Errorf("-mode %q: want http, socket, both or attack", o.Mode)
	case o.Conns < 1 || o.Settle < 0:
		return o, errors.New("-conns must be at least 1 and -settle not negative")
	case o.Clients < 1:
		return o, errors.New("-clients must be at least 1")
	case o.Duration <= 0 || o.Warmup < 0:
		return o, errors.New("-duration must be positive and -warmup not negative")
	case o.AckTimeout <= 0:
		return o, errors.New("-ack-timeout must be positive")
	case o.Clicks < 0 || o.Clicks > 1:
		return o, errors.New("-clicks must be between 0 and 1")
	case o.Slow < 0 || o.Slow > 1 || (o.Slow > 0 && o.SlowFor <= 0):
		return o, errors.New("-slow must be between 0 and 1, and -slow-for positive")
	case o.Only != "" && o.Only != "askdesk" && o.Only != "reference":
		return o, fmt.Errorf("-only %q: want askdesk or reference", o.Only)
	case o.Only == "reference" && o.Mode == "socket":
		return o, errors.New("-only reference: the reference handler speaks HTTP only, not Socket Mode")
	case o.StoreRequests < 0:
		return o, errors.New("-store-requests must not be negative")
	case o.Database != "" && !strings.HasPrefix(o.Database, "postgres://") && !strings.HasPrefix(o.Database, "postgresql://"):
		return o, errors.New("-database must be a postgres:// URL")
	case o.Database != "" && o.StoreRequests > 0:
		return o, errors.New("-store-requests fills an SQLite file; it cannot be used with -database")
	case o.Replicas < 1 || (o.Replicas > 1 && o.Database == ""):
		return o, errors.New("-replicas must be at least 1, and more than 1 needs a shared -database")
	case o.Lock < 0 || (o.Lock > 0 && (o.Database != "" || o.Replicas > 1)):
		return o, errors.New("-lock must not be negative, and holds an SQLite file's lock: not with -database or -replicas")
	case o.Rate < 0 || (o.Rate > 0 && o.SampleEvery <= 0) || o.MemWarmup < 0 || o.MemTolerance < 0:
		return o, errors.New("-rate must not be negative, -sample-every must be positive, -mem-warmup and -mem-tolerance not negative")
	case o.BacklogTolerance < 0:
		return o, errors.New("-backlog-tolerance must not be negative")
	case o.Bounded && o.Rate <= 0:
		return o, errors.New("-bounded sizes the mix in operations a second: it needs -rate")
	case o.Replicas > 1 && o.Mode != "http":
		return o, errors.New("-replicas is for HTTP mode: the fake Slack sends every envelope to the newest Socket Mode connection")
	}
	var err error
	if o.bodyBytes, err = parseSize(o.BodyFlag); err != nil {
		return o, fmt.Errorf("-body: %w", err)
	}
	for _, k := range strings.Split(o.AttackFlag, ",") {
		if !slices.Contains(attackKinds, k) {
			return o, fmt.Errorf("-attacks: %q is none of %s", k, strings.Join(attackKinds, ", "))
		}
		o.attacks = append(o.attacks, k)
	}
	if o.mix, err = parseMix(o.MixFlag, o.Clicks); err != nil {
		return o, err
	}
	if o.Bounded {
		set := false
		fs.Visit(func(f *flag.Flag) { set = set || f.Name == "mix" || f.Name == "clicks" })
		if set {
			return o, errors.New("-bounded picks the mix itself: leave out -mix and -clicks")
		}
		if o.mix, err = boundedMix(o.Rate); err != nil {
			return o, err
		}
		o.Clicks, o.MixFlag = o.mix.clicks, "bounded"
	}
	o.Mix = o.mix.asMap()
	if o.StoreRequests > 0 && o.StoreCache == "" {
		// v2: with its report parts worked out (reportParts).
		o.StoreCache = filepath.Join(os.TempDir(), fmt.Sprintf("askdesk-load-%d-v2.db", o.StoreRequests))
	}
	if o.Rate > 0 && o.MemWarmup == 0 {
		// Past 11 minutes: askdesk remembers each request's signature
		// that long (replay protection), so its memory fills until then.
		o.MemWarmup = min((o.Warmup+o.Duration)/4, 15*time.Minute)
	}
	o.DurationS, o.WarmupS, o.DrainTimeoutS = o.Duration.Seconds(), o.Warmup.Seconds(), o.DrainTimeout.Seconds()
	o.AckTimeoutS, o.SlowForS = o.AckTimeout.Seconds(), o.SlowFor.Seconds()
	return o, nil
}

// bench is what every target's run shares.
type bench struct {
	o        options
	root     string
	tmp      string
	cfgPath  string
	secret   string
	bin      string // askdesk
	fake     *slacktest.Server
	dir      *bot.Directory
	plan     *loadPlan
	hc       *http.Client
	progress func(format string, args ...any)
	profiles int // askdesk processes started with -profile, to name their files
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
	b := &bench{o: o, root: root, tmp: tmp, secret: randomSecret(),
		progress: func(format string, args ...any) { fmt.Fprintf(stderr, "askdesk-load: "+format+"\n", args...) }}

	b.fake = slacktest.New(slacktest.WithBotToken(botToken), slacktest.WithAppToken(appToken))
	defer b.fake.Close()
	b.cfgPath = filepath.Join(tmp, "askdesk.toml")
	if b.dir, err = writeConfig(filepath.Join(root, "config.example.toml"), b.cfgPath, b.fake.URL); err != nil {
		return err
	}
	for _, d := range b.dir.Departments {
		b.fake.AddChannel(channelID(d.Channel), d.Channel)
	}
	for _, p := range b.dir.People {
		b.fake.AddUser(p.ID, p.Name, p.Name, p.Timezone)
	}
	pl, err := loadPayloads(root)
	if err != nil {
		return err
	}
	b.plan = &loadPlan{clients: o.Clients, rate: o.Rate, warmup: o.Warmup, duration: o.Duration, mix: o.mix,
		depts: typedFileable(b.dir), people: everyone(b.dir), intake: intakeChannels(b.dir),
		pl: pl, fake: b.fake, msgSeq: new(atomic.Int64)}
	if o.mix.shares[opReact] > 0 && len(b.plan.intake) == 0 {
		return errors.New("-mix react: no department in config.example.toml has intake_channels")
	}
	b.hc = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 2 * o.Clients, MaxIdleConnsPerHost: 2 * o.Clients, IdleConnTimeout: time.Minute}}
	defer b.hc.CloseIdleConnections()
	if o.Mode == "attack" {
		if err := b.build(ctx); err != nil {
			return err
		}
		return b.runAttack(ctx, stdout)
	}
	rep := report{Params: o}

	if o.Lock > 0 {
		if err := b.build(ctx); err != nil {
			return err
		}
		var reps []*lockReport
		for _, mode := range o.modes() {
			lr, err := b.runLock(ctx, mode)
			if err != nil {
				return err
			}
			reps = append(reps, lr)
		}
		if o.JSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(reps)
		}
		for _, lr := range reps {
			lr.print(stdout)
		}
		return nil
	}
	if o.Only != "askdesk" && o.Mode != "socket" {
		if err := b.runReference(ctx, &rep); err != nil {
			return err
		}
	}
	if o.Only != "reference" {
		if err := b.build(ctx); err != nil {
			return err
		}
		for _, mode := range o.modes() {
			if err := b.runAskdesk(ctx, mode, &rep); err != nil {
				return err
			}
		}
	}
	rep.ratios()
	if o.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.print(stdout)
	return nil
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

func countMethod(calls []slacktest.Call, method string) int {
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

// typedFileable are the departments "/ask <dept> <text>" files with: those
// whose default request type asks for no field (HR's letters need the
// letter's kind, which the load's text does not give).
func typedFileable(dir *bot.Directory) []*bot.Department {
	var out []*bot.Department
	for _, d := range dir.Departments {
		if t := d.DefaultType(); t == nil || len(t.RequiredFields()) == 0 {
			out = append(out, d)
		}
	}
	return out
}
