package store

import (
	"context"
	"strings"
	"time"
)

// ExplainRedact returns SQLite's plan for the query that picks the next
// batch to redact, one step a line.
func ExplainRedact(db *DB, before time.Time) (string, error) {
	rows, err := db.read.QueryContext(context.Background(), `EXPLAIN QUERY PLAN SELECT id FROM requests
		WHERE `+dueForRedaction+` ORDER BY closed_at LIMIT ?`, before.UnixMilli(), redactBatch)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", err
		}
		out = append(out, detail)
	}
	return strings.Join(out, "\n"), rows.Err()
}
