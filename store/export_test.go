package store

import "context"

// ExecForTest runs a statement on the writer, for tests that check what the
// schema forbids.
func ExecForTest(db *DB, q string, args ...any) error {
	_, err := db.write.ExecContext(context.Background(), q, args...)
	return err
}

// SeedForBench fills db with n requests spread over departments, a tenth of
// them still running with deadlines spread over the next 30 days from base.
// It writes rows directly, in one transaction, because a million calls
// through CreateRequest would take minutes.
func SeedForBench(db *DB, n int, base int64) error {
	ctx := context.Background()
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	req, err := tx.PrepareContext(ctx, `INSERT INTO requests (`+requestColumns+`, next_due)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	ev, err := tx.PrepareContext(ctx, `INSERT INTO events (request_id, seq, kind, actor, at, data) VALUES (?, 1, 'created', ?, ?, '{}')`)
	if err != nil {
		return err
	}
	prefixes := []string{"FIN", "IT", "HR", "LEG", "MKT", "SAL", "FAC", "PUR"}
	depts := []string{"finance", "it", "hr", "legal", "marketing", "sales", "facilities", "purchasing"}
	const day = int64(24 * 3600 * 1000)
	for i := 0; i < n; i++ {
		p := i % len(prefixes)
		num := i/len(prefixes) + 1
		id := prefixes[p] + "-" + itoa(num)
		created := base - int64(n-i)*(365*day/int64(n)) // a year of history
		state, due := "closed", any(nil)
		var resolved, closed any = created + day, created + 2*day
		if i%10 == 0 { // a tenth still open, due over the next 30 days
			state, resolved, closed = "acknowledged", nil, nil
			due = base + int64(i/10)%(30*day/60000)*60000
		}
		requester := "U" + itoa(1000+i%500)
		if _, err := req.ExecContext(ctx, id, prefixes[p], num, depts[p], requester, "", "normal", state,
			"benchmark request", "benchmark request body", "bench", created, created, created+3600000, created,
			resolved, closed, "[]", 0, 0, 1, nil, due, due, due); err != nil {
			return err
		}
		if _, err := ev.ExecContext(ctx, id, requester, created); err != nil {
			return err
		}
	}
	for p, prefix := range prefixes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO counters (prefix, last) VALUES (?, ?)`, prefix, (n-p+len(prefixes)-1)/len(prefixes)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// SharedCommitsForTest counts the jobs that shared a commit so far.
func SharedCommitsForTest(db *DB) int64 { return db.batch.shared.Load() }
