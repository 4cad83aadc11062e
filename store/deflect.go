package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// Deflection's storage (bot.Deflection): questions settled by earlier
// answers, and saved answers.

var _ bot.Deflection = (*DB)(nil)

// RecordSelfServed implements bot.Deflection.
func (db *DB) RecordSelfServed(ctx context.Context, s bot.SelfServed) error {
	if _, err := db.write.ExecContext(ctx, `INSERT INTO self_served (pending_id, dept, requester, answered_by, at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (pending_id) DO NOTHING`,
		s.PendingID, s.Dept, s.Requester, s.AnsweredBy, s.At.UnixMilli()); err != nil {
		return fmt.Errorf("record self-served P%d: %w", s.PendingID, err)
	}
	return nil
}

// SelfServedCounts implements bot.Deflection.
func (db *DB) SelfServedCounts(ctx context.Context, from, to time.Time) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT dept, count(*) FROM self_served
		WHERE at >= ? AND at < ? GROUP BY dept`, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("self-served counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var dept string
		var n int
		if err := rows.Scan(&dept, &n); err != nil {
			return nil, fmt.Errorf("self-served counts: %w", err)
		}
		out[dept] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("self-served counts: %w", err)
	}
	return out, nil
}

// SaveAnswer implements bot.Deflection; saving one saved already keeps
// the first saving. The request's search_docs row is marked saved in the
// same transaction, which makes it public (store/search.go), unless the
// request is private: a private request is never public.
func (db *DB) SaveAnswer(ctx context.Context, id, user string, at time.Time) error {
	return db.setSaved(ctx, id, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO saved_answers (request_id, saved_by, saved_at)
			VALUES (?, ?, ?) ON CONFLICT (request_id) DO NOTHING`, id, user, at.UnixMilli()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE search_docs SET saved = 1 WHERE request_id = ? AND private = 0`, id)
		return err
	})
}

// UnsaveAnswer implements bot.Deflection; a request not saved is left as
// it is.
func (db *DB) UnsaveAnswer(ctx context.Context, id string) error {
	return db.setSaved(ctx, id, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM saved_answers WHERE request_id = ?`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE search_docs SET saved = 0 WHERE request_id = ? AND saved != 0`, id)
		return err
	})
}

// setSaved runs change in one write transaction.
func (db *DB) setSaved(ctx context.Context, id string, change func(tx *sql.Tx) error) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("saved answer %s: %w", id, err)
	}
	defer tx.Rollback()
	if err := change(tx); err != nil {
		return fmt.Errorf("saved answer %s: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("saved answer %s: %w", id, err)
	}
	return nil
}

// SavedAnswers implements bot.Deflection.
func (db *DB) SavedAnswers(ctx context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT request_id FROM saved_answers d WHERE `+db.inJSONList(`d.request_id`), jsonList(ids))
	if err != nil {
		return nil, fmt.Errorf("saved answers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("saved answers: %w", err)
		}
		out[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("saved answers: %w", err)
	}
	return out, nil
}
