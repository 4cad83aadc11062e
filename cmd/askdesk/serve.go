package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/askdesk/askdesk"
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/logctx"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/bot/slackapp"
	"github.com/askdesk/askdesk/store"
)

const defaultListen = ":3000"

// maxHeaderBytes bounds a request's headers (net/http's default is 1 MiB):
// Slack sends a dozen short ones.
const maxHeaderBytes = 16 << 10

// shutdownGrace bounds how long serve spends finishing in-flight work after
// SIGTERM before it exits.
const shutdownGrace = 10 * time.Second

func (g *globals) serveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the desk in Slack (Socket Mode with SLACK_APP_TOKEN, else HTTP)",
		Long: `Run the desk in a Slack workspace.

With an app-level token (SLACK_APP_TOKEN, xapp-…) askdesk connects by Socket
Mode and needs no public URL. Without one it serves Slack's HTTP requests on
[slack] listen (default :3000): POST /slack/commands, /slack/interactions and
/slack/events, each verified with SLACK_SIGNING_SECRET. GET /livez
(liveness), /readyz (readiness: the database can be written, Slack takes
the token), /healthz (the same in detail, as JSON) and /metrics
(Prometheus) answer in both modes. The bot token
(SLACK_BOT_TOKEN, xoxb-…) is always needed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, dir, source, err := g.loadDirectory(cmd)
			if err != nil {
				return err
			}
			if err := checkSlackConfig(cfg.Slack); err != nil {
				return err
			}
			if err := g.refuseExample(source); err != nil {
				return err
			}
			log := newLogger(cmd.ErrOrStderr(), cfg.Log)
			s, err := startServer(cmd.Context(), serverOptions{
				Slack: cfg.Slack, Schedule: cfg.Schedule, Dir: dir, DBPath: g.databasePath(cmd, cfg), Clock: bot.SystemClock{}, Log: log,
				RedactAfter: cfg.RedactAfter(),
			})
			if err != nil {
				return err
			}
			log.Info("askdesk serving", "addr", s.Addr(), "version", askdesk.Version(), "mode", s.mode, "database", s.db.Path(), "departments", len(dir.Departments))
			return s.Wait()
		},
	}
}

// refuseExample refuses to serve the example company (built in, or the
// file copied unchanged, as the container image ships it): its people are
// fictional, so a forgotten config mount would run a desk nobody can use.
func (g *globals) refuseExample(source string) error {
	example := source == builtInSource
	if !example {
		b, err := os.ReadFile(source)
		example = err == nil && bytes.Equal(b, askdesk.ExampleConfig)
	}
	if !example {
		return nil
	}
	return fmt.Errorf("%s is the example company (fictional people and channels): serve needs your own config.\n"+
		"Write one (docs/configuration.md; askdesk check-config checks it) and pass it with --config,\n"+
		"or in a container mount it over /etc/askdesk/askdesk.toml (docker run -v $PWD/askdesk.toml:/etc/askdesk/askdesk.toml:ro …).\n"+
		"The console runs the example as it is: askdesk console", source)
}

// checkSlackConfig says which secret is missing, and what to do instead.
func checkSlackConfig(c config.SlackConfig) error {
	var missing []string
	if c.BotToken == "" {
		missing = append(missing, "SLACK_BOT_TOKEN (the bot token, xoxb-…)")
	}
	if c.AppToken == "" && c.SigningSecret == "" {
		missing = append(missing, "SLACK_APP_TOKEN (xapp-…, for Socket Mode) or SLACK_SIGNING_SECRET (for HTTP mode)")
	}
	if c.AppToken != "" && !strings.HasPrefix(c.AppToken, "xapp-") {
		return errors.New("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
	}
	if len(missing) > 0 {
		return fmt.Errorf("serve needs %s.\nSet them in the environment (see docs/slack.md).\nTo try askdesk without Slack, run: askdesk console", strings.Join(missing, " and "))
	}
	return nil
}

type serverOptions struct {
	Slack    config.SlackConfig
	Schedule config.ScheduleConfig // zero: no jobs (tests call them directly)
	Dir      *bot.Directory
	DBPath   string
	Clock    bot.Clock
	Log      *slog.Logger
	// RedactAfter is the retention policy run with the daily prune; 0: off.
	RedactAfter time.Duration
	// DeliveryTick is how often the outbox is swept for retries (1s).
	DeliveryTick time.Duration
	// ShutdownGrace bounds the wait for work in flight at shutdown before
	// it is cancelled (shutdownGrace when 0).
	ShutdownGrace time.Duration
	// AckBudget, MaxInFlight, PingTimeout and ReconnectWait, for tests,
	// are slackapp.Config's.
	AckBudget     time.Duration
	MaxInFlight   int
	PingTimeout   time.Duration
	ReconnectWait func(ctx context.Context, d time.Duration) error
	// MaxConns bounds the HTTP connections served at once (defaultMaxConns
	// when 0); the rest wait in the kernel's accept queue.
	MaxConns int
	// onConnWait, for tests, is told each time the listener has to wait
	// for a connection to end before it accepts another.
	onConnWait func()
}

// server is a running askdesk serve: the HTTP listener, Socket Mode when
// configured, and the outbox delivery.
type server struct {
	db     *store.DB
	desk   *bot.Desk
	app    *slackapp.App
	ln     net.Listener
	http   *http.Server
	mode   string
	cancel context.CancelFunc
	done   chan error
	log    *slog.Logger
	sched  *scheduler
	lead   *store.Leadership
}

func startServer(parent context.Context, o serverOptions) (*server, error) {
	db, err := store.Open(parent, o.DBPath)
	if err != nil {
		return nil, err
	}
	if o.DeliveryTick == 0 {
		o.DeliveryTick = time.Second
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	met := newMetrics(db, o.Dir, o.Clock, log)
	app := slackapp.New(slackapp.Config{BotToken: o.Slack.BotToken, SigningSecret: o.Slack.SigningSecret,
		AppToken: o.Slack.AppToken, APIURL: o.Slack.APIURL, Observer: met, SharedStore: db.Postgres(),
		AckBudget: o.AckBudget, MaxInFlight: o.MaxInFlight, PingTimeout: o.PingTimeout, ReconnectWait: o.ReconnectWait}, o.Dir, db, o.Clock, log)
	desk := bot.New(o.Dir, db, app, o.Clock, log)
	desk.Zones = app
	desk.Observer = met
	desk.Map = report.MapCommand(desk)
	app.SetDesk(desk)
	app.Surveys = db

	listen := o.Slack.Listen
	if listen == "" {
		listen = defaultListen
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("listen on %s: %w", listen, err)
	}
	ctx, cancel := context.WithCancel(parent)
	// With several replicas on one PostgreSQL, the periodic jobs run on the
	// leader only; on SQLite this process always leads. /healthz shows it,
	// so it exists before the first request.
	lead := db.Leadership()
	s := &server{db: db, desk: desk, app: app, ln: ln, cancel: cancel, done: make(chan error, 1), log: log, mode: "http", lead: lead}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /livez", livez)
	mux.Handle("GET /metrics", met.Handler())
	if o.Slack.AppToken == "" {
		mux.Handle("/slack/", app.Handler())
	} else {
		s.mode = "socket"
	}
	maxConns := o.MaxConns
	if maxConns <= 0 {
		maxConns = defaultMaxConns
	}
	s.ln = newLimitListener(ln, maxConns, o.onConnWait)
	// Slack's requests have headers of a kilobyte or two and bodies of a
	// few (slackapp's caps); the timeouts bound how long a client that
	// sends nothing, or trickles, holds one of the connections.
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		IdleTimeout: 10 * time.Second, MaxHeaderBytes: maxHeaderBytes}

	var wg sync.WaitGroup
	wg.Add(2)
	deliveryCtx := logctx.With(ctx, slog.String("job", "delivery"))
	go func() { defer wg.Done(); desk.RunDelivery(deliveryCtx, o.DeliveryTick) }()
	go func() {
		defer wg.Done()
		if err := s.http.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server", "err", err)
		}
	}()
	if s.mode == "socket" {
		wg.Add(1)
		go func() { defer wg.Done(); app.RunSocketMode(ctx) }()
	}
	digest := func(ctx context.Context, dep *bot.Department) error {
		return postDigest(ctx, desk, db, o.Schedule, dep)
	}
	prune := func(ctx context.Context) (int64, error) { return db.Prune(ctx, o.Clock.Now().AddDate(0, 0, -7)) }
	prune = alsoDaily(prune, retentionJob(db, o.RedactAfter, o.Clock, log))
	survey := func(ctx context.Context) (int64, error) {
		n, err := desk.SurveyIfDue(ctx, db, orgZone(o.Schedule))
		return int64(n), err
	}
	if o.Schedule.Sweep == "" && o.Schedule.Digest == "" {
		prune, survey = nil, nil // tests run no jobs
	}
	sched, err := startScheduler(ctx, o.Schedule, o.Dir, desk, jobFuncs{digest: digest, prune: prune, survey: survey}, lead, o.Clock, log)
	if err != nil {
		cancel()
		ln.Close()
		db.Close()
		return nil, err
	}
	s.sched = sched
	wg.Add(1)
	go func() {
		defer wg.Done()
		lead.Run(ctx, func(context.Context) {
			if db.Postgres() {
				log.Info("leading: this replica runs the periodic jobs", "job", "leadership")
			}
			sched.makeUp()
		})
	}()
	grace := o.ShutdownGrace
	if grace == 0 {
		grace = shutdownGrace
	}
	go func() {
		<-ctx.Done()
		s.done <- s.shutdown(&wg, deliveryCtx, grace)
	}()
	return s, nil
}

// shutdown stops serve in order, once its context has ended: stop taking
// requests and finish those in flight; stop the jobs; wait for the loops
// (delivery, leadership, Socket Mode, which returns once the envelopes in
// hand are acknowledged); let the work acknowledged to Slack finish
// (cancelled only if it outlasts the grace period, and waited for even
// then); deliver once more what is ready; and only then close the
// database, which all of them use.
func (s *server) shutdown(loops *sync.WaitGroup, deliveryCtx context.Context, grace time.Duration) error {
	start := time.Now()
	s.log.Info("shutting down: no new requests; finishing those in flight", "grace", grace)
	shut, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := s.http.Shutdown(shut)
	s.sched.stop(shut)
	loops.Wait() // Socket Mode returns once the envelopes in hand are acked
	if werr := s.app.Wait(shut); werr != nil {
		s.log.Warn("shutdown: work acknowledged to Slack still running after the grace period; cancelling it", "err", werr)
		s.app.Abort()
		_ = s.app.Wait(context.Background()) // it ends with its context
	}
	// The rest waits in the outbox for the next start.
	sent, derr := s.desk.Deliver(logctx.Carry(shut, deliveryCtx))
	if derr != nil && err == nil && !errors.Is(derr, context.DeadlineExceeded) {
		err = derr
	}
	pending, _, perr := s.db.OutboxStats(context.Background(), s.desk.Clock.Now())
	if cerr := s.db.Close(); cerr != nil && err == nil {
		err = cerr
	}
	attrs := []any{"took", time.Since(start).Round(time.Millisecond), "delivered_last", sent}
	if perr == nil {
		attrs = append(attrs, "outbox_left", pending)
	}
	if err != nil {
		s.log.Error("stopped, with an error", append(attrs, "err", err)...)
	} else {
		s.log.Info("stopped: everything acknowledged is stored; the outbox goes out at the next start", attrs...)
	}
	return err
}

// eventsIdle waits until the events acknowledged so far are handled.
func (s *server) eventsIdle() { s.app.Wait(context.Background()) }

// Addr is where the HTTP listener is.
func (s *server) Addr() string { return s.ln.Addr().String() }

// Close stops the server and waits for it.
func (s *server) Close() error {
	s.cancel()
	return s.Wait()
}

// Wait blocks until the server has stopped (its context ended).
func (s *server) Wait() error {
	err := <-s.done
	s.done <- err
	return err
}
