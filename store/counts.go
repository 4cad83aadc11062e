package store

import (
	"context"
	"fmt"
)

// RequestCounts calls each with the number of requests of every department
// and state that has any. It scans only the requests_dept_state index (a
// covering index: no table rows are read), which still means one entry per
// request ever filed: callers that ask often, like a metrics scrape, should
// keep the answer for a while.
func (db *DB) RequestCounts(ctx context.Context, each func(dept, state string, n int)) error {
	rows, err := db.read.QueryContext(ctx, `SELECT dept, state, count(*) FROM requests GROUP BY dept, state`)
	if err != nil {
		return fmt.Errorf("request counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var dept, state string
		var n int
		if err := rows.Scan(&dept, &state, &n); err != nil {
			return fmt.Errorf("request counts: %w", err)
		}
		each(dept, state, n)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("request counts: %w", err)
	}
	return nil
}
