package store

import "context"

// PartSpanForTest is where a stored part sits: its department, start and
// end key (math.MaxInt64 while it runs), and whether it is counted apart.
type PartSpanForTest struct {
	Dept, RequestID string
	Part            int
	StartAt, EndKey int64
	Apart           bool
}

// PartSpansForTest returns every stored part's span.
func PartSpansForTest(db *DB) ([]PartSpanForTest, error) {
	rows, err := db.read.QueryContext(context.Background(), `SELECT dept, request_id, part, start_at, end_key, apart FROM report_parts`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PartSpanForTest
	for rows.Next() {
		var p PartSpanForTest
		var apart int
		if err := rows.Scan(&p.Dept, &p.RequestID, &p.Part, &p.StartAt, &p.EndKey, &apart); err != nil {
			return nil, err
		}
		p.Apart = apart == 1
		out = append(out, p)
	}
	return out, rows.Err()
}
