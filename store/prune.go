package store

import (
	"context"
	"fmt"
	"time"
)

// Prune deletes what is only kept for a while: delivery records of Slack
// events and envelopes (Slack stops retrying within minutes) and outbox
// messages delivered, and text typed without a department that nobody
// filed (pending filings, which wait a day), all older than before. Requests, their history and
// messages not yet delivered are never pruned. It returns the rows deleted.
func (db *DB) Prune(ctx context.Context, before time.Time) (int64, error) {
	var total int64
	for _, q := range []string{
		`DELETE FROM slack_seen WHERE at < ?`,
		`DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?`,
		`DELETE FROM pending_filings WHERE created_at < ?`,
	} {
		res, err := db.write.ExecContext(ctx, q, before.UnixMilli())
		if err != nil {
			return total, fmt.Errorf("prune: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}
