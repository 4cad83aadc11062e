package store

import (
	"context"
	"fmt"
)

// ExecOnWriter runs q on the single connection every write goes through,
// where per-connection pragmas stick: for fault drills and end-to-end
// tests, which make the running database refuse writes as a fault would
// ("PRAGMA query_only = 1": read-only; "PRAGMA max_page_count = N": full)
// and mend it again. Not for data: the batched writes do that.
func (db *DB) ExecOnWriter(ctx context.Context, q string) error {
	if _, err := db.write.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("exec on writer: %w", err)
	}
	return nil
}
