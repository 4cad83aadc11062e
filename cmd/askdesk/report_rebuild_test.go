package main

import (
	"context"
	"database/sql"
	"strings"
	"testing"
)

// TestReportRebuildMendsKeptCounts: when the counts kept for reports no
// longer agree with the requests (here every cell overwritten with bytes
// that mean nothing), report fails and names the way out; askdesk report
// rebuild works the figures out again, and the scorecards are the same as
// before, to the character, whether the work is done at once or left to
// the next report (--later).
func TestReportRebuildMendsKeptCounts(t *testing.T) {
	db := reportDB(t)
	report := func(t *testing.T) (int, string, string) {
		t.Helper()
		return run(t, "", "report", "--db", db, "--now", reportNow, "--quarter", "2026-Q3")
	}
	code, want, errOut := report(t)
	if code != 0 {
		t.Fatalf("report: exit %d: %s", code, errOut)
	}
	for _, later := range []bool{false, true} {
		spoil(t, db, `UPDATE report_cells SET cell = X'FF'`)
		code, _, errOut := report(t)
		if code == 0 {
			t.Fatal("report with spoiled counts: exit 0, want a failure")
		}
		if !strings.Contains(errOut, "askdesk report rebuild") {
			t.Errorf("report with spoiled counts says %q; want it to name askdesk report rebuild", errOut)
		}
		args := []string{"report", "rebuild", "--db", db}
		if later {
			args = append(args, "--later")
		}
		code, out, errOut := run(t, "", args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		if !strings.Contains(out, "Report figures") {
			t.Errorf("%s printed %q", strings.Join(args, " "), out)
		}
		code, got, errOut := report(t)
		if code != 0 {
			t.Fatalf("report after %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		if got != want {
			t.Errorf("report after %s differs:\n--- before ---\n%s\n--- after ---\n%s", strings.Join(args, " "), want, got)
		}
	}
}

// spoil runs q on the SQLite file path, as an operator's shell would.
func spoil(t *testing.T, path, q string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.ExecContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		t.Fatalf("%s changed nothing", q)
	}
}
