package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

// The cells of the parts' counts (report_cells, migration 0026):
// bot/report says what each part adds to which cell and encodes them; the
// store keeps them in step with report_parts in SaveParts' transaction.
// The upgrade and a copy start with no parts and no cells (ready), so the
// cells are kept from the first part worked out on; RebuildRollups, which
// a refresh runs when report_rollup_state says not ready, is only reached
// when an operator (or a test) clears the flag.

var _ report.Rollups = (*DB)(nil)

// longPart is how long a part must have run (or still run) to be found
// by report_parts_long rather than by its start (report_parts_start): the
// number in that index's WHERE, in milliseconds.
const longPart = 604800000

// indexedBy names the index SQLite is to read a query by: without the
// statistics of ANALYZE it takes the primary key's range of a department
// (all its parts) over a partial or narrower index. PostgreSQL's planner
// has them.
func (db *DB) indexedBy(index string) string {
	if db.pg {
		return ""
	}
	return " INDEXED BY " + index
}

// RollupReady implements report.Rollups.
func (db *DB) RollupReady(ctx context.Context) (bool, error) {
	var ready int
	err := db.read.QueryRowContext(ctx, `SELECT ready FROM report_rollup_state WHERE id = 1`).Scan(&ready)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("rollup ready: %w", err)
	}
	return ready == 1, nil
}

// RollupSeq implements report.Rollups.
func (db *DB) RollupSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := db.read.QueryRowContext(ctx, `SELECT seq FROM report_rollup_state WHERE id = 1`).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("rollup seq: %w", err)
	}
	return seq, nil
}

// rollupReadyIn is RollupReady in the transaction tx.
func rollupReadyIn(ctx context.Context, tx *sql.Tx) (bool, error) {
	var ready int
	err := tx.QueryRowContext(ctx, `SELECT ready FROM report_rollup_state WHERE id = 1`).Scan(&ready)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("rollup ready: %w", err)
	}
	return ready == 1, nil
}

// RebuildRollups implements report.Rollups, one department's parts in
// memory at a time, in one transaction (the map's cells too,
// rebuildMapCells), which holds the writer throughout
// (47 s for a million requests, docs/performance.md): the upgrade and a
// copy start with no parts and no cells instead, and keep them as the
// parts are worked out.
func (db *DB) RebuildRollups(ctx context.Context, build func(dept string, each func(fn func(report.PartRow) error) error) ([]report.CellRow, error)) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("rebuild rollups: %w", err)
	}
	defer tx.Rollback()
	if err := db.lockParts(ctx, tx); err != nil {
		return fmt.Errorf("rebuild rollups: %w", err)
	}
	if db.pg {
		// The map's rating cells are counted again below (rebuildMapCells),
		// with no rating written meanwhile; taken first, before any row
		// a rating's triggers also touch.
		if _, err := tx.ExecContext(ctx, `LOCK TABLE ratings IN SHARE MODE`); err != nil {
			return fmt.Errorf("rebuild rollups: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM report_cells`); err != nil {
		return fmt.Errorf("rebuild rollups: %w", err)
	}
	var depts []string
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT dept FROM report_parts`)
	if err != nil {
		return fmt.Errorf("rebuild rollups: %w", err)
	}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			rows.Close()
			return fmt.Errorf("rebuild rollups: %w", err)
		}
		depts = append(depts, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("rebuild rollups: %w", err)
	}
	for _, dept := range depts {
		cells, err := build(dept, func(fn func(report.PartRow) error) error {
			return eachPartRow(ctx, tx, `SELECT request_id, part, dept, apart, facts FROM report_parts WHERE dept = ? AND apart = 0`, []any{dept}, fn)
		})
		if err != nil {
			return fmt.Errorf("rebuild rollups: %w", err)
		}
		for _, c := range cells {
			if _, err := tx.ExecContext(ctx, `INSERT INTO report_cells (dept, level, kind, bucket, cell) VALUES (?, ?, ?, ?, ?)`,
				c.Dept, c.Level, c.Kind, c.Bucket.UnixMilli(), c.Cell); err != nil {
				return fmt.Errorf("rebuild rollups of %s: %w", dept, err)
			}
		}
	}
	if err := db.rebuildMapCells(ctx, tx, depts); err != nil {
		return fmt.Errorf("rebuild rollups: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO report_rollup_state (id, ready, seq) VALUES (1, 1, 0)
		ON CONFLICT (id) DO UPDATE SET ready = 1, seq = report_rollup_state.seq + 1`); err != nil {
		return fmt.Errorf("rebuild rollups: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("rebuild rollups: commit: %w", err)
	}
	return nil
}

// The advisory lock that report parts and their cells are written under on
// PostgreSQL: the two-key form with a class of its own (the surveys' class,
// key 'report_parts'), and the schema, so that installations in separate
// schemas do not wait on each other.
const partsLock = `SELECT pg_advisory_xact_lock(` + surveyLockClass + `, ('x' || substr(md5('report_parts' || current_schema()), 1, 8))::bit(32)::int)`

// lockParts makes writers of report parts and cells take turns in tx. On
// PostgreSQL every replica may refresh parts at once (serve's leader
// every minute, any report before it counts), and each cell is read,
// changed in Go and written back: under READ COMMITTED two of them would
// both start from the old cell and the later would undo the other's change
// (and, meeting cells in opposite orders, deadlock). SQLite's single
// writer already serialises them.
func (db *DB) lockParts(ctx context.Context, tx *sql.Tx) error {
	if !db.pg {
		return nil
	}
	if _, err := tx.ExecContext(ctx, partsLock); err != nil {
		return fmt.Errorf("lock report parts: %w", err)
	}
	return nil
}

// applyCellChanges makes the change of the parts removed and added to the
// cells, in SaveParts' transaction tx.
func applyCellChanges(ctx context.Context, tx *sql.Tx, removed, added []report.PartRow) error {
	ch, err := report.PartCellChanges(removed, added)
	if err != nil {
		return err
	}
	for _, k := range ch.Keys() {
		b := k.Bucket.UnixMilli()
		var old []byte
		err := tx.QueryRowContext(ctx, `SELECT cell FROM report_cells WHERE dept = ? AND level = ? AND kind = ? AND bucket = ?`,
			k.Dept, k.Level, k.Kind, b).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read cell: %w", err)
		}
		cell, err := ch.Apply(k, old)
		if err != nil {
			return err
		}
		if cell == nil {
			if old != nil {
				if _, err := tx.ExecContext(ctx, `DELETE FROM report_cells WHERE dept = ? AND level = ? AND kind = ? AND bucket = ?`,
					k.Dept, k.Level, k.Kind, b); err != nil {
					return fmt.Errorf("delete cell: %w", err)
				}
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_cells (dept, level, kind, bucket, cell) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (dept, level, kind, bucket) DO UPDATE SET cell = excluded.cell`, k.Dept, k.Level, k.Kind, b, cell); err != nil {
			return fmt.Errorf("write cell: %w", err)
		}
	}
	return nil
}

// EachCell implements report.Rollups.
func (db *DB) EachCell(ctx context.Context, dept string, level int, kinds []string, from, to time.Time, fn func(kind string, bucket time.Time, cell []byte) error) error {
	if len(kinds) == 0 || !from.Before(to) {
		return nil
	}
	args := []any{dept, level}
	for _, k := range kinds {
		args = append(args, k)
	}
	args = append(args, from.UnixMilli(), to.UnixMilli())
	rows, err := db.read.QueryContext(ctx, `SELECT kind, bucket, cell FROM report_cells
		WHERE dept = ? AND level = ? AND kind IN (`+placeholders(len(kinds))+`) AND bucket >= ? AND bucket < ?`, args...)
	if err != nil {
		return fmt.Errorf("cells of %s: %w", dept, err)
	}
	defer rows.Close()
	var kind string
	var bucket int64
	var cell sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&kind, &bucket, &cell); err != nil {
			return fmt.Errorf("cells of %s: %w", dept, err)
		}
		if err := fn(kind, time.UnixMilli(bucket).UTC(), cell); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cells of %s: %w", dept, err)
	}
	return nil
}

// EachPartApart implements report.Rollups: the running ones (most of
// those apart) by the end of each department's range of the primary key,
// read in order (a WHERE on apart would have SQLite look each up by
// report_parts_apart), those not apart kept when they began before
// runningBefore; the few ended from report_parts_apart, which holds their
// end.
func (db *DB) EachPartApart(ctx context.Context, depts []string, runningBefore time.Time, fn func(report.PartRow) error) error {
	if len(depts) == 0 {
		return nil
	}
	before := int64(math.MinInt64)
	if !runningBefore.IsZero() {
		before = runningBefore.UnixMilli()
	}
	for _, d := range depts {
		if err := eachRunningPart(ctx, db.read, d, before, fn); err != nil {
			return err
		}
	}
	return eachPartRow(ctx, db.read, `SELECT request_id, part, dept, apart, facts FROM report_parts`+db.indexedBy("report_parts_apart")+`
		WHERE dept IN (`+placeholders(len(depts))+`) AND apart = 1 AND end_key < ?`, append(strs(depts), int64(runningKey)), fn)
}

// eachRunningPart calls fn with each running part of dept counted apart,
// and each other that began before before.
func eachRunningPart(ctx context.Context, db querier, dept string, before int64, fn func(report.PartRow) error) error {
	rows, err := db.QueryContext(ctx, `SELECT request_id, part, apart, facts, start_at FROM report_parts
		WHERE dept = ? AND end_key = ?`, dept, int64(runningKey))
	if err != nil {
		return fmt.Errorf("parts: %w", err)
	}
	defer rows.Close()
	p := report.PartRow{Dept: dept}
	var apart int
	var start int64
	var facts sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&p.RequestID, &p.Part, &apart, &facts, &start); err != nil {
			return fmt.Errorf("parts: %w", err)
		}
		if apart != 1 && start >= before {
			continue
		}
		p.Apart, p.Facts = apart == 1, facts
		if err := fn(p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("parts: %w", err)
	}
	return nil
}

// EachPartSince implements report.Rollups, from report_parts_last.
func (db *DB) EachPartSince(ctx context.Context, depts []string, since time.Time, fn func(report.PartRow) error) error {
	if len(depts) == 0 {
		return nil
	}
	return eachPartRow(ctx, db.read, `SELECT request_id, part, dept, apart, facts FROM report_parts`+db.indexedBy("report_parts_last")+`
		WHERE dept IN (`+placeholders(len(depts))+`) AND last_at >= ? AND apart = 0`, append(strs(depts), since.UnixMilli()), fn)
}

// LatestPart implements report.Rollups, from report_parts_last.
func (db *DB) LatestPart(ctx context.Context, depts []string) (time.Time, error) {
	var latest time.Time
	for _, d := range depts {
		var ms sql.NullInt64
		if err := db.read.QueryRowContext(ctx, `SELECT max(last_at) FROM report_parts`+db.indexedBy("report_parts_last")+` WHERE dept = ?`, d).Scan(&ms); err != nil {
			return time.Time{}, fmt.Errorf("latest part of %s: %w", d, err)
		}
		if ms.Valid {
			if t := time.UnixMilli(ms.Int64).UTC(); t.After(latest) {
				latest = t
			}
		}
	}
	return latest, nil
}

// LowRatingsOf implements report.Rollups.
func (db *DB) LowRatingsOf(ctx context.Context, ids []string) (map[string][]bot.Rating, error) {
	out := map[string][]bot.Rating{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		rows, err := db.read.QueryContext(ctx, `SELECT request_id, dept, asked_at FROM ratings
			WHERE request_id IN (`+placeholders(n)+`) AND score IN (1, 2)`, strs(ids[:n])...)
		if err != nil {
			return nil, fmt.Errorf("low ratings of requests: %w", err)
		}
		for rows.Next() {
			var r bot.Rating
			var asked int64
			if err := rows.Scan(&r.RequestID, &r.Dept, &asked); err != nil {
				rows.Close()
				return nil, fmt.Errorf("low ratings of requests: %w", err)
			}
			r.AskedAt = time.UnixMilli(asked).UTC()
			out[r.RequestID] = append(out[r.RequestID], r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("low ratings of requests: %w", err)
		}
		ids = ids[n:]
	}
	return out, nil
}

// eachPartRow runs q, which selects request_id, part, dept, apart and
// facts, and calls fn with each row; Facts is valid during the call only.
func eachPartRow(ctx context.Context, db querier, q string, args []any, fn func(report.PartRow) error) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("parts: %w", err)
	}
	defer rows.Close()
	var p report.PartRow
	var apart int
	var facts sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&p.RequestID, &p.Part, &p.Dept, &apart, &facts); err != nil {
			return fmt.Errorf("parts: %w", err)
		}
		p.Apart, p.Facts = apart == 1, facts
		if err := fn(p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("parts: %w", err)
	}
	return nil
}

func strs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// RatingScores implements report.Rollups, from report_rating_cells.
func (db *DB) RatingScores(ctx context.Context, dept string, level int, from, to time.Time) (report.Scores, error) {
	var s report.Scores
	if !from.Before(to) {
		return s, nil
	}
	var n [6]sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT sum(asked), sum(s1), sum(s2), sum(s3), sum(s4), sum(s5) FROM report_rating_cells
		WHERE dept = ? AND level = ? AND bucket >= ? AND bucket < ?`, dept, level, from.UnixMilli(), to.UnixMilli()).
		Scan(&n[0], &n[1], &n[2], &n[3], &n[4], &n[5])
	if err != nil {
		return s, fmt.Errorf("rating cells of %s: %w", dept, err)
	}
	s.Asked = int(n[0].Int64)
	for i := range s.Dist {
		s.Dist[i] = int(n[i+1].Int64)
		s.Answered += s.Dist[i]
	}
	return s, nil
}
