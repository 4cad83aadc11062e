package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot"
)

const requestColumns = `id, prefix, num, dept, requester, assignee, priority, state, title, body, source,
	created_at, updated_at, first_response_at, resolution_start, resolved_at, closed_at,
	pauses, reopens, transfers, version, first_response_due, resolution_due, standard_rev,
	requester_dept, held_since, type_name, fields, private`

// CreateRequest implements bot.Store.
func (db *DB) CreateRequest(ctx context.Context, prefix string, r *bot.Request, ev *bot.Event, announce func(*bot.Request) []bot.Message) (err error) {
	defer func() { err = db.explain(err, "nothing was filed") }()
	// The job may share a commit with others (batch.go); r and ev are set
	// only once that commit succeeded.
	var nr bot.Request
	var nev bot.Event
	err = db.inBatchAddingDocs(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		// The counter and the insert share one transaction on the single
		// writer, so numbers are gapless and never handed out twice.
		if err := db.txQueryRow(ctx, tx, `INSERT INTO counters (prefix, last) VALUES (?, 1)
			ON CONFLICT (prefix) DO UPDATE SET last = counters.last + 1 RETURNING last`, prefix).Scan(&n); err != nil {
			return fmt.Errorf("create request: next number for %s: %w", prefix, err)
		}
		nr, nev = *r, *ev
		nr.ID, nr.Prefix, nr.Num = bot.FormatID(prefix, n), prefix, n
		nev.RequestID = nr.ID
		if err := db.insertRequest(ctx, tx, &nr); err != nil {
			return fmt.Errorf("create request %s: %w", nr.ID, err)
		}
		if err := db.insertEvent(ctx, tx, nev); err != nil {
			return fmt.Errorf("create request %s: %w", nr.ID, err)
		}
		if err := db.index(ctx, tx, &nr, nev); err != nil {
			return fmt.Errorf("create request %s: %w", nr.ID, err)
		}
		if announce != nil {
			if err := db.enqueueFold(ctx, tx, announce(&nr), nev.At, false); err != nil {
				return fmt.Errorf("create request %s: %w", nr.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	*r, *ev = nr, nev // only once committed
	return nil
}

// Append implements bot.Store.
func (db *DB) Append(ctx context.Context, r *bot.Request, ev bot.Event, msgs []bot.Message) (err error) {
	defer func() { err = db.explain(err, "nothing was changed") }()
	return db.inBatch(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := db.updateRequest(ctx, tx, r, ev.Seq-1); err != nil {
			return err
		}
		if err := db.insertEvent(ctx, tx, ev); err != nil {
			return fmt.Errorf("append %s to %s: %w", ev.Kind, r.ID, err)
		}
		if err := db.index(ctx, tx, r, ev); err != nil {
			return fmt.Errorf("append %s to %s: %w", ev.Kind, r.ID, err)
		}
		if err := db.enqueue(ctx, tx, msgs, ev.At); err != nil {
			return fmt.Errorf("append %s to %s: %w", ev.Kind, r.ID, err)
		}
		return nil
	})
}

func requestArgs(r *bot.Request) ([]any, error) {
	pauses, err := encodePauses(r.Pauses)
	if err != nil {
		return nil, err
	}
	fields, err := encodeFields(r.Fields)
	if err != nil {
		return nil, err
	}
	return []any{r.ID, r.Prefix, r.Num, r.Dept, r.Requester, r.Assignee, string(r.Priority), string(r.State),
		r.Title, r.Text, r.Source, r.CreatedAt.UnixMilli(), r.UpdatedAt.UnixMilli(), ms(r.FirstResponseAt),
		r.ResolutionStart.UnixMilli(), ms(r.ResolvedAt), ms(r.ClosedAt), pauses, r.Reopens, r.Transfers,
		r.Version, ms(r.FirstResponseDue), ms(r.ResolutionDue), r.StandardRev, r.RequesterDept,
		ms(r.HeldSince), r.Type, fields, boolInt(r.Private), ms(r.NextDue())}, nil
}

func (db *DB) insertRequest(ctx context.Context, tx *sql.Tx, r *bot.Request) error {
	args, err := requestArgs(r)
	if err != nil {
		return err
	}
	if _, err := db.txExec(ctx, tx, `INSERT INTO requests (`+requestColumns+`, next_due)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, args...); err != nil {
		return err
	}
	if r.NextRemindAt.IsZero() {
		return nil // no row: nothing to remind
	}
	return db.setNextReminder(ctx, tx, r, args)
}

func (db *DB) updateRequest(ctx context.Context, tx *sql.Tx, r *bot.Request, wantVersion int) error {
	args, err := requestArgs(r)
	if err != nil {
		return err
	}
	// Only the changing columns, in the order of requestArgs (PostgreSQL
	// cannot type a parameter that the statement does not use).
	//
	// A request redacted by retention (retention.go) after r was read keeps
	// its version, as redaction adds no event; its title is the mark a
	// change read after the redaction carries. Without that term a change
	// read before it would write the old title and text back, and with them
	// the sweep's copy and the search index; instead it conflicts, and the
	// desk reads the request again and retries on the redacted text.
	a := func(i int) any { return args[i-1] }
	res, err := db.txExec(ctx, tx, `UPDATE requests SET dept = ?, assignee = ?, priority = ?, state = ?,
		title = ?, body = ?, updated_at = ?, first_response_at = ?, resolution_start = ?,
		resolved_at = ?, closed_at = ?, pauses = ?, reopens = ?, transfers = ?, version = ?,
		first_response_due = ?, resolution_due = ?, standard_rev = ?, held_since = ?, next_due = ?
		WHERE id = ? AND version = ? AND (redacted_at IS NULL OR title = ?)`, a(4), a(6), a(7), a(8), a(9), a(10), a(13), a(14), a(15), a(16), a(17),
		a(18), a(19), a(20), a(21), a(22), a(23), a(24), a(26), a(30), a(1), wantVersion, a(9))
	if err != nil {
		return fmt.Errorf("update request %s: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return bot.Errorf(bot.ECONFLICT, "%s was changed by someone else a moment ago; look at it again and retry.", r.ID)
	}
	if err := db.setNextReminder(ctx, tx, r, args); err != nil {
		return fmt.Errorf("update request %s: %w", r.ID, err)
	}
	return nil
}

// Request implements bot.Store.
func (db *DB) Request(ctx context.Context, id string) (*bot.Request, error) {
	row := db.readQueryRow(ctx, `SELECT `+requestColumns+` FROM requests WHERE id = ?`, id)
	r, err := scanRequest(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bot.E(bot.ENOTFOUND, "err.no_request", "ID", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get request %s: %w", id, err)
	}
	return r, nil
}

// activeStates is the SQL list of bot.State.Active states.
const activeStates = `('open', 'acknowledged', 'waiting', 'reopened')`

// urgencyOrder sorts the most urgent first: earliest running deadline (a
// breached one is earliest of all), paused ones after, then priority, age.
const urgencyOrder = `next_due IS NULL, next_due,
	CASE priority WHEN 'urgent' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END, created_at, prefix, num`

// Requests implements bot.Store.
func (db *DB) Requests(ctx context.Context, f bot.Filter) ([]*bot.Request, error) {
	// Filters every shape of the query shares.
	var where []string
	var args []any
	if f.Requester != "" {
		where, args = append(where, "requester = ?"), append(args, f.Requester)
	}
	if f.Assignee != "" {
		where, args = append(where, "assignee = ?"), append(args, f.Assignee)
	}
	if f.Priority != "" {
		where, args = append(where, "priority = ?"), append(args, string(f.Priority))
	}
	if f.Type != "" {
		where, args = append(where, "type_name = ?"), append(args, f.Type)
	}
	if f.UnclaimedOr != "" {
		where, args = append(where, "(assignee = '' OR assignee = ?)"), append(args, f.UnclaimedOr)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	depts := f.Depts
	if f.Dept != "" {
		depts = append([]string{f.Dept}, depts...)
	}
	if f.ActiveOnly && !f.Closed && f.Requester == "" && len(depts) > 0 {
		return db.queue(ctx, depts, f.States, where, args, limit, max(f.Offset, 0))
	}
	if len(depts) > 0 {
		where = append(where, "dept IN ("+placeholders(len(depts))+")")
		for _, d := range depts {
			args = append(args, d)
		}
	}
	if len(f.States) > 0 {
		where = append(where, "state IN ("+placeholders(len(f.States))+")")
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	// Requests filed in the same millisecond (a script, a burst) come in
	// the same order on both engines.
	order := "created_at DESC, prefix DESC, num DESC"
	if f.Closed {
		where = append(where, "state NOT IN "+activeStates)
		order = "updated_at DESC"
	}
	if f.ActiveOnly {
		where = append(where, "state IN "+activeStates)
		order = urgencyOrder
	}
	q := `SELECT ` + requestColumns + ` FROM requests`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY " + order + " LIMIT ?"
	args = append(args, limit)
	if f.Offset > 0 {
		q += " OFFSET ?"
		args = append(args, f.Offset)
	}
	return db.queryRequests(ctx, q, args...)
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// DueBefore implements bot.Store.
func (db *DB) DueBefore(ctx context.Context, t time.Time, limit int) ([]*bot.Request, error) {
	return db.queryRequests(ctx, `SELECT `+requestColumns+` FROM requests
		WHERE next_due IS NOT NULL AND next_due <= ? ORDER BY next_due LIMIT ?`, t.UnixMilli(), limit)
}

func (db *DB) queryRequests(ctx context.Context, q string, args ...any) ([]*bot.Request, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	defer rows.Close()
	var out []*bot.Request
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, fmt.Errorf("list requests: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	return out, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanRequest(s scanner) (*bot.Request, error) {
	var r bot.Request
	var priority, state, pauses, fields string
	var created, updated, resStart, private int64
	var firstResp, resolved, closed, frDue, resDue, held sql.NullInt64
	err := s.Scan(&r.ID, &r.Prefix, &r.Num, &r.Dept, &r.Requester, &r.Assignee, &priority, &state,
		&r.Title, &r.Text, &r.Source, &created, &updated, &firstResp, &resStart, &resolved, &closed,
		&pauses, &r.Reopens, &r.Transfers, &r.Version, &frDue, &resDue, &r.StandardRev, &r.RequesterDept, &held,
		&r.Type, &fields, &private)
	if err != nil {
		return nil, err
	}
	r.Private = private != 0
	if r.Fields, err = decodeFields(fields); err != nil {
		return nil, fmt.Errorf("request %s: %w", r.ID, err)
	}
	r.Priority, r.State = bot.Priority(priority), bot.State(state)
	r.CreatedAt, r.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	r.ResolutionStart = time.UnixMilli(resStart).UTC()
	r.FirstResponseAt, r.ResolvedAt, r.ClosedAt = fromMS(firstResp), fromMS(resolved), fromMS(closed)
	r.FirstResponseDue, r.ResolutionDue = fromMS(frDue), fromMS(resDue)
	r.HeldSince = fromMS(held)
	if r.Pauses, err = decodePauses(pauses); err != nil {
		return nil, fmt.Errorf("request %s: %w", r.ID, err)
	}
	return &r, nil
}

// Pauses are stored as JSON pairs of Unix milliseconds; null ends an open one.
func encodePauses(ps []bot.Interval) (string, error) {
	out := make([][2]*int64, len(ps))
	for i, p := range ps {
		s := p.Start.UnixMilli()
		out[i][0] = &s
		if !p.End.IsZero() {
			e := p.End.UnixMilli()
			out[i][1] = &e
		}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func decodePauses(s string) ([]bot.Interval, error) {
	if s == "[]" { // most requests never paused
		return nil, nil
	}
	var in [][2]*int64
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, fmt.Errorf("decode pauses: %w", err)
	}
	var out []bot.Interval
	for _, p := range in {
		if p[0] == nil {
			return nil, fmt.Errorf("decode pauses: missing start")
		}
		iv := bot.Interval{Start: time.UnixMilli(*p[0]).UTC()}
		if p[1] != nil {
			iv.End = time.UnixMilli(*p[1]).UTC()
		}
		out = append(out, iv)
	}
	return out, nil
}

// Fields are stored as JSON [{"name":…,"value":…},…]; "[]" for none.
func encodeFields(fs []bot.FieldValue) (string, error) {
	if len(fs) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(fs)
	return string(b), err
}

func decodeFields(s string) ([]bot.FieldValue, error) {
	if s == "" || s == "[]" {
		return nil, nil
	}
	var out []bot.FieldValue
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, fmt.Errorf("decode fields: %w", err)
	}
	return out, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
