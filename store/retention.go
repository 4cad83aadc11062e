package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Redacted replaces what people wrote once the retention policy says it
// has been kept long enough.
const Redacted = "[redacted]"

// redactBatch is how many requests one redaction transaction takes, so
// that the desk's own writes never queue behind retention for long: about
// 15 ms on the single writer of a million-request store (BenchmarkRedact;
// batches of 1,000 held it for 250-400 ms and were slower overall, the
// WAL growing between checkpoints).
const redactBatch = 100

// RedactStats counts what a redaction replaced (or, from ToRedact, would
// replace).
type RedactStats struct {
	Requests int64 // requests whose title and text were replaced
	Events   int64 // events whose text (reply, note, reason, title) was replaced
	Ratings  int64 // rating comments
	Surveys  int64 // survey comments
}

// Total is the number of rows changed.
func (s RedactStats) Total() int64 { return s.Requests + s.Events + s.Ratings + s.Surveys }

func (s *RedactStats) add(o RedactStats) {
	s.Requests += o.Requests
	s.Events += o.Events
	s.Ratings += o.Ratings
	s.Surveys += o.Surveys
}

// The SQL of redaction. A request is due when it was closed or cancelled
// before the cutoff and is not redacted yet (the terms match the partial
// index requests_unredacted). An event's text and title are replaced with
// the very expression the events_no_update trigger accepts.
const (
	dueForRedaction = `redacted_at IS NULL AND state IN ('closed', 'cancelled') AND closed_at < ?`
	redactedData    = `json_replace(data, '$.text', '` + Redacted + `', '$.title', '` + Redacted + `', '$.fields', json('[]'))`
	// PostgreSQL compares the JSON values: its text of a JSON value is
	// spaced differently from what askdesk wrote.
	pgRedactedData = `jsonb_set(jsonb_set(jsonb_set(data::jsonb, '{text}', '"` + Redacted + `"', false), '{title}', '"` + Redacted + `"', false), '{fields}', '[]', false)`
	textToRedact   = `NOT IN ('', '` + Redacted + `')`
)

// Redact replaces with "[redacted]" the text of every request closed or
// cancelled before before: its title and text, the text of its events
// (replies, comments, notes, reasons), its rating comments; and the
// comments of survey answers given before before. Rows, times,
// departments, people, states, priorities and scores are kept, so every
// figure of digests, reports and exports stays what it was. It works in
// transactions of a hundred requests, so the desk is never blocked for
// long, and is idempotent: a second run changes nothing, unless a request
// changed since (a comment on a closed request, a reopening), which it
// then redacts again once it is finished. On error, the batches committed
// before it stay redacted and their counts are returned with the error.
func (db *DB) Redact(ctx context.Context, before time.Time) (RedactStats, error) {
	var total RedactStats
	cutoff := before.UnixMilli()
	now := db.Now().UnixMilli()
	for {
		st, err := db.redactBatch(ctx, cutoff, now)
		total.add(st)
		if err != nil {
			return total, err
		}
		if st.Requests < redactBatch {
			break
		}
	}
	res, err := db.write.ExecContext(ctx, `UPDATE surveys SET comment = '`+Redacted+`'
		WHERE answered_at < ? AND comment `+textToRedact, cutoff)
	if err != nil {
		return total, fmt.Errorf("redact survey comments: %w", err)
	}
	total.Surveys, _ = res.RowsAffected()
	return total, nil
}

// redactBatch redacts up to redactBatch requests due at cutoff, with their
// events and ratings, in one transaction.
func (db *DB) redactBatch(ctx context.Context, cutoff, now int64) (RedactStats, error) {
	var st RedactStats
	var unindexed, uncopied int64
	tx, err := db.begin(ctx)
	if err != nil {
		return st, fmt.Errorf("redact: %w", err)
	}
	defer tx.Rollback()
	ids, err := db.dueIDs(ctx, tx, cutoff)
	if err != nil {
		return st, fmt.Errorf("redact: %w", err)
	}
	// The request is marked first: the events trigger lets an event be
	// redacted only when its request is.
	stmts := []struct {
		q       string
		withNow bool
		n       *int64
	}{
		{`UPDATE requests SET title = '` + Redacted + `', body = CASE body WHEN '' THEN '' ELSE '` + Redacted + `' END,
			fields = '[]', redacted_at = ? WHERE id = ?`, true, &st.Requests},
		{db.sqlFor(`UPDATE events SET data = `+redactedData+` WHERE request_id = ? AND data != `+redactedData,
			`UPDATE events SET data = (`+pgRedactedData+`)::text WHERE request_id = ? AND data::jsonb != `+pgRedactedData), false, &st.Events},
		{`UPDATE ratings SET comment = '` + Redacted + `' WHERE request_id = ? AND comment ` + textToRedact, false, &st.Ratings},
		// A redacted request leaves the search index (search.go).
		{`DELETE FROM search_docs WHERE request_id = ?`, false, &unindexed},
		// The sweep's copy of the title (migration 0030), should a
		// request still have a reminder to come.
		{`UPDATE remind_next SET title = '` + Redacted + `' WHERE request_id = ?`, false, &uncopied},
	}
	prepared := make([]*sql.Stmt, len(stmts))
	for i, s := range stmts {
		if prepared[i], err = tx.PrepareContext(ctx, s.q); err != nil {
			return RedactStats{}, fmt.Errorf("redact: %w", err)
		}
		defer prepared[i].Close()
	}
	for _, id := range ids {
		for i, s := range stmts {
			args := []any{id}
			if s.withNow {
				args = []any{now, id}
			}
			res, err := prepared[i].ExecContext(ctx, args...)
			if err != nil {
				return RedactStats{}, fmt.Errorf("redact %s: %w", id, err)
			}
			n, _ := res.RowsAffected()
			*s.n += n
		}
	}
	if err := tx.Commit(); err != nil {
		return RedactStats{}, fmt.Errorf("redact: commit: %w", err)
	}
	return st, nil
}

// dueIDs reads the next batch to redact. On PostgreSQL the rows are
// locked as they are read: a change committed meanwhile (a reopening) is
// waited for and the row re-checked, where otherwise the batch would
// redact the request's new text. (SQLite's single writer rules that out.)
// The id in PostgreSQL's order keeps two overlapping runs (the leader's
// and a manual askdesk retention) locking in the same order.
func (db *DB) dueIDs(ctx context.Context, tx *sql.Tx, cutoff int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM requests WHERE `+dueForRedaction+`
		ORDER BY `+db.sqlFor("closed_at LIMIT ?", "closed_at, id LIMIT ? FOR UPDATE"), cutoff, redactBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ToRedact counts what Redact(ctx, before) would replace now, changing
// nothing: for a dry run.
func (db *DB) ToRedact(ctx context.Context, before time.Time) (RedactStats, error) {
	var st RedactStats
	cutoff := before.UnixMilli()
	due := `SELECT id FROM requests WHERE ` + dueForRedaction
	for _, c := range []struct {
		q string
		n *int64
	}{
		{`SELECT count(*) FROM requests WHERE ` + dueForRedaction, &st.Requests},
		{`SELECT count(*) FROM events WHERE request_id IN (` + due + `) AND ` + db.sqlFor(`data != `+redactedData, `data::jsonb != `+pgRedactedData), &st.Events},
		{`SELECT count(*) FROM ratings WHERE request_id IN (` + due + `) AND comment ` + textToRedact, &st.Ratings},
		{`SELECT count(*) FROM surveys WHERE answered_at < ? AND comment ` + textToRedact, &st.Surveys},
	} {
		if err := db.read.QueryRowContext(ctx, c.q, cutoff).Scan(c.n); err != nil {
			return RedactStats{}, fmt.Errorf("count what to redact: %w", err)
		}
	}
	return st, nil
}
