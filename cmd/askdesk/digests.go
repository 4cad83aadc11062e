package main

import (
	"context"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/bot/report/chart"
	"github.com/askdesk/askdesk/store"
)

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
// another, what serve's schedule would have run in between: the sweep, and
// each digest whose time fell in the jump.
func consoleTick(desk *bot.Desk, db *store.DB, sc config.ScheduleConfig, dir *bot.Directory, clock bot.Clock) (func(context.Context) error, error) {
	jobs, err := digestJobs(sc, dir)
	if err != nil {
		return nil, err
	}
	prev := clock.Now()
	return func(ctx context.Context) error {
		now := clock.Now()
		defer func() { prev = now }()
		// serve sweeps every few minutes; the console sweeps at each hour
		// the jump passed, so reminders held for an opening in between
		// arrive then, as they would have.
		for _, t := range sweepInstants(prev, now) {
			if _, err := desk.SweepAt(ctx, t); err != nil {
				return err
			}
		}
		// A new quarter began in the jump: its survey of the last one.
		loc := orgZone(sc)
		if q := bot.QuarterOf(now, loc); q != bot.QuarterOf(prev, loc) {
			if _, err := desk.RunSurvey(ctx, db, q.Prev(), loc); err != nil {
				return err
			}
		}
		for _, j := range jobs {
			if next := j.sched.Next(prev); !next.After(now) {
				if err := postDigest(ctx, desk, db, sc, j.dept); err != nil {
					return err
				}
			}
		}
		return nil
	}, nil
}

// maxConsoleSweeps bounds the sweeps one :advance runs; beyond that they
// are spread over the jump.
const maxConsoleSweeps = 24 * 14

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
