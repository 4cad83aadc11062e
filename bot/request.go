package bot

import (
	"fmt"
	"strings"
	"time"
)

// State is where a request is in its lifecycle.
type State string

const (
	Open         State = "open"         // filed, nobody has answered yet
	Acknowledged State = "acknowledged" // the department has responded (claim or reply)
	Waiting      State = "waiting"      // waiting on the requester; the resolution clock is paused
	Resolved     State = "resolved"     // the department says it is done
	Closed       State = "closed"       // the requester confirmed, or it aged out
	Reopened     State = "reopened"     // the requester reopened it after resolution
	Cancelled    State = "cancelled"    // the requester withdrew it
)

// Active reports whether the department still owes work on a request in s.
func (s State) Active() bool {
	switch s {
	case Open, Acknowledged, Waiting, Reopened:
		return true
	}
	return false
}

// EventKind names a change in a request's history.
type EventKind string

const (
	EvCreated     EventKind = "created"
	EvClaimed     EventKind = "claimed"
	EvReplied     EventKind = "replied" // by department staff: counts as a first response
	EvCommented   EventKind = "commented"
	EvWaiting     EventKind = "waiting"
	EvResumed     EventKind = "resumed"
	EvResolved    EventKind = "resolved"
	EvClosed      EventKind = "closed"
	EvReopened    EventKind = "reopened"
	EvCancelled   EventKind = "cancelled"
	EvReassigned  EventKind = "reassigned"
	EvTransferred EventKind = "transferred"
)

// Event is one entry in a request's append-only history.
type Event struct {
	RequestID string
	Seq       int // 1 for the creation, then +1 per event
	Kind      EventKind
	Actor     string // Slack user ID of who did it
	At        time.Time
	Text      string   // reply, question, resolution note or reason
	Dept      string   // created: the department; transferred: the new one
	FromDept  string   // transferred: the old department
	Assignee  string   // claimed, reassigned: the new assignee
	Priority  Priority // created
	Title     string   // created
	Source    string   // created: where it came from ("slash", "console", "modal", ...); replies: "thread" when typed in the card's thread
	// Type and Fields are the request type and its intake fields (created).
	Type   string
	Fields []FieldValue
	// Private is set on every event of a request of a private type, so an
	// export of events alone keeps their text out (reqtype.go).
	Private bool
	// Origin is the message a request was made from (a reaction or a
	// shortcut): its channel, the adapter's reference to it, and to the
	// thread it is in, where the desk answers ("" for the message itself).
	OriginChannel, OriginMessage, OriginThread string
	// Standard is the catalogue revision of the department's service
	// standard (created: the department's; transferred: the new one's).
	Standard int
	// RequesterDept is, on creation, the department the requester belonged
	// to when they filed ("" when unknown); see Desk.RequesterDept.
	RequesterDept string
}

// Request is the current state of one request, a projection of its events.
type Request struct {
	ID        string // "FIN-42"
	Prefix    string // "FIN": fixed at creation, kept through transfers
	Num       int    // 42
	Dept      string // owning department, by canonical name
	Requester string
	Assignee  string
	Priority  Priority
	State     State
	Title     string
	Text      string
	Source    string
	// RequesterDept is the requester's department when they filed, kept so
	// that reports do not change when people move; "" when it was unknown.
	RequesterDept string
	// Type is the request type's name ("" for a department without types),
	// Fields its intake fields, and Private whether the type was private
	// when the request was filed (it stays so).
	Type    string
	Fields  []FieldValue
	Private bool

	CreatedAt time.Time
	UpdatedAt time.Time
	// HeldSince is when the department holding the request took it: its
	// filing, or the last transfer. Its clocks start here (docs/sla.md,
	// "Transfers"). Zero on a request transferred before askdesk measured
	// each department on its own part: its clocks run from filing.
	HeldSince       time.Time
	FirstResponseAt time.Time // zero until a member of the holding department responds
	ResolutionStart time.Time // HeldSince, or the last reopening since
	ResolvedAt      time.Time // zero unless resolved or closed
	ClosedAt        time.Time // closed or cancelled
	Pauses          []Interval
	Reopens         int
	Transfers       int
	Version         int // Seq of the last event applied
	// StandardRev is the catalogue revision whose targets and calendar the
	// request runs on: its department's when it was filed (or transferred
	// to it); later changes apply to later requests. 0: the current one.
	StandardRev int
	// PassedOnAt is set only on a department's past part of a request
	// (Parts): when it transferred the request away. Its clocks stop there.
	PassedOnAt time.Time

	// Deadlines, computed by the desk whenever the request changes and stored
	// so the store can answer "what is due before T" from an index. Zero
	// when the clock is stopped or paused.
	FirstResponseDue time.Time
	ResolutionDue    time.Time
	// NextRemindAt is when the reminder sweep should next look at the
	// request (a threshold, a nudge, an auto-close); zero for never. The
	// desk sets it with each change for the store to keep, apart from the
	// request (the sweep reads and moves it on its own); a request read
	// back from the store has it zero.
	NextRemindAt time.Time
}

// Apply advances r by one event. It checks only that the move is possible
// from r's state; who may make it and time windows are checked before an
// event is written, so replaying history never fails on a policy change.
func (r *Request) Apply(ev Event) error {
	if ev.Kind != EvCreated && ev.Seq != r.Version+1 {
		return E(ECONFLICT, "err.out_of_order", "Seq", ev.Seq, "ID", r.ID, "Version", r.Version)
	}
	bad := func() error {
		if key := refusalKey(ev.Kind, r.State); key != "" {
			return E(ECONFLICT, key, "ID", r.ID)
		}
		return E(ECONFLICT, "err.state_conflict", "ID", r.ID, "State", stateArg(r.State), "Done", doneArg(ev.Kind))
	}
	respond := func() {
		if r.FirstResponseAt.IsZero() {
			r.FirstResponseAt = ev.At
		}
	}
	switch ev.Kind {
	case EvCreated:
		*r = Request{
			ID: ev.RequestID, Dept: ev.Dept, Requester: ev.Actor, Priority: ev.Priority,
			State: Open, Title: ev.Title, Text: ev.Text, Source: ev.Source, RequesterDept: ev.RequesterDept,
			Type: ev.Type, Fields: ev.Fields, Private: ev.Private,
			CreatedAt: ev.At, HeldSince: ev.At, ResolutionStart: ev.At, StandardRev: ev.Standard,
		}
		r.Prefix, r.Num = SplitID(ev.RequestID)
	case EvClaimed:
		if !r.State.Active() {
			return bad()
		}
		r.Assignee = ev.Assignee
		respond()
		if r.State == Open || r.State == Reopened {
			r.State = Acknowledged
		}
	case EvReplied:
		if !r.State.Active() {
			return bad()
		}
		respond()
		if r.State == Open || r.State == Reopened {
			r.State = Acknowledged
		}
	case EvCommented:
		if r.State == Cancelled {
			return bad()
		}
		if r.State == Waiting { // the requester answered: the clock runs again
			r.endPause(ev.At)
			r.State = Acknowledged
		}
	case EvWaiting:
		if r.State != Open && r.State != Acknowledged && r.State != Reopened {
			return bad()
		}
		respond()
		r.Pauses = append(r.Pauses, Interval{Start: ev.At})
		r.State = Waiting
	case EvResumed:
		if r.State != Waiting {
			return bad()
		}
		r.endPause(ev.At)
		r.State = Acknowledged
	case EvResolved:
		if !r.State.Active() {
			return bad()
		}
		respond()
		r.endPause(ev.At)
		r.ResolvedAt = ev.At
		r.State = Resolved
	case EvClosed:
		if r.State != Resolved {
			return bad()
		}
		r.ClosedAt = ev.At
		r.State = Closed
	case EvReopened:
		if r.State != Resolved && r.State != Closed {
			return bad()
		}
		r.ResolutionStart, r.ResolvedAt, r.ClosedAt, r.Pauses = ev.At, time.Time{}, time.Time{}, nil
		r.Reopens++
		r.State = Reopened
	case EvCancelled:
		if !r.State.Active() {
			return bad()
		}
		r.endPause(ev.At)
		r.ClosedAt = ev.At
		r.State = Cancelled
	case EvReassigned:
		if !r.State.Active() {
			return bad()
		}
		r.Assignee = ev.Assignee
	case EvTransferred:
		if !r.State.Active() {
			return bad()
		}
		// The receiving department's part begins: its clocks start now
		// and nobody there has answered yet. A wait on the requester ends,
		// since the new department has not asked anything.
		r.Dept, r.Assignee, r.StandardRev = ev.Dept, "", ev.Standard
		r.Transfers++
		r.HeldSince, r.FirstResponseAt = ev.At, time.Time{}
		r.ResolutionStart, r.Pauses = ev.At, nil
		if r.State != Reopened {
			r.State = Open
		}
	default:
		return E(EINVALID, "err.unknown_event", "Kind", ev.Kind)
	}
	r.Version = ev.Seq
	r.UpdatedAt = ev.At
	return nil
}

func (r *Request) endPause(at time.Time) {
	if n := len(r.Pauses); n > 0 && r.Pauses[n-1].End.IsZero() {
		r.Pauses[n-1].End = at
	}
}

// Rebuild replays a request's history from its events.
func Rebuild(events []Event) (*Request, error) {
	if len(events) == 0 || events[0].Kind != EvCreated {
		return nil, E(EINVALID, "err.history_start")
	}
	r := &Request{}
	for _, ev := range events {
		if err := r.Apply(ev); err != nil {
			return nil, fmt.Errorf("replay %s event %d: %w", ev.RequestID, ev.Seq, err)
		}
	}
	return r, nil
}

// Clocks returns the first-response and resolution clocks of the
// department holding the request, under dep's calendar and targets. Both
// start when that department took the request (HeldSince): a transfer
// starts them afresh for the receiving department. On a past part (Parts)
// they stop when the department passed the request on.
func (r *Request) Clocks(dep *Department) (first, resolution SLAClock) {
	return r.clocks(dep, plain{dep.Calendar})
}

// clocks is Clocks with the targets resolved in the arithmetic ar of the
// department's calendar (calendar_days.go).
func (r *Request) clocks(dep *Department, ar arithmetic) (first, resolution SLAClock) {
	t := dep.RequestTarget(r.Type, r.Priority)
	end := time.Time{}
	switch {
	case r.State == Cancelled:
		end = r.ClosedAt
	case !r.PassedOnAt.IsZero():
		end = r.PassedOnAt
	}
	start := r.HeldFrom()
	first = SLAClock{
		Name:   FirstResponseClock,
		Start:  start,
		Target: resolve(ar, start, t.FirstResponse),
		Spec:   t.FirstResponse,
		Stop:   r.FirstResponseAt,
	}
	if first.Stop.IsZero() {
		first.Stop = end
	}
	resolution = SLAClock{
		Name:   ResolutionClock,
		Start:  r.ResolutionStart,
		Target: resolve(ar, r.ResolutionStart, t.Resolution),
		Spec:   t.Resolution,
		Pauses: r.Pauses,
		Stop:   r.ResolvedAt,
	}
	if resolution.Stop.IsZero() {
		resolution.Stop = end
	}
	return first, resolution
}

// HeldFrom is when the holding department's clocks start: HeldSince, or
// the filing on a request transferred before departments were measured on
// their own parts.
func (r *Request) HeldFrom() time.Time {
	if r.HeldSince.IsZero() {
		return r.CreatedAt
	}
	return r.HeldSince
}

// SetDeadlines recomputes the stored deadlines after a change: a running
// clock's due time, or zero for a clock that is stopped or paused.
func (r *Request) SetDeadlines(dep *Department, now time.Time) {
	r.FirstResponseDue, r.ResolutionDue = time.Time{}, time.Time{}
	if !r.State.Active() {
		return
	}
	first, res := r.Clocks(dep)
	if r.FirstResponseAt.IsZero() {
		r.FirstResponseDue = first.Due(dep.Calendar, now)
	}
	if r.State != Waiting {
		r.ResolutionDue = res.Due(dep.Calendar, now)
	}
}

// NextDue is the earliest stored deadline, or zero.
func (r *Request) NextDue() time.Time {
	switch {
	case r.FirstResponseDue.IsZero():
		return r.ResolutionDue
	case r.ResolutionDue.IsZero() || r.FirstResponseDue.Before(r.ResolutionDue):
		return r.FirstResponseDue
	}
	return r.ResolutionDue
}

// FormatID builds a request ID from a department prefix and a number.
func FormatID(prefix string, n int) string { return fmt.Sprintf("%s-%d", prefix, n) }

// SplitID splits "FIN-42" into "FIN" and 42; n is 0 when id is malformed.
func SplitID(id string) (prefix string, n int) {
	i := strings.LastIndexByte(id, '-')
	if i <= 0 {
		return "", 0
	}
	if _, err := fmt.Sscanf(id[i+1:], "%d", &n); err != nil || n <= 0 || fmt.Sprint(n) != id[i+1:] {
		return "", 0
	}
	return id[:i], n
}

// NormalizeID accepts "fin-42", " FIN-42 ", "#FIN-42" and returns "FIN-42",
// or EINVALID.
func NormalizeID(s string) (string, error) {
	id := strings.ToUpper(strings.TrimPrefix(NormalizeName(s), "#"))
	i := strings.LastIndexByte(id, '-')
	var n int
	if i > 0 {
		// Leading zeros are forgiven: FIN-007 is FIN-7.
		digits := strings.TrimLeft(id[i+1:], "0")
		if _, err := fmt.Sscanf(digits, "%d", &n); err == nil && n > 0 && fmt.Sprint(n) == digits {
			id = FormatID(id[:i], n)
		}
	}
	if p, n := SplitID(id); p == "" || n == 0 || !isLetters(p) {
		return "", E(EINVALID, "err.not_an_id", "Text", Escape(s))
	}
	return id, nil
}

// doneArg says what an event does to a request ("replied to", "put on
// hold") as an argument of E.
func doneArg(k EventKind) any {
	switch k {
	case EvCreated, EvClaimed, EvReplied, EvCommented, EvWaiting, EvResumed, EvResolved,
		EvClosed, EvReopened, EvCancelled, EvReassigned, EvTransferred:
		return S("err.done." + string(k))
	}
	return string(k)
}

// refusalKey is the catalogue key of a refusal of kind from state s that
// has words of its own (in English they read as err.state_conflict does):
// resuming what is not waiting, closing what is not resolved yet,
// cancelling again. "" for the others.
func refusalKey(kind EventKind, s State) string {
	if !s.Active() && !(kind == EvCancelled && s == Cancelled) {
		return ""
	}
	switch kind {
	case EvResumed, EvClosed, EvCancelled:
		return "err.refuse." + string(kind) + "_" + string(s)
	}
	return ""
}

// stateArg says a request's state as an argument of E.
func stateArg(st State) any {
	switch st {
	case Open, Acknowledged, Waiting, Resolved, Closed, Reopened, Cancelled:
		return S("err.state." + string(st))
	}
	return string(st)
}
