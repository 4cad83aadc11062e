package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestLoadToolFilledStoreHasReportParts: the store -store-requests fills
// has serve's config in its catalogue and every request's report parts
// worked out under it, so that serve has none to work out during the load.
func TestLoadToolFilledStoreHasReportParts(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "filled.db")
	rep := runTool(t, "-only", "askdesk", "-clients", "2", "-duration", "200ms", "-warmup", "0", "-drain-timeout", "2s",
		"-mix", "none", "-store-requests", "300", "-store-cache", cache)
	if len(rep.Targets) != 1 || rep.Targets[0].Errors != 0 {
		t.Fatalf("targets: %+v", rep.Targets)
	}
	db, err := sql.Open("sqlite", "file:"+cache+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var stale, requests, withParts, revisions int
	ctx := context.Background()
	for _, q := range []struct {
		sql string
		n   *int
	}{
		{`SELECT count(*) FROM report_stale`, &stale},
		{`SELECT count(*) FROM requests`, &requests},
		{`SELECT count(DISTINCT request_id) FROM report_parts`, &withParts},
		{`SELECT count(*) FROM catalog_revisions`, &revisions},
	} {
		if err := db.QueryRowContext(ctx, q.sql).Scan(q.n); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	if stale != 0 || requests != 300 || withParts == 0 || revisions == 0 {
		t.Errorf("filled store: %d requests, %d with report parts, %d marked stale, %d catalogue revisions; want 300, some, none, some",
			requests, withParts, stale, revisions)
	}
}
