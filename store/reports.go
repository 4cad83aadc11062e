package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

var _ report.Reports = (*DB)(nil)

// reportColumns are what figures read: no body, source or stored deadlines.
const reportColumns = `id, prefix, num, dept, requester, assignee, priority, state, title,
	created_at, updated_at, first_response_at, resolution_start, resolved_at, closed_at,
	pauses, reopens, transfers, version, requester_dept, held_since, type_name, private, standard_rev`

// RequestsActiveDuring implements report.Reports. The kinds of request it
// returns are disjoint by state, but for those depts passed on since from
// (read through events_transferred, once each), and each is read from an index: those
// still active from requests_dept_state, one department at a time; those
// resolved or closed since from from requests_resolved, in two halves;
// those cancelled since from from requests_closed. The parts are
// independent reads, run side by side on the reader pool, since a year of
// backlog is a lot of rows for one connection. The unary + keeps the
// planner off requests_created, whose "created before to" matches most of
// the history, and off requests_dept_state for the resolved and cancelled.
func (db *DB) RequestsActiveDuring(ctx context.Context, depts []string, from, to time.Time) ([]*bot.Request, error) {
	parts := db.activeDuringQueries(depts, from, to)
	results := make([][]*bot.Request, len(parts))
	errs := make([]error, len(parts))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i], errs[i] = db.reportRows(ctx, p.q, p.args)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("requests active during a period: %w", err)
	}
	var out []*bot.Request
	seen := map[string]bool{}
	for _, rs := range results {
		for _, r := range rs {
			// A request passed on by one of depts and still with another
			// of them comes from two parts.
			if !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, r)
			}
		}
	}
	return out, nil
}

type sqlQuery struct {
	q    string
	args []any
}

func (db *DB) activeDuringQueries(depts []string, from, to time.Time) []sqlQuery {
	if len(depts) == 0 {
		return nil
	}
	f, t := from.UnixMilli(), to.UnixMilli()
	var out []sqlQuery
	for _, d := range depts {
		out = append(out, sqlQuery{`SELECT ` + reportColumns + ` FROM requests
			WHERE dept = ? AND state IN ` + activeStates + ` AND +created_at < ?`, []any{d, t}})
	}
	in := "(?" + strings.Repeat(",?", len(depts)-1) + ")"
	// PostgreSQL has no unary + on text, and needs no hint to keep off
	// requests_dept_state.
	dept := db.sqlFor("+dept", "dept")
	deptArgs := make([]any, len(depts))
	for i, d := range depts {
		deptArgs[i] = d
	}
	with := func(args ...any) []any { return append(args, deptArgs...) }
	resolved := `SELECT ` + reportColumns + ` FROM requests
		WHERE resolved_at >= ? AND resolved_at < ? AND state IN ('resolved', 'closed') AND +created_at < ? AND ` + dept + ` IN ` + in
	mid := f + (t-f)/2
	out = append(out, sqlQuery{resolved, with(f, mid, t)}, sqlQuery{resolved, with(mid, math.MaxInt64, t)})
	out = append(out, sqlQuery{`SELECT ` + reportColumns + ` FROM requests
		WHERE closed_at >= ? AND state = 'cancelled' AND +created_at < ? AND ` + dept + ` IN ` + in, with(f, t)})
	// The requests depts passed on since from, wherever they are now: each
	// department's part counts for it (docs/sla.md, "Transfers"), and a
	// part ends at its transfer, so one ended before from counts nothing.
	fromDept := db.sqlFor(`json_extract(data, '$.from_dept')`, `(data::json ->> 'from_dept')`)
	out = append(out, sqlQuery{`SELECT ` + reportColumns + ` FROM requests
		WHERE id IN (SELECT request_id FROM events WHERE kind = 'transferred' AND at >= ? AND ` + fromDept + ` IN ` + in + `)
		AND +created_at < ?`, append(with(f), t)})
	return out
}

func (db *DB) reportRows(ctx context.Context, q string, args []any) ([]*bot.Request, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*bot.Request
	for rows.Next() {
		r, err := scanReportRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanReportRow(rows *sql.Rows) (*bot.Request, error) {
	var r bot.Request
	var priority, state, pauses string
	var created, updated, resStart, private int64
	var firstResp, resolved, closed, held sql.NullInt64
	err := rows.Scan(&r.ID, &r.Prefix, &r.Num, &r.Dept, &r.Requester, &r.Assignee, &priority, &state, &r.Title,
		&created, &updated, &firstResp, &resStart, &resolved, &closed, &pauses, &r.Reopens, &r.Transfers, &r.Version, &r.RequesterDept, &held,
		&r.Type, &private, &r.StandardRev)
	if err != nil {
		return nil, err
	}
	r.Private = private != 0
	r.Priority, r.State = bot.Priority(priority), bot.State(state)
	r.CreatedAt, r.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	r.ResolutionStart = time.UnixMilli(resStart).UTC()
	r.FirstResponseAt, r.ResolvedAt, r.ClosedAt = fromMS(firstResp), fromMS(resolved), fromMS(closed)
	r.HeldSince = fromMS(held)
	if pauses != "[]" { // most requests never wait; skip the JSON
		if r.Pauses, err = decodePauses(pauses); err != nil {
			return nil, fmt.Errorf("request %s: %w", r.ID, err)
		}
	}
	return &r, nil
}
