package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/catalog"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/logctx"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/bot/slackapp"
	"github.com/askdesk/askdesk/store"
)

// The running askdesk serve, in three steps that read top to bottom:
// openParts builds it (nothing runs yet), startLoops starts its goroutines
// under one owner, and shutdown stops them and closes the database, in
// order.

const defaultListen = ":3000"

// maxHeaderBytes bounds a request's headers (net/http's default is 1 MiB):
// Slack sends a dozen short ones.
const maxHeaderBytes = 16 << 10

// shutdownGrace bounds how long serve spends finishing in-flight work after
// SIGTERM before it exits.
const shutdownGrace = 10 * time.Second

type serverOptions struct {
	Slack    config.SlackConfig
	Schedule config.ScheduleConfig // zero: no jobs (tests call them directly)
	Dir      *bot.Directory
	// Config, when set, is the config file (named ConfigFile): serve opens
	// the service catalogue with it, and the catalogue's directory is used
	// instead of Dir. Tests that need no catalogue leave it nil.
	Config     *config.Config
	ConfigFile string
	DBPath     string
	Clock      bot.Clock
	Log        *slog.Logger
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
	// afterHangup, for tests, is called once a SIGHUP has been handled;
	// afterGroupSync each time the user groups were read from Slack.
	afterHangup, afterGroupSync func()
}

// withDefaults fills in what o leaves zero.
func (o serverOptions) withDefaults() serverOptions {
	if o.DeliveryTick == 0 {
		o.DeliveryTick = time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Slack.Listen == "" {
		o.Slack.Listen = defaultListen
	}
	if o.MaxConns <= 0 {
		o.MaxConns = defaultMaxConns
	}
	if o.ShutdownGrace == 0 {
		o.ShutdownGrace = shutdownGrace
	}
	return o
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
	// cat is the service catalogue (nil in tests that run without one);
	// configFile is where SIGHUP reads the departments from.
	cat         *catalog.Catalog
	configFile  string
	afterHangup func() // serverOptions.afterHangup
	// groupsChanged wakes keepGroups when the catalogue names another
	// user group.
	groupsChanged  chan struct{}
	afterGroupSync func() // serverOptions.afterGroupSync
}

// startServer starts serve: it stops, in order, when parent ends or Close
// is called, and Wait says how that went.
func startServer(parent context.Context, o serverOptions) (*server, error) {
	o = o.withDefaults()
	s, err := openParts(parent, o)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(parent)
	s.cancel = cancel
	// The jobs run on the leader only, and no replica leads before
	// startLoops runs the election: none runs yet.
	if s.sched, err = startScheduler(ctx, s.serveJobs(o)); err != nil {
		cancel()
		return nil, errors.Join(err, s.closeParts())
	}
	// The outbox's lines say job=delivery, the last delivery's at shutdown
	// too.
	deliveryCtx := logctx.With(ctx, slog.String("job", "delivery"))
	loops := s.startLoops(ctx, deliveryCtx, o.DeliveryTick)
	go func() {
		<-ctx.Done()
		s.done <- s.shutdown(loops, deliveryCtx, o.ShutdownGrace)
	}()
	return s, nil
}

// openParts opens the database and builds on it what serve runs: the
// metrics, the Slack app, the desk, the leadership, and the HTTP listener
// and server. Nothing runs yet. On error, what was opened is closed.
func openParts(ctx context.Context, o serverOptions) (*server, error) {
	db, err := store.Open(ctx, o.DBPath)
	if err != nil {
		return nil, err
	}
	log := o.Log
	var s *server
	var cat *catalog.Catalog
	if o.Config != nil {
		// Before s exists the catalogue's directory is read below; after,
		// each change is put in force (s.directoryChanged).
		cat, err = openCatalog(ctx, o.Config, o.ConfigFile, db, o.Clock, log, func(d *bot.Directory) {
			if s != nil {
				s.directoryChanged(d)
			}
		})
		if err != nil {
			return nil, errors.Join(err, db.Close())
		}
		o.Dir = cat.Directory()
	}
	// The departments in force at each scrape: s is set before serving.
	met := newMetrics(db, func() *bot.Directory {
		if s != nil {
			return s.desk.Dir()
		}
		return o.Dir
	}, o.Clock, log)
	app := slackapp.New(slackapp.Config{BotToken: o.Slack.BotToken, SigningSecret: o.Slack.SigningSecret,
		AppToken: o.Slack.AppToken, APIURL: o.Slack.APIURL, Observer: met, SharedStore: db.Postgres(),
		AckBudget: o.AckBudget, MaxInFlight: o.MaxInFlight, PingTimeout: o.PingTimeout, ReconnectWait: o.ReconnectWait,
		DepartmentField: o.Slack.DepartmentField}, o.Dir, db, o.Clock, log)
	desk := bot.New(o.Dir, db, app, o.Clock, log)
	if cat != nil {
		desk.Catalogue = cat
		cat.SetLanguages(desk)
	}
	desk.Zones = app
	desk.Locales = app
	desk.Observer = met
	desk.Map = report.MapCommand(desk)
	desk.Quality = report.QualityCommand(desk)
	desk.Standing = report.StandingCommand(desk)
	desk.Changed = app.RequestChanged
	if o.Slack.DepartmentField != "" {
		desk.Profiles = app
	}
	app.SetDesk(desk)
	app.Surveys = db
	// The user groups' members as last stored, before Slack is asked again.
	if missing, err := desk.LoadGroups(ctx); err != nil {
		log.Warn("user groups not read from the store", "err", err)
	} else {
		for _, m := range missing {
			log.Warn("department without its user group's members yet", "detail", m)
		}
	}

	ln, err := net.Listen("tcp", o.Slack.Listen)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("listen on %s: %w", o.Slack.Listen, err), db.Close())
	}
	// With several replicas on one PostgreSQL, the periodic jobs run on the
	// leader only; on SQLite this process always leads. /healthz shows it,
	// so it exists before the first request.
	s = &server{db: db, desk: desk, app: app, cat: cat, configFile: o.ConfigFile, afterHangup: o.afterHangup, groupsChanged: make(chan struct{}, 1), afterGroupSync: o.afterGroupSync, done: make(chan error, 1), log: log, mode: "http", lead: db.Leadership(),
		ln: newLimitListener(ln, o.MaxConns, o.onConnWait)}
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
	// Slack's requests have headers of a kilobyte or two and bodies of a
	// few (slackapp's caps); the timeouts bound how long a client that
	// sends nothing, or trickles, holds one of the connections.
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		IdleTimeout: 10 * time.Second, MaxHeaderBytes: maxHeaderBytes}
	return s, nil
}

// directoryChanged puts the catalogue's new directory in force: the desk's,
// and the digests' schedule (a department added, a zone changed).
func (s *server) directoryChanged(d *bot.Directory) {
	before := s.desk.Usergroups()
	s.desk.SetDir(d)
	if !slices.Equal(before, s.desk.Usergroups()) {
		select { // the groups' loop reads the new one from Slack
		case s.groupsChanged <- struct{}{}:
		default:
		}
	}
	if s.sched != nil && s.sched.setDigests != nil {
		if err := s.sched.setDigests(d); err != nil {
			s.log.Error("service catalogue: the digests' schedule was not updated", "err", err)
		}
	}
}

// closeParts closes what openParts opened, when serve does not start.
func (s *server) closeParts() error {
	return errors.Join(s.ln.Close(), s.db.Close())
}

// startLoops starts serve's long-running goroutines and returns their one
// owner, the WaitGroup shutdown waits on before it closes the database:
//   - delivery: the outbox, every tick, until ctx ends;
//   - http: the probes and metrics, and Slack's requests in HTTP mode,
//     until shutdown calls s.http.Shutdown;
//   - socket: Socket Mode, in that mode, until ctx ends and the envelopes
//     in hand are acknowledged;
//   - catalogue: puts standards changed elsewhere in force, and applies
//     the config file on SIGHUP, until ctx ends;
//   - groups: the departments' Slack user groups, when any names one,
//     until ctx ends;
//   - home: publishes Home tabs as requests change, until ctx ends;
//   - leadership: the election, until ctx ends; on taking the lead it
//     makes up the jobs whose tick may have been missed;
//   - parts: works out the report parts of requests changed since (every
//     request after the upgrade that added them), at start and every
//     partsEvery, so that no /ask map waits for it; until ctx ends.
func (s *server) startLoops(ctx, deliveryCtx context.Context, tick time.Duration) *sync.WaitGroup {
	var wg sync.WaitGroup
	wg.Go(func() { s.desk.RunDelivery(deliveryCtx, tick) })
	wg.Go(func() {
		if err := s.http.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("http server", "err", err)
		}
	})
	if s.mode == "socket" {
		wg.Go(func() { s.app.RunSocketMode(ctx) })
	}
	wg.Go(func() { s.app.RunHome(ctx) })
	if s.cat != nil {
		wg.Go(func() { s.cat.Run(ctx, catalogPoll) })
		if s.configFile != "" && s.configFile != builtInSource {
			// Caught from here on: SIGHUP's default would end the process.
			hup := make(chan os.Signal, 1)
			signal.Notify(hup, syscall.SIGHUP)
			wg.Go(func() {
				defer signal.Stop(hup)
				reloadOnHangup(ctx, hup, s.cat, s.configFile, s.log, s.afterHangup)
			})
		}
	}
	// Always: a lead may name a user group in the catalogue at any time
	// (directoryChanged wakes it); with none named it asks Slack nothing.
	wg.Go(func() { s.keepGroups(ctx) })
	wg.Go(func() { s.keepParts(ctx) })
	wg.Go(func() {
		s.lead.Run(ctx, func(context.Context) {
			if s.db.Postgres() {
				s.log.Info("leading: this replica runs the periodic jobs", "job", "leadership")
			}
			s.sched.makeUp()
		})
	})
	return &wg
}

// partsEvery is how often serve works out the report parts of requests
// changed since: a minute's changes take milliseconds.
const partsEvery = time.Minute

// keepParts works out the report parts of changed requests (report.
// RefreshParts) at start and every partsEvery until ctx ends; with
// replicas, only the leader does, so that two never work on the same
// marks. A failure is logged and tried again at the next tick; figures
// work out what is left themselves.
func (s *server) keepParts(ctx context.Context) {
	tick := time.NewTicker(partsEvery)
	defer tick.Stop()
	first := true
	for {
		if !s.db.Postgres() || s.lead.Leading() {
			start := time.Now()
			if err := report.RefreshParts(ctx, s.db, s.desk.Dir(), s.desk.Now()); err != nil {
				if ctx.Err() != nil {
					return
				}
				if errors.Is(err, report.ErrKeptCounts) {
					s.log.Error("report parts: run askdesk report rebuild", "job", "parts", "err", err)
				} else {
					s.log.Error("report parts", "job", "parts", "err", err)
				}
			} else if first {
				s.log.Info("report parts worked out", "job", "parts", "took", time.Since(start).Round(time.Millisecond))
				first = false
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Departments' user groups: what replicas share is read from the store
// every groupLoadEvery; Slack is asked (by the leader, and by every replica
// at start) every groupSyncEvery, besides the changes its events bring.
const (
	groupLoadEvery = 5 * time.Minute
	groupSyncEvery = time.Hour
)

// keepGroups keeps the departments' user groups in step with Slack until
// ctx ends.
func (s *server) keepGroups(ctx context.Context) {
	log := s.log.With("job", "usergroups")
	syncNow := func() {
		if err := s.app.SyncGroups(ctx); err != nil {
			log.Error("user groups not read from Slack; the members last read stay", "err", err)
		}
		if s.afterGroupSync != nil {
			s.afterGroupSync()
		}
	}
	syncNow()
	load, syncT := time.NewTicker(groupLoadEvery), time.NewTicker(groupSyncEvery)
	defer load.Stop()
	defer syncT.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-syncT.C:
			if s.lead.Leading() {
				syncNow()
			}
		case <-s.groupsChanged:
			syncNow()
		case <-load.C:
			if len(s.desk.Usergroups()) == 0 {
				continue
			}
			if _, err := s.desk.LoadGroups(ctx); err != nil {
				log.Error("user groups not read from the store", "err", err)
			}
		}
	}
}

// shutdown stops serve in order, once its context has ended: stop taking
// requests and finish those in flight; stop the jobs; wait for the loops
// (delivery, leadership, Socket Mode, which returns once the envelopes in
// hand are acknowledged); let the work acknowledged to Slack finish
// (cancelled only if it outlasts the grace period, and waited for even
// then); deliver once more what is ready, and wait for what that started
// beside the outbox; and only then close the database, which all of them
// use.
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
	// What that delivery started beside the outbox (a rating prompt's
	// emoji) ends before the process does.
	if werr := s.app.Wait(shut); werr != nil {
		s.app.Abort()
		_ = s.app.Wait(context.Background())
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
