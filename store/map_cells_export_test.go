package store

import (
	"context"
	"fmt"
)

// MapCellsForTest returns every row of report_map_cells and
// report_map_requester_cells, of report_map_rating_cells and
// report_map_requester_rating_cells (all-zero rows left out) and of
// report_map_late, each as a line.
func MapCellsForTest(db *DB) (cells, ratingCells, late []string, err error) {
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
	if cells, err = lines(`SELECT dept, level, bucket, customer, cell FROM report_map_cells
		UNION ALL SELECT dept, level, bucket, 'u:' || requester, cell FROM report_map_requester_cells ORDER BY 1, 2, 3, 4`); err != nil {
		return nil, nil, nil, err
	}
	if ratingCells, err = lines(`SELECT dept, level, bucket, customer, asked, s1, s2, s3, s4, s5 FROM report_map_rating_cells
		WHERE asked != 0 OR s1 != 0 OR s2 != 0 OR s3 != 0 OR s4 != 0 OR s5 != 0
		UNION ALL SELECT dept, level, bucket, 'u:' || requester, asked, s1, s2, s3, s4, s5 FROM report_map_requester_rating_cells
		WHERE asked != 0 OR s1 != 0 OR s2 != 0 OR s3 != 0 OR s4 != 0 OR s5 != 0 ORDER BY 1, 2, 3, 4`); err != nil {
		return nil, nil, nil, err
	}
	late, err = lines(`SELECT request_id, round, asked_at FROM report_map_late ORDER BY request_id, round`)
	return cells, ratingCells, late, err
}
