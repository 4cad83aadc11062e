package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot/i18n"
)

// SystemActor is askdesk itself, as the actor of what it does on its own
// (closing a resolved request nobody reopened).
const SystemActor = "askdesk"

// Policy says when a department's requests are chased.
type Policy struct {
	// WarnAt are shares of an SLA target, in percent, at which the
	// assignee (or the queue, when nobody has claimed it) is warned.
	WarnAt []int
	// EscalateAfter is how much business time after a breach the leads
	// are told.
	EscalateAfter BusinessDuration
	// NudgeEvery repeats a reminder while a request stays overdue.
	NudgeEvery BusinessDuration
	// WaitingNudge reminds a requester who has not answered in this long.
	WaitingNudge BusinessDuration
	// AutoClose closes a resolved request nobody reopened after this long.
	AutoClose BusinessDuration
}

// DefaultPolicy applies where the config says nothing.
var DefaultPolicy = Policy{
	WarnAt:        []int{50, 75},
	EscalateAfter: BusinessDuration{Time: time.Hour},
	NudgeEvery:    BusinessDuration{Days: 1},
	WaitingNudge:  BusinessDuration{Days: 2},
	AutoClose:     BusinessDuration{Days: 3},
}

// Reminder kinds.
const (
	RemindWarn     = "warn"     // a share of the target is used
	RemindBreach   = "breach"   // the target is passed
	RemindEscalate = "escalate" // the leads are told of a breach
	RemindNudge    = "nudge"    // still overdue
	RemindWaiting  = "waiting"  // the requester has not answered
	RemindClose    = "close"    // resolved long enough: close it
)

// maxReminderLines bounds the requests one reminder message lists; more
// would not fit a message, nor be read.
const maxReminderLines = 20

// maxNudges bounds the daily nudges generated for one clock.
const maxNudges = 60

// Reminder is one thing the sweep owes someone about a request.
type Reminder struct {
	RequestID string
	// Series and Level identify it for exactly-once delivery. A series is a
	// clock from its start (a reopening starts a new resolution series), a
	// wait, or a resolution; levels rise through it (warnings by percent,
	// 100 the breach, 101 the escalation, 101+n the n-th nudge) and the
	// store keeps the highest sent.
	Series string
	Level  int
	Kind   string
	Clock  string // "first response" or "resolution"
	Pct    int    // for warnings
	At     time.Time
	// To is who hears: a user ID, by DM; or, with ToQueue, the owning
	// department's queue channel (nobody has claimed the request).
	To      string
	ToQueue bool
	// Cal is the calendar of the recipient's working hours.
	Cal *Calendar
	// AwayFrom is who it was meant for, when they are away (away.go).
	AwayFrom string
	// Run, for nudges, is how many of consecutive levels this one stands
	// for, ending at Level (At is the last one's time): a request overdue
	// for weeks owes a nudge a day, and one line speaks for them all. Zero
	// or one: itself alone.
	Run int
}

// Count is how many reminders rem stands for.
func (rem Reminder) Count() int { return max(rem.Run, 1) }

// Above returns the part of rem above level sent, the highest already
// sent in its series, and false when none of it is.
func (rem Reminder) Above(sent int) (Reminder, bool) {
	if rem.Level <= sent {
		return rem, false
	}
	if rem.Run > 1 {
		rem.Run = min(rem.Run, rem.Level-sent)
	}
	return rem, true
}

// SweepReport says what one sweep did.
type SweepReport struct {
	Requests  int // requests looked at
	Reminders int // reminders recorded as sent
	Messages  int // messages written (coalesced per recipient)
	Deferred  int // reminders held for their recipient's next opening
	Closed    int // requests closed automatically
}

// sweepBatch bounds the requests one pass of the sweep reads. The sweep
// keeps every request it read until it has recorded their reminders, so
// this bounds no memory; each pass sorts all the due requests again to
// find its part, and each pass past the first costs a copy of the
// reminders gathered (sweepState.items). At 5,000 the 13,000 due after
// a day of downtime took three passes.
const sweepBatch = 20000

// Sweep sends the reminders and escalations that are due: at most one
// message per recipient listing all their items, only inside the
// recipient's business hours, each (request, clock, threshold) exactly once
// whatever restarts, overlaps or clock jumps happen. It also closes
// requests resolved long enough ago.
func (d *Desk) Sweep(ctx context.Context) (SweepReport, error) {
	return d.SweepAt(ctx, d.Now())
}

// SweepAt sweeps as of now, which the console uses to run the sweeps serve
// would have run during a jump of its clock.
func (d *Desk) SweepAt(ctx context.Context, now time.Time) (SweepReport, error) {
	var rep SweepReport
	var lastID string
	// Gathered over all batches, so that each recipient gets one message
	// per sweep however many requests are due.
	s := sweepState{away: d.absences(ctx, now), days: dayTables{}}
	for {
		rs, err := d.Store.RemindersDue(ctx, now, lastID, sweepBatch)
		if err != nil {
			return rep, fmt.Errorf("sweep: %w", err)
		}
		if len(rs) == 0 {
			break
		}
		lastID = rs[len(rs)-1].ID
		d.sweepBatch(rs, now, &rep, &s)
		if len(rs) < sweepBatch {
			break
		}
	}
	var recorded []Reminder
	compose := func(sent []Reminder) []Message {
		for _, rem := range sent {
			rep.Reminders += rem.Count()
		}
		recorded = sent
		msgs := d.reminderMessages(sent, s.byID, now, s.days)
		for _, m := range msgs {
			if m.CardFor == "" { // card redraws are not reminders
				rep.Messages++
			}
		}
		return msgs
	}
	if err := d.Store.RecordReminders(ctx, s.items(), s.next, now, compose); err != nil {
		return rep, fmt.Errorf("sweep: %w", err)
	}
	d.observeReminders(recorded, s.byID)
	for _, r := range s.toClose {
		// The reason is stored in English, as it always was; a history says
		// it in its reader's language (describeEventIn).
		_, err := d.act(ctx, Act{Actor: SystemActor, Action: ActClose, ID: r.ID,
			Text: d.words().For(i18n.En).T("remind.auto_closed")})
		switch {
		case err == nil:
			rep.Closed++
		case ErrorCode(err) == ECONFLICT: // reopened or closed meanwhile
		default:
			// Its next check stays due, so the next sweep tries again.
			d.Log.ErrorContext(ctx, "auto-close", "request", r.ID, "err", err)
		}
	}
	n, err := d.RemindRatings(ctx)
	if err != nil {
		return rep, fmt.Errorf("sweep: rating reminders: %w", err)
	}
	rep.Messages += n
	if n > 0 {
		d.observer().Reminded("rating", "", n)
	}
	if rep.Messages > 0 || rep.Closed > 0 {
		d.Notify()
	}
	return rep, nil
}

// sweepState is what one sweep gathers before it records anything.
type sweepState struct {
	batches [][]Reminder // the reminders due, by batch read; see items
	next    []NextReminder
	toClose []*Request
	byID    map[string]*Request
	away    map[string]bool // who is away now
	days    dayTables       // the calendars' days, read once per sweep
	scratch []Reminder      // one request's reminders, reused for the next
	// Whether each recipient calendar is closed now, and when it next
	// opens: asked once per calendar, not once per reminder.
	closedNow map[*Calendar]bool
	opensAt   map[*Calendar]time.Time
}

// items returns the reminders due, all batches in one slice.
func (s *sweepState) items() []Reminder {
	if len(s.batches) == 1 {
		return s.batches[0]
	}
	return slices.Concat(s.batches...)
}

// closed reports whether cal is closed at now, the sweep's instant. The
// instant a day closes still counts as open: a threshold falls there.
func (s *sweepState) closed(cal *Calendar, now time.Time) bool {
	c, ok := s.closedNow[cal]
	if !ok {
		c = !cal.IsOpen(now) && !cal.IsOpen(now.Add(-time.Nanosecond))
		if s.closedNow == nil {
			s.closedNow = map[*Calendar]bool{}
		}
		s.closedNow[cal] = c
	}
	return c
}

// nextOpen is cal.NextOpen(now), asked once per calendar.
func (s *sweepState) nextOpen(cal *Calendar, now time.Time) time.Time {
	t, ok := s.opensAt[cal]
	if !ok {
		t = cal.NextOpen(now)
		if s.opensAt == nil {
			s.opensAt = map[*Calendar]time.Time{}
		}
		s.opensAt[cal] = t
	}
	return t
}

func (d *Desk) sweepBatch(rs []*Request, now time.Time, rep *SweepReport, s *sweepState) {
	if s.byID == nil {
		s.byID = make(map[string]*Request, len(rs))
	}
	// Each batch's items in a slice of their own, with room for a few a
	// request, joined once at the end (items): one slice of them all, grown
	// as they came, copied the tens of thousands of a sweep after downtime
	// over and over.
	batch := make([]Reminder, 0, 6*len(rs))
	s.next = slices.Grow(s.next, len(rs))
	for _, r := range rs {
		rep.Requests++
		s.byID[r.ID] = r
		dep := d.Dir().StandardOf(r)
		if dep == nil {
			s.next = append(s.next, NextReminder{RequestID: r.ID, Version: r.Version})
			continue
		}
		due, later := d.reminders(r, dep, now, now, s.days, s.scratch)
		s.scratch = due // its items are copied into batch below
		due = d.skipAway(due, dep, s.away)
		for _, rem := range due {
			if rem.Kind == RemindClose {
				s.toClose = append(s.toClose, r)
				later = now // until the close has happened, keep looking
				continue
			}
			if rem.Cal != nil && s.closed(rem.Cal, now) {
				// No 3 a.m. pings: hold it for the recipient's next opening.
				rep.Deferred += rem.Count()
				if open := s.nextOpen(rem.Cal, now); later.IsZero() || open.Before(later) {
					later = open
				}
				continue
			}
			batch = append(batch, rem)
		}
		s.next = append(s.next, NextReminder{RequestID: r.ID, Version: r.Version, At: later})
	}
	s.batches = append(s.batches, batch)
}

// reminderMessages coalesces reminders into one message per recipient,
// listing each request once with its most pressing item.
func (d *Desk) reminderMessages(sent []Reminder, byID map[string]*Request, now time.Time, days dayTables) []Message {
	type dest struct {
		to    string
		queue bool
	}
	// Positions in sent, not copies: a sweep after downtime sends tens of
	// thousands of reminders.
	groups := map[dest][]int{}
	var order []dest
	for i, rem := range sent {
		k := dest{rem.To, rem.ToQueue}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	var msgs []Message
	for _, k := range order {
		// One line per request: its most pressing item speaks (see
		// morePressing), and the line mentions the request's other clock.
		latest := map[string]Reminder{}
		owed := map[string]clockSet{} // request → clocks owing a reminder
		var ids []string
		kinds := map[string]bool{}
		for _, i := range groups[k] {
			rem := sent[i]
			cur, ok := latest[rem.RequestID]
			if !ok {
				ids = append(ids, rem.RequestID)
			}
			owed[rem.RequestID] = owed[rem.RequestID].with(rem.Clock)
			if !ok || d.morePressing(rem, cur, byID[rem.RequestID], now, days) {
				latest[rem.RequestID] = rem
			}
		}
		for _, id := range ids {
			kinds[latest[id].Kind] = true
		}
		header := RemindWarn
		if len(kinds) == 1 {
			for k := range kinds {
				header = k
			}
		}
		// In the language of who reads it: the queue channel's, or the
		// person's (their first request's department as the fallback).
		dep := d.Dir().StandardOf(byID[ids[0]])
		p := d.ChannelPrinter(dep)
		if !k.queue {
			p = d.Printer(k.to, dep)
		}
		var b strings.Builder
		b.WriteString(reminderHeader(p, header, len(ids)))
		for i, id := range ids {
			if i == maxReminderLines {
				b.WriteString(p.T("remind.more", "N", len(ids)-i, "Dept", byID[id].Dept))
				break
			}
			b.WriteString("\n• " + d.reminderLine(p, latest[id], byID[id], now) + d.otherClockNote(p, latest[id], owed[id].names(), byID[id], now))
		}
		msgs = append(msgs, Message{To: k.to, DM: !k.queue, Text: b.String(), Lang: p.Lang()})
	}
	// A breach shows on the card too: redraw it (folded into any pending
	// update of the same card). Only fresh breaches: after downtime, a flood
	// of redraws would take hours under chat.update's 50 a minute; older
	// cards show their breach at their next change.
	redrawn := map[string]bool{}
	for _, rem := range sent {
		if rem.Level < 100 || rem.Kind == RemindWaiting || redrawn[rem.RequestID] || now.Sub(rem.At) > redrawWithin {
			continue
		}
		redrawn[rem.RequestID] = true
		r := byID[rem.RequestID]
		if dep := d.Dir().StandardOf(r); dep != nil {
			p := d.ChannelPrinter(dep)
			msgs = append(msgs, Message{To: dep.Channel, CardFor: r.ID, Lang: p.Lang(),
				Change: p.T("remind.card_breached", "Clock", ClockWord(p, rem.Clock))})
		}
	}
	return msgs
}

// clockSet is a set of clock names, as reminders name them: the two
// clocks, and none (a wait, a close).
type clockSet uint8

var clockNames = [...]string{FirstResponseClock, ResolutionClock, ""}

func (c clockSet) with(name string) clockSet {
	for i, n := range clockNames {
		if n == name {
			return c | 1<<i
		}
	}
	return c // no other name is asked about (otherClockNote asks of the two clocks)
}

// names returns the set as otherClockNote reads it.
func (c clockSet) names() map[string]bool {
	out := map[string]bool{}
	for i, n := range clockNames {
		if c&(1<<i) != 0 {
			out[n] = true
		}
	}
	return out
}

// redrawWithin is how fresh a breach must be for the sweep to redraw its card.
const redrawWithin = time.Hour

// morePressing orders two reminders of one request for its line: within a
// clock, the higher step; across clocks, a breached clock before one only
// warned of, then the larger share of its target used (the more overdue),
// then the first-response clock, which is owed first. The shares are
// measured on the sweep's day tables: a clock running for months would
// otherwise walk each of its days.
func (d *Desk) morePressing(a, b Reminder, r *Request, now time.Time, days dayTables) bool {
	if a.Clock == b.Clock {
		return a.Level > b.Level
	}
	if ab, bb := a.Level >= 100, b.Level >= 100; ab != bb {
		return ab
	}
	if dep := d.Dir().StandardOf(r); dep != nil {
		first, res := r.clocks(dep, arithmeticOf(days, dep.Calendar))
		percent := func(c SLAClock) float64 {
			elapsed := c.elapsed(days.of(dep.Calendar, c.Spec.Kind).between, now)
			return ClockStatus{Target: c.Target, Elapsed: elapsed}.Percent()
		}
		share := map[string]float64{FirstResponseClock: percent(first), ResolutionClock: percent(res)}
		if pa, pb := share[a.Clock], share[b.Clock]; pa != pb {
			return pa > pb
		}
	}
	return a.Clock == FirstResponseClock
}

// otherClockNote mentions, after a line about one clock of r, its other
// running clock: when that clock also owed the recipient a reminder in
// this sweep, or, in a line about a breach (whose nudges speak for the
// whole request; see overdueLeader), once the other has reached a warning
// share of its target. Empty otherwise: a far deadline is not news.
func (d *Desk) otherClockNote(p *i18n.Printer, rem Reminder, owed map[string]bool, r *Request, now time.Time) string {
	dep := d.Dir().StandardOf(r)
	if rem.Clock == "" || dep == nil {
		return ""
	}
	warnFrom := 100.0
	for _, pct := range dep.Policy().WarnAt {
		warnFrom = min(warnFrom, float64(pct))
	}
	for _, c := range runningClocks(r, dep) {
		if c.Name == rem.Clock {
			continue
		}
		s := c.Status(dep.Calendar, now)
		if owed[c.Name] || (rem.Level >= 100 && (s.Breached || s.Percent() >= warnFrom)) {
			return p.T("remind.also", "Line", ClockLineIn(p, c.Name, s, now, dep.Calendar.Location))
		}
	}
	return ""
}

// reminderHeader is the first line of a reminder message about n
// requests, in p's language.
func reminderHeader(p *i18n.Printer, kind string, n int) string {
	switch kind {
	case RemindEscalate:
		return p.N("remind.header.escalation", n)
	case RemindWaiting:
		return p.N("remind.header.waiting", n)
	}
	return p.N("remind.header.reminder", n)
}

// reminderLine is one request's line in a reminder message, in p's
// language.
func (d *Desk) reminderLine(p *i18n.Printer, rem Reminder, r *Request, now time.Time) string {
	dep := d.Dir().StandardOf(r)
	// Reminders reach queue channels: a private request shows no title.
	head := p.T("card.req", "ID", r.ID, "Title", Escape(d.Dir().RedactedIn(p, r).Title))
	away := func() string {
		return p.T("remind.away", "Who", Mention(rem.AwayFrom))
	}
	status := func() ClockStatus {
		first, res := r.Statuses(dep, now)
		if rem.Clock == FirstResponseClock {
			return first
		}
		return res
	}
	switch rem.Kind {
	case RemindWaiting:
		loc := d.Location(r.Requester, dep)
		return p.T("remind.waiting", "Head", head, "Dept", Escape(dep.DisplayName),
			"When", p.When(r.Pauses[len(r.Pauses)-1].Start, now, loc), "Zone", loc.String())
	case RemindWarn:
		s := status()
		line := p.T("remind.warn", "Head", head, "Percent", p.Percent(int(s.Percent())), "Clock", ClockWord(p, rem.Clock),
			"Target", TargetWordsIn(p, s.Spec, dep.Calendar), "Line", ClockLineIn(p, rem.Clock, s, now, dep.Calendar.Location))
		if rem.AwayFrom != "" {
			line += away()
		}
		return line
	default:
		line := p.T("remind.line", "Head", head, "Line", ClockLineIn(p, rem.Clock, status(), now, dep.Calendar.Location))
		if rem.AwayFrom != "" && rem.Kind != RemindEscalate {
			line += away()
		}
		if rem.Kind == RemindEscalate {
			if r.Assignee != "" {
				line += p.T("remind.escalate_assigned", "Who", Mention(r.Assignee))
			} else {
				line += p.T("remind.escalate_nobody")
			}
		}
		return line
	}
}
