package store

import (
	"context"
	"database/sql"
	"encoding/json"
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
	form, err := encodeForm(p.Form)
	if err != nil {
		return fmt.Errorf("save pending filing: %w", err)
	}
	if err := db.write.QueryRowContext(ctx, `INSERT INTO pending_filings (requester, priority, body, created_at, form)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, p.Requester, string(p.Priority), p.Text, p.CreatedAt.UnixMilli(), form).Scan(&p.ID); err != nil {
		return fmt.Errorf("save pending filing: %w", err)
	}
	return nil
}

// TakePendingFiling implements bot.Routing: of two takers, one gets it.
func (db *DB) TakePendingFiling(ctx context.Context, id int64) (*bot.PendingFiling, error) {
	p := &bot.PendingFiling{ID: id}
	var prio, form string
	var at int64
	err := db.write.QueryRowContext(ctx, `DELETE FROM pending_filings WHERE id = ?
		RETURNING requester, priority, body, created_at, form`, id).Scan(&p.Requester, &prio, &p.Text, &at, &form)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bot.Errorf(bot.ENOTFOUND, "no pending filing P%d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("take pending filing P%d: %w", id, err)
	}
	p.Priority, p.CreatedAt = bot.Priority(prio), time.UnixMilli(at).UTC()
	if p.Form, err = decodeForm(form, p); err != nil {
		// Taken but unreadable: put it back as it was, so that nothing is lost.
		if perr := db.putBackPending(ctx, p, form); perr != nil {
			return nil, fmt.Errorf("take pending filing P%d: %w (and putting it back: %v)", id, err, perr)
		}
		return nil, fmt.Errorf("take pending filing P%d: %w", id, err)
	}
	return p, nil
}

// PutBackPendingFiling implements bot.Routing.
func (db *DB) PutBackPendingFiling(ctx context.Context, p *bot.PendingFiling) error {
	form, err := encodeForm(p.Form)
	if err != nil {
		return fmt.Errorf("put back pending filing P%d: %w", p.ID, err)
	}
	return db.putBackPending(ctx, p, form)
}

// putBackPending stores p again with form as its form column.
func (db *DB) putBackPending(ctx context.Context, p *bot.PendingFiling, form string) error {
	if _, err := db.write.ExecContext(ctx, `INSERT INTO pending_filings (id, requester, priority, body, created_at, form)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`, p.ID, p.Requester, string(p.Priority), p.Text, p.CreatedAt.UnixMilli(), form); err != nil {
		return fmt.Errorf("put back pending filing P%d: %w", p.ID, err)
	}
	return nil
}

// keptForm is the JSON of a pending filing's form column: what a form's
// filing holds beyond the requester, priority and text (their own
// columns). The keys are stored: never rename one.
type keptForm struct {
	Dept          string            `json:"dept"`
	Type          string            `json:"type,omitempty"`
	Fields        map[string]string `json:"fields,omitempty"`
	Source        string            `json:"source,omitempty"`
	OriginChannel string            `json:"origin_channel,omitempty"`
	OriginMessage string            `json:"origin_message,omitempty"`
	OriginThread  string            `json:"origin_thread,omitempty"`
}

// encodeForm is f's form column, "" for none.
func encodeForm(f *bot.Filing) (string, error) {
	if f == nil {
		return "", nil
	}
	b, err := json.Marshal(keptForm{Dept: f.Dept, Type: f.Type, Fields: f.Fields, Source: f.Source,
		OriginChannel: f.OriginChannel, OriginMessage: f.OriginMessage, OriginThread: f.OriginThread})
	if err != nil {
		return "", fmt.Errorf("encode form: %w", err)
	}
	return string(b), nil
}

// decodeForm reads a form column back into the filing of p, nil for "".
func decodeForm(s string, p *bot.PendingFiling) (*bot.Filing, error) {
	if s == "" {
		return nil, nil
	}
	var k keptForm
	if err := json.Unmarshal([]byte(s), &k); err != nil {
		return nil, fmt.Errorf("decode form: %w", err)
	}
	return &bot.Filing{Requester: p.Requester, Dept: k.Dept, Priority: p.Priority, Text: p.Text, Source: k.Source,
		Type: k.Type, Fields: k.Fields, OriginChannel: k.OriginChannel, OriginMessage: k.OriginMessage, OriginThread: k.OriginThread}, nil
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
