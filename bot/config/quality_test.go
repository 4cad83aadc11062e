package config_test

import (
	"strings"
	"testing"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
)

func TestParse_QualityTarget(t *testing.T) {
	src := finance + "right_first_time = \"92.5%\"\nsatisfaction = 4.2\n"
	c, err := config.Parse("askdesk.toml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := c.Directory()
	if err != nil {
		t.Fatal(err)
	}
	q := dir.ByName("finance").Quality
	if q.RightFirstTime != 92.5 || q.Satisfaction != 4.2 {
		t.Errorf("quality = %+v, want right first time 92.5, satisfaction 4.2", q)
	}

	// A whole-number score is a score too.
	c, err = config.Parse("askdesk.toml", strings.NewReader(finance+"satisfaction = 4\n"))
	if err != nil {
		t.Fatal(err)
	}
	if dir, _ := c.Directory(); dir.ByName("finance").Quality.Satisfaction != 4 {
		t.Errorf("satisfaction = 4 read as %v", dir.ByName("finance").Quality.Satisfaction)
	}

	// No target published: the zero value.
	c, _ = config.Parse("askdesk.toml", strings.NewReader(finance))
	if dir, _ := c.Directory(); dir.ByName("finance").Quality.RightFirstTime != 0 || dir.ByName("finance").Quality.Satisfaction != 0 {
		t.Errorf("quality without a target = %+v", dir.ByName("finance").Quality)
	}
}

func TestParse_QualityTargetProblems(t *testing.T) {
	for _, tc := range []struct {
		name, line, key, msg string
	}{
		{"NoPercentSign", `right_first_time = "90"`, "department[0].right_first_time", `"90" is not a percentage: write it like "90%"`},
		{"OverHundred", `right_first_time = "120%"`, "department[0].right_first_time", `"120%" is not a percentage from 1% to 100%`},
		{"Zero", `right_first_time = "0%"`, "department[0].right_first_time", `"0%" is not a percentage from 1% to 100%`},
		{"Words", `right_first_time = "ninety%"`, "department[0].right_first_time", "closed without a reopen and not rated 1 or 2"},
		{"ScoreTooHigh", `satisfaction = 5.5`, "department[0].satisfaction", "5.5 is not an average rating from 1.0 to 5.0"},
		{"ScoreTooLow", `satisfaction = 0.5`, "department[0].satisfaction", "0.5 is not an average rating from 1.0 to 5.0"},
		{"ScoreAsText", `satisfaction = "4.2"`, "department[0].satisfaction", "cannot decode TOML string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			probs := mustProblems(t, finance+tc.line)
			if len(probs) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(probs), probs)
			}
			p := probs[0]
			if p.Line != 10 || p.Key != tc.key || !strings.Contains(p.Msg, tc.msg) {
				t.Errorf("got %s, want askdesk.toml:10: %s: …%s…", p, tc.key, tc.msg)
			}
		})
	}
}

// The catalogue stores each department as its [[department]] table: the
// quality keys must come back as they went in.
func TestDepartmentConfig_QualityRoundTrip(t *testing.T) {
	c, err := config.Parse("askdesk.toml", strings.NewReader(finance+"right_first_time = \"90%\"\nsatisfaction = 4.2\n"))
	if err != nil {
		t.Fatal(err)
	}
	type file struct {
		Department []config.DepartmentConfig `toml:"department"`
	}
	out, err := toml.Marshal(file{c.Departments})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"right_first_time = '90%'", "satisfaction = 4.2"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("marshalled department lacks %q:\n%s", want, out)
		}
	}
	back, err := config.Parse("catalogue.toml", strings.NewReader(string(out)))
	if err != nil {
		t.Fatalf("parse the marshalled department: %v\n%s", err, out)
	}
	got, want := back.Departments[0], c.Departments[0]
	if got.RightFirstTime != want.RightFirstTime || got.Satisfaction != want.Satisfaction {
		t.Errorf("round trip: got %q, %v; want %q, %v", got.RightFirstTime, got.Satisfaction, want.RightFirstTime, want.Satisfaction)
	}
	dir, err := back.Directory()
	if err != nil {
		t.Fatal(err)
	}
	if q := dir.ByName("finance").Quality; q.RightFirstTime != 90 || q.Satisfaction != 4.2 {
		t.Errorf("round trip quality = %+v", q)
	}

	// The catalogue's own path: one department's table, and back.
	body, err := config.MarshalDepartment(c.Departments[0])
	if err != nil {
		t.Fatal(err)
	}
	one, err := config.ParseDepartment(body)
	if err != nil {
		t.Fatalf("parse %s: %v", body, err)
	}
	if one.RightFirstTime != "90%" || one.Satisfaction != 4.2 {
		t.Errorf("catalogue round trip: %q, %v\n%s", one.RightFirstTime, one.Satisfaction, body)
	}
	built, err := c.BuildDepartment(one)
	if err != nil {
		t.Fatal(err)
	}
	if built.Quality != (bot.QualityTarget{RightFirstTime: 90, Satisfaction: 4.2}) {
		t.Errorf("catalogue department quality = %+v", built.Quality)
	}

	// Without a target, nothing is written.
	c, _ = config.Parse("askdesk.toml", strings.NewReader(finance))
	out, _ = toml.Marshal(file{c.Departments})
	if s := string(out); strings.Contains(s, "right_first_time") || strings.Contains(s, "satisfaction") {
		t.Errorf("a department without a quality target marshals one:\n%s", s)
	}
}
