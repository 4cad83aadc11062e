package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// reportDB files and works a few requests of 2026-Q3 through the console,
// in the example company (sam is in Sales, maya in Marketing), with text a
// spreadsheet would run.
func reportDB(t *testing.T) string {
	t.Helper()
	script := `:as sam
/ask finance need the Q3 budget numbers
:advance 1h
:as fiona
:claim FIN-1
:advance 2h
:resolve FIN-1 sent
:as sam
:rate FIN-1 4
/ask it my laptop, "the old one", is broken
:as maya
/ask finance =HYPERLINK("http://evil") invoice
`
	// Monday 14 September 09:00 in New York: FIN-1 answered in 1h and
	// resolved in 3h, rated 4; IT-1 and FIN-2 filed at 12:00 and never
	// answered.
	return consoleDB(t, script, "2026-09-14T09:00:00-04:00")
}

const reportNow = "2026-10-05T09:00:00-04:00"

// checkGolden compares got with testdata/name (go test -update rewrites it).
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/askdesk -update)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s; run with -update and review the diff.\n--- got ---\n%s", path, got)
	}
}

func TestReportCommand(t *testing.T) {
	db := reportDB(t)
	report := func(t *testing.T, args ...string) string {
		t.Helper()
		code, out, errOut := run(t, "", append([]string{"report", "--db", db, "--now", reportNow}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		return out
	}
	t.Run("Table", func(t *testing.T) {
		// The default period: the last quarter complete everywhere.
		checkGolden(t, "report.golden", report(t))
	})
	t.Run("Markdown", func(t *testing.T) {
		checkGolden(t, "report_finance.md", report(t, "--quarter", "2026-Q3", "--dept", "fin", "--format", "markdown"))
	})
	t.Run("CSV", func(t *testing.T) {
		rows, err := csv.NewReader(strings.NewReader(report(t, "--from", "2026-09-01", "--to", "2026-09-30", "--format", "csv"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		// 9 departments × (all + 3 priorities), and the company.
		if len(rows) != 1+9*4+1 || rows[1][0] != "2026-09-01 to 2026-09-30" || rows[1][1] != "2026-08-02 to 2026-08-31" || rows[1][2] != "finance" {
			t.Errorf("%d rows; first %v", len(rows), rows[1])
		}
	})
	t.Run("JSON", func(t *testing.T) {
		var got struct {
			Period  string `json:"period"`
			Company struct {
				Figures struct {
					New int `json:"new"`
				} `json:"figures"`
				CSAT struct {
					Answered int `json:"answered"`
				} `json:"csat"`
			} `json:"company"`
		}
		if err := json.Unmarshal([]byte(report(t, "--format", "json")), &got); err != nil {
			t.Fatal(err)
		}
		if got.Period != "2026-Q3" || got.Company.Figures.New != 3 || got.Company.CSAT.Answered != 1 {
			t.Errorf("%+v", got)
		}
	})
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"BadQuarter", []string{"--quarter", "2026-Q5"}, "“2026-Q5” is not a quarter; write it like 2026-Q3"},
		{"QuarterAndDates", []string{"--quarter", "2026-Q3", "--from", "2026-07-01", "--to", "2026-07-31"}, "Give either a quarter or dates"},
		{"HalfPeriod", []string{"--from", "2026-07-01"}, "Give both dates"},
		{"NotBegun", []string{"--quarter", "2027-Q1"}, "2027-Q1 has not begun yet."},
		{"UnknownDept", []string{"--dept", "finanse"}, "Did you mean “finance”?"},
		{"BadFormat", []string{"--format", "xlsx"}, `--format "xlsx": use table, markdown, csv, json`},
		{"NoDatabase", []string{"--db", filepath.Join(t.TempDir(), "none.db")}, "no database at"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(t, "", append([]string{"report", "--db", db, "--now", reportNow}, c.args...)...)
			if code != 1 || !strings.Contains(errOut, c.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out, errOut, c.want)
			}
		})
	}
}

func TestMapCommand(t *testing.T) {
	db := reportDB(t)
	for _, format := range []string{"table", "dot", "mermaid"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := run(t, "", "map", "--db", db, "--now", reportNow, "--quarter", "2026-Q3", "--format", format)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			checkGolden(t, "map."+map[string]string{"table": "txt", "dot": "dot", "mermaid": "mmd"}[format], out)
		})
	}
	if code, _, errOut := run(t, "", "map", "--db", db, "--format", "svg"); code != 1 || !strings.Contains(errOut, "use table, dot, mermaid") {
		t.Errorf("--format svg: exit %d, %s", code, errOut)
	}
}

func TestReportCommandsHelp(t *testing.T) {
	for _, sub := range []string{"report", "map", "export"} {
		if code, out, _ := run(t, "", sub, "--help"); code != 0 || !strings.Contains(out, "Usage:") || !strings.Contains(out, "--") {
			t.Errorf("askdesk %s --help: exit %d\n%s", sub, code, out)
		}
	}
}
