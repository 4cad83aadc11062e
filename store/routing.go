package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// Routing's storage (bot.Routing): pending filings and each department's
// history.

var _ bot.Routing = (*DB)(nil)

// SavePendingFiling implements bot.Routing. It also drops pending filings
// older than bot.PendingFilingTTL, which can no longer be filed.
func (db *DB) SavePendingFiling(ctx context.Context, p *bot.PendingFiling) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM pending_filings WHERE created_at < ?`,
		p.CreatedAt.Add(-bot.PendingFilingTTL).UnixMilli()); err != nil {
		return fmt.Errorf("prune pending filings: %w", err)
	}
	if err := db.write.QueryRowContext(ctx, `INSERT INTO pending_filings (requester, priority, body, created_at)
		VALUES (?, ?, ?, ?) RETURNING id`, p.Requester, string(p.Priority), p.Text, p.CreatedAt.UnixMilli()).Scan(&p.ID); err != nil {
		return fmt.Errorf("save pending filing: %w", err)
	}
	return nil
}

// TakePendingFiling implements bot.Routing: of two takers, one gets it.
func (db *DB) TakePendingFiling(ctx context.Context, id int64) (*bot.PendingFiling, error) {
	p := &bot.PendingFiling{ID: id}
	var prio string
	var at int64
	err := db.write.QueryRowContext(ctx, `DELETE FROM pending_filings WHERE id = ?
		RETURNING requester, priority, body, created_at`, id).Scan(&p.Requester, &prio, &p.Text, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bot.Errorf(bot.ENOTFOUND, "no pending filing P%d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("take pending filing P%d: %w", id, err)
	}
	p.Priority, p.CreatedAt = bot.Priority(prio), time.UnixMilli(at).UTC()
	return p, nil
}

// PutBackPendingFiling implements bot.Routing.
func (db *DB) PutBackPendingFiling(ctx context.Context, p *bot.PendingFiling) error {
	if _, err := db.write.ExecContext(ctx, `INSERT INTO pending_filings (id, requester, priority, body, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`, p.ID, p.Requester, string(p.Priority), p.Text, p.CreatedAt.UnixMilli()); err != nil {
		return fmt.Errorf("put back pending filing P%d: %w", p.ID, err)
	}
	return nil
}

// RoutingHistory implements bot.Routing: the requests routed to dept
// first, then those it resolved, each newest first, at most limit in all.
func (db *DB) RoutingHistory(ctx context.Context, dept string, limit int) ([]string, error) {
	var out []string
	for _, q := range []string{
		`SELECT title FROM requests WHERE dept = ? AND source = 'routed' ORDER BY created_at DESC LIMIT ?`,
		`SELECT title FROM requests WHERE dept = ? AND resolved_at IS NOT NULL ORDER BY resolved_at DESC LIMIT ?`,
	} {
		if len(out) >= limit {
			break
		}
		rows, err := db.read.QueryContext(ctx, q, dept, limit-len(out))
		if err != nil {
			return nil, fmt.Errorf("routing history of %s: %w", dept, err)
		}
		for rows.Next() {
			var t string
			if err := rows.Scan(&t); err != nil {
				rows.Close()
				return nil, fmt.Errorf("routing history of %s: %w", dept, err)
			}
			out = append(out, t)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("routing history of %s: %w", dept, err)
		}
	}
	return out, nil
}
