package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// remindCopies are the columns of a request that remind_next keeps a copy
// of (migration 0030): what the sweep reads, so that it reads its due
// requests there without visiting their rows in requests.
const remindCopies = `dept, requester, assignee, priority, state, title, created_at, first_response_at,
	resolution_start, resolved_at, closed_at, pauses, standard_rev, held_since, type_name, private`

// remindCopyArgs picks the values of remindCopies out of requestArgs(r).
func remindCopyArgs(args []any) []any {
	a := func(i int) any { return args[i-1] }
	return []any{a(4), a(5), a(6), a(7), a(8), a(9), a(12), a(14), a(15), a(16), a(17), a(18), a(24), a(26), a(27), a(29)}
}

// RemindersDue implements bot.Store. The requests come as the sweep reads
// them: remindCopies, their ID and version, and nothing else (no text,
// fields, due times or counts).
func (db *DB) RemindersDue(ctx context.Context, now time.Time, afterID string, limit int) ([]*bot.Request, error) {
	// The batch's IDs are picked from remind_next's index of times (its
	// due rows at the front), then its rows read from remind_next itself.
	// INDEXED BY: SQLite would otherwise walk remind_next in ID order to
	// skip the sort, reading every row of it for each batch. PostgreSQL has
	// no such clause (a syntax error there).
	//
	// Measured and left: reading the batch in parts on two readers at once
	// cost more CPU and, on a busy machine, more time; so did picking the
	// IDs first and reading their rows by a JSON list of them.
	rows, err := db.read.QueryContext(ctx, `SELECT request_id, version, `+remindCopies+` FROM remind_next WHERE request_id IN (
		SELECT request_id FROM remind_next `+db.sqlFor("INDEXED BY remind_next_at", "")+`
		WHERE at <= ? AND request_id > ? ORDER BY request_id LIMIT ?) ORDER BY request_id`, now.UnixMilli(), afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("reminders due: %w", err)
	}
	defer rows.Close()
	var out []*bot.Request
	for rows.Next() {
		var r bot.Request
		var priority, state, pauses string
		var created, resStart, private int64
		var firstResp, resolved, closed, held sql.NullInt64
		if err := rows.Scan(&r.ID, &r.Version, &r.Dept, &r.Requester, &r.Assignee, &priority, &state, &r.Title,
			&created, &firstResp, &resStart, &resolved, &closed, &pauses, &r.StandardRev, &held, &r.Type, &private); err != nil {
			return nil, fmt.Errorf("reminders due: %w", err)
		}
		r.Prefix, r.Num = bot.SplitID(r.ID)
		r.Priority, r.State, r.Private = bot.Priority(priority), bot.State(state), private != 0
		r.CreatedAt, r.ResolutionStart = time.UnixMilli(created).UTC(), time.UnixMilli(resStart).UTC()
		r.FirstResponseAt, r.ResolvedAt, r.ClosedAt = fromMS(firstResp), fromMS(resolved), fromMS(closed)
		r.HeldSince = fromMS(held)
		if r.Pauses, err = decodePauses(pauses); err != nil {
			return nil, fmt.Errorf("reminders due: request %s: %w", r.ID, err)
		}
		out = append(out, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reminders due: %w", err)
	}
	return out, nil
}

// setNextReminder records, with a change of r in tx, when the sweep next
// looks at r: its row in remind_next, at r's new version with the copies
// of its columns (args is requestArgs(r)), or none when nothing is to come.
func (db *DB) setNextReminder(ctx context.Context, tx *sql.Tx, r *bot.Request, args []any) error {
	if r.NextRemindAt.IsZero() {
		_, err := db.txExec(ctx, tx, `DELETE FROM remind_next WHERE request_id = ?`, r.ID)
		return err
	}
	_, err := db.txExec(ctx, tx, `INSERT INTO remind_next (request_id, version, at, `+remindCopies+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, at = excluded.at,
		dept = excluded.dept, requester = excluded.requester, assignee = excluded.assignee,
		priority = excluded.priority, state = excluded.state, title = excluded.title,
		created_at = excluded.created_at, first_response_at = excluded.first_response_at,
		resolution_start = excluded.resolution_start, resolved_at = excluded.resolved_at,
		closed_at = excluded.closed_at, pauses = excluded.pauses, standard_rev = excluded.standard_rev,
		held_since = excluded.held_since, type_name = excluded.type_name, private = excluded.private`,
		append([]any{r.ID, r.Version, r.NextRemindAt.UnixMilli()}, remindCopyArgs(args)...)...)
	return err
}

// RecordReminders implements bot.Store.
func (db *DB) RecordReminders(ctx context.Context, items []bot.Reminder, next []bot.NextReminder, now time.Time, compose func([]bot.Reminder) []bot.Message) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("record reminders: %w", err)
	}
	defer tx.Rollback()
	if err := db.lockForReminders(ctx, tx, items, next); err != nil {
		return fmt.Errorf("record reminders: %w", err)
	}
	// The level already sent in each series, read once; then only items
	// above it go, and the series moves up to the highest of them.
	type series struct{ req, name string }
	sentLevel, err := db.sentLevels(ctx, tx, items)
	if err != nil {
		return err
	}
	top := map[series]int{}
	var order []series
	for _, it := range items {
		k := series{it.RequestID, it.Series}
		if _, ok := top[k]; !ok {
			order = append(order, k)
		}
		top[k] = max(top[k], it.Level)
	}
	// What goes is items itself while none of them was sent before (a
	// sweep after downtime: tens of thousands), a copy only from the first
	// one that was, or partly was.
	sent, copied := items, false
	for i, it := range items {
		above, ok := it.Above(sentLevel[[2]string{it.RequestID, it.Series}])
		if !copied {
			if ok && above.Run == it.Run { // Above changes Run alone
				continue
			}
			sent, copied = append(make([]bot.Reminder, 0, len(items)), items[:i]...), true
		}
		if ok {
			sent = append(sent, above)
		}
	}
	var rows []any // (request, series, level, at) of each series that moved up
	for _, k := range order {
		if top[k] > sentLevel[[2]string{k.req, k.name}] {
			rows = append(rows, k.req, k.name, top[k], now.UnixMilli())
		}
	}
	if err := db.execRows(ctx, tx, `INSERT INTO reminders_sent (request_id, series, level, at) VALUES `, `
		ON CONFLICT (request_id, series) DO UPDATE SET level = excluded.level, at = excluded.at
		WHERE excluded.level > reminders_sent.level`, "(?, ?, ?, ?)", rows); err != nil {
		return fmt.Errorf("record reminders: %w", err)
	}
	if len(sent) > 0 {
		if err := db.enqueue(ctx, tx, compose(sent), now); err != nil {
			return fmt.Errorf("record reminders: %w", err)
		}
	}
	if err := db.setNextReminders(ctx, tx, next); err != nil {
		return fmt.Errorf("record reminders: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record reminders: commit: %w", err)
	}
	return nil
}

// lockForReminders makes overlapping RecordReminders on PostgreSQL (two
// replicas sweeping at once) take turns per request: it locks the rows of
// the requests they touch, in ID order so that two of them cannot
// deadlock, before the levels sent are read. Without it both would read
// the same levels and both send the same reminder; the second now reads
// what the first committed. SQLite's single writer serialises them anyway.
func (db *DB) lockForReminders(ctx context.Context, tx *sql.Tx, items []bot.Reminder, next []bot.NextReminder) error {
	if !db.pg || len(items)+len(next) == 0 {
		return nil
	}
	ids := make([]string, 0, len(items)+len(next))
	for _, it := range items {
		ids = append(ids, it.RequestID)
	}
	for _, n := range next {
		ids = append(ids, n.RequestID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	// FOR NO KEY UPDATE: the lock a change of the request takes, so the
	// sweep and the change take turns; it does not hold up inserts that
	// merely reference a request.
	rows, err := tx.QueryContext(ctx, `SELECT id FROM requests WHERE `+db.inJSONList("id")+`
		ORDER BY id FOR NO KEY UPDATE`, jsonList(ids))
	if err != nil {
		return err
	}
	return rows.Close()
}

// sentLevels reads, in one query, the level sent so far in every series the
// items belong to.
func (db *DB) sentLevels(ctx context.Context, tx *sql.Tx, items []bot.Reminder) (map[[2]string]int, error) {
	ids := make([]string, 0, len(items))
	seen := map[string]bool{}
	for _, it := range items {
		if !seen[it.RequestID] {
			seen[it.RequestID] = true
			ids = append(ids, it.RequestID)
		}
	}
	out := map[[2]string]int{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT request_id, series, level FROM reminders_sent
		WHERE `+db.inJSONList("request_id"), jsonList(ids))
	if err != nil {
		return nil, fmt.Errorf("record reminders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, series string
		var lvl int
		if err := rows.Scan(&id, &series, &lvl); err != nil {
			return nil, fmt.Errorf("record reminders: %w", err)
		}
		out[[2]string{id, series}] = lvl
	}
	return out, rows.Err()
}

// setNextReminders sets each request's next reminder time in remind_next,
// or removes its row for none, where the request is still at the version
// the sweep read: a change since then set a time of its own.
//
// A statement per request, prepared once: one statement for all of them
// (UPDATE … FROM a JSON array of rows) took half as long again, as SQLite
// then keeps a journal of every page the statement changes.
func (db *DB) setNextReminders(ctx context.Context, tx *sql.Tx, next []bot.NextReminder) error {
	if len(next) == 0 {
		return nil
	}
	var stmts [3]*sql.Stmt
	for i, q := range []string{
		`UPDATE remind_next SET at = ? WHERE request_id = ? AND version = ?`,
		`DELETE FROM remind_next WHERE request_id = ? AND version = ?`,
		// No row at that version: the request had nothing to come (no row)
		// or has changed since, which its own version tells.
		`INSERT INTO remind_next (request_id, version, at, ` + remindCopies + `)
			SELECT id, version, ?, ` + remindCopies + ` FROM requests WHERE id = ? AND version = ?
			ON CONFLICT (request_id) DO NOTHING`,
	} {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		defer st.Close()
		stmts[i] = st
	}
	upd, del, ins := stmts[0], stmts[1], stmts[2]
	for _, n := range next {
		if n.At.IsZero() {
			if _, err := del.ExecContext(ctx, n.RequestID, n.Version); err != nil {
				return fmt.Errorf("next for %s: %w", n.RequestID, err)
			}
			continue
		}
		res, err := upd.ExecContext(ctx, n.At.UnixMilli(), n.RequestID, n.Version)
		if err != nil {
			return fmt.Errorf("next for %s: %w", n.RequestID, err)
		}
		k, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("next for %s: %w", n.RequestID, err)
		}
		if k == 0 {
			if _, err := ins.ExecContext(ctx, n.At.UnixMilli(), n.RequestID, n.Version); err != nil {
				return fmt.Errorf("next for %s: %w", n.RequestID, err)
			}
		}
	}
	return nil
}

// rowsPerStatement bounds the rows execRows writes with one statement,
// far below either engine's limit on parameters.
const rowsPerStatement = 500

// execRows runs head, then tuple once per row of args (a flat list of
// rows of tuple's parameters, comma-separated), then tail, over as many
// statements as rowsPerStatement needs: a statement per row spent more in
// database/sql and the driver than in the database.
func (db *DB) execRows(ctx context.Context, tx *sql.Tx, head, tail, tuple string, args []any) error {
	width := strings.Count(tuple, "?")
	query := func(rows int) string {
		return head + strings.Repeat(tuple+", ", rows-1) + tuple + tail
	}
	var full *sql.Stmt // prepared once for the statements of rowsPerStatement rows
	for len(args) > 0 {
		n := min(len(args)/width, rowsPerStatement)
		chunk := args[:n*width]
		args = args[n*width:]
		if n < rowsPerStatement {
			if _, err := tx.ExecContext(ctx, query(n), chunk...); err != nil {
				return err
			}
			continue
		}
		if full == nil {
			var err error
			if full, err = tx.PrepareContext(ctx, query(n)); err != nil {
				return err
			}
			defer full.Close()
		}
		if _, err := full.ExecContext(ctx, chunk...); err != nil {
			return err
		}
	}
	return nil
}
