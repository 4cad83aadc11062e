package store

import (
	"context"
	"fmt"
	"os"
	"time"
	"testing"
)

func TestZZPlan(t *testing.T) {
	path := os.Getenv("PLANDB")
	if path == "" {
		t.Skip()
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := os.Getenv("PLANQ")
	rows, err := db.read.Query("EXPLAIN QUERY PLAN " + q)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a, b, c int
		var d string
		rows.Scan(&a, &b, &c, &d)
		fmt.Println(a, b, d)
	}
}

func TestZZTime(t *testing.T) {
	path := os.Getenv("PLANDB")
	if path == "" {
		t.Skip()
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`SELECT count(*) FROM search_fts JOIN search_docs d ON d.doc = search_fts.rowid WHERE search_fts MATCH '"laptop"'`,
		`SELECT count(d.request_id) FROM search_fts JOIN search_docs d ON d.doc = search_fts.rowid WHERE search_fts MATCH '"laptop"'`,
		`SELECT count(r.dept) FROM search_fts JOIN search_docs d ON d.doc = search_fts.rowid JOIN requests r ON r.id = d.request_id WHERE search_fts MATCH '"laptop"'`,
		`SELECT count(r.dept) FROM search_fts JOIN search_docs d ON d.doc = search_fts.rowid JOIN requests r ON r.id = d.request_id WHERE search_fts MATCH '"laptop"'`,
		`SELECT count(*) FROM requests WHERE dept = 'it'`,
		`SELECT count(title) FROM requests WHERE dept = 'it'`,
	} {
		start := time.Now()
		var n int
		for i := 0; i < 5; i++ {
			if err := db.read.QueryRow(q).Scan(&n); err != nil {
				t.Fatal(err)
			}
		}
		fmt.Println(time.Since(start)/5, n, q)
	}
}
