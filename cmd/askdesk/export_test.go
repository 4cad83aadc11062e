package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/report"
)

func TestExportCommand(t *testing.T) {
	db := reportDB(t)
	t.Run("CSVFiles", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "out")
		code, out, errOut := run(t, "", "export", "--db", db, "--now", reportNow, "--out", dir)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{"requests.csv: 3 requests", "events.csv: 5 events", "ratings.csv: 1 ratings"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		tables := map[string][]string{"requests": report.RequestColumns, "events": report.EventColumns, "ratings": report.RatingColumns}
		for name, cols := range tables {
			f, err := os.Open(filepath.Join(dir, name+".csv"))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(f).ReadAll()
			f.Close()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if strings.Join(rows[0], ",") != strings.Join(cols, ",") {
				t.Errorf("%s header %v", name, rows[0])
			}
			if name != "requests" {
				continue
			}
			// FIN-1, then FIN-2 and IT-1 (filed at the same instant: by ID).
			fin2 := rows[2]
			if fin2[0] != "FIN-2" || fin2[7] != `'=HYPERLINK("http://evil") invoice` || fin2[3] != "marketing" {
				t.Errorf("FIN-2 row %q: the formula must be defused", fin2)
			}
			if it := rows[3]; it[7] != `my laptop, "the old one", is broken` || it[10] != "2026-09-14T16:00:00.000Z" {
				t.Errorf("IT-1 row %q", it)
			}
			if fin1 := rows[1]; fin1[18] != "14400" || fin1[19] != "3600" || fin1[20] != "true" || fin1[22] != "10800" {
				t.Errorf("FIN-1 clocks %q", fin1[18:])
			}
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 3 {
			t.Errorf("left behind: %v", entries)
		}
	})
	t.Run("JSONLToStdout", func(t *testing.T) {
		code, out, errOut := run(t, "", "export", "--db", db, "--now", reportNow, "--format", "jsonl", "--what", "requests",
			"--from", "2026-09-14", "--to", "2026-09-14")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		sc := bufio.NewScanner(strings.NewReader(out))
		n := 0
		for sc.Scan() {
			var rec map[string]any
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Fatalf("line %d: %v", n, err)
			}
			if rec["id"] == "FIN-2" && rec["title"] != `=HYPERLINK("http://evil") invoice` {
				t.Errorf("JSONL is written as is: %v", rec["title"])
			}
			n++
		}
		if n != 3 {
			t.Errorf("%d requests on 14 September", n)
		}
		code, out, _ = run(t, "", "export", "--db", db, "--what", "requests", "--from", "2026-09-15")
		if code != 0 || strings.Count(out, "\n") != 1 {
			t.Errorf("nothing filed after 14 September, want the header alone: %q", out)
		}
	})
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"AllToStdout", nil, "--what all writes one file per table: give --out DIR"},
		{"BadWhat", []string{"--what", "people"}, `--what "people"`},
		{"BadFormat", []string{"--format", "xlsx", "--what", "events"}, `--format "xlsx": use csv, jsonl`},
		{"BadDate", []string{"--what", "events", "--from", "14/09/2026"}, "--from: “14/09/2026” is not a date"},
		{"Reversed", []string{"--what", "events", "--from", "2026-09-15", "--to", "2026-09-01"}, "comes before"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(t, "", append([]string{"export", "--db", db}, c.args...)...)
			if code != 1 || !strings.Contains(errOut, c.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out, errOut, c.want)
			}
		})
	}
}
