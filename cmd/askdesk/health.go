package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/askdesk/askdesk/store"
)

// Three probes, in the form Kubernetes expects:
//
//   - /livez: the process serves HTTP. A restart mends nothing that the
//     other two find (a refused token, a read-only or full disk) and loses
//     the backoff, so liveness asks only this.
//   - /readyz: every check passes: 200 "ok", else 503 with the failing
//     checks, one a line; ?verbose lists each check, as Kubernetes' own
//     /readyz?verbose does.
//   - /healthz: the same checks and what they saw, as JSON, for people
//     and dashboards (the outbox's depth and age, the last write fault,
//     leadership with replicas); 503 when a check fails.
//
// A check is a name and a function, so a new one (delivery's own view
// of a storage or Slack outage, say) is one more entry in checks.

// check is one readiness check: ok, or why not.
type check struct {
	name string
	run  func(ctx context.Context, h *health) (ok bool, why string)
}

// checkTimeout bounds all checks together: Kubernetes gives a probe 1 s
// by default.
const checkTimeout = 900 * time.Millisecond

// checks are serve's readiness checks, in the order they are shown. Each
// also fills in its part of h.
func (s *server) checks() []check {
	return []check{
		{"storage", func(ctx context.Context, h *health) (bool, string) {
			ws := s.db.WriteStatus(ctx)
			h.Storage = &ws
			if !ws.Writable() {
				return false, "the database cannot be written: " + ws.State
			}
			return true, ""
		}},
		{"delivery", func(_ context.Context, h *health) (bool, string) {
			// The outbox's own view: a delivery whose outcome the database
			// would not record holds every send until a write works.
			since, out := s.desk.StorageOutage()
			if !out {
				return true, ""
			}
			h.DeliveryPausedSince = &since
			return false, "paused since " + since.UTC().Format(time.RFC3339) + ": the database would not record a delivery"
		}},
		{"slack", func(_ context.Context, h *health) (bool, string) {
			ok, state := s.app.SocketStatus()
			h.Socket = state
			if !ok {
				return false, state
			}
			return true, ""
		}},
	}
}

// checkResult is one check's outcome, as /healthz lists it.
type checkResult struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// health is what GET /healthz answers.
type health struct {
	Status string `json:"status"` // "ok", or "unavailable" with a 503
	Mode   string `json:"mode"`   // "http" or "socket"
	Error  string `json:"error,omitempty"`
	// Socket is the Socket Mode connection: "connected", "connecting", or
	// "app token refused (token_revoked)" (unavailable).
	Socket        string `json:"socket,omitempty"`
	OutboxPending *int   `json:"outbox_pending,omitempty"`
	OutboxOldestS *int   `json:"outbox_oldest_seconds,omitempty"`
	// Storage is whether the database can be written, and the last fault
	// a real write met.
	Storage *store.WriteStatus `json:"storage,omitempty"`
	// DeliveryPausedSince is set while the outbox holds every send because
	// the database would not record one (a storage outage).
	DeliveryPausedSince *time.Time `json:"delivery_paused_since,omitempty"`
	// Leading, with replicas on PostgreSQL, says whether this one runs
	// the periodic jobs.
	Leading *bool         `json:"leading,omitempty"`
	Checks  []checkResult `json:"checks"`
}

// runChecks runs every check and fills in h; it returns the failures as
// "name: why".
func (s *server) runChecks(ctx context.Context, h *health) (failed []string) {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	for _, c := range s.checks() {
		ok, why := c.run(ctx, h)
		h.Checks = append(h.Checks, checkResult{Name: c.name, OK: ok, Error: why})
		if !ok {
			failed = append(failed, c.name+": "+why)
		}
	}
	return failed
}

// livez says the process is alive and serving HTTP, whatever Slack and the
// database say.
func livez(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"status":"ok"}`+"\n")
}

// readyz answers Kubernetes' readiness probe: 200 "ok" when every check
// passes, else 503 and the failures.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	var h health
	failed := s.runChecks(r.Context(), &h)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if len(failed) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	var b strings.Builder
	if r.URL.Query().Has("verbose") {
		for _, c := range h.Checks {
			if c.OK {
				fmt.Fprintf(&b, "[+]%s ok\n", c.Name)
			} else {
				fmt.Fprintf(&b, "[-]%s failed: %s\n", c.Name, c.Error)
			}
		}
		if len(failed) > 0 {
			b.WriteString("readyz check failed\n")
		} else {
			b.WriteString("readyz check passed\n")
		}
	} else if len(failed) > 0 {
		for _, f := range failed {
			b.WriteString(f + "\n")
		}
	} else {
		b.WriteString("ok\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		s.log.Warn("readyz: write answer", "err", err)
	}
}

// healthz says whether serve can do its work, in detail: the checks, the
// outbox's depth and age, storage and leadership.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	h := health{Status: "ok", Mode: s.mode}
	problems := s.runChecks(r.Context(), &h)
	pending, oldest, err := s.db.OutboxStats(r.Context(), time.Now())
	if err != nil {
		problems = append(problems, "database: cannot be read")
		h.Checks = append(h.Checks, checkResult{Name: "outbox", Error: "the database cannot be read"})
	} else {
		age := int(oldest.Seconds())
		h.OutboxPending, h.OutboxOldestS = &pending, &age
	}
	if s.db.Postgres() && s.lead != nil {
		leading := s.lead.Leading()
		h.Leading = &leading
	}
	w.Header().Set("Content-Type", "application/json")
	if len(problems) > 0 {
		h.Status, h.Error = "unavailable", strings.Join(problems, "; ")
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	if err := json.NewEncoder(w).Encode(h); err != nil {
		s.log.Warn("healthz: write answer", "err", err)
	}
}
