package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// Whether the database can be written, for /healthz and /readyz. Reading
// says little: a read-only or full database still reads. So a cheap write
// is tried (one row of slack_seen, upserted), through the writer like any
// other, and writes from real traffic are noted as they happen: a
// success spares the next probe, a fault is shown with its time.

// probeFresh is how long a successful write (a probe's, or a real one)
// vouches for the database; a fault is never trusted: the next check
// probes again, so recovery shows at once.
const probeFresh = 5 * time.Second

// probeWait bounds a probe: a locked database answers "busy", not a hang
// of the health check (Kubernetes' probes time out after 1 s by default).
const probeWait = 500 * time.Millisecond

// WriteStatus is what the store knows of its writability.
type WriteStatus struct {
	// State is "ok", or the fault: "read-only", "full", "busy" (locked by
	// another process past the wait), "unreachable", "i/o error", or
	// "error" (anything else; Err says what).
	State     string    `json:"state"`
	Err       string    `json:"error,omitempty"`
	CheckedAt time.Time `json:"checked_at"`
	// LastWriteAt is the last successful write; LastFault and
	// LastFaultAt the last storage fault a real write met.
	LastWriteAt time.Time `json:"last_write_at,omitzero"`
	LastFault   string    `json:"last_write_fault,omitempty"`
	LastFaultAt time.Time `json:"last_write_fault_at,omitzero"`
}

// Writable reports whether writes can be expected to work: "busy" counts
// as writable (a lock held by a backup passes).
func (s WriteStatus) Writable() bool { return s.State == "ok" || s.State == faultBusy }

type writeHealth struct {
	mu          sync.Mutex
	okAt        time.Time // last success, probe or traffic
	faultAt     time.Time // last fault, probe or traffic
	last        WriteStatus
	lastFault   string
	lastFaultAt time.Time
}

// noteWrite records a real write's outcome: err nil, or its fault ("" for
// an error that is not the database's).
func (h *writeHealth) noteWrite(err error, fault string, at time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case err == nil:
		h.okAt = at
	case fault != "":
		h.faultAt, h.lastFault, h.lastFaultAt = at, fault, at
	}
}

// WriteStatus says whether the database can be written: from a write that
// worked within the last few seconds with no fault since, else from a
// probe made now.
func (db *DB) WriteStatus(ctx context.Context) WriteStatus {
	h := &db.health
	h.mu.Lock()
	now := time.Now()
	fresh := !h.okAt.IsZero() && now.Sub(h.okAt) < probeFresh && h.okAt.After(h.faultAt) && h.last.State == "ok"
	if fresh {
		s := h.last
		s.LastWriteAt, s.LastFault, s.LastFaultAt = h.okAt, h.lastFault, h.lastFaultAt
		h.mu.Unlock()
		return s
	}
	h.mu.Unlock()

	err := db.probeWrite(ctx)
	s := WriteStatus{State: "ok", CheckedAt: time.Now()}
	if err != nil {
		s.Err = err.Error()
		if s.State = faultOf(err, db.path); s.State == "" {
			s.State = "error"
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err == nil {
		h.okAt = s.CheckedAt
	} else {
		h.faultAt = s.CheckedAt
	}
	h.last = s
	s.LastWriteAt, s.LastFault, s.LastFaultAt = h.okAt, h.lastFault, h.lastFaultAt
	return s
}

// probeWrite makes one small write, as a filing would: through the
// writer, bounded by probeWait. On SQLite it also checks for room: a full
// disk may still take a write that fits in the WAL's existing pages, and
// a database capped by max_page_count may still update a row in place.
func (db *DB) probeWrite(ctx context.Context) error {
	ctx = bot.WithAnswerBy(ctx, time.Now().Add(probeWait))
	return db.inBatch(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO slack_seen (id, at) VALUES ('health:write-probe', ?)
			ON CONFLICT (id) DO UPDATE SET at = excluded.at`, time.Now().UnixMilli()); err != nil {
			return fmt.Errorf("write probe: %w", err)
		}
		if db.pg {
			return nil
		}
		var pages, most int64
		if err := tx.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
			return fmt.Errorf("write probe: %w", err)
		}
		if err := tx.QueryRowContext(ctx, "PRAGMA max_page_count").Scan(&most); err != nil {
			return fmt.Errorf("write probe: %w", err)
		}
		if pages >= most {
			return fmt.Errorf("write probe: %d pages of max_page_count %d: %w", pages, most, errNoRoom)
		}
		if fullFS(db.path) {
			return fmt.Errorf("write probe: file system of %s: %w", db.path, errNoRoom)
		}
		return nil
	})
}
