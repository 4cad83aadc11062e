package config_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
)

// shanghai is a valid department in Shanghai on lines 1-9.
const shanghai = `[[department]]
name = "facilities"
prefix = "FAC"
channel = "#facilities"
leads = ["U0WEI0001"]
timezone = "Asia/Shanghai"
hours.weekdays = "08:30-12:00,13:00-17:30"
sla.normal = { first_response = "4h", resolution = "3wd" }
holidays = ["2026-02-16"]
`

func TestParse_TargetsAndWorkdays(t *testing.T) {
	src := shanghai + `sla.urgent = { first_response = "30m calendar", resolution = "24h calendar" }
sla.low = { first_response = "1wd", resolution = "1wd4h" }
workdays = [
  "2026-02-28",
  { date = "2026-02-14", name = "春节调休 Spring Festival make-up day" },
  { date = "2026-09-20", hours = "09:00-12:00" },
]
`
	c, err := config.Parse("askdesk.toml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := c.Directory()
	if err != nil {
		t.Fatal(err)
	}
	dep := dir.ByName("facilities")
	cal := bot.CalendarTime
	wantTargets := map[bot.Priority]bot.Target{
		bot.Urgent: {FirstResponse: bot.BusinessDuration{Time: 30 * time.Minute, Kind: cal}, Resolution: bot.BusinessDuration{Time: 24 * time.Hour, Kind: cal}},
		bot.Normal: {FirstResponse: bot.BusinessDuration{Time: 4 * time.Hour}, Resolution: bot.BusinessDuration{Days: 3}},
		bot.Low:    {FirstResponse: bot.BusinessDuration{Days: 1}, Resolution: bot.BusinessDuration{Days: 1, Time: 4 * time.Hour}},
	}
	if !reflect.DeepEqual(dep.Targets, wantTargets) {
		t.Errorf("targets %+v, want %+v", dep.Targets, wantTargets)
	}
	monday := []bot.Span{{Start: 8*60 + 30, End: 12 * 60}, {Start: 13 * 60, End: 17*60 + 30}}
	wantDays := map[string]bot.Workday{
		"2026-02-28": {Hours: monday},
		"2026-02-14": {Name: "春节调休 Spring Festival make-up day", Hours: monday},
		"2026-09-20": {Hours: []bot.Span{{Start: 9 * 60, End: 12 * 60}}},
	}
	if !reflect.DeepEqual(dep.Calendar.Workdays, wantDays) {
		t.Errorf("workdays %+v, want %+v", dep.Calendar.Workdays, wantDays)
	}
}

func TestParse_TargetAndWorkdayProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		line int
		key  string
		msg  string
	}{
		{"BadUnitListsForms", shanghai + `sla.urgent = { first_response = "24x", resolution = "1wd" }`,
			10, "department[0].sla.urgent.first_response",
			`bad duration "24x": unit 'x' is not wd, d, h or m; write business hours like "4h" or "2h30m", working days like "1wd" or "1wd4h" ("3d" also means working days), or calendar time like "24h calendar"`},
		{"WorkingDaysInCalendarTime", shanghai + `sla.urgent = { first_response = "1h", resolution = "1wd calendar" }`,
			10, "department[0].sla.urgent.resolution", `working days (wd) are business time; for calendar days write "1d calendar"`},
		{"UnknownWord", shanghai + `sla.urgent = { first_response = "1h", resolution = "4h wall" }`,
			10, "department[0].sla.urgent.resolution", `"wall" is not a unit; the only word allowed after the amount is "calendar"`},
		{"CalendarFirstResponseAfterResolution", shanghai + `sla.urgent = { first_response = "2d calendar", resolution = "24h calendar" }`,
			10, "department[0].sla.urgent.first_response", "first response 2d calendar is later than resolution 24h calendar"},
		{"WorkdayIsHoliday", shanghai + `workdays = ["2026-02-14", "2026-02-16"]`,
			10, "department[0].workdays[1]", "2026-02-16 is both a holiday and an extra working day; keep one"},
		{"WorkdayBadDate", shanghai + `workdays = [{ date = "2026-02-30", name = "oops" }]`,
			10, "department[0].workdays[0]", `bad working day date "2026-02-30": write it as YYYY-MM-DD`},
		{"WorkdayTwice", shanghai + `workdays = ["2026-02-14", { date = "2026-02-14" }]`,
			10, "department[0].workdays[1]", "working day 2026-02-14 is listed twice"},
		{"WorkdayAlreadyOpen", shanghai + `workdays = ["2026-02-13"]`,
			10, "department[0].workdays[0]", "2026-02-13 is a Friday, when the department is open anyway"},
		{"WorkdayBadHours", shanghai + `workdays = [{ date = "2026-02-14", hours = "9-12" }]`,
			10, "department[0].workdays[0].hours", `time "9" is not HH:MM`},
		{"WorkdayClosedHours", shanghai + `workdays = [{ date = "2026-02-14", hours = "closed" }]`,
			10, "department[0].workdays[0].hours", "an extra working day cannot be closed"},
		{"WorkdayNoMonday", shanghai + "hours.mon = \"closed\"\n" + `workdays = ["2026-02-14"]`,
			11, "department[0].workdays[0]", "closed on Mondays"},
		{"WorkdayUnknownKey", shanghai + `workdays = [{ date = "2026-02-14", nmae = "x" }]`,
			10, "department[0].workdays[0].nmae", `did you mean "name"?`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			probs := mustProblems(t, tc.src)
			if len(probs) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(probs), probs)
			}
			p := probs[0]
			if p.Line != tc.line || p.Key != tc.key {
				t.Errorf("got %s:%d: %s, want askdesk.toml:%d: %s", p.File, p.Line, p.Key, tc.line, tc.key)
			}
			if !strings.Contains(p.Msg, tc.msg) {
				t.Errorf("message %q lacks %q", p.Msg, tc.msg)
			}
		})
	}
}

// TestDepartmentRoundTrip_TargetsAndWorkdays: the catalogue stores a
// department as its TOML table; the new keys survive Marshal then Parse.
func TestDepartmentRoundTrip_TargetsAndWorkdays(t *testing.T) {
	src := shanghai + `sla.urgent = { first_response = "30m calendar", resolution = "24h calendar" }
sla.low = { first_response = "1wd", resolution = "1wd4h" }
workdays = [
  "2026-02-28",
  { date = "2026-02-14", name = "春节调休 Spring Festival make-up day" },
  { date = "2026-09-20", hours = "09:00-12:00" },
]
`
	c, err := config.Parse("askdesk.toml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	out, err := toml.Marshal(struct {
		Departments []config.DepartmentConfig `toml:"department"`
	}{c.Departments})
	if err != nil {
		t.Fatal(err)
	}
	back, err := config.Parse("catalogue", strings.NewReader(string(out)))
	if err != nil {
		t.Fatalf("parse marshalled department: %v\n%s", err, out)
	}
	// Only this part's keys are compared: Marshal writes empty lists that
	// were absent, which Parse reads back as empty rather than nil.
	got, want := back.Departments[0], c.Departments[0]
	if !reflect.DeepEqual(got.Workdays, want.Workdays) || !reflect.DeepEqual(got.SLA, want.SLA) {
		t.Errorf("round trip changed the department:\n got %+v %+v\nwant %+v %+v\n%s", got.Workdays, got.SLA, want.Workdays, want.SLA, out)
	}
	d1, _ := c.Directory()
	d2, _ := back.Directory()
	if a, b := d1.ByName("facilities"), d2.ByName("facilities"); !reflect.DeepEqual(a.Targets, b.Targets) || !reflect.DeepEqual(a.Calendar.Workdays, b.Calendar.Workdays) {
		t.Errorf("round trip changed the built department: %+v %+v vs %+v %+v", a.Targets, a.Calendar.Workdays, b.Targets, b.Calendar.Workdays)
	}
	if !strings.Contains(string(out), "24h calendar") || !strings.Contains(string(out), "春节调休") {
		t.Errorf("marshalled TOML lacks the new keys:\n%s", out)
	}
}

// TestExample_ShanghaiMakeUpDays: the example's facilities department works
// the 2026 make-up days of the State Council's notice, so a request filed on
// Friday evening before the Spring Festival is due on the make-up Saturday.
func TestExample_ShanghaiMakeUpDays(t *testing.T) {
	c, err := config.Load("../../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir, err := c.Directory()
	if err != nil {
		t.Fatal(err)
	}
	fac := dir.ByName("facilities")
	cal := fac.Calendar
	var days []string
	for d := range cal.Workdays {
		days = append(days, d)
	}
	slices.Sort(days)
	want := []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}
	if !slices.Equal(days, want) {
		t.Errorf("make-up days %v, want %v", days, want)
	}
	loc := cal.Location
	friday := time.Date(2026, 2, 13, 19, 0, 0, 0, loc)
	normal := fac.Target(bot.Normal).FirstResponse // 4 business hours
	if got, want := cal.Deadline(friday, normal), time.Date(2026, 2, 14, 13, 30, 0, 0, loc); !got.Equal(want) {
		t.Errorf("filed Fri 13 Feb 19:00, first response due %s, want Sat 14 Feb 13:30", got.In(loc))
	}
	// The urgent resolution target is calendar time: a day of the clock
	// even in the festival.
	urgent := fac.Target(bot.Urgent).Resolution
	if got, want := cal.Deadline(friday, urgent), time.Date(2026, 2, 14, 19, 0, 0, 0, loc); !got.Equal(want) {
		t.Errorf("urgent resolution due %s, want Sat 14 Feb 19:00", got.In(loc))
	}
}

// TestDiff_TargetSpelling: a target spelt another way ("3d" for "3wd") is
// not a change of the standard; a change of kind is.
func TestDiff_TargetSpelling(t *testing.T) {
	a := map[string]string{"sla.normal.resolution": "'3wd'", "sla.urgent.resolution": "'24h'"}
	b := map[string]string{"sla.normal.resolution": "'3d'", "sla.urgent.resolution": "'24h calendar'"}
	got := config.Diff(a, b)
	if len(got) != 1 || got[0].Key != "sla.urgent.resolution" {
		t.Errorf("Diff = %+v, want only the urgent resolution (business to calendar time)", got)
	}
}
