package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/logctx"
)

// scheduler runs the periodic jobs of serve: the reminder sweep, and the
// weekly digests (each department's in its own zone). A job never overlaps
// itself; a run missed while askdesk was down is made up once at start, not
// once per missed tick, since the sweep looks at everything due by now.
type scheduler struct {
	cron  *cron.Cron
	clock bot.Clock
	log   *slog.Logger
	sweep cron.EntryID // 0 when there is no sweep
	// madeUp tracks the runs makeUp starts outside cron's schedule, so
	// that stop waits for them as cron's Stop does for its own; once
	// stopped (under mu), makeUp starts none.
	madeUp  sync.WaitGroup
	mu      sync.Mutex
	stopped bool
}

// leader says whether this replica runs the periodic jobs now.
type leader interface{ Leading() bool }

// leaderOnly skips a job's run on a replica that does not lead: with
// several replicas on one PostgreSQL, each job runs on one at a time. (On
// SQLite the one process always leads.)
func leaderOnly(l leader) cron.JobWrapper {
	return func(j cron.Job) cron.Job {
		return cron.FuncJob(func() {
			if l.Leading() {
				j.Run()
			}
		})
	}
}

// makeUpWindow is how far back makeUp looks for ticks that may have been
// skipped: longer than a change of leader takes (seconds; ~25 s when a
// host vanishes).
const makeUpWindow = 10 * time.Minute

// makeUp runs, through the same wrappers as their ticks (so none overlaps
// itself), the sweep, and every other job with a tick in the last
// makeUpWindow: at start, and on becoming the leader, since a tick that
// fell while no replica led was skipped everywhere. Running one twice is
// harmless: the sweep looks at everything due by now, and digests and
// surveys are recorded once in the store (per week, per person and
// quarter). A digest missed over a longer downtime is not made up (askdesk
// digest --post does it).
func (s *scheduler) makeUp() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return // shutting down: a leader found just now runs nothing
	}
	now := s.clock.Now().In(s.cron.Location())
	for _, e := range s.cron.Entries() {
		if e.ID == s.sweep || !e.Schedule.Next(now.Add(-makeUpWindow)).After(now) {
			s.madeUp.Go(e.WrappedJob.Run)
		}
	}
}

// jobFuncs are serve's periodic jobs besides the sweep; a nil one is not
// scheduled.
type jobFuncs struct {
	digest        func(ctx context.Context, dep *bot.Department) error
	prune, survey func(ctx context.Context) (int64, error)
}

// startScheduler starts the sweep and the jobs at sc's times, on the leader
// only; its clock says when makeUp looks back from.
func startScheduler(ctx context.Context, sc config.ScheduleConfig, dir *bot.Directory, desk *bot.Desk,
	jf jobFuncs, lead leader, clock bot.Clock, log *slog.Logger) (*scheduler, error) {
	digest, prune, survey := jf.digest, jf.prune, jf.survey
	loc := time.UTC
	if sc.Timezone != "" {
		l, err := time.LoadLocation(sc.Timezone)
		if err != nil {
			return nil, fmt.Errorf("schedule.timezone: %w", err)
		}
		loc = l
	}
	cl := cronLogger{log}
	c := cron.New(cron.WithLocation(loc), cron.WithParser(config.CronParser),
		cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl), leaderOnly(lead)))
	s := &scheduler{cron: c, clock: clock, log: log}
	// Each job's lines carry its name, those logged deep inside it too.
	jobCtx := func(name string) context.Context { return logctx.With(ctx, slog.String("job", name)) }
	if sc.Sweep != "" {
		sweep := func() {
			rep, err := desk.Sweep(jobCtx("sweep"))
			if err != nil {
				log.Error("sweep failed", "job", "sweep", "err", err)
				return
			}
			if rep.Messages > 0 || rep.Closed > 0 || rep.Deferred > 0 {
				log.Info("sweep", "job", "sweep", "requests", rep.Requests, "messages", rep.Messages,
					"reminders", rep.Reminders, "deferred", rep.Deferred, "closed", rep.Closed)
			}
		}
		id, err := c.AddFunc(sc.Sweep, sweep)
		if err != nil {
			return nil, fmt.Errorf("schedule.sweep: %w", err)
		}
		// Any sweep missed while down is made up once the leadership is
		// settled (makeUp).
		s.sweep = id
	}
	if survey != nil {
		// The quarterly survey goes on the first weekday of a quarter; a
		// check every weekday at 10:00 finds that day.
		if _, err := c.AddFunc(surveyCheck, func() {
			if n, err := survey(jobCtx("survey")); err != nil {
				log.Error("survey failed", "job", "survey", "err", err)
			} else if n > 0 {
				log.Info("quarterly survey sent", "job", "survey", "people", n)
			}
		}); err != nil {
			return nil, err
		}
	}
	if prune != nil {
		// Delivery records only need to outlive Slack's retries.
		if _, err := c.AddFunc("@daily", func() {
			if n, err := prune(jobCtx("prune")); err != nil {
				log.Error("prune failed", "job", "prune", "err", err)
			} else if n > 0 {
				log.Info("pruned delivery records", "job", "prune", "rows", n)
			}
		}); err != nil {
			return nil, err
		}
	}
	if digest != nil {
		jobs, err := digestJobs(sc, dir)
		if err != nil {
			return nil, fmt.Errorf("schedule.digest: %w", err)
		}
		for _, j := range jobs {
			j := j
			c.Schedule(j.sched, cron.FuncJob(func() {
				if err := digest(jobCtx("digest"), j.dept); err != nil {
					log.Error("digest failed", "job", "digest", "dept", deptName(j.dept), "err", err)
				}
			}))
		}
	}
	c.Start()
	return s, nil
}

func deptName(d *bot.Department) string {
	if d == nil {
		return "(all)"
	}
	return d.Name
}

// surveyCheck is when serve looks whether today starts a quarter.
const surveyCheck = "0 10 * * MON-FRI"

// stop stops scheduling and waits for the running jobs, those makeUp
// started included. The jobs' context has ended by then, so they stop soon;
// past ctx it says which are late, and waits on, since they use the
// database that shutdown closes next.
func (s *scheduler) stop(ctx context.Context) {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
	cronDone := s.cron.Stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-cronDone.Done()
		s.madeUp.Wait()
	}()
	select {
	case <-done:
		return
	case <-ctx.Done():
		s.log.Warn("shutdown: jobs still running after the grace period; waiting for them to stop")
	}
	<-done
}

// cronLogger adapts slog to cron's logger.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
