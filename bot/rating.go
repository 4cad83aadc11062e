package bot

import (
	"time"
)

// Rating is the requester's verdict on one resolution of a request.
type Rating struct {
	RequestID string
	Round     int    // which resolution: Request.Reopens when it was resolved
	Requester string // who was asked
	Dept      string // the department that served
	AskedAt   time.Time
	// Skipped says why the requester was not asked ("fatigue": asked
	// recently about something else; "sampling"); "" when asked.
	Skipped  string
	Score    int // 1 (bad) … 5 (great); 0 when not rated or withdrawn
	RatedAt  time.Time
	Comment  string
	Reminded time.Time
}

// Rated reports whether a score stands.
func (r Rating) Rated() bool { return r.Score > 0 }
