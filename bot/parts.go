package bot

import (
	"fmt"
	"time"
)

// Each department is measured on its own part of a request (docs/sla.md,
// "Transfers"). A part runs from the filing, or the transfer that brought
// the request, to the transfer that passed it on, or to now.
//
// The department that passes a request on is judged on its first response
// only: its first reply, claim, question, or else the transfer itself,
// which answers the requester too ("this is Purchasing's"), made within its
// first-response target. Its resolution clock stops at the transfer and
// does not count: the request is "passed on", neither resolved in time nor
// late. While it held the request it counts as open, and as overdue once
// past either target. The receiving department's clocks start at the
// transfer, on its own calendar and targets.

// Part is one department's holding of a request.
type Part struct {
	Dept  string
	Start time.Time // the filing, or the transfer that brought it
	// PassedOn is when the department transferred the request away, and To
	// the department it went to; zero and "" for the part still running.
	PassedOn time.Time
	To       string
	// Request is the request as it stood when the part ended (just before
	// the transfer), with the part's clocks: HeldSince is Start, and
	// PassedOnAt is PassedOn. For the running part, the request as it is.
	Request Request
}

// Parts splits a request's history into its departments' parts, oldest
// first; a request never transferred has one. It returns EINVALID for a
// history that does not start with a creation, or Apply's error.
func Parts(events []Event) ([]Part, error) {
	if len(events) == 0 || events[0].Kind != EvCreated {
		return nil, E(EINVALID, "err.history_start")
	}
	r := &Request{}
	var out []Part
	for _, ev := range events {
		if ev.Kind == EvTransferred && r.State.Active() {
			out = append(out, r.passedOn(ev))
		}
		if err := r.Apply(ev); err != nil {
			return nil, fmt.Errorf("replay %s event %d: %w", ev.RequestID, ev.Seq, err)
		}
	}
	return append(out, Part{Dept: r.Dept, Start: r.HeldFrom(), Request: *r}), nil
}

// passedOn is the part of r's department ending with the transfer ev.
func (r *Request) passedOn(ev Event) Part {
	p := *r
	p.Pauses = append([]Interval(nil), r.Pauses...)
	p.endPause(ev.At)
	p.PassedOnAt = ev.At
	if p.FirstResponseAt.IsZero() {
		p.FirstResponseAt = ev.At // the transfer is a response
	}
	return Part{Dept: r.Dept, Start: r.HeldFrom(), PassedOn: ev.At, To: ev.Dept, Request: p}
}
