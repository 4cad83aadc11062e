package store

import "context"

// UnmigrateRemindNext takes db back to before migration 0027: the next
// reminder times in a column of requests again, remind_next gone (and
// with it 0030's copies beside them).
func UnmigrateRemindNext(db *DB) error {
	ctx := context.Background()
	for _, q := range []string{
		db.sqlFor(`ALTER TABLE requests ADD COLUMN next_remind_at INTEGER`, `ALTER TABLE requests ADD COLUMN next_remind_at BIGINT`),
		`UPDATE requests SET next_remind_at = (SELECT at FROM remind_next WHERE request_id = requests.id)`,
		`CREATE INDEX requests_next_remind ON requests (next_remind_at, id) WHERE next_remind_at IS NOT NULL`,
		`DROP TABLE remind_next`,
		`DELETE FROM schema_migrations WHERE version IN (27, 30)`,
	} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// RemindCopies are the columns of requests copied into remind_next.
const RemindCopies = remindCopies
