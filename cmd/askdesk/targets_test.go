package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestManageTargetsAndWorkdays: a lead publishes a calendar-time target and
// extra working days through the catalogue (/ask manage … set, as in the
// console); a working day on a day the department opens anyway is refused
// with check-config's words; /ask standards and /ask depts say the new target in
// words at once.
func TestManageTargetsAndWorkdays(t *testing.T) {
	const ada = "U0ADA0001"
	h := newHarness(t, false, withSlackCatalogue(t))
	text := func(user, cmd string) string {
		t.Helper()
		code, body := h.slash(user, cmd)
		var reply struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal([]byte(body), &reply); code != http.StatusOK || err != nil {
			t.Fatalf("/ask %s: %d %s (%v)", cmd, code, body, err)
		}
		return reply.Text
	}
	if got := text(fiona, "manage finance set targets urgent 1h / 24x -- faster"); !strings.Contains(got, `bad duration "24x"`) || !strings.Contains(got, `"24h calendar"`) {
		t.Errorf("a bad target: %s", got)
	}
	// Finance is open every day here: no day can be an extra one.
	if got := text(fiona, "manage finance set workdays 2026-02-14 -- stocktake"); !strings.Contains(got, "2026-02-14 is a Saturday, when the department is open anyway") {
		t.Errorf("a working day on an open day: %s", got)
	}
	text(fiona, "manage finance set targets urgent 1h / 24h calendar -- urgent means the clock runs")
	// IT (London, weekdays 09:00-17:00) works two Saturdays; Ada is an admin.
	if got := text(ada, `manage it set workdays 2026-02-14 09:00-12:00 stocktake Saturday\n2026-02-28 -- year-end stocktake`); !strings.Contains(got, "Saved revision") || !strings.Contains(got, "workdays") {
		t.Errorf("saving working days: %s", got)
	}
	standard := text(sam, "standards finance")
	for _, want := range []string{"• urgent: first response within 1 business hour; resolution within 24 hours, calendar time"} {
		if !strings.Contains(standard, want) {
			t.Errorf("/ask standards lacks %q:\n%s", want, standard)
		}
	}
	if got := text(sam, "depts"); !strings.Contains(got, "resolution within 24 hours, calendar time") {
		t.Errorf("/ask depts lacks the calendar target:\n%s", got)
	}
	// The revision holds them as a department's TOML table does.
	dep := h.srv.desk.Dir().ByName("it")
	if wd := dep.Calendar.Workdays; len(wd) != 2 || wd["2026-02-14"].Name != "stocktake Saturday" || len(wd["2026-02-14"].Hours) != 1 || len(wd["2026-02-28"].Hours) != 1 || wd["2026-02-28"].Hours[0].End != 17*60 {
		t.Errorf("working days in force: %+v", wd)
	}
}
