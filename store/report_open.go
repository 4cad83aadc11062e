package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/askdesk/askdesk/bot/report"
)

// EachPartOpenDuring implements report.Rollups: the parts that ended
// from from to 7 days after to, a range of the primary key read in order,
// and began before to; and the longer ones that ended later and began
// before to (report_parts_long); not those still running, nor those
// counted apart, which every report reads already. A department's open
// requests are counted at a few instants hours apart (its own midnight
// and the company's): one read of the range finds the parts of all of
// them, each once. Reading the range in order costs less than looking up
// by report_parts_start each part that began in the week before (most of
// them are open at the instant).
func (db *DB) EachPartOpenDuring(ctx context.Context, depts []string, from, to time.Time, fn func(report.PartRow) error) error {
	f, t := from.UnixMilli(), to.UnixMilli()
	for _, d := range depts {
		// The + keeps SQLite from reading by report_parts_start.
		if err := eachPartInCells(ctx, db.read, d, `SELECT request_id, part, facts FROM report_parts
			WHERE dept = ? AND end_key >= ? AND end_key < ? AND +start_at < ? AND apart = 0`, []any{d, f, t + longPart, t}, fn); err != nil {
			return err
		}
		if err := eachPartInCells(ctx, db.read, d, `SELECT request_id, part, facts FROM report_parts`+db.indexedBy("report_parts_long")+`
			WHERE dept = ? AND end_key - start_at >= 604800000 AND end_key >= ? AND end_key < ? AND start_at < ? AND apart = 0`, []any{d, t + longPart, int64(runningKey), t}, fn); err != nil {
			return err
		}
	}
	return nil
}

// eachPartInCells runs q, which selects request_id, part and facts of
// dept's parts not counted apart, and calls fn with each row; Facts is
// valid during the call only. The department and apart are not read
// back: a string and a column less for each of thousands of rows.
func eachPartInCells(ctx context.Context, db querier, dept string, q string, args []any, fn func(report.PartRow) error) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("parts: %w", err)
	}
	defer rows.Close()
	p := report.PartRow{Dept: dept}
	var facts sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&p.RequestID, &p.Part, &facts); err != nil {
			return fmt.Errorf("parts: %w", err)
		}
		p.Facts = facts
		if err := fn(p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("parts: %w", err)
	}
	return nil
}
