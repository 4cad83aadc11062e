package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

// The parts of requests as figures count them (report_parts, migration
// 0024): bot/report works them out and encodes them; the store keeps them,
// marks requests stale in the transaction that changes them (triggers on
// requests), and reads a period's parts as one range of the table.

var (
	_ report.PartRows      = (*DB)(nil)
	_ report.RatingFigures = (*DB)(nil)
)

// runningKey is end_key of a part still running.
const runningKey = math.MaxInt64

// StaleRequests implements report.PartRows.
func (db *DB) StaleRequests(ctx context.Context, limit int) ([]report.StaleMark, []*bot.Request, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, fmt.Errorf("stale requests: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT request_id, version, seq FROM report_stale ORDER BY request_id LIMIT ?`, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("stale requests: %w", err)
	}
	var marks []report.StaleMark
	for rows.Next() {
		var m report.StaleMark
		if err := rows.Scan(&m.RequestID, &m.Version, &m.Seq); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("stale requests: %w", err)
		}
		marks = append(marks, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("stale requests: %w", err)
	}
	if len(marks) == 0 {
		return nil, nil, nil
	}
	args := make([]any, len(marks))
	for i, m := range marks {
		args[i] = m.RequestID
	}
	rows, err = tx.QueryContext(ctx, `SELECT `+reportColumns+` FROM requests WHERE id IN (?`+strings.Repeat(",?", len(args)-1)+`)`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("stale requests: %w", err)
	}
	defer rows.Close()
	var rs []*bot.Request
	for rows.Next() {
		r, err := scanReportRow(rows)
		if err != nil {
			return nil, nil, fmt.Errorf("stale requests: %w", err)
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("stale requests: %w", err)
	}
	return marks, rs, nil
}

// SaveParts implements report.PartRows, in one transaction, which also
// takes the replaced parts out of the cells and puts the new ones in
// (report.Rollups), once the cells are ready.
func (db *DB) SaveParts(ctx context.Context, done []report.StaleMark, parts []report.PartRow) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("save parts: %w", err)
	}
	defer tx.Rollback()
	if err := db.lockParts(ctx, tx); err != nil {
		return fmt.Errorf("save parts: %w", err)
	}
	cells, err := rollupReadyIn(ctx, tx)
	if err != nil {
		return fmt.Errorf("save parts: %w", err)
	}
	var removed, added []report.PartRow
	moved := false
	// The insert is prepared once (db.txQueryRow): a store's first
	// catch-up saves the parts of every request, and parsing it again for
	// each was a large share of serve's CPU meanwhile, while acks waited.
	for _, m := range done {
		// Parts worked out from a later version (by another report
		// meanwhile) stay; older ones go.
		err := eachPartRow(ctx, tx, `DELETE FROM report_parts WHERE request_id = ? AND version <= ?
			RETURNING request_id, part, dept, apart, facts`, []any{m.RequestID, m.Version}, func(p report.PartRow) error {
			if cells {
				p.Facts = append([]byte(nil), p.Facts...)
				removed = append(removed, p)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("save parts of %s: %w", m.RequestID, err)
		}
		// A mark made again meanwhile (seq moved on) stays for the next.
		if _, err := db.txExec(ctx, tx, `DELETE FROM report_stale WHERE request_id = ? AND seq = ?`, m.RequestID, m.Seq); err != nil {
			return fmt.Errorf("save parts of %s: %w", m.RequestID, err)
		}
	}
	for _, p := range parts {
		end := int64(runningKey)
		if !p.End.IsZero() {
			end = p.End.UnixMilli()
		}
		var part int
		err := db.txQueryRow(ctx, tx, `INSERT INTO report_parts (dept, end_key, request_id, part, start_at, version, facts, apart, last_at)
			SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM report_parts WHERE request_id = ? AND version > ?)
			ON CONFLICT DO NOTHING RETURNING part`,
			p.Dept, end, p.RequestID, p.Part, p.Start.UnixMilli(), p.Version, p.Facts, boolInt(p.Apart), p.LastAt.UnixMilli(),
			p.RequestID, p.Version).Scan(&part)
		switch {
		case errors.Is(err, sql.ErrNoRows): // a later version's parts stay
		case err != nil:
			return fmt.Errorf("save part %d of %s: %w", p.Part, p.RequestID, err)
		case cells:
			added = append(added, p)
		}
	}
	if cells {
		if err := applyCellChanges(ctx, tx, removed, added); err != nil {
			return fmt.Errorf("save parts: %w", err)
		}
		ids := make([]string, len(done))
		for i, m := range done {
			ids[i] = m.RequestID
		}
		lateMoved, err := db.keepMapCells(ctx, tx, ids, removed, added)
		if err != nil {
			return fmt.Errorf("save parts: %w", err)
		}
		moved = lateMoved || !sameParts(removed, added)
	}
	if moved {
		// A figure reading meanwhile reads again (RollupSeq): a part
		// moved into the cells or out of them (or the map's late ratings
		// with it) would be counted twice or not at all. Parts saved
		// again as they were (two refreshers on the same marks) move
		// nothing.
		if _, err := db.txExec(ctx, tx, `UPDATE report_rollup_state SET seq = seq + 1 WHERE id = 1`); err != nil {
			return fmt.Errorf("save parts: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save parts: commit: %w", err)
	}
	return nil
}

// sameParts says whether removed and added hold the same parts, facts
// and all, in any order.
func sameParts(removed, added []report.PartRow) bool {
	if len(removed) != len(added) {
		return false
	}
	key := func(p report.PartRow) string {
		return fmt.Sprintf("%s\x00%d\x00%t\x00%s\x00%s", p.RequestID, p.Part, p.Apart, p.Dept, p.Facts)
	}
	n := map[string]int{}
	for _, p := range removed {
		n[key(p)]++
	}
	for _, p := range added {
		k := key(p)
		if n[k] == 0 {
			return false
		}
		n[k]--
	}
	return true
}

// PartStandards implements report.PartRows.
func (db *DB) PartStandards(ctx context.Context) (map[string]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT dept, fingerprint FROM report_standards`)
	if err != nil {
		return nil, fmt.Errorf("part standards: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var dept, fp string
		if err := rows.Scan(&dept, &fp); err != nil {
			return nil, fmt.Errorf("part standards: %w", err)
		}
		out[dept] = fp
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("part standards: %w", err)
	}
	return out, nil
}

// standardMarkBatch is how many of a department's parts one transaction
// of SetPartStandard marks: a department's whole history at once held the
// writer for seconds at a million requests, and acks waiting on it failed.
var standardMarkBatch = 2000

// SetPartStandard implements report.PartRows: it marks the department's
// parts in transactions of standardMarkBatch, walking them in the order
// of the table's key, and records the fingerprint last, so that a start
// stopped halfway marks them again.
func (db *DB) SetPartStandard(ctx context.Context, dept, fingerprint string) error {
	endKey, after := int64(math.MinInt64), ""
	for {
		n, lastEnd, lastID, err := db.markPartsOf(ctx, dept, endKey, after)
		if err != nil {
			return fmt.Errorf("set part standard of %s: %w", dept, err)
		}
		if n < standardMarkBatch {
			break
		}
		endKey, after = lastEnd, lastID
	}
	if _, err := db.writeExec(ctx, `INSERT INTO report_standards (dept, fingerprint) VALUES (?, ?)
		ON CONFLICT (dept) DO UPDATE SET fingerprint = excluded.fingerprint`, dept, fingerprint); err != nil {
		return fmt.Errorf("set part standard of %s: %w", dept, err)
	}
	return nil
}

// markPartsOf marks stale the requests of up to standardMarkBatch of
// dept's parts after (endKey, after) in key order, in one transaction, and
// returns how many parts it read and the key of the last.
func (db *DB) markPartsOf(ctx context.Context, dept string, endKey int64, after string) (n int, lastEnd int64, lastID string, err error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, 0, "", err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT end_key, request_id FROM report_parts
		WHERE dept = ? AND (end_key > ? OR (end_key = ? AND request_id > ?))
		ORDER BY end_key, request_id LIMIT ?`, dept, endKey, endKey, after, standardMarkBatch)
	if err != nil {
		return 0, 0, "", err
	}
	var ids []any
	for rows.Next() {
		if err := rows.Scan(&lastEnd, &lastID); err != nil {
			rows.Close()
			return 0, 0, "", err
		}
		ids = append(ids, lastID)
	}
	if err := rows.Close(); err != nil {
		return 0, 0, "", err
	}
	if err := rows.Err(); err != nil {
		return 0, 0, "", err
	}
	if len(ids) > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_stale (request_id, version)
			SELECT id, version FROM requests WHERE id IN (`+placeholders(len(ids))+`)
			ON CONFLICT (request_id) DO UPDATE SET version = excluded.version, seq = report_stale.seq + 1`, ids...); err != nil {
			return 0, 0, "", err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, "", fmt.Errorf("commit: %w", err)
	}
	return len(ids), lastEnd, lastID, nil
}

// EachPart implements report.PartRows: one range of the table for each
// department, in the order of the parts' ends.
func (db *DB) EachPart(ctx context.Context, depts []string, from, to time.Time, fn func(report.PartRow) error) error {
	if len(depts) == 0 {
		return nil
	}
	var args []any
	for _, d := range depts {
		args = append(args, d)
	}
	args = append(args, from.UnixMilli(), to.UnixMilli())
	rows, err := db.read.QueryContext(ctx, `SELECT request_id, part, dept, facts FROM report_parts
		WHERE dept IN (`+placeholders(len(depts))+`) AND end_key >= ? AND start_at < ?`, args...)
	if err != nil {
		return fmt.Errorf("parts of a period: %w", err)
	}
	defer rows.Close()
	var p report.PartRow
	var facts sql.RawBytes // valid until the next row: fn decodes it at once
	for rows.Next() {
		if err := rows.Scan(&p.RequestID, &p.Part, &p.Dept, &facts); err != nil {
			return fmt.Errorf("parts of a period: %w", err)
		}
		p.Facts = facts
		if err := fn(p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("parts of a period: %w", err)
	}
	return nil
}

// EachRatingFigure implements report.RatingFigures, from the
// ratings_figures index alone.
func (db *DB) EachRatingFigure(ctx context.Context, from, to time.Time, fn func(bot.Rating) error) error {
	f, t := bounds(from, to)
	rows, err := db.read.QueryContext(ctx, `SELECT asked_at, dept, skipped, score, request_id, requester FROM ratings
		WHERE asked_at >= ? AND asked_at < ?`, f, t)
	if err != nil {
		return fmt.Errorf("ratings of a period: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r bot.Rating
		var asked int64
		var score sql.NullInt64
		if err := rows.Scan(&asked, &r.Dept, &r.Skipped, &score, &r.RequestID, &r.Requester); err != nil {
			return fmt.Errorf("ratings of a period: %w", err)
		}
		r.AskedAt, r.Score = time.UnixMilli(asked).UTC(), int(score.Int64)
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("ratings of a period: %w", err)
	}
	return nil
}

// isReportPartsTable says whether a table holds parts or their marks,
// which copy and checksums leave out: they are worked out again from the
// data, never copied.
func isReportPartsTable(name string) bool {
	return name == "report_parts" || name == "report_stale" || name == "report_standards" ||
		name == "report_cells" || name == "report_rollup_state" || name == "report_rating_cells" || isMapCellsTable(name)
}

// resetReportParts forgets the parts and cells of a database (just filled
// by copy, or at an operator's rebuild) and marks every request stale, in
// its transaction tx: no parts and no cells agree, and the cells are kept
// as the parts are worked out again.
func resetReportParts(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{`DELETE FROM report_parts`, `DELETE FROM report_standards`, `DELETE FROM report_stale`,
		`DELETE FROM report_cells`,
		// seq moves on (a figure reading meanwhile reads again), never back.
		`INSERT INTO report_rollup_state (id, ready, seq) VALUES (1, 1, 0) ON CONFLICT (id) DO UPDATE SET ready = 1, seq = report_rollup_state.seq + 1`,
		`INSERT INTO report_stale (request_id, version) SELECT id, version FROM requests`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("reset report parts: %w", err)
		}
	}
	return resetMapCells(ctx, tx)
}

// recountRatingCells counts the ratings' cells (the scorecards' and the
// map's) afresh from the ratings, in tx. They are kept by triggers on
// ratings, not from the parts, so this needs no part of resetReportParts'
// transaction; on PostgreSQL, where a rating written meanwhile would have
// its trigger's change land on a row deleted here, the caller holds the
// ratings in SHARE mode first.
func recountRatingCells(ctx context.Context, tx *sql.Tx, pg bool) error {
	recount := `INSERT INTO report_rating_cells (dept, level, bucket, asked, s1, s2, s3, s4, s5)
		SELECT dept, level, asked_at - asked_at % span, count(*), sum(coalesce(score, 0) = 1), sum(coalesce(score, 0) = 2),
			sum(coalesce(score, 0) = 3), sum(coalesce(score, 0) = 4), sum(coalesce(score, 0) = 5)
		FROM ratings, (SELECT 0 AS level, 900000 AS span UNION ALL SELECT 1, 86400000)
		WHERE skipped = ''
		GROUP BY dept, level, asked_at - asked_at % span`
	if pg {
		recount = `INSERT INTO report_rating_cells (dept, level, bucket, asked, s1, s2, s3, s4, s5)
			SELECT r.dept, l.level, r.asked_at - r.asked_at % l.span, count(*),
				count(*) FILTER (WHERE r.score = 1), count(*) FILTER (WHERE r.score = 2), count(*) FILTER (WHERE r.score = 3),
				count(*) FILTER (WHERE r.score = 4), count(*) FILTER (WHERE r.score = 5)
			FROM ratings r, (VALUES (0, 900000::bigint), (1, 86400000::bigint)) AS l (level, span)
			WHERE r.skipped = ''
			GROUP BY r.dept, l.level, r.asked_at - r.asked_at % l.span`
	}
	for _, q := range append([]string{`DELETE FROM report_rating_cells`, recount,
		`DELETE FROM report_map_rating_cells`, `DELETE FROM report_map_requester_rating_cells`}, recountMapRatingCells(pg)...) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("recount rating cells: %w", err)
		}
	}
	return nil
}
