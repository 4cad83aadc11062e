package store

import (
	"context"
	"fmt"
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

// RollupCellsForTest returns every row of report_cells and of
// report_rating_cells (all-zero rows left out), each as a line, and the
// rating cells as counted afresh from the ratings.
func RollupCellsForTest(db *DB) (cells, ratingCells, recounted []string, err error) {
	ctx := context.Background()
	lines := func(q string) ([]string, error) {
		rows, err := db.read.QueryContext(ctx, q)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		var out []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return nil, err
			}
			out = append(out, fmt.Sprintf("%v", vals))
		}
		return out, rows.Err()
	}
	if cells, err = lines(`SELECT dept, level, kind, bucket, cell FROM report_cells ORDER BY dept, level, kind, bucket`); err != nil {
		return nil, nil, nil, err
	}
	if ratingCells, err = lines(`SELECT dept, level, bucket, asked, s1, s2, s3, s4, s5 FROM report_rating_cells
		WHERE asked != 0 OR s1 != 0 OR s2 != 0 OR s3 != 0 OR s4 != 0 OR s5 != 0 ORDER BY dept, level, bucket`); err != nil {
		return nil, nil, nil, err
	}
	recounted, err = lines(`SELECT dept, level, bucket, asked, s1, s2, s3, s4, s5 FROM (
		SELECT dept, 0 AS level, asked_at - asked_at % 900000 AS bucket, count(*) AS asked,
			sum(CASE WHEN score = 1 THEN 1 ELSE 0 END) AS s1, sum(CASE WHEN score = 2 THEN 1 ELSE 0 END) AS s2,
			sum(CASE WHEN score = 3 THEN 1 ELSE 0 END) AS s3, sum(CASE WHEN score = 4 THEN 1 ELSE 0 END) AS s4,
			sum(CASE WHEN score = 5 THEN 1 ELSE 0 END) AS s5
		FROM ratings WHERE skipped = '' GROUP BY dept, asked_at - asked_at % 900000
		UNION ALL
		SELECT dept, 1, asked_at - asked_at % 86400000, count(*),
			sum(CASE WHEN score = 1 THEN 1 ELSE 0 END), sum(CASE WHEN score = 2 THEN 1 ELSE 0 END),
			sum(CASE WHEN score = 3 THEN 1 ELSE 0 END), sum(CASE WHEN score = 4 THEN 1 ELSE 0 END),
			sum(CASE WHEN score = 5 THEN 1 ELSE 0 END)
		FROM ratings WHERE skipped = '' GROUP BY dept, asked_at - asked_at % 86400000) AS c
		ORDER BY dept, level, bucket`)
	return cells, ratingCells, recounted, err
}
