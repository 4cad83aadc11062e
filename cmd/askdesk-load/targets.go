package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// runReference loads the reference handler (HTTP only).
func (b *bench) runReference(ctx context.Context, rep *report) error {
	o := b.o
	self, err := os.Executable()
	if err != nil {
		return err
	}
	b.progress("reference: %d clients for %s after %s warm-up", o.Clients, o.Duration, o.Warmup)
	args := []string{"reference", "--listen", "127.0.0.1:0", "--db", filepath.Join(b.tmp, "reference.db"), "--secret", b.secret}
	p, err := launch("reference", self, args, os.Environ(), 30*time.Second)
	if err != nil {
		return err
	}
	defer p.stop(10 * time.Second)
	s := &poster{base: "http://" + p.addr, secret: b.secret, http: b.hc, timeout: o.AckTimeout}
	tr, err := b.loadTarget(ctx, p, target{name: "reference", mode: "http", sender: s.forClient})
	if err != nil {
		return err
	}
	rep.Targets = append(rep.Targets, tr)
	return nil
}

// build builds askdesk unless -askdesk names a binary.
func (b *bench) build(ctx context.Context) error {
	if b.bin = b.o.Askdesk; b.bin != "" {
		return nil
	}
	b.bin = filepath.Join(b.tmp, "askdesk")
	b.progress("building askdesk")
	build := exec.CommandContext(ctx, "go", "build", "-o", b.bin, "./cmd/askdesk")
	build.Dir = b.root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/askdesk: %w\n%s", err, out)
	}
	return nil
}

// askdeskRun is one askdesk target: its processes and how to reach them.
type askdeskRun struct {
	b      *bench
	mode   string
	env    []string
	procs  []*proc
	target target
	health string // base URL of the first process's /healthz
}

// start launches n askdesk serve processes on db and, in Socket Mode,
// waits until askdesk has connected.
func (r *askdeskRun) start(ctx context.Context, db string, n int) error {
	b := r.b
	for range n {
		conns := b.fake.SocketConnections()
		args := []string{"serve", "--config", b.cfgPath, "--db", db}
		if b.o.Profile != "" {
			b.profiles++
			name := filepath.Join(b.o.Profile, fmt.Sprintf("askdesk-%s-%d", r.mode, b.profiles))
			if b.o.Rate > 0 {
				// A soak: a heap profile with each memory sample, so the
				// heap at the warm-up's end can be compared with the end's
				// (go tool pprof -base), and no CPU profile: the profiler's
				// own tables grow with the run (4.6 MB after 15 minutes),
				// which the soak would count as askdesk's.
				args = append(args, "--memprofile", name+".heap.pprof", "--memprofile-every", b.o.SampleEvery.String())
			} else {
				args = append(args, "--cpuprofile", name+".cpu.pprof", "--memprofile", name+".heap.pprof")
			}
		}
		p, err := launch("askdesk", b.bin, args, r.env, 60*time.Second)
		if err != nil {
			return err
		}
		r.procs = append(r.procs, p)
		if r.mode == "socket" {
			wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			err := b.fake.WaitSocketConnections(wctx, conns+1)
			cancel()
			if err != nil {
				return fmt.Errorf("askdesk did not connect by Socket Mode: %w\n%s", err, p.log())
			}
		}
	}
	r.health = "http://" + r.procs[0].addr
	if r.mode == "socket" {
		s := &socketSender{fake: b.fake, timeout: b.o.AckTimeout}
		r.target = target{name: "askdesk-socket", mode: "socket", strict: true, sender: func(int) sender { return s }}
		return nil
	}
	s := &poster{base: r.health, secret: b.secret, http: b.hc, timeout: b.o.AckTimeout}
	for _, p := range r.procs {
		s.bases = append(s.bases, "http://"+p.addr)
	}
	r.target = target{name: "askdesk", mode: "http", strict: true, sender: s.forClient}
	return nil
}

func (r *askdeskRun) stop() {
	for _, p := range r.procs {
		p.stop(15 * time.Second)
	}
	r.procs = nil
}

// runAskdesk starts askdesk serve in mode (http or socket), loads it, waits
// for what timed out and for its outbox to drain, and counts one
// lifecycle's Slack calls.
func (b *bench) runAskdesk(ctx context.Context, mode string, rep *report) error {
	o := b.o
	dbPath := filepath.Join(b.tmp, "askdesk-"+mode+".db")
	if o.StoreRequests > 0 {
		took, err := ensureSeeded(ctx, o.StoreCache, o.StoreRequests, b.progress, reportParts(ctx, b))
		if err != nil {
			return err
		}
		rep.SeedSeconds = max(rep.SeedSeconds, took.Seconds())
		if err := copyDB(o.StoreCache, dbPath); err != nil {
			return err
		}
	}
	if o.Database != "" {
		schemaURL, drop, err := freshSchema(ctx, o.Database)
		if err != nil {
			return err
		}
		defer drop()
		dbPath = schemaURL
	}
	env := askdeskEnv(mode, b.secret)
	b.progress("askdesk (%s mode): %d clients for %s after %s warm-up (store: %d requests, %d replica(s), %s)",
		mode, o.Clients, o.Duration, o.Warmup, o.StoreRequests, o.Replicas, map[bool]string{false: "SQLite", true: "PostgreSQL"}[o.Postgres])
	r := &askdeskRun{b: b, mode: mode, env: env}
	defer r.stop()
	if err := r.start(ctx, dbPath, o.Replicas); err != nil {
		return err
	}
	tr, err := b.loadTarget(ctx, r.procs[0], r.target)
	if err != nil {
		return err
	}
	rep.Targets = append(rep.Targets, tr)
	t := &rep.Targets[len(rep.Targets)-1]

	if len(tr.Unacked) > 0 {
		b.progress("askdesk (%s mode): waiting up to %s for the %d envelopes that timed out", mode, o.DrainTimeout, len(tr.Unacked))
		start := time.Now()
		n := lateAcks(ctx, b.fake, tr.Unacked, start.Add(o.DrainTimeout))
		t.Late = &lateReport{TimedOut: len(tr.Unacked), AckedLater: n, Never: len(tr.Unacked) - n, WaitedS: time.Since(start).Seconds()}
	}
	d, err := b.drain(ctx, r.health, tr.Filed)
	if err != nil {
		return err
	}
	t.Drain = d

	b.progress("askdesk (%s mode): one lifecycle (filed, claimed, resolved, rated)", mode)
	if o.Database != "" && !d.Drained {
		b.progress("askdesk: lifecycle skipped: the outbox had not drained and a fresh PostgreSQL run is not made for it")
		return nil
	}
	lr := r
	if !d.Drained { // leftovers would be counted: use a fresh askdesk
		r.stop()
		lr = &askdeskRun{b: b, mode: mode, env: env}
		defer lr.stop()
		if err := lr.start(ctx, filepath.Join(b.tmp, "lifecycle-"+mode+".db"), 1); err != nil {
			return err
		}
	}
	lc, err := runLifecycle(ctx, lr.target.sender(0), lr.target.name, b.hc, lr.health, b.fake, b.dir, b.plan.pl)
	if !d.Drained {
		lc.Note = "on a fresh askdesk with an empty database: the load's outbox had not drained"
	}
	t.Lifecycle = &lc
	if err != nil {
		return fmt.Errorf("%w\n%s", err, lr.procs[0].log())
	}
	return nil
}

// drain waits for askdesk's outbox to drain and counts what the fake Slack
// received since the load began.
func (b *bench) drain(ctx context.Context, base string, filed int) (*drainReport, error) {
	before, err := outboxPending(ctx, b.hc, base)
	if err != nil {
		return nil, err
	}
	b.progress("askdesk: waiting up to %s for the outbox to drain (%d pending)", b.o.DrainTimeout, before)
	took, pending, err := waitDrained(ctx, b.hc, base, b.o.DrainTimeout)
	if err != nil {
		return nil, err
	}
	calls := b.fake.Calls()
	d := &drainReport{Drained: pending == 0, Seconds: took.Seconds(), PendingAtEnd: before, Pending: pending, Filed: filed,
		Cards: countCards(calls, b.dir), Ephemerals: countMethod(calls, "chat.postEphemeral"), SlackCalls: len(calls)}
	if took > 0 {
		d.PerSecond = float64(before-pending) / took.Seconds()
	}
	return d, nil
}

// loadTarget runs the load on a started target, with the fake Slack
// slowed as -slow says, and samples the target's memory.
func (b *bench) loadTarget(ctx context.Context, p *proc, t target) (targetReport, error) {
	b.fake.Reset() // count this target's Slack calls only
	if b.o.Slow > 0 {
		b.fake.SlowShare(b.o.SlowMethod, b.o.Slow, b.o.SlowFor)
	}
	sm := sampleRSS(p.cmd.Process.Pid, 100*time.Millisecond)
	var series *memSeries
	if b.o.Rate > 0 {
		metrics, health := "", ""
		if t.name != "reference" {
			metrics, health = "http://"+p.addr+"/metrics", "http://"+p.addr
		}
		series = sampleSeries(p.cmd.Process.Pid, metrics, health, b.hc, b.o.SampleEvery, b.progress)
	}
	// The target's CPU time over the measured load, after the warm-up.
	pid := p.cmd.Process.Pid
	cpu0 := make(chan time.Duration, 1)
	warm := time.AfterFunc(b.plan.warmup, func() {
		c, _ := readCPU(pid)
		cpu0 <- c
	})
	res := runLoad(ctx, t, b.plan)
	cpu1, cpuErr := readCPU(pid)
	if !warm.Stop() && cpuErr == nil {
		if c := <-cpu0; c > 0 && res.Acks > 0 {
			res.CPUSeconds = (cpu1 - c).Seconds()
			res.CPUMsPerAck = 1000 * res.CPUSeconds / float64(res.Acks)
		}
	}
	b.fake.ClearDelays()
	mem, err := sm.stop()
	if err != nil {
		return targetReport{}, fmt.Errorf("%s memory: %w", p.name, err)
	}
	var samples []memSample
	var growth *growthReport
	if series != nil {
		if samples, err = series.stop(); err != nil {
			return targetReport{}, fmt.Errorf("%s memory: %w", p.name, err)
		}
		growth = judgeGrowth(samples, b.o.MemWarmup, b.o.MemTolerance, b.o.BacklogTolerance)
	}
	if ctx.Err() != nil {
		return targetReport{}, ctx.Err()
	}
	calls := map[string]int{}
	for _, c := range b.fake.Calls() {
		calls[c.Method]++
	}
	return targetReport{Name: t.name, Mode: t.mode, Clients: b.plan.clients, loadResult: res,
		PeakRSSMB: mb(mem.HWM), MaxRSSMB: mb(mem.RSS), MaxAnonMB: mb(mem.Anon),
		StartupMs: ms(p.startup), Warnings: p.warnings(), LoadCalls: calls, Memory: samples, Growth: growth}, nil
}

// askdeskEnv is askdesk serve's environment in mode: the tokens for the
// fake Slack, and this process's environment without Slack's or askdesk's
// own variables.
func askdeskEnv(mode, secret string) []string {
	env := []string{"SLACK_BOT_TOKEN=" + botToken}
	if mode == "socket" {
		env = append(env, "SLACK_APP_TOKEN="+appToken)
	} else {
		env = append(env, "SLACK_SIGNING_SECRET="+secret)
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SLACK_") && !strings.HasPrefix(kv, "ASKDESK_") {
			env = append(env, kv)
		}
	}
	return env
}
