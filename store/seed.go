package store

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// SeedSynthetic fills db with n synthetic requests spread over eight
// departments (finance, it, hr, legal, marketing, sales, facilities,
// purchasing), created over the year before base; a tenth of them are still
// running, with deadlines spread over the next 30 days from base. It is for
// load tools and benchmarks that need a large store, not for real data.
//
// It writes rows directly, in one transaction, because a million calls
// through CreateRequest would take minutes. It returns an error, writing
// nothing, when the database already has requests: the IDs it writes start
// at 1 and would collide with theirs.
func (db *DB) SeedSynthetic(ctx context.Context, n int, base time.Time) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	defer tx.Rollback()
	var has bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM requests)`).Scan(&has); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if has {
		return fmt.Errorf("seed %s: the database already has requests", db.path)
	}
	req, err := tx.PrepareContext(ctx, `INSERT INTO requests (`+requestColumns+`, next_due)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	ev, err := tx.PrepareContext(ctx, `INSERT INTO events (request_id, seq, kind, actor, at, data) VALUES (?, 1, 'created', ?, ?, '{}')`)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	prefixes := []string{"FIN", "IT", "HR", "LEG", "MKT", "SAL", "FAC", "PUR"}
	depts := []string{"finance", "it", "hr", "legal", "marketing", "sales", "facilities", "purchasing"}
	const day = int64(24 * 3600 * 1000)
	baseMs := base.UnixMilli()
	for i := 0; i < n; i++ {
		p := i % len(prefixes)
		num := i/len(prefixes) + 1
		id := prefixes[p] + "-" + strconv.Itoa(num)
		created := baseMs - int64(n-i)*(365*day/int64(n)) // a year of history
		state, due := "closed", any(nil)
		var resolved, closed any = created + day, created + 2*day
		if i%10 == 0 { // a tenth still open, due over the next 30 days
			state, resolved, closed = "acknowledged", nil, nil
			due = baseMs + int64(i/10)%(30*day/60000)*60000
		}
		requester := "U" + strconv.Itoa(1000+i%500)
		if _, err := req.ExecContext(ctx, id, prefixes[p], num, depts[p], requester, "", "normal", state,
			"benchmark request", "benchmark request body", "bench", created, created, created+3600000, created,
			resolved, closed, "[]", 0, 0, 1, nil, due, due, 0, "", created, "", "[]", 0, due); err != nil {
			return fmt.Errorf("seed %s: %w", id, err)
		}
		if _, err := ev.ExecContext(ctx, id, requester, created); err != nil {
			return fmt.Errorf("seed %s: %w", id, err)
		}
	}
	for p, prefix := range prefixes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO counters (prefix, last) VALUES (?, ?)`, prefix, (n-p+len(prefixes)-1)/len(prefixes)); err != nil {
			return fmt.Errorf("seed counters: %w", err)
		}
	}
	return tx.Commit()
}
