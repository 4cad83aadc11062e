package store

import (
	"context"
	"time"
)

// ExecForTest runs a statement on the writer, for tests that check what the
// schema forbids.
func ExecForTest(db *DB, q string, args ...any) error {
	_, err := db.write.ExecContext(context.Background(), q, args...)
	return err
}

// SeedForBench is SeedSynthetic with base in Unix milliseconds.
func SeedForBench(db *DB, n int, base int64) error {
	return db.SeedSynthetic(context.Background(), n, time.UnixMilli(base))
}

// SharedCommitsForTest counts the jobs that shared a commit so far.
func SharedCommitsForTest(db *DB) int64 { return db.batch.shared.Load() }
