package store

import (
	"context"
	"fmt"
)

// ResetReportParts forgets every report part and every count kept from
// them, counts the ratings' cells again, and marks every request to be
// worked out afresh, in one transaction: what a copy does to its
// destination, for an operator whose kept counts disagree with the parts
// (askdesk report rebuild). Reports stay exact meanwhile: a report works
// out the parts it needs before it counts.
func (db *DB) ResetReportParts(ctx context.Context) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("reset report parts: %w", err)
	}
	defer tx.Rollback()
	if err := db.lockParts(ctx, tx); err != nil {
		return fmt.Errorf("reset report parts: %w", err)
	}
	if err := resetReportParts(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("reset report parts: commit: %w", err)
	}
	// The ratings' cells in a transaction of their own, which takes the
	// ratings first: in the parts' transaction the lock would wait behind
	// a writer (retention's redaction) that holds a request's mark the
	// reset deletes, and deadlock with it.
	tx, err = db.begin(ctx)
	if err != nil {
		return fmt.Errorf("recount rating cells: %w", err)
	}
	defer tx.Rollback()
	if db.pg {
		if _, err := tx.ExecContext(ctx, `LOCK TABLE ratings IN SHARE MODE`); err != nil {
			return fmt.Errorf("recount rating cells: %w", err)
		}
	}
	if err := recountRatingCells(ctx, tx, db.pg); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("recount rating cells: commit: %w", err)
	}
	return nil
}
