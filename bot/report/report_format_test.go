package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

func TestReportFormats(t *testing.T) {
	f, n := seedQ3(t)
	r := f.report(t, report.ReportOptions{Period: report.QuarterPeriod(bot.Quarter{Year: 2026, Q: 3}), Now: n("2026-10-05 09:00"),
		MinPersonResolved: 2, MinDeptResolved: 1})
	write := func(format string) string {
		t.Helper()
		var b bytes.Buffer
		if err := report.WriteReport(&b, r, format, f.Desk.Dir()); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	t.Run("Table", func(t *testing.T) {
		out := squash(write("table"))
		for _, want := range []string{
			"Service report · 2026-Q3 · 1 Jul – 30 Sep 2026, compared with 2026-Q2\n",
			"== Finance · America/New_York ==\n",
			"  urgent    30 minutes of business time  0% (0 of 1)  1h  1h  4 business hours  100% (1 of 1)  3h  3h\n",
			"  first response met     50% (2 of 4)                              100% (1 of 1)                             ▼50 pts\n",
			"  reopened               1 (33% of resolutions)                    0 (0% of resolutions)                     ▲33 pts\n",
			"  satisfaction           3.5 / 5 from 2 ratings (66% of 3 asked)   4.0 / 5 from 1 rating (100% of 1 asked)  ▼0.5\n",
			"  ratings 1 to 5         0 · 1 · 0 · 0 · 1                         0 · 0 · 0 · 1 · 0\n",
			"  survey                 3.5 / 5 from 2 answers (66% of 3 asked)   no survey\n",
			"Served best: @frank 3 resolved, 100% in time, 66% right first time (at least 2 resolutions in the period as the assignee, at least 80% of them in time; ranked by the mean of the share in time and the share right first time, then by resolutions)\n",
			"  right first time       66% (2 of 3)                              100% (1 of 1)                             ▼33 pts\n",
			"  right first time  none published  66% (2 of 3)\n",
			"  satisfaction      none published  3.5 / 5 from 2 ratings\n",
			"== All departments · America/New_York ==\n",
			"Best-serving departments: IT 100% of 2 targets met, 100% right first time, rated 4.0 (at least 1 resolutions in the period and at least 80% of SLA targets met",
			"Right first time is the share of resolved requests that were closed without a reopen and not rated 1 or 2;",
		} {
			if !strings.Contains(out, squash(want)) {
				t.Errorf("table lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("Markdown", func(t *testing.T) {
		out := write("markdown")
		for _, want := range []string{"# Service report · 2026-Q3", "## Finance · America/New_York\n",
			"| priority | first response target | met | median | p90 | resolution target | met | median | p90 |\n| --- |",
			"| normal | 4 business hours | 66% (2 of 3) | 30m | 3h | 2 working days | 100% (2 of 2) | 2h | 3h |\n",
			"| new | 4 | 1 | ▲300% |\n", "_Best-serving people: @frank 3 resolved"} {
			if !strings.Contains(out, want) {
				t.Errorf("markdown lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("CSV", func(t *testing.T) {
		rows, err := csv.NewReader(strings.NewReader(write("csv"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], ",") != strings.Join(report.ReportCSVColumns, ",") || len(rows) != 1+4+4+1 {
			t.Fatalf("header %v, %d rows", rows[0], len(rows))
		}
		get := func(row []string, col string) string {
			for i, c := range report.ReportCSVColumns {
				if c == col {
					return row[i]
				}
			}
			t.Fatalf("no column %s", col)
			return ""
		}
		fin, urgent, all := rows[1], rows[2], rows[9]
		for _, c := range []struct{ row []string }{{fin}, {urgent}, {all}} {
			if len(c.row) != len(report.ReportCSVColumns) {
				t.Errorf("row of %d cells: %v", len(c.row), c.row)
			}
		}
		checks := []struct {
			row       []string
			col, want string
		}{
			{fin, "dept", "finance"}, {fin, "priority", "all"}, {fin, "new", "4"}, {fin, "first_response_pct", "50"},
			{fin, "first_response_p90_s", "10800"}, {fin, "reopened", "1"}, {fin, "csat_avg", "3.50"}, {fin, "csat_2", "1"},
			{fin, "survey_quarters", "2026-Q3"}, {fin, "survey_answered", "2"}, {fin, "prev_new", "1"}, {fin, "prev_csat_avg", "4.00"},
			{fin, "from", "2026-07-01T04:00:00.000Z"},
			{urgent, "priority", "urgent"}, {urgent, "first_response_target", "30m"}, {urgent, "open", ""}, {urgent, "resolutions_met", "1"},
			{all, "dept", "all"}, {all, "new", "5"}, {all, "csat_rated", "3"},
		}
		for _, c := range checks {
			if got := get(c.row, c.col); got != c.want {
				t.Errorf("%s of %s/%s: %q, want %q", c.col, c.row[2], c.row[3], got, c.want)
			}
		}
	})
	t.Run("JSON", func(t *testing.T) {
		var got struct {
			Period      string `json:"period"`
			Departments []struct {
				Dept    string `json:"dept"`
				Figures struct {
					New                  int    `json:"new"`
					FirstResponseMedianS *int64 `json:"first_response_median_s"`
				} `json:"figures"`
				CSAT struct {
					Average      *float64 `json:"average"`
					Distribution []int    `json:"distribution"`
				} `json:"csat"`
				Standards []struct {
					Priority string `json:"priority"`
				} `json:"standards"`
			} `json:"departments"`
			Recognition struct {
				Departments []string `json:"departments"`
				People      []struct {
					Name string `json:"name"`
				} `json:"people"`
			} `json:"recognition"`
		}
		if err := json.Unmarshal([]byte(write("json")), &got); err != nil {
			t.Fatal(err)
		}
		fin := got.Departments[0]
		if got.Period != "2026-Q3" || fin.Dept != "finance" || fin.Figures.New != 4 || *fin.Figures.FirstResponseMedianS != 3600 ||
			*fin.CSAT.Average != 3.5 || len(fin.CSAT.Distribution) != 5 || len(fin.Standards) != 3 ||
			strings.Join(got.Recognition.Departments, ",") != "it" || got.Recognition.People[0].Name != "frank" {
			t.Errorf("%+v", got)
		}
	})
	t.Run("UnknownFormat", func(t *testing.T) {
		if err := report.WriteReport(&bytes.Buffer{}, r, "xlsx", f.Desk.Dir()); bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("xlsx: %v", err)
		}
	})
}

// squash collapses runs of spaces, so checks do not depend on alignment.
func squash(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}
