package bot

import (
	"time"

	"github.com/askdesk/askdesk/bot/i18n"
)

// SLAClock counts time toward one target (first response or resolution):
// business time on the department's calendar, or calendar time when the
// target is given in calendar time. It is a value computed from a request;
// it holds no state of its own beyond what the request's events say. Its
// methods take the department's calendar whatever the kind.
type SLAClock struct {
	Name  string    // "first response", "resolution"
	Start time.Time // when the clock started
	// Target is the time allowed, fixed at Start by Calendar.Resolve:
	// business time, or calendar time when Spec is of that kind.
	Target time.Duration
	// Spec is the target as the department published it ("1wd", "24h
	// calendar"); its Kind says how the clock counts. Zero means business
	// time, for a clock made without one.
	Spec BusinessDuration
	// Pauses are the spans during which the clock did not count (waiting on
	// the requester), in order and not overlapping. The last may be open.
	Pauses []Interval
	Stop   time.Time // when the target was met or the clock ended; zero while running
}

// ClockStatus is what a clock says at one instant.
type ClockStatus struct {
	Target time.Duration
	// Spec is the target as published; Spec.Kind says whether the times
	// here are business or calendar time.
	Spec BusinessDuration
	// WorkingDay is the department's typical working day (see
	// Calendar.WorkingDay), for saying a target in words.
	WorkingDay time.Duration
	Elapsed    time.Duration // business time counted so far
	Remaining  time.Duration // Target-Elapsed; negative when overdue
	// Due is when the clock breaches (or breached). While paused, it is when
	// it would breach if it resumed now.
	Due     time.Time
	Paused  bool
	Stopped bool // met or ended
	// StoppedAt is when it stopped; zero while running.
	StoppedAt time.Time
	Breached  bool // counted past the target (a stopped clock may be breached)
	// BreachedAt is when the target was passed; zero when not breached.
	BreachedAt time.Time
}

// Percent returns the share of the target used, 0–100 and beyond.
func (s ClockStatus) Percent() float64 {
	if s.Target <= 0 {
		return 100
	}
	return float64(s.Elapsed) / float64(s.Target) * 100
}

// End returns where counting stops: the stop time, or now.
func (c SLAClock) End(now time.Time) time.Time {
	if !c.Stop.IsZero() && c.Stop.Before(now) {
		return c.Stop
	}
	return now
}

// ClosedPauses returns the pauses with an open one closed at end.
func (c SLAClock) ClosedPauses(end time.Time) []Interval {
	out := make([]Interval, len(c.Pauses))
	for i, p := range c.Pauses {
		if p.End.IsZero() || p.End.After(end) {
			p.End = end
		}
		out[i] = p
	}
	return out
}

// Elapsed returns business time counted between Start and now (or Stop),
// leaving out the pauses.
func (c SLAClock) Elapsed(cal *Calendar, now time.Time) time.Duration {
	return c.elapsed(cal.For(c.Spec.Kind).Between, now)
}

// elapsed is Elapsed with the business time between two instants measured
// by between: the calendar's Between, or a sweep's day table's.
func (c SLAClock) elapsed(between func(a, b time.Time) time.Duration, now time.Time) time.Duration {
	end := c.End(now)
	d := between(c.Start, end)
	for _, p := range c.ClosedPauses(end) {
		d -= between(maxTime(p.Start, c.Start), minTime(p.End, end))
	}
	return d
}

// Due returns when the target is reached, skipping closed hours and the
// pauses. An open pause is taken to end at now.
func (c SLAClock) Due(cal *Calendar, now time.Time) time.Time {
	return c.due(plain{cal}, now)
}

// due is Due in the arithmetic ar (calendar_days.go).
func (c SLAClock) due(ar arithmetic, now time.Time) time.Time {
	k := c.Spec.Kind
	pauses := c.ClosedPauses(maxTime(now, c.Start))
	remaining := c.Target
	t := c.Start
	for _, p := range pauses {
		if !p.End.After(t) {
			continue
		}
		if p.Start.After(t) {
			n := ar.between(k, t, p.Start)
			if n >= remaining {
				return ar.add(k, t, remaining)
			}
			remaining -= n
		}
		t = p.End
	}
	return ar.add(k, t, remaining)
}

// At returns when the clock will have counted x of business time (a warning
// threshold), skipping closed hours and pauses; an open pause is taken to
// end at now.
func (c SLAClock) At(cal *Calendar, x time.Duration, now time.Time) time.Time {
	c.Target = x
	return c.Due(cal, now)
}

// Status evaluates the clock at now.
func (c SLAClock) Status(cal *Calendar, now time.Time) ClockStatus {
	s := ClockStatus{
		Target:     c.Target,
		Spec:       c.Spec,
		WorkingDay: cal.WorkingDay(),
		Elapsed:    c.Elapsed(cal, now),
		Due:        c.Due(cal, now),
		Stopped:    !c.Stop.IsZero() && !c.Stop.After(now),
	}
	s.Remaining = s.Target - s.Elapsed
	if s.Stopped {
		s.StoppedAt = c.Stop
	}
	if n := len(c.Pauses); n > 0 && !s.Stopped {
		last := c.Pauses[n-1]
		s.Paused = !last.Start.After(now) && (last.End.IsZero() || last.End.After(now))
	}
	// A clock whose deadline is a day's close has counted its whole target by
	// then and counts nothing overnight. While it runs, the close is the
	// breach (nobody has answered, and the reminders go then). Once stopped,
	// only the amount counts: an answer in the closed hours before the next
	// opening used no more business time than the target allowed, so it met
	// it.
	reached := s.Elapsed == s.Target && !s.Stopped && !now.Before(s.Due)
	if s.Elapsed > s.Target || reached {
		s.Breached = true
		s.BreachedAt = s.Due
	}
	return s
}

// ClockSegment is one line of a clock's explanation.
type ClockSegment struct {
	Start, End time.Time
	Kind       SegmentKind
	// Why says why a stretch was skipped, or what is unusual about a
	// counted one ("extra working day: 春节调休"); "" for a paused one,
	// which is always waiting on the requester.
	Why string
}

// SegmentKind says how a stretch of time counted.
type SegmentKind string

const (
	Counted SegmentKind = "counted"
	Paused  SegmentKind = "paused"
	Skipped SegmentKind = "skipped" // outside business hours or a holiday
)

// Explain splits the clock's life so far into counted, paused and skipped
// stretches, so a person can check the arithmetic by hand. Paused stretches
// take precedence over closed hours. The reasons (ClockSegment.Why) are
// in English.
func (c SLAClock) Explain(cal *Calendar, now time.Time) []ClockSegment {
	return c.ExplainIn(nil, cal, now)
}

// ExplainIn is Explain with the reasons in p's language (nil: English).
func (c SLAClock) ExplainIn(p *i18n.Printer, cal *Calendar, now time.Time) []ClockSegment {
	cal = cal.For(c.Spec.Kind)
	end := c.End(now)
	var out []ClockSegment
	add := func(seg ClockSegment) {
		if !seg.End.After(seg.Start) {
			return
		}
		if n := len(out); n > 0 && out[n-1].Kind == seg.Kind && out[n-1].Why == seg.Why && out[n-1].End.Equal(seg.Start) {
			out[n-1].End = seg.End
			return
		}
		out = append(out, seg)
	}
	cursor := c.Start
	emit := func(to time.Time) { // calendar segments for [cursor, to)
		for _, s := range cal.SegmentsIn(p, cursor, to) {
			if s.Open {
				add(ClockSegment{Start: s.Start, End: s.End, Kind: Counted, Why: s.Why})
			} else {
				add(ClockSegment{Start: s.Start, End: s.End, Kind: Skipped, Why: s.Why})
			}
		}
	}
	for _, p := range c.ClosedPauses(end) {
		ps, pe := maxTime(p.Start, c.Start), minTime(p.End, end)
		if !pe.After(ps) {
			continue
		}
		emit(ps)
		add(ClockSegment{Start: ps, End: pe, Kind: Paused})
		cursor = pe
	}
	emit(end)
	return out
}
