package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

// The map's cells (report_map_cells, report_map_rating_cells and
// report_map_late, migration 0029; the unstamped requesters' own in
// report_map_requester_cells and report_map_requester_rating_cells,
// 0032): bot/report says what each part adds to which map cell and
// encodes them; the store keeps them in step with report_parts in
// SaveParts' transaction (under lockParts on PostgreSQL), the ratings' by
// triggers, and rebuilds them with the other cells. A cell of customer
// "u:" and a requester is kept in the requesters' tables, any other in
// report_map_cells.

var _ report.MapCells = (*DB)(nil)

// isMapCellsTable says whether a table holds the map's cells, which copy
// and checksums leave out as they leave the parts.
func isMapCellsTable(name string) bool {
	return name == "report_map_cells" || name == "report_map_rating_cells" || name == "report_map_late" ||
		name == "report_map_requester_cells" || name == "report_map_requester_rating_cells"
}

// mapCustomerSQL is report.MapCustomer of a ratings row r and its request
// q (LEFT JOINed).
const mapCustomerSQL = `CASE WHEN coalesce(q.requester_dept, '') != '' THEN 'd:' || q.requester_dept ELSE 'u:' || r.requester END`

// recountMapRatingCells counts the ratings' map cells afresh from the
// ratings, into empty report_map_rating_cells and
// report_map_requester_rating_cells: each stamped department's, all
// unstamped requesters' together (report.MapUnstamped) and each's own.
func recountMapRatingCells(pg bool) []string {
	counts := `count(*), sum(coalesce(r.score, 0) = 1), sum(coalesce(r.score, 0) = 2),
			sum(coalesce(r.score, 0) = 3), sum(coalesce(r.score, 0) = 4), sum(coalesce(r.score, 0) = 5)
		FROM ratings r LEFT JOIN requests q ON q.id = r.request_id, (SELECT 0 AS level, 900000 AS span UNION ALL SELECT 1, 86400000) l`
	if pg {
		counts = `count(*), count(*) FILTER (WHERE r.score = 1), count(*) FILTER (WHERE r.score = 2), count(*) FILTER (WHERE r.score = 3),
				count(*) FILTER (WHERE r.score = 4), count(*) FILTER (WHERE r.score = 5)
			FROM ratings r LEFT JOIN requests q ON q.id = r.request_id, (VALUES (0, 900000::bigint), (1, 86400000::bigint)) AS l (level, span)`
	}
	return []string{
		`INSERT INTO report_map_rating_cells (dept, level, bucket, customer, asked, s1, s2, s3, s4, s5)
		SELECT r.dept, l.level, r.asked_at - r.asked_at % l.span,
			CASE WHEN coalesce(q.requester_dept, '') != '' THEN 'd:' || q.requester_dept ELSE '` + report.MapUnstamped + `' END, ` + counts + `
		WHERE r.skipped = ''
		GROUP BY 1, 2, 3, 4`,
		`INSERT INTO report_map_requester_rating_cells (requester, level, bucket, dept, asked, s1, s2, s3, s4, s5)
		SELECT r.requester, l.level, r.asked_at - r.asked_at % l.span, r.dept, ` + counts + `
		WHERE r.skipped = '' AND coalesce(q.requester_dept, '') = ''
		GROUP BY 1, 2, 3, 4`,
	}
}

// lateRatingsSQL selects the late ratings (report.MapCells.EachLateRating)
// of the requests where says, by the stored parts.
const lateRatingsSQL = `INSERT INTO report_map_late (request_id, round, asked_at)
	SELECT r.request_id, r.round, r.asked_at FROM ratings r JOIN requests q ON q.id = r.request_id
	WHERE r.skipped = '' AND q.requester_dept != '' AND NOT EXISTS (SELECT 1 FROM report_parts p
		WHERE p.request_id = r.request_id AND p.dept = r.dept AND p.start_at <= r.asked_at AND p.end_key >= r.asked_at)`

// resetMapCells empties the map's cells and late ratings, in the
// transaction tx (the parts are worked out again, and their cells kept,
// from none); recountRatingCells counts the ratings' cells.
func resetMapCells(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{`DELETE FROM report_map_cells`, `DELETE FROM report_map_requester_cells`, `DELETE FROM report_map_late`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("reset map cells: %w", err)
		}
	}
	return nil
}

// rebuildMapCells makes the map's cells afresh from the stored parts and
// the ratings, in RebuildRollups' transaction tx.
func (db *DB) rebuildMapCells(ctx context.Context, tx *sql.Tx, depts []string) error {
	if err := resetMapCells(ctx, tx); err != nil {
		return err
	}
	for _, q := range append([]string{`DELETE FROM report_map_rating_cells`, `DELETE FROM report_map_requester_rating_cells`}, recountMapRatingCells(db.pg)...) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("rebuild map cells: %w", err)
		}
	}
	for _, dept := range depts {
		cells, err := report.BuildMapCells(dept, func(fn func(report.PartRow) error) error {
			return eachPartRow(ctx, tx, `SELECT request_id, part, dept, apart, facts FROM report_parts WHERE dept = ? AND apart = 0`, []any{dept}, fn)
		})
		if err != nil {
			return err
		}
		for _, c := range cells {
			q, args := `INSERT INTO report_map_cells (dept, level, bucket, customer, cell) VALUES (?, ?, ?, ?, ?)`,
				[]any{c.Dept, c.Level, c.Bucket.UnixMilli(), c.Customer, c.Cell}
			if u, ok := requesterOf(c.Customer); ok {
				q, args = `INSERT INTO report_map_requester_cells (requester, level, bucket, dept, cell) VALUES (?, ?, ?, ?, ?)`,
					[]any{u, c.Level, c.Bucket.UnixMilli(), c.Dept, c.Cell}
			}
			if _, err := db.txExec(ctx, tx, q, args...); err != nil {
				return fmt.Errorf("map cells of %s: %w", dept, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, lateRatingsSQL); err != nil {
		return fmt.Errorf("late ratings: %w", err)
	}
	return nil
}

// keepMapCells makes the change of the parts removed and added to the map
// cells, and finds the late ratings of the requests ids again, in
// SaveParts' transaction tx.
func (db *DB) keepMapCells(ctx context.Context, tx *sql.Tx, ids []string, removed, added []report.PartRow) (lateMoved bool, err error) {
	ch, err := report.PartMapCellChanges(removed, added)
	if err != nil {
		return false, err
	}
	for _, k := range ch.Keys() {
		b := k.Bucket.UnixMilli()
		read, del, write := `SELECT cell FROM report_map_cells WHERE dept = ? AND level = ? AND bucket = ? AND customer = ?`,
			`DELETE FROM report_map_cells WHERE dept = ? AND level = ? AND bucket = ? AND customer = ?`,
			`INSERT INTO report_map_cells (dept, level, bucket, customer, cell) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (dept, level, bucket, customer) DO UPDATE SET cell = excluded.cell`
		key := []any{k.Dept, k.Level, b, k.Customer}
		if u, ok := requesterOf(k.Customer); ok {
			read, del, write = `SELECT cell FROM report_map_requester_cells WHERE requester = ? AND level = ? AND bucket = ? AND dept = ?`,
				`DELETE FROM report_map_requester_cells WHERE requester = ? AND level = ? AND bucket = ? AND dept = ?`,
				`INSERT INTO report_map_requester_cells (requester, level, bucket, dept, cell) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (requester, level, bucket, dept) DO UPDATE SET cell = excluded.cell`
			key = []any{u, k.Level, b, k.Dept}
		}
		var old []byte
		err := db.txQueryRow(ctx, tx, read, key...).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return false, fmt.Errorf("read map cell: %w", err)
		}
		cell, err := ch.Apply(k, old)
		if err != nil {
			return false, err
		}
		if cell == nil {
			if old != nil {
				if _, err := db.txExec(ctx, tx, del, key...); err != nil {
					return false, fmt.Errorf("delete map cell: %w", err)
				}
			}
			continue
		}
		if _, err := db.txExec(ctx, tx, write, append(key, cell)...); err != nil {
			return false, fmt.Errorf("write map cell: %w", err)
		}
	}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		in := `(` + placeholders(n) + `)`
		// Any late rating found again counts as moved (they are few): a
		// map reading meanwhile reads again.
		for _, q := range []string{`DELETE FROM report_map_late WHERE request_id IN ` + in, lateRatingsSQL + ` AND r.request_id IN ` + in} {
			res, err := tx.ExecContext(ctx, q, strs(ids[:n])...)
			if err != nil {
				return false, fmt.Errorf("late ratings: %w", err)
			}
			if k, err := res.RowsAffected(); err != nil || k > 0 {
				lateMoved = true
			}
		}
		ids = ids[n:]
	}
	return lateMoved, nil
}

// EachMapCell implements report.MapCells.
func (db *DB) EachMapCell(ctx context.Context, dept string, level int, from, to time.Time, fn func(customer string, cell []byte) error) error {
	if !from.Before(to) {
		return nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT customer, cell FROM report_map_cells
		WHERE dept = ? AND level = ? AND bucket >= ? AND bucket < ?`, dept, level, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return fmt.Errorf("map cells of %s: %w", dept, err)
	}
	defer rows.Close()
	var customer string
	var cell sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&customer, &cell); err != nil {
			return fmt.Errorf("map cells of %s: %w", dept, err)
		}
		if err := fn(customer, cell); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("map cells of %s: %w", dept, err)
	}
	return nil
}

// requesterOf returns the requester of a map cell's customer "u:" and
// the requester, kept in the requesters' tables.
func requesterOf(customer string) (string, bool) {
	if len(customer) >= 2 && customer[:2] == "u:" {
		return customer[2:], true
	}
	return "", false
}

// eachRequesterBatch calls fn with the requesters a few hundred at a
// time, as placeholders and arguments.
func eachRequesterBatch(requesters []string, fn func(in string, args []any) error) error {
	for len(requesters) > 0 {
		n := min(len(requesters), 500)
		if err := fn(`(`+placeholders(n)+`)`, strs(requesters[:n])); err != nil {
			return err
		}
		requesters = requesters[n:]
	}
	return nil
}

// EachRequesterMapCell implements report.MapCells, from
// report_map_requester_cells.
func (db *DB) EachRequesterMapCell(ctx context.Context, requesters []string, level int, from, to time.Time, fn func(requester string, k report.MapCellKey, cell []byte) error) error {
	if !from.Before(to) {
		return nil
	}
	return eachRequesterBatch(requesters, func(in string, args []any) error {
		rows, err := db.read.QueryContext(ctx, `SELECT requester, bucket, dept, cell FROM report_map_requester_cells
			WHERE requester IN `+in+` AND level = ? AND bucket >= ? AND bucket < ?`, append(args, level, from.UnixMilli(), to.UnixMilli())...)
		if err != nil {
			return fmt.Errorf("requesters' map cells: %w", err)
		}
		defer rows.Close()
		var u string
		k := report.MapCellKey{Level: level}
		var b int64
		var cell sql.RawBytes
		for rows.Next() {
			if err := rows.Scan(&u, &b, &k.Dept, &cell); err != nil {
				return fmt.Errorf("requesters' map cells: %w", err)
			}
			k.Customer, k.Bucket = "u:"+u, time.UnixMilli(b).UTC()
			if err := fn(u, k, cell); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("requesters' map cells: %w", err)
		}
		return nil
	})
}

// EachRequesterMapRating implements report.MapCells, from
// report_map_requester_rating_cells.
func (db *DB) EachRequesterMapRating(ctx context.Context, requesters []string, level int, from, to time.Time, fn func(requester string, k report.MapCellKey, s report.Scores) error) error {
	if !from.Before(to) {
		return nil
	}
	return eachRequesterBatch(requesters, func(in string, args []any) error {
		rows, err := db.read.QueryContext(ctx, `SELECT requester, bucket, dept, asked, s1, s2, s3, s4, s5 FROM report_map_requester_rating_cells
			WHERE requester IN `+in+` AND level = ? AND bucket >= ? AND bucket < ?`, append(args, level, from.UnixMilli(), to.UnixMilli())...)
		if err != nil {
			return fmt.Errorf("requesters' map rating cells: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var u string
			k := report.MapCellKey{Level: level}
			var b int64
			var n [6]int64
			if err := rows.Scan(&u, &b, &k.Dept, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5]); err != nil {
				return fmt.Errorf("requesters' map rating cells: %w", err)
			}
			k.Customer, k.Bucket = "u:"+u, time.UnixMilli(b).UTC()
			if err := fn(u, k, scoresOf(n)); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("requesters' map rating cells: %w", err)
		}
		return nil
	})
}

// scoresOf is the Scores of a rating cell's counts: asked, then the 1s to
// the 5s.
func scoresOf(n [6]int64) report.Scores {
	s := report.Scores{Asked: int(n[0])}
	for i := range s.Dist {
		s.Dist[i] = int(n[i+1])
		s.Answered += s.Dist[i]
	}
	return s
}

// MapRatingScores implements report.MapCells, from report_map_rating_cells.
func (db *DB) MapRatingScores(ctx context.Context, dept string, level int, from, to time.Time) (map[string]report.Scores, error) {
	out := map[string]report.Scores{}
	if !from.Before(to) {
		return out, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT customer, sum(asked), sum(s1), sum(s2), sum(s3), sum(s4), sum(s5) FROM report_map_rating_cells
		WHERE dept = ? AND level = ? AND bucket >= ? AND bucket < ? GROUP BY customer`, dept, level, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("map rating cells of %s: %w", dept, err)
	}
	defer rows.Close()
	for rows.Next() {
		var customer string
		var n [6]int64
		if err := rows.Scan(&customer, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5]); err != nil {
			return nil, fmt.Errorf("map rating cells of %s: %w", dept, err)
		}
		out[customer] = scoresOf(n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("map rating cells of %s: %w", dept, err)
	}
	return out, nil
}

// EachMapRating implements report.MapCells.
func (db *DB) EachMapRating(ctx context.Context, from, to time.Time, fn func(customer string, r bot.Rating) error) error {
	rows, err := db.read.QueryContext(ctx, `SELECT r.request_id, r.requester, r.dept, r.asked_at, r.skipped, r.score, `+mapCustomerSQL+`
		FROM ratings r LEFT JOIN requests q ON q.id = r.request_id WHERE r.asked_at >= ? AND r.asked_at < ?`, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return fmt.Errorf("map ratings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r bot.Rating
		var asked int64
		var score sql.NullInt64
		var customer string
		if err := rows.Scan(&r.RequestID, &r.Requester, &r.Dept, &asked, &r.Skipped, &score, &customer); err != nil {
			return fmt.Errorf("map ratings: %w", err)
		}
		r.AskedAt, r.Score = time.UnixMilli(asked).UTC(), int(score.Int64)
		if err := fn(customer, r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("map ratings: %w", err)
	}
	return nil
}

// EachLateRating implements report.MapCells, from report_map_late and
// each late rating's request's parts.
func (db *DB) EachLateRating(ctx context.Context, from, to time.Time, fn func(customer string, r bot.Rating, parts []report.PartSpan) error) error {
	rows, err := db.read.QueryContext(ctx, `SELECT r.request_id, r.round, r.requester, r.dept, r.asked_at, r.skipped, r.score, q.requester_dept,
			p.dept, p.start_at, p.end_key
		FROM report_map_late l JOIN ratings r ON r.request_id = l.request_id AND r.round = l.round
			JOIN requests q ON q.id = l.request_id LEFT JOIN report_parts p ON p.request_id = l.request_id
		WHERE l.asked_at >= ? AND l.asked_at < ? AND r.skipped = '' AND q.requester_dept != ''
		ORDER BY r.request_id, r.round`, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return fmt.Errorf("late ratings: %w", err)
	}
	defer rows.Close()
	var cur bot.Rating
	var curRound int
	var customer string
	var parts []report.PartSpan
	flush := func() error {
		if cur.RequestID == "" {
			return nil
		}
		return fn(customer, cur, parts)
	}
	for rows.Next() {
		var r bot.Rating
		var asked int64
		var round int
		var score, start, end sql.NullInt64
		var stamped string
		var dept sql.NullString
		if err := rows.Scan(&r.RequestID, &round, &r.Requester, &r.Dept, &asked, &r.Skipped, &score, &stamped, &dept, &start, &end); err != nil {
			return fmt.Errorf("late ratings: %w", err)
		}
		if r.RequestID != cur.RequestID || round != curRound {
			if err := flush(); err != nil {
				return err
			}
			r.AskedAt, r.Score = time.UnixMilli(asked).UTC(), int(score.Int64)
			cur, curRound, customer, parts = r, round, report.MapCustomer(stamped, r.Requester), nil
		}
		if dept.Valid {
			p := report.PartSpan{Dept: dept.String, Start: time.UnixMilli(start.Int64).UTC()}
			if end.Int64 != int64(runningKey) {
				p.End = time.UnixMilli(end.Int64).UTC()
			}
			parts = append(parts, p)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("late ratings: %w", err)
	}
	return flush()
}
