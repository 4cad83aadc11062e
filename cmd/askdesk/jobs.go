package main

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/console"
	"github.com/askdesk/askdesk/bot/logctx"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/bot/report/chart"
	"github.com/askdesk/askdesk/store"
)

// The periodic jobs: what serve runs on a schedule (the reminder sweep,
// the weekly digests, the quarterly survey, the daily pruning and
// retention), on the leading replica only; and what the console runs in
// their place when its clock jumps (consoleTick).

// scheduler runs serve's periodic jobs: the reminder sweep, the weekly
// digests (each department's in its own zone), the quarterly survey, and
// the daily pruning and retention. A job never overlaps itself; a run
// missed while askdesk was down is made up once at start, not once per
// missed tick, since the sweep looks at everything due by now.
type scheduler struct {
	cron  *cron.Cron
	clock bot.Clock
	log   *slog.Logger
	sweep cron.EntryID // 0 when there is no sweep
	// setDigests schedules each department's weekly digest in its zone,
	// replacing the schedule before: called at start and whenever the
	// service catalogue changes (a department added, a zone changed).
	setDigests func(dir *bot.Directory) error
	digestMu   sync.Mutex
	digests    []cron.EntryID
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

// jobDeps is what startScheduler needs: when the jobs run (schedule), what
// they work on, who says whether this replica runs them (lead), the clock
// makeUp looks back from, and the jobs besides the sweep.
type jobDeps struct {
	schedule config.ScheduleConfig
	dir      *bot.Directory // whose digests: each department's, in its zone
	desk     *bot.Desk      // the sweep's
	lead     leader
	clock    bot.Clock
	log      *slog.Logger
	// The jobs besides the sweep; a nil one is not scheduled.
	digest        func(ctx context.Context, dep *bot.Department) error
	prune, survey func(ctx context.Context) (int64, error)
}

// serveJobs are serve's periodic jobs on its database: the weekly digests,
// the quarterly survey, and the daily pruning of delivery records with the
// retention policy. A schedule with neither a sweep nor a digest (tests)
// runs none.
func (s *server) serveJobs(o serverOptions) jobDeps {
	d := jobDeps{schedule: o.Schedule, dir: o.Dir, desk: s.desk, lead: s.lead, clock: o.Clock, log: s.log}
	d.digest = func(ctx context.Context, dep *bot.Department) error {
		return postDigest(ctx, s.desk, s.db, o.Schedule, dep)
	}
	if o.Schedule.Sweep == "" && o.Schedule.Digest == "" {
		return d // tests run no jobs
	}
	prune := func(ctx context.Context) (int64, error) { return s.db.Prune(ctx, o.Clock.Now().AddDate(0, 0, -7)) }
	d.prune = alsoDaily(prune, retentionJob(s.db, o.RedactAfter, o.Clock, s.log))
	// The calendar's department by its name, which never changes, not by
	// the display name or alias the config may have used, which its leads
	// can change in /ask manage.
	sched := o.Schedule
	if dep, err := s.desk.Dir().Department(sched.Calendar); sched.Calendar != "" && err == nil {
		sched.Calendar = dep.Name
	}
	d.survey = func(ctx context.Context) (int64, error) {
		cal, err := surveyCalendar(sched, s.desk.Dir())
		if err != nil {
			// A quarter without its survey is worse than one sent on a
			// day the calendar would have skipped.
			s.log.WarnContext(ctx, "survey: keeping Monday to Friday", "err", err)
		}
		n, err := s.desk.SurveyIfDue(ctx, s.db, orgZone(o.Schedule), cal)
		return int64(n), err
	}
	return d
}

// startScheduler starts the sweep and the jobs at d.schedule's times, on
// the leader only.
func startScheduler(ctx context.Context, d jobDeps) (*scheduler, error) {
	sc, desk, log := d.schedule, d.desk, d.log
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
		cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl), leaderOnly(d.lead)))
	s := &scheduler{cron: c, clock: d.clock, log: log}
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
	if d.survey != nil {
		// The quarterly survey goes on the first working day of a
		// quarter; a check every day at 10:00 finds that day, a make-up
		// Sunday included.
		if _, err := c.AddFunc(surveyCheck, func() {
			if n, err := d.survey(jobCtx("survey")); err != nil {
				log.Error("survey failed", "job", "survey", "err", err)
			} else if n > 0 {
				log.Info("quarterly survey sent", "job", "survey", "people", n)
			}
		}); err != nil {
			return nil, err
		}
	}
	if d.prune != nil {
		// Delivery records only need to outlive Slack's retries.
		if _, err := c.AddFunc("@daily", func() {
			if n, err := d.prune(jobCtx("prune")); err != nil {
				log.Error("prune failed", "job", "prune", "err", err)
			} else if n > 0 {
				log.Info("pruned delivery records", "job", "prune", "rows", n)
			}
		}); err != nil {
			return nil, err
		}
	}
	if d.digest != nil {
		s.setDigests = func(dir *bot.Directory) error {
			jobs, err := digestJobs(sc, dir)
			if err != nil {
				return fmt.Errorf("schedule.digest: %w", err)
			}
			s.digestMu.Lock()
			defer s.digestMu.Unlock()
			for _, id := range s.digests {
				c.Remove(id)
			}
			s.digests = s.digests[:0]
			for _, j := range jobs {
				s.digests = append(s.digests, c.Schedule(j.sched, cron.FuncJob(func() {
					if err := d.digest(jobCtx("digest"), j.dept); err != nil {
						log.Error("digest failed", "job", "digest", "dept", deptName(j.dept), "err", err)
					}
				})))
			}
			return nil
		}
		if err := s.setDigests(d.dir); err != nil {
			return nil, err
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

// surveyCheck is when serve looks whether today is a quarter's first
// working day.
const surveyCheck = "0 10 * * *"

// surveyCalendar is the calendar whose working days the survey keeps:
// schedule.calendar's department's, read from the directory in force (its
// leads may have changed its holidays), or nil for Monday to Friday.
func surveyCalendar(sc config.ScheduleConfig, dir *bot.Directory) (*bot.Calendar, error) {
	if sc.Calendar == "" {
		return nil, nil
	}
	dep, err := dir.Department(sc.Calendar)
	if err != nil {
		return nil, fmt.Errorf("schedule.calendar: %w", err)
	}
	return dep.Calendar, nil
}

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

// digestJob is one weekly digest on the schedule: a department's (in its
// own zone) or the company's (dept nil, in the schedule's zone).
type digestJob struct {
	dept  *bot.Department
	sched cron.Schedule
}

// digestJobs builds the digest schedule from [schedule].
func digestJobs(sc config.ScheduleConfig, dir *bot.Directory) ([]digestJob, error) {
	if sc.Digest == "" {
		return nil, nil
	}
	var jobs []digestJob
	for _, dep := range dir.Departments {
		s, err := config.CronParser.Parse("CRON_TZ=" + dep.Calendar.Location.String() + " " + sc.Digest)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, digestJob{dept: dep, sched: s})
	}
	if sc.DigestChannel != "" {
		s, err := config.CronParser.Parse("CRON_TZ=" + orgZone(sc).String() + " " + sc.Digest)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, digestJob{sched: s})
	}
	return jobs, nil
}

func orgZone(sc config.ScheduleConfig) *time.Location {
	if loc, err := time.LoadLocation(sc.Timezone); err == nil && sc.Timezone != "" {
		return loc
	}
	return time.UTC
}

// postDigest posts one job's digest through the desk.
func postDigest(ctx context.Context, desk *bot.Desk, db *store.DB, sc config.ScheduleConfig, dep *bot.Department) error {
	_, _, err := report.PostDigest(ctx, desk, db, dep, report.ISOWeek{}, sc.DigestChannel, orgZone(sc), chart.Trend)
	return err
}

// consoleTick runs, after the console's clock jumps from one instant to
// another, what serve's schedule would have run in between, in time order
// and each at its own time: the clock is stepped back to where the jump
// began and moved through it, stopping at each sweep, survey check and
// digest that fell in it, and what each wrote is delivered before the
// clock moves on. So every week's digest of a long jump is posted, an
// auto-close is stamped when it was due, and the console prints what was
// sent in the order it was sent.
func consoleTick(desk *bot.Desk, db *store.DB, sc config.ScheduleConfig, clock console.Advancer) (func(context.Context) error, error) {
	if _, err := digestJobs(sc, desk.Dir()); err != nil {
		return nil, err
	}
	// The survey goes out when serve's daily check finds the first working
	// day of a quarter on schedule.calendar's department's calendar, kept
	// by name as serve keeps it.
	loc := orgZone(sc)
	check, err := config.CronParser.Parse("CRON_TZ=" + loc.String() + " " + surveyCheck)
	if err != nil {
		return nil, err
	}
	if dep, err := desk.Dir().Department(sc.Calendar); sc.Calendar != "" && err == nil {
		sc.Calendar = dep.Name
	}
	prev := clock.Now()
	return func(ctx context.Context) error {
		end := clock.Now()
		defer func() { prev = clock.Now() }()
		// The departments in force now: a lead may have changed a zone.
		jobs, err := digestJobs(sc, desk.Dir())
		if err != nil {
			return err
		}
		// serve sweeps every few minutes; the console sweeps at each hour
		// the jump passed, so reminders held for an opening in between
		// arrive then, as they would have.
		var at []tickAt
		for _, t := range sweepInstants(prev, end) {
			at = append(at, tickAt{t: t, sweep: true})
		}
		for t := check.Next(prev); !t.After(end); t = check.Next(t) {
			at = append(at, tickAt{t: t, survey: true})
		}
		for _, j := range jobs {
			for t := j.sched.Next(prev); !t.After(end); t = j.sched.Next(t) {
				at = append(at, tickAt{t: t, digest: j.dept, isDigest: true})
			}
		}
		// At one instant the sweep goes first, then the survey and digests,
		// as serve's jobs would have seen the sweep's work.
		sort.SliceStable(at, func(i, k int) bool { return at[i].t.Before(at[k].t) })
		clock.Advance(prev.Sub(clock.Now()))
		// However the steps go, the clock ends where the jump took it.
		defer func() {
			if now := clock.Now(); now.Before(end) {
				clock.Advance(end.Sub(now))
			}
		}()
		for _, a := range at {
			if now := clock.Now(); a.t.After(now) {
				clock.Advance(a.t.Sub(now))
			}
			switch {
			case a.sweep:
				if _, err := desk.SweepAt(ctx, a.t); err != nil {
					return err
				}
			case a.survey:
				// A quarter's first working day came in the jump: its survey
				// of the last one. A calendar that is gone keeps Monday to
				// Friday, as in serve.
				cal, _ := surveyCalendar(sc, desk.Dir())
				if bot.IsSurveyDay(a.t, loc, cal) {
					if _, err := desk.RunSurvey(ctx, db, bot.QuarterOf(a.t, loc).Prev(), loc); err != nil {
						return err
					}
				}
			case a.isDigest:
				if err := postDigest(ctx, desk, db, sc, a.digest); err != nil {
					return err
				}
			}
			if _, err := desk.Deliver(ctx); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// tickAt is one thing the console's tick runs at t: a sweep, the survey
// check, or a digest (of digest, nil for the organisation's).
type tickAt struct {
	t             time.Time
	sweep, survey bool
	isDigest      bool
	digest        *bot.Department
}

// maxConsoleSweeps bounds the sweeps one :advance runs: hourly up to a
// month, spread over the jump beyond that.
const maxConsoleSweeps = 24 * 31

// sweepInstants are the instants after prev up to now at which the console
// sweeps: each whole hour in between, and now.
func sweepInstants(prev, now time.Time) []time.Time {
	step := time.Hour
	if n := now.Sub(prev) / step; n > maxConsoleSweeps {
		step = now.Sub(prev) / maxConsoleSweeps
	}
	var out []time.Time
	for t := prev.Truncate(time.Hour).Add(step); t.Before(now); t = t.Add(step) {
		out = append(out, t)
	}
	return append(out, now)
}
