package store

import (
	"context"
	"time"

	"github.com/askdesk/askdesk/bot/report"
)

// EachPartOpenDuring implements report.Rollups: the parts that began
// before to and no more than 7 days before from (report_parts_start) and
// ended at or after from, and the longer ones that ended since from and
// began before them (report_parts_long); not those counted apart, which
// every report reads already. A department's open requests are counted
// at a few instants hours apart (its own midnight and the company's): one
// read of the range finds the parts of all of them, each once.
func (db *DB) EachPartOpenDuring(ctx context.Context, depts []string, from, to time.Time, fn func(report.PartRow) error) error {
	f, t := from.UnixMilli(), to.UnixMilli()
	for _, d := range depts {
		// The index alone picks the parts, the table is read for those
		// only.
		if err := eachPartRow(ctx, db.read, `SELECT request_id, part, dept, apart, facts FROM report_parts
			WHERE (dept, end_key, request_id, part) IN (SELECT dept, end_key, request_id, part FROM report_parts`+db.indexedBy("report_parts_start")+`
				WHERE dept = ? AND start_at >= ? AND start_at < ? AND end_key >= ?) AND apart = 0`, []any{d, f - longPart, t, f}, fn); err != nil {
			return err
		}
		if err := eachPartRow(ctx, db.read, `SELECT request_id, part, dept, apart, facts FROM report_parts`+db.indexedBy("report_parts_long")+`
			WHERE dept = ? AND end_key - start_at >= 604800000 AND end_key >= ? AND end_key < ? AND start_at < ? AND apart = 0`, []any{d, f, int64(runningKey), f - longPart}, fn); err != nil {
			return err
		}
	}
	return nil
}
