package config

import (
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/askdesk/askdesk/bot"
)

// Schedule defaults: sweep every five minutes; digests Monday 09:00, each
// department's in its own zone.
const (
	DefaultSweep  = "@every 5m"
	DefaultDigest = "0 9 * * MON"
)

// CronParser reads the schedule's specs: five fields (minute hour day month
// weekday) or descriptors such as @every 5m, @hourly, @weekly.
var CronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// RemindersConfig is a reminder policy: [reminders] for every department,
// or [department.reminders] for one. Keys left out keep the default.
type RemindersConfig struct {
	// WarnAt are shares of an SLA target, in percent, at which the assignee
	// (or the queue) is warned: [50, 75] by default.
	WarnAt []int `toml:"warn_at,omitempty"`
	// EscalateAfter is the business time after a breach when the leads are
	// told ("1h").
	EscalateAfter string `toml:"escalate_after,omitempty"`
	// NudgeEvery repeats the reminder while a request stays overdue ("1d";
	// "off" for never).
	NudgeEvery string `toml:"nudge_every,omitempty"`
	// WaitingNudge reminds a requester who has not answered ("2d"; "off").
	WaitingNudge string `toml:"waiting_nudge,omitempty"`
	// AutoClose closes a resolved request not reopened after this much
	// business time ("3d"; "off").
	AutoClose string `toml:"auto_close,omitempty"`
}

// checkSchedule validates [schedule]: the zone and both cron specs.
func (c *Config) checkSchedule(r *reporter) {
	if c.Schedule.Timezone != "" {
		loadZone(r, "schedule.timezone", c.Schedule.Timezone)
	}
	if name := c.Schedule.Calendar; name != "" && !c.namesDepartment(name) {
		r.addf("schedule.calendar", "%s", unknownDepartment(name, c.Departments))
	}
	for key, spec := range map[string]string{"schedule.sweep": c.Schedule.Sweep, "schedule.digest": c.Schedule.Digest} {
		if spec == "" {
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(spec), "CRON_TZ=") || strings.HasPrefix(strings.TrimSpace(spec), "TZ=") {
			r.addf(key, "give the zone in schedule.timezone (or the department's timezone), not in the spec")
			continue
		}
		s, err := CronParser.Parse(spec)
		if err != nil {
			r.addf(key, "bad cron spec %q: %v; write five fields (minute hour day month weekday) like \"0 9 * * MON\", or \"@every 5m\"", spec, err)
			continue
		}
		if every, ok := strings.CutPrefix(strings.TrimSpace(spec), "@every "); ok {
			if d, err := time.ParseDuration(strings.TrimSpace(every)); err != nil || d < time.Minute {
				r.addf(key, "%q: give an interval of a minute or more", spec)
				continue
			}
		}
		// A spec that never fires (30 February) would fail silently.
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		first := s.Next(base)
		if first.IsZero() {
			r.addf(key, "%q never fires", spec)
			continue
		}
		if key == "schedule.digest" && s.Next(first).Sub(first) < 24*time.Hour {
			r.addf(key, "%q fires more than once a day; the weekly digest wants something like \"0 9 * * MON\"", spec)
		}
	}
}

// namesDepartment reports whether name is any department's name, display
// name, prefix or alias, ignoring case and width, as Directory.Lookup
// finds them.
func (c *Config) namesDepartment(name string) bool {
	n := bot.NormalizeName(name)
	for _, d := range c.Departments {
		for _, w := range append([]string{d.Name, d.DisplayName, d.Prefix}, d.Aliases...) {
			if w != "" && bot.NormalizeName(w) == n {
				return true
			}
		}
	}
	return false
}

// policy builds a reminder policy from base, overridden by rc.
func policy(r *reporter, key string, base bot.Policy, rc *RemindersConfig) bot.Policy {
	p := base
	p.WarnAt = slices.Clone(base.WarnAt)
	if rc == nil {
		return p
	}
	if rc.WarnAt != nil {
		p.WarnAt = nil
		for i, pct := range rc.WarnAt {
			if pct <= 0 || pct >= 100 {
				r.addf(at(join(key, "warn_at"), i), "%d is not a share of the target between 1 and 99 (the breach itself is always reminded)", pct)
				continue
			}
			p.WarnAt = append(p.WarnAt, pct)
		}
		slices.Sort(p.WarnAt)
		p.WarnAt = slices.Compact(p.WarnAt)
	}
	set := func(name, v string, dst *bot.BusinessDuration) {
		switch strings.TrimSpace(v) {
		case "":
		case "off":
			*dst = bot.BusinessDuration{}
		default:
			if d, ok := duration(r, join(key, name), v); ok {
				*dst = d
			}
		}
	}
	set("escalate_after", rc.EscalateAfter, &p.EscalateAfter)
	set("nudge_every", rc.NudgeEvery, &p.NudgeEvery)
	set("waiting_nudge", rc.WaitingNudge, &p.WaitingNudge)
	set("auto_close", rc.AutoClose, &p.AutoClose)
	return p
}
