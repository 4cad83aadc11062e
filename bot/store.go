package bot

import (
	"context"
	"time"
)

// Store is what the desk needs from storage. The store package implements it
// on SQLite; every method is safe for concurrent use.
type Store interface {
	// CreateRequest numbers r within prefix (FIN-1, FIN-2, …, never reused,
	// unique under concurrent calls), stores it with its creation event in
	// one transaction, and sets r.ID, r.Prefix, r.Num and ev.RequestID. When
	// it returns nil the request is durable.
	CreateRequest(ctx context.Context, prefix string, r *Request, ev *Event) error

	// Append stores ev and r (the state after ev) in one transaction. It
	// returns ECONFLICT if the stored request is no longer at ev.Seq-1, i.e.
	// somebody else changed it first.
	Append(ctx context.Context, r *Request, ev Event) error

	// Request returns the current state of a request, or ENOTFOUND.
	Request(ctx context.Context, id string) (*Request, error)

	// Events returns a request's history in order, or ENOTFOUND.
	Events(ctx context.Context, id string) ([]Event, error)

	// Requests lists requests matching f, most urgent first (earliest
	// deadline, then priority, then age) for active ones, newest first
	// otherwise.
	Requests(ctx context.Context, f Filter) ([]*Request, error)

	// DueBefore returns active requests with a running deadline at or before
	// t, earliest first, at most limit of them.
	DueBefore(ctx context.Context, t time.Time, limit int) ([]*Request, error)
}

// Filter selects requests for a list.
type Filter struct {
	Requester  string // only this requester's
	Dept       string // only this department's
	ActiveOnly bool   // only open, acknowledged, waiting or reopened
	Limit      int    // at most this many (0: a default of 50)
}
