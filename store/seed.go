package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
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
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	// A running request's next reminder is due with its deadline.
	remind, err := tx.PrepareContext(ctx, `INSERT INTO remind_next (request_id, version, at, `+remindCopies+`)
		SELECT id, version, ?, `+remindCopies+` FROM requests WHERE id = ?`)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	ev, err := tx.PrepareContext(ctx, `INSERT INTO events (request_id, seq, kind, actor, at, data) VALUES (?, 1, 'created', ?, ?, '{}')`)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	doc, err := tx.PrepareContext(ctx, `INSERT INTO search_docs (request_id, dept, requester, state, private, created_at, title, body, notes, grams)
		VALUES (?, ?, ?, ?, 0, ?, ?, ?, '', '')`)
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
		body := seedBody(i)
		if _, err := req.ExecContext(ctx, id, prefixes[p], num, depts[p], requester, "", "normal", state,
			"benchmark request", body, "bench", created, created, created+3600000, created,
			resolved, closed, "[]", 0, 0, 1, nil, due, 0, "", created, "", "[]", 0, due); err != nil {
			return fmt.Errorf("seed %s: %w", id, err)
		}
		if due != nil {
			if _, err := remind.ExecContext(ctx, due, id); err != nil {
				return fmt.Errorf("seed %s: %w", id, err)
			}
		}
		if _, err := ev.ExecContext(ctx, id, requester, created); err != nil {
			return fmt.Errorf("seed %s: %w", id, err)
		}
		if _, err := doc.ExecContext(ctx, id, depts[p], requester, state, created, "benchmark request", body); err != nil {
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

// seedWords are the subjects of synthetic requests: each body names two of
// them and a reference ("ref1234", shared by one request in 5,000), so
// that a search for a word finds a few percent of the store, like a real
// one, and a reference a handful.
var seedWords = strings.Fields(`laptop monitor keyboard invoice budget payroll contract
	badge parking desk chair printer vpn password access license renewal quote supplier
	refund expense travel visa onboarding offboarding training leave benefits pension
	campaign brochure website press event booth lead pipeline discount pricing forecast
	audit tax compliance trademark nda lawsuit lease heating cleaning keys locker shuttle
	order delivery shipment warranty repair phone headset tablet account mailbox`)

// seedBody is the text of the i-th synthetic request.
func seedBody(i int) string {
	n := len(seedWords)
	return "benchmark request body: " + seedWords[i%n] + " and " + seedWords[(i/n+3*i)%n] + ", ref" + strconv.Itoa(i%5000)
}
