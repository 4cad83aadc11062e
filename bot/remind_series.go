package bot

import (
	"fmt"
	"slices"
	"time"
)

// Which reminders a request owes, and when: the series of warnings, breach,
// escalation and nudges of each running SLA clock, the nudge of a requester
// who has not answered, and the automatic close of a resolved request. The
// sweep (remind.go) sends them.

// reminders lists every reminder of r whose time is at or before until, in
// time order (the store drops those already sent), and returns the time of
// the first reminder after after, or zero. Nudges repeat while overdue; the
// series is generated only as far as both bounds need, and the nudges due
// in a row come as one reminder standing for all of them (Reminder.Run).
// days, when not nil, holds the calendars' days for the sweep's requests.
// The reminders are appended to buf[:0]: the sweep passes the same buffer
// for each of its requests instead of growing a new slice for each.
func (d *Desk) reminders(r *Request, dep *Department, until, after time.Time, days dayTables, buf []Reminder) (out []Reminder, next time.Time) {
	p := dep.Policy()
	ar := arithmeticOf(days, dep.Calendar)
	s := &reminderSet{r: r, dep: dep, until: until, after: after, days: days, ar: ar, out: buf[:0]}
	// The clocks once: each resolves its target on the calendar.
	first, res := r.clocks(dep, ar)
	if !p.NudgeEvery.IsZero() {
		s.leader = overdueLeader(r, first, res, ar, until)
	}
	for _, c := range runningOf(r, first, res) {
		s.clockSeries(c, p)
	}
	if n := len(r.Pauses); r.State == Waiting && n > 0 && !p.WaitingNudge.IsZero() {
		start := r.Pauses[n-1].Start
		s.add(Reminder{Series: fmt.Sprintf("waiting:%d", start.UnixMilli()), Level: 1, Kind: RemindWaiting,
			At: ar.deadline(start, p.WaitingNudge), To: r.Requester, Cal: d.homeCalendar(r.Requester, dep)})
	}
	if r.State == Resolved && !p.AutoClose.IsZero() {
		s.add(Reminder{Series: fmt.Sprintf("close:%d", r.ResolvedAt.UnixMilli()), Level: 1, Kind: RemindClose,
			At: ar.deadline(r.ResolvedAt, p.AutoClose), To: r.Requester})
	}
	slices.SortStableFunc(s.out, func(a, b Reminder) int { return a.At.Compare(b.At) })
	return s.out, s.next
}

// runningClocks are the SLA clocks of r that reminders chase: none once it
// is no longer active; the first-response clock until someone answered; the
// resolution clock unless it is paused, waiting on the requester.
func runningClocks(r *Request, dep *Department) []SLAClock {
	if !r.State.Active() {
		return nil
	}
	first, res := r.Clocks(dep)
	return runningOf(r, first, res)
}

// runningOf is runningClocks of r's clocks first and res.
func runningOf(r *Request, first, res SLAClock) []SLAClock {
	if !r.State.Active() {
		return nil
	}
	clocks := []SLAClock{}
	if r.FirstResponseAt.IsZero() {
		clocks = append(clocks, first)
	}
	if r.State != Waiting {
		clocks = append(clocks, res)
	}
	return clocks
}

// reminderSet gathers the reminders of one request: those due by until, and
// the first one after after.
type reminderSet struct {
	r            *Request
	dep          *Department
	until, after time.Time
	out          []Reminder
	next         time.Time
	days         dayTables  // nil: each nudge walks the calendar
	ar           arithmetic // the department calendar's, along days when set
	// leader is the clock that breached first while the request has both,
	// whose nudges speak for the request (see spokenFor); nil for none.
	leader *leaderClock
}

// leaderClock is the clock of a request that breached first: from its
// breach until it stops, its reminders are the request's only lines to the
// staff, and they mention the other clock.
type leaderClock struct {
	name       string
	due, until time.Time // breached at due; speaks until until (zero: still running)
}

// overdueLeader returns the clock of r (first and res) that breached first, by until, when
// the other clock also runs (or ran) after that breach; nil otherwise.
// Without it the two clocks' series, which start and breach at different
// times of day, would each chase the same person: "first response overdue
// by 16h" one day, "resolution overdue by 21m" the next.
func overdueLeader(r *Request, first, res SLAClock, ar arithmetic, until time.Time) *leaderClock {
	if !r.State.Active() {
		return nil
	}
	fd, rd := first.due(ar, until), res.due(ar, until)
	// The first-response clock leads on a tie: it is owed first.
	switch {
	case fd.After(until) && rd.After(until):
		return nil // neither has breached
	case !fd.After(rd):
		if !first.Stop.IsZero() && !first.Stop.After(fd) {
			return nil // answered in time: it never led
		}
		return &leaderClock{name: first.Name, due: fd, until: first.Stop}
	case r.State == Waiting:
		return nil // the resolution clock is paused: the other speaks for itself
	default:
		return &leaderClock{name: res.Name, due: rd}
	}
}

// spokenFor reports whether rem, of the clock named clock, is left to the
// leading clock's lines: it falls after the leader's breach and before the
// leader stopped. The leader's own reminders, and everything before its
// breach, speak for themselves.
func (s *reminderSet) spokenFor(clock string, at time.Time) bool {
	l := s.leader
	if l == nil || l.name == clock || !at.After(l.due) {
		return false
	}
	return l.until.IsZero() || at.Before(l.until)
}

// add keeps rem if it is due by until, and notes it as the next one if it
// is the earliest after after. A reminder with no time (a clock that never
// reaches it) is neither.
func (s *reminderSet) add(rem Reminder) {
	if rem.At.IsZero() {
		return
	}
	if !rem.At.After(s.until) {
		rem.RequestID = s.r.ID
		s.out = append(s.out, rem)
	}
	s.noteNext(rem.At)
}

// noteNext notes at as the next reminder's time if it is the earliest
// after after.
func (s *reminderSet) noteNext(at time.Time) {
	if at.After(s.after) && (s.next.IsZero() || at.Before(s.next)) {
		s.next = at
	}
}

// toStaff addresses rem to whoever works the request: its assignee, or the
// department's queue channel while nobody has claimed it.
func (s *reminderSet) toStaff(rem Reminder) Reminder {
	rem.Cal = s.dep.Calendar
	if s.r.Assignee != "" {
		rem.To = s.r.Assignee
	} else {
		rem.To, rem.ToQueue = s.dep.Channel, true
	}
	return rem
}

// clockSeries adds the series of clock c: a warning at each share of its
// target, the breach, the leads' escalation, then nudges while it stays
// overdue.
func (s *reminderSet) clockSeries(c SLAClock, p Policy) {
	cal := s.dep.Calendar
	// A transfer keeps the clock's start but brings a new calendar,
	// targets and people: the new department's series starts afresh.
	series := fmt.Sprintf("%s:%s:%d", clockKey(c.Name), s.r.Dept, c.Start.UnixMilli())
	for _, pct := range p.WarnAt {
		share := c // SLAClock.At: when it will have counted that share
		share.Target = c.Target * time.Duration(pct) / 100
		at := share.due(s.ar, s.until)
		s.addStaff(Reminder{Series: series, Level: pct, Kind: RemindWarn, Clock: c.Name, Pct: pct, At: at})
	}
	due := c.due(s.ar, s.until)
	s.addStaff(Reminder{Series: series, Level: 100, Kind: RemindBreach, Clock: c.Name, Pct: 100, At: due})
	esc := due // nudges count from the escalation, or the breach without one
	if !p.EscalateAfter.IsZero() {
		esc = s.ar.deadline(due, p.EscalateAfter)
		for _, lead := range s.dep.Leads {
			// A lead who also works the request hears of it in the leading
			// clock's nudges; the others are told of each clock's breach.
			if lead == s.r.Assignee && s.spokenFor(c.Name, esc) {
				continue
			}
			s.add(Reminder{Series: series, Level: 101, Kind: RemindEscalate, Clock: c.Name, At: esc, To: lead, Cal: cal})
		}
	}
	s.nudges(series, c.Name, esc, p.NudgeEvery)
}

// addStaff adds rem for whoever works the request, unless the leading
// clock's lines speak for it.
func (s *reminderSet) addStaff(rem Reminder) {
	if s.spokenFor(rem.Clock, rem.At) {
		return
	}
	s.add(s.toStaff(rem))
}

// nudges adds a nudge every every after from (none when every is zero), up
// to maxNudges, and only as far as both bounds need. The nudges due by
// until in a row come as one reminder, the last of them, standing for the
// run (Reminder.Run): a clock overdue for weeks owes one a day, and its
// line speaks with the newest.
func (s *reminderSet) nudges(series, clock string, from time.Time, every BusinessDuration) {
	if every.IsZero() {
		return
	}
	step := dayStepper(s.days, s.dep.Calendar, every)
	var run Reminder // the due nudges so far in a row, not yet added
	flush := func() {
		if run.Run > 0 {
			s.add(run)
			run = Reminder{}
		}
	}
	defer flush()
	at := from
	for n := 1; n <= maxNudges; n++ {
		at = step(at)
		if s.spokenFor(clock, at) {
			flush()
			if s.leader.until.IsZero() || at.After(s.until) && at.After(s.after) {
				return // the leader speaks for every later one too, or they are beyond both bounds
			}
			continue
		}
		rem := s.toStaff(Reminder{Series: series, Level: 101 + n, Kind: RemindNudge, Clock: clock, At: at})
		if at.After(s.until) {
			flush()
			s.add(rem)
			if at.After(s.after) {
				return // later nudges are beyond both bounds
			}
			continue
		}
		s.noteNext(at)
		rem.Run = run.Run + 1
		run = rem
	}
}

// firstReminderAt is the earliest reminder time of r in its current state,
// past ones included: after a change the sweep looks again, skips what was
// sent, and moves on.
func (d *Desk) firstReminderAt(r *Request, dep *Department, _ time.Time) time.Time {
	_, first := d.reminders(r, dep, time.Time{}, time.Time{}, nil, nil)
	return first
}

func clockKey(name string) string {
	if name == FirstResponseClock {
		return "first"
	}
	return ResolutionClock
}

// homeCalendar is the calendar of a user's own department, for when to
// remind them; the owning department's when theirs is unknown.
func (d *Desk) homeCalendar(user string, fallback *Department) *Calendar {
	if home := d.Dir().ByName(d.Dir().HomeDepartment(user)); home != nil {
		return home.Calendar
	}
	return fallback.Calendar
}
