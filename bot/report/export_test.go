package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

var updateGolden = flag.Bool("update", false, "rewrite bot/report/testdata golden files")

// TestExportColumnsStable holds the export's columns to the golden file:
// BI depends on them. Adding a column at the end is a reviewed change of
// the golden file (go test ./bot -run ExportColumns -update); renaming or
// reordering one breaks everyone's dashboards.
func TestExportColumnsStable(t *testing.T) {
	var b strings.Builder
	for _, tab := range []struct {
		name string
		cols []string
	}{{"requests", report.RequestColumns}, {"events", report.EventColumns}, {"ratings", report.RatingColumns}, {"report", report.ReportCSVColumns}} {
		fmt.Fprintf(&b, "%s: %s\n", tab.name, strings.Join(tab.cols, ","))
	}
	const golden = "testdata/export_columns.golden"
	if *updateGolden {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./bot -run ExportColumns -update)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("export columns changed:\n%s\nwant (%s):\n%s", got, golden, want)
	}
}

// hostile is text that breaks naive CSV writers or runs in spreadsheets.
var hostile = []string{
	"plain", "", "a, b", `say "hi"`, "two\nlines", "crlf\r\nline", "=cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil\")",
	"+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "'already quoted", "财务 😍 ＝1+1", " =spaced", "trailing,",
}

func TestExportCSVHostileText(t *testing.T) {
	var b bytes.Buffer
	w, err := report.NewRecordWriter(&b, "csv", []string{"n", "text", "at", "ok", "none"})
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 11, 24, 15, 4, 5, 6e6, time.FixedZone("EST", -5*3600))
	for i, s := range hostile {
		if err := w.Write([]any{-i, s, when, true, nil}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "n,text,at,ok,none" || len(rows) != len(hostile)+1 {
		t.Fatalf("header %v, %d rows", rows[0], len(rows))
	}
	for i, s := range hostile {
		row := rows[i+1]
		cell := row[1]
		if strings.ContainsAny(cell[:min(1, len(cell))], "=+-@\t\r\n") {
			t.Errorf("%q written as %q: a spreadsheet would run it", s, cell)
		}
		// Reverse the defusing: drop one leading apostrophe.
		back := strings.TrimPrefix(cell, "'")
		want := strings.ReplaceAll(s, "\r\n", "\n") // encoding/csv reads CRLF in a field as LF
		if back != want {
			t.Errorf("%q came back as %q", s, back)
		}
		if row[0] != fmt.Sprint(-i) || row[2] != "2026-11-24T20:04:05.006Z" || row[3] != "true" || row[4] != "" {
			t.Errorf("row %d: %q", i, row)
		}
	}
}

func TestExportJSONLExact(t *testing.T) {
	var b bytes.Buffer
	w, err := report.NewRecordWriter(&b, "jsonl", []string{"text", "n", "at", "none"})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range append(hostile, "bad \xff utf8", "ctrl \x01 <b>&") {
		w.Write([]any{s, int64(i), time.Time{}, nil})
	}
	w.Flush()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != len(hostile)+2 {
		t.Fatalf("%d lines", len(lines))
	}
	for i, line := range lines {
		var got map[string]any
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("line %d %s: %v", i, line, err)
		}
		want := "bad \ufffd utf8"
		if i < len(hostile) {
			want = hostile[i]
		} else if i == len(hostile)+1 {
			want = "ctrl \x01 <b>&"
		}
		if got["text"] != want || got["n"] != float64(i) || got["at"] != nil || got["none"] != nil {
			t.Errorf("line %d: %s", i, line)
		}
		if !strings.HasPrefix(line, `{"text":`) {
			t.Errorf("keys out of column order: %s", line)
		}
	}
	if _, err := report.NewRecordWriter(&b, "xml", nil); bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("xml: %v", err)
	}
}

// TestExportRequestClocks checks the clock columns of requests worked out
// by hand, in the test company's Finance (09:00–12:00, 13:00–18:00).
func TestExportRequestClocks(t *testing.T) {
	f, n := seedQ3(t)
	// A wait on the requester: claimed 10:30, waiting 11:00 to 14:00 (2h
	// of business time paused), resolved 15:00: 1h + 1h counted.
	r := f.fileAt(t, n("2026-10-06 10:00"), sam, "finance", "", "=cmd|' /C calc'!A0")
	f.doAt(t, n("2026-10-06 10:30"), frank, bot.ActClaim, r.ID)
	f.doAt(t, n("2026-10-06 11:00"), frank, bot.ActWait, r.ID, "which one?")
	f.doAt(t, n("2026-10-06 14:00"), sam, bot.ActResume, r.ID)
	f.doAt(t, n("2026-10-06 15:00"), frank, bot.ActResolve, r.ID)
	now := n("2026-10-07 09:00")
	ex := report.NewExporter(f.Desk.Dir(), now)
	records := map[string]map[string]any{}
	err := f.DB.EachRequest(f.Ctx, time.Time{}, time.Time{}, func(r *bot.Request) error {
		rec := ex.Request(r)
		if len(rec) != len(report.RequestColumns) {
			t.Fatalf("%d values for %d columns", len(rec), len(report.RequestColumns))
		}
		m := map[string]any{}
		for i, c := range report.RequestColumns {
			m[c] = rec[i]
		}
		records[r.ID] = m
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	clocks := func(id string) []any {
		m := records[id]
		return []any{m["first_response_target_s"], m["first_response_s"], m["first_response_met"],
			m["resolution_target_s"], m["resolution_s"], m["waiting_s"], m["resolution_met"]}
	}
	for _, c := range []struct {
		id   string
		want []any
	}{
		// Answered in 3h; resolved 3h after its reopening, in time.
		{"FIN-3", []any{int64(14400), int64(10800), true, int64(57600), int64(10800), int64(0), true}},
		// Urgent: answered after 1h of 30m; resolved in 3h of 4h.
		{"FIN-4", []any{int64(1800), int64(3600), false, int64(14400), int64(10800), int64(0), true}},
		// Never answered; by now 8h × 5 days counted, past both targets.
		{"FIN-5", []any{int64(14400), nil, false, int64(57600), nil, nil, false}},
		{r.ID, []any{int64(14400), int64(1800), true, int64(57600), int64(7200), int64(7200), true}},
	} {
		if got := clocks(c.id); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s clocks %v, want %v", c.id, got, c.want)
		}
	}
	if m := records["FIN-5"]; m["requester_dept"] != report.UnknownDept || records["FIN-2"]["requester_dept"] != "sales" {
		t.Errorf("requester departments %v, %v", m["requester_dept"], records["FIN-2"]["requester_dept"])
	}
	rt, ok, _ := f.DB.RatingOf(f.Ctx, "FIN-3", 0)
	if rec := ex.Rating(rt); !ok || rec[3] != "marketing" || rec[7] != 2 || rec[6] != "" {
		t.Errorf("rating record %v", rec)
	}
	skipped, _, _ := f.DB.RatingOf(f.Ctx, "FIN-3", 1)
	if rec := ex.Rating(skipped); rec[6] != "rated before" || rec[7] != nil {
		t.Errorf("skipped prompt %v", rec)
	}
}

func TestExportTimes(t *testing.T) {
	var b bytes.Buffer
	w, _ := report.NewRecordWriter(&b, "csv", []string{"at"})
	var want []string
	for _, at := range []time.Time{
		time.Date(2026, 1, 2, 3, 4, 5, 6_789_000, time.UTC), time.Date(1999, 12, 31, 23, 59, 59, 999_999_999, time.FixedZone("X", -30*60)),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 24, 9, 30, 0, 0, mustZone(t, "Asia/Kolkata")), time.UnixMilli(0),
	} {
		w.Write([]any{at})
		want = append(want, at.UTC().Format(report.TimeFormat))
	}
	w.Flush()
	if got := strings.Split(strings.TrimSpace(b.String()), "\n")[1:]; !reflect.DeepEqual(got, want) {
		t.Errorf("times %q, want %q", got, want)
	}
}
