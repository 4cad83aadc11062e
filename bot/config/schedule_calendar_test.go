package config_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/askdesk/askdesk"
	"github.com/askdesk/askdesk/bot/config"
)

// schedule.calendar names a department by any of its names; one that names
// none is a problem on its line, with a suggestion.
func TestScheduleCalendarNamesADepartment(t *testing.T) {
	for _, name := range []string{"finance", "FIN", "fin", "ＦＩＮ"} {
		src := "[schedule]\ncalendar = \"" + name + "\"\n" + finance
		if _, err := config.Parse("ok.toml", strings.NewReader(src)); err != nil {
			t.Errorf("calendar = %q: %v", name, err)
		}
	}
	probs := mustProblems(t, "[schedule]\ncalendar = \"finanse\"\n"+finance)
	if got := probs.Error(); !strings.Contains(got, `askdesk.toml:2: schedule.calendar: unknown department "finanse"; did you mean "finance"?`) {
		t.Errorf("problems:\n%s", got)
	}
}

// The binary's built-in Chinese example is the file, and valid.
func TestEmbeddedExampleZhParses(t *testing.T) {
	c, err := config.Parse("config.example.zh.toml", bytes.NewReader(askdesk.ExampleConfigZh))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Directory(); err != nil {
		t.Fatal(err)
	}
	if c.Schedule.Calendar != "hr" {
		t.Errorf("schedule.calendar = %q, want hr", c.Schedule.Calendar)
	}
}

// One department's standard builds alone (an earlier revision, kept for
// the requests filed under it) though schedule.calendar names another.
func TestBuildDepartmentBesideScheduleCalendar(t *testing.T) {
	c, err := config.Parse("config.example.zh.toml", bytes.NewReader(askdesk.ExampleConfigZh))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range c.Departments {
		if _, err := c.BuildDepartment(d); err != nil {
			t.Errorf("%s: %v", d.Name, err)
		}
	}
}
