// Package bottest is the test company shared by the tests of bot and of the
// packages beside it (bot/report): its people, departments and calendars,
// so that each package's fixture builds on one company rather than a copy.
package bottest

import (
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// People in the test company.
const (
	Ada   = "U0ADA"   // admin
	Fiona = "U0FIONA" // finance lead
	Frank = "U0FRANK" // finance member
	Ivan  = "U0IVAN"  // IT member
	Sam   = "U0SAM"   // sales; nobody's staff: an internal customer
	Tina  = "U0TINA"  // marketing; another customer
)

// Tuesday10 is Tue 24 Nov 2026 10:00 in New York, where the fixtures start.
var Tuesday10 = time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)

// Directory is the test company: Finance (New York, 09:00–12:00 and
// 13:00–18:00 on weekdays, Thanksgiving off; urgent and normal targets) and
// IT (Shanghai, 09:00–18:00; normal only), the six people above, Ada the
// admin, and a 14-day reopen window.
func Directory(tb testing.TB) *bot.Directory {
	tb.Helper()
	fin := Weekdays(tb, "America/New_York", bot.Span{Start: HM(9, 0), End: HM(12, 0)}, bot.Span{Start: HM(13, 0), End: HM(18, 0)})
	fin.Holidays["2026-11-26"] = "Thanksgiving"
	it := Weekdays(tb, "Asia/Shanghai", bot.Span{Start: HM(9, 0), End: HM(18, 0)})
	d := &bot.Directory{
		Departments: []*bot.Department{
			{Name: "finance", DisplayName: "Finance", Aliases: []string{"fin", "财务"}, Prefix: "FIN", Channel: "#finance",
				Leads: []string{Fiona}, Members: []string{Frank}, Calendar: fin,
				Targets: map[bot.Priority]bot.Target{
					bot.Urgent: {FirstResponse: bot.BusinessDuration{Time: 30 * time.Minute}, Resolution: bot.BusinessDuration{Time: 4 * time.Hour}},
					bot.Normal: {FirstResponse: bot.BusinessDuration{Time: 4 * time.Hour}, Resolution: bot.BusinessDuration{Days: 2}},
				}},
			{Name: "it", DisplayName: "IT", Aliases: []string{"helpdesk", "tech support"}, Prefix: "IT", Channel: "#it",
				Members: []string{Ivan}, Calendar: it,
				Targets: map[bot.Priority]bot.Target{
					bot.Normal: {FirstResponse: bot.BusinessDuration{Time: 2 * time.Hour}, Resolution: bot.BusinessDuration{Days: 1}},
				}},
		},
		People: map[string]*bot.Person{
			Ada: {ID: Ada, Name: "ada"}, Fiona: {ID: Fiona, Name: "fiona"}, Frank: {ID: Frank, Name: "frank"},
			Ivan: {ID: Ivan, Name: "ivan"}, Sam: {ID: Sam, Name: "sam", Department: "sales", Timezone: "Asia/Shanghai"},
			Tina: {ID: Tina, Name: "tina", Department: "marketing"},
		},
		Admins:       []string{Ada},
		ReopenWindow: bot.BusinessDuration{Days: 14},
	}
	d.Index()
	return d
}

// MustZone loads a time zone or fails the test.
func MustZone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

// Weekdays builds a Mon–Fri calendar with the same spans each day.
func Weekdays(tb testing.TB, zone string, spans ...bot.Span) *bot.Calendar {
	tb.Helper()
	c := &bot.Calendar{Location: MustZone(tb, zone), Holidays: map[string]string{}}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Hours[d] = spans
	}
	return c
}

// AllDay is a calendar open around the clock, every day.
func AllDay(tb testing.TB, zone string) *bot.Calendar {
	tb.Helper()
	c := &bot.Calendar{Location: MustZone(tb, zone)}
	for d := range 7 {
		c.Hours[d] = []bot.Span{{Start: 0, End: 24 * 60}}
	}
	return c
}

// HM is a time of day in minutes.
func HM(h, m int) int { return h*60 + m }

// At parses "2006-01-02 15:04" in loc or fails the test.
func At(tb testing.TB, loc *time.Location, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}
