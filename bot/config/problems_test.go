package config_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
)

// finance is a valid department on lines 1-9; cases add lines after it or
// replace lines in it, so that each problem's line is easy to check.
const finance = `[[department]]
name = "finance"
aliases = ["fin"]
prefix = "FIN"
channel = "#finance"
leads = ["U0FIONA01"]
timezone = "America/New_York"
hours.weekdays = "09:00-17:00"
sla.normal = { first_response = "4h", resolution = "3d" }
`

// legal is a valid second department for clashes; append it after finance
// (its lines are 10-17).
const legal = `[[department]]
name = "legal"
prefix = "LEG"
channel = "#legal"
leads = ["U0LEO0001"]
timezone = "America/New_York"
hours.weekdays = "09:00-17:00"
sla.normal = { first_response = "1d", resolution = "5d" }
`

// replaceLine returns src with its 1-based line n replaced by s.
func replaceLine(src string, n int, s string) string {
	lines := strings.Split(src, "\n")
	lines[n-1] = s
	return strings.Join(lines, "\n")
}

// mustProblems parses src, which must fail validation, and returns the problems.
func mustProblems(tb testing.TB, src string) config.Problems {
	tb.Helper()
	c, err := config.Parse("askdesk.toml", strings.NewReader(src))
	var probs config.Problems
	if !errors.As(err, &probs) {
		tb.Fatalf("Parse = %v, %v; want Problems", c, err)
	}
	return probs
}

func TestParse_Problems(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		line int
		key  string
		msg  string // a part of the message
	}{
		{"UnknownKey", finance + `descripton = "Pays the bills"`,
			10, "department[0].descripton", `unknown key; did you mean "description"?`},
		{"UnknownTable", finance + "[department.hourz]\nmon = \"09:00-17:00\"",
			10, "department[0].hourz", `did you mean "hours"?`},
		{"UnknownTopLevelKey", `admin = ["U0FIONA01"]` + "\n" + finance,
			1, "admin", `did you mean "admins"?`},
		{"UnknownKeyInHoliday", finance + `holidays = [{ date = "2026-12-25", nme = "Christmas" }]`,
			10, "department[0].holidays[0].nme", `did you mean "name"?`},
		{"BadDuration", finance + `sla.urgent = { first_response = "4x", resolution = "1d" }`,
			10, "department[0].sla.urgent.first_response", `bad duration "4x"`},
		{"FirstResponseAfterResolution", finance + `sla.low = { first_response = "2d", resolution = "1d" }`,
			10, "department[0].sla.low.first_response", "first response 2d is later than resolution 1d"},
		{"MissingNormalSLA", replaceLine(finance, 9, ""),
			1, "department[0].sla.normal", "required"},
		{"UnknownTimeZone", replaceLine(finance, 7, `timezone = "Mars/Olympus_Mons"`),
			7, "department[0].timezone", `unknown time zone "Mars/Olympus_Mons"`},
		{"TimeZoneSpelling", replaceLine(finance, 7, `timezone = "america/new york"`),
			7, "department[0].timezone", `did you mean "America/New_York"?`},
		{"OverlappingHours", replaceLine(finance, 8, `hours.weekdays = "09:00-13:00,12:00-17:00"`),
			8, "department[0].hours.weekdays", "12:00-17:00 overlaps 09:00-13:00"},
		{"ReversedHours", finance + `hours.sat = "22:00-06:00"`,
			10, "department[0].hours.sat", "ends before it starts"},
		{"BadTime", finance + `hours.sun = "9-17"`,
			10, "department[0].hours.sun", `time "9" is not HH:MM`},
		{"NoHours", replaceLine(finance, 8, ""),
			1, "department[0].hours", "required: opening hours"},
		{"ClosedAllWeek", replaceLine(finance, 8, `hours.weekdays = "closed"`),
			8, "department[0].hours", "closed all week"},
		{"HoursTable", replaceLine(finance, 8, "") + "[department.hours]\nmon = \"09:00-17:00\"\ntue = \"09:00-25:00\"",
			12, "department[0].hours.tue", `time "25:00" is out of range`},
		{"DuplicateAliasWidth", finance + legal + `aliases = ["law", "ＦＩＮ"]`,
			18, "department[1].aliases[1]", `alias "ＦＩＮ" clashes with prefix "FIN" of department "finance"`},
		{"DuplicateAliasCase", replaceLine(finance, 3, `aliases = ["Contracts"]`) + legal + `aliases = ["contracts"]`,
			18, "department[1].aliases[0]", `alias "contracts" clashes with alias "Contracts" of department "finance"`},
		{"DuplicatePrefix", finance + replaceLine(legal, 3, `prefix = "FIN"`),
			12, "department[1].prefix", `prefix "FIN" clashes with prefix "FIN" of department "finance"`},
		{"DuplicateName", finance + replaceLine(legal, 2, `name = "finance"`),
			11, "department[1].name", `name "finance" clashes with name "finance"`},
		{"DuplicateQueueChannel", finance + replaceLine(legal, 4, `channel = "#finance"`),
			13, "department[1].channel", `already the queue of department "finance"`},
		{"MentionInDisplayName", finance + `display_name = "Finance <!channel>"`,
			10, "department[0].display_name", `holds the markup character '<'`},
		{"BoldInAlias", replaceLine(finance, 3, `aliases = ["fin", "*money*"]`),
			3, "department[0].aliases[1]", `holds the markup character '*'`},
		{"ReversedDisplayName", finance + "display_name = \"Fin\u202eecna\"",
			10, "department[0].display_name", "a control or invisible character"},
		{"ReservedWord", replaceLine(finance, 3, `aliases = ["fin", "Queue"]`),
			3, "department[0].aliases[1]", `alias "Queue" is an /ask command word`},
		{"SearchIsReserved", replaceLine(finance, 3, `aliases = ["fin", "search"]`),
			3, "department[0].aliases[1]", `alias "search" is an /ask command word`},
		{"ReservedPrefix", replaceLine(finance, 4, `prefix = "MAP"`),
			4, "department[0].prefix", `prefix "MAP" is an /ask command word`},
		{"LocalTimeZone", replaceLine(finance, 7, `timezone = "Local"`),
			7, "department[0].timezone", "depends on the server"},
		{"BadPrefix", replaceLine(finance, 4, `prefix = "F1"`),
			4, "department[0].prefix", "not 2 to 6 capital letters"},
		{"BadChannel", replaceLine(finance, 5, `channel = "finance"`),
			5, "department[0].channel", "neither a channel ID"},
		{"NoStaff", replaceLine(finance, 6, `leads = []`),
			6, "department[0].leads", "no staff"},
		{"BadLead", replaceLine(finance, 6, `leads = ["@fiona"]`),
			6, "department[0].leads[0]", "not a Slack user ID"},
		{"SyntaxError", finance + "description = \"unterminated\nmembers = []",
			10, "department[0]", "cannot have new lines"},
		{"TypeMismatch", replaceLine(finance, 6, `leads = "U0FIONA01"`),
			6, "department[0].leads", "cannot decode TOML string"},
		{"BadHolidayDate", finance + "holidays = [\n  \"2026-12-25\",\n  \"2026-02-30\",\n]",
			12, "department[0].holidays[1]", `bad holiday date "2026-02-30"`},
		{"DuplicateHoliday", finance + `holidays = ["2026-12-25", { date = "2026-12-25", name = "Christmas" }]`,
			10, "department[0].holidays[1]", "listed twice"},
		{"UnknownPeopleDepartment", finance + "[people]\nU0SAM0001 = { name = \"sam\", department = \"sales\" }",
			11, "people.U0SAM0001.department", `unknown department "sales"`},
		{"PeopleNotUserID", finance + "[people.fiona]\ndepartment = \"finance\"",
			10, "people.fiona", "not a Slack user ID"},
		{"DuplicateHandle", finance + "[people]\nU0FIONA01 = { name = \"fiona\" }\nU0FIONA02 = { name = \"Fiona\" }",
			12, "people.U0FIONA02.name", `handle "Fiona" is already U0FIONA01's`},
		{"BadAdmin", `admins = ["U0FIONA01", "fiona"]` + "\n" + finance,
			1, "admins[1]", `"fiona" is not a Slack user ID`},
		{"BadDefaultPriority", `default_priority = "high"` + "\n" + finance,
			1, "default_priority", `unknown priority "high"`},
		{"BadReopenWindow", `reopen_window = "2 weeks"` + "\n" + finance,
			1, "reopen_window", `bad duration "2 weeks"`},
		{"NoDepartments", `admins = ["U0FIONA01"]`,
			0, "department", "no departments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			probs := mustProblems(t, tc.src)
			if len(probs) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(probs), probs)
			}
			p := probs[0]
			if p.File != "askdesk.toml" || p.Line != tc.line || p.Key != tc.key {
				t.Errorf("got %s:%d: %s, want askdesk.toml:%d: %s", p.File, p.Line, p.Key, tc.line, tc.key)
			}
			if !strings.Contains(p.Msg, tc.msg) {
				t.Errorf("message %q lacks %q", p.Msg, tc.msg)
			}
		})
	}
}

func TestParse_AllProblemsAtOnce(t *testing.T) {
	src := `default_priority = "high"
` + finance + `colour = "blue"
sla.urgent = { first_response = "1h", resolution = "4x" }
[people]
U0SAM0001 = { name = "sam", department = "sales" }
`
	probs := mustProblems(t, src)
	want := []string{
		"askdesk.toml:1: default_priority: unknown priority \"high\": use urgent, normal or low",
		"askdesk.toml:11: department[0].colour: unknown key; expected one of aliases, channel, description, digest_when_quiet, display_name, holidays, hours, intake_channels, keywords, language, leads, members, name, prefix, public_requests, reminders, right_first_time, satisfaction, sla, timezone, types, usergroup, workdays",
		`askdesk.toml:12: department[0].sla.urgent.resolution: bad duration "4x": unit 'x' is not wd, d, h or m; write business hours like "4h" or "2h30m", working days like "1wd" or "1wd4h" ("3d" also means working days), or calendar time like "24h calendar"`,
		"askdesk.toml:14: people.U0SAM0001.department: unknown department \"sales\"; departments are finance",
	}
	if got := strings.Split(probs.Error(), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p := probs[1]; p.Col != 1 {
		t.Errorf("unknown key column = %d, want 1", p.Col)
	}
}

func TestProblem_String(t *testing.T) {
	for _, tc := range []struct {
		p    config.Problem
		want string
	}{
		{config.Problem{File: "a.toml", Line: 3, Col: 5, Key: "k", Msg: "bad"}, "a.toml:3: k: bad"},
		{config.Problem{File: "a.toml", Key: "k", Msg: "bad"}, "a.toml: k: bad"},
		{config.Problem{Key: "k", Msg: "bad"}, "k: bad"},
		{config.Problem{File: "a.toml", Line: 3, Msg: "bad"}, "a.toml:3: bad"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

// Every command of the grammar is reserved, and so are planned ones.
func TestReservedWords(t *testing.T) {
	for _, w := range append(bot.CommandWords(), "map") {
		if !slices.Contains(config.ReservedWords, w) {
			t.Errorf("ReservedWords lacks %q", w)
		}
	}
}

func TestScheduleAndReminders(t *testing.T) {
	base := minimalDepartment
	good := `
[schedule]
timezone = "Europe/Paris"
sweep = "@every 2m"
digest = "30 8 * * MON"

[reminders]
warn_at = [75, 25]
auto_close = "off"
` + base + `
[department.reminders]
escalate_after = "30m"
`
	cfg, err := config.Parse("ok.toml", strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := cfg.Directory()
	if err != nil {
		t.Fatal(err)
	}
	p := dir.Departments[0].Policy()
	if len(p.WarnAt) != 2 || p.WarnAt[0] != 25 || !p.AutoClose.IsZero() || p.EscalateAfter.Time.Minutes() != 30 || p.NudgeEvery.Days != 1 {
		t.Fatalf("policy %+v", p)
	}
	bad := `
[schedule]
sweep = "every five minutes"
digest = "0 25 * * MON"

[reminders]
warn_at = [0, 150]
nudge_every = "daily"
` + base
	_, err = config.Parse("bad.toml", strings.NewReader(bad))
	var probs config.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("want problems, got %v", err)
	}
	got := probs.Error()
	for _, want := range []string{"bad.toml:3: schedule.sweep: bad cron spec", "bad.toml:4: schedule.digest: bad cron spec",
		"bad.toml:7: reminders.warn_at[0]", "bad.toml:7: reminders.warn_at[1]", "bad.toml:8: reminders.nudge_every: bad duration"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
}

func TestRatingsConfig(t *testing.T) {
	base := minimalDepartment
	cfg, err := config.Parse("ok.toml", strings.NewReader(`
[ratings]
window = "3d"
remind_after = "off"
min_interval = "14d"
sample = 0.25
reactions = true
`+base))
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := cfg.Directory()
	p := dir.Ratings
	if p.Window.Hours() != 72 || p.RemindAfter >= 0 || p.MinInterval.Hours() != 14*24 || p.Sample != 0.25 || len(p.Emoji) != 5 || !p.Reactions {
		t.Fatalf("policy %+v", p)
	}
	_, err = config.Parse("bad.toml", strings.NewReader(`
[ratings]
emoji = ["a", "b"]
window = "off"
sample = 2.0
`+base))
	var probs config.Problems
	if !errors.As(err, &probs) {
		t.Fatalf("want problems, got %v", err)
	}
	for _, want := range []string{"bad.toml:3: ratings.emoji: give exactly five emoji", "bad.toml:4: ratings.window: cannot be off", "bad.toml:5: ratings.sample"} {
		if !strings.Contains(probs.Error(), want) {
			t.Errorf("problems lack %q:\n%s", want, probs.Error())
		}
	}
}

func TestCronSpecGuards(t *testing.T) {
	base := minimalDepartment
	for _, c := range []struct{ schedule, want string }{
		{`sweep = "@every 0s"`, "a minute or more"},
		{`sweep = "@every -5m"`, "a minute or more"},
		{`sweep = "0 9 30 2 *"`, "never fires"},
		{`digest = "@hourly"`, "more than once a day"},
	} {
		_, err := config.Parse("c.toml", strings.NewReader("[schedule]\n"+c.schedule+"\n"+base))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.schedule, err, c.want)
		}
	}
}

// minimalDepartment is the smallest valid department, for tests of the
// other tables.
const minimalDepartment = `
[[department]]
name = "finance"
prefix = "FIN"
channel = "#fin"
leads = ["U0FIONA01"]
timezone = "America/New_York"
hours.weekdays = "09:00-17:00"
sla.normal = { first_response = "4h", resolution = "3d" }
`
