package store

import "context"

// ExecForTest runs a statement on the writer, for tests that check what the
// schema forbids.
func ExecForTest(db *DB, q string, args ...any) error {
	_, err := db.write.ExecContext(context.Background(), q, args...)
	return err
}
