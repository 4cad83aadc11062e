package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
)

func TestQuarterlySurvey(t *testing.T) {
	f := newFixture(t)
	f.at(t, "2026-09-15 10:00")
	f.File(t, sam, "finance", "a")
	f.File(t, sam, "it", "b")
	f.File(t, sam, "finance", "c")
	f.File(t, tina, "finance", "d")
	f.Sent(t)
	q3, _ := bot.ParseQuarter("2026-Q3")
	ny := mustZone(t, "America/New_York")
	n, err := f.Desk.RunSurvey(f.Ctx, f.DB, q3, ny)
	if err != nil || n != 2 {
		t.Fatalf("asked %d, %v; want sam and tina", n, err)
	}
	msgs := f.Sent(t)
	dm := findDM(msgs, sam)
	if len(msgs) != 2 || dm == nil || !strings.Contains(dm.Text, "You asked Finance and IT for help") {
		t.Fatalf("one DM per person listing their departments:\n%s", texts(msgs))
	}
	if n, _ := f.Desk.RunSurvey(f.Ctx, f.DB, q3, ny); n != 0 {
		t.Fatalf("asked again: %d", n)
	}
	if err := f.Desk.AnswerSurvey(f.Ctx, f.DB, sam, "2026-Q3", "fin", 4, "quick and kind"); err != nil {
		t.Fatal(err)
	}
	if err := f.Desk.AnswerSurvey(f.Ctx, f.DB, tina, "2026-Q3", "it", 2, ""); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Fatalf("answering about a department not asked: %v", err)
	}
	if err := f.Desk.AnswerSurvey(f.Ctx, f.DB, sam, "2026-Q3", "it", 9, ""); bot.ErrorCode(err) != bot.EINVALID {
		t.Fatalf("score 9: %v", err)
	}
	res, _ := f.DB.SurveyResults(f.Ctx, "2026-Q3")
	if len(res) != 3 || res[0].Dept != "finance" {
		t.Fatalf("results %+v", res)
	}

	// The schedule's daily check runs it on the first weekday of a quarter
	// only: Thursday 1 October 2026.
	f.at(t, "2026-09-30 10:00")
	if n, _ := f.Desk.SurveyIfDue(f.Ctx, f.DB, ny, nil); n != 0 {
		t.Fatal("ran before the quarter began")
	}
	f.at(t, "2026-10-01 10:00")
	if n, err := f.Desk.SurveyIfDue(f.Ctx, f.DB, ny, nil); err != nil || n != 0 {
		t.Fatalf("Q3 already surveyed: %d %v", n, err)
	}
}

// surveyDay files a request in the quarter before from and returns the
// first day from from on whose 10:00 check (in loc) sends the survey, as
// serve's daily check would.
func surveyDay(t *testing.T, loc *time.Location, cal *bot.Calendar, from string, days int) string {
	t.Helper()
	f := newFixture(t)
	start := at(t, loc, from+" 10:00")
	f.Clock.Set(start.AddDate(0, 0, -20))
	f.File(t, sam, "finance", "last quarter's question")
	f.Sent(t)
	for i := range days {
		now := start.AddDate(0, 0, i)
		f.Clock.Set(now)
		n, err := f.Desk.SurveyIfDue(f.Ctx, f.DB, loc, cal)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return now.Format("Mon 2006-01-02")
		}
	}
	return "none"
}

// The survey goes out on the first working day of a quarter: with no
// calendar the first weekday, as always; with a department's calendar its
// first open day, so not on a public holiday, and on a make-up Sunday.
func TestSurveyDayKeepsTheCalendar(t *testing.T) {
	zh, err := config.Load("../config.example.zh.toml")
	if err != nil {
		t.Fatal(err)
	}
	zhDir, err := zh.Directory()
	if err != nil {
		t.Fatal(err)
	}
	en, err := config.Load("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	enDir, err := en.Directory()
	if err != nil {
		t.Fatal(err)
	}
	sh, ny := mustZone(t, "Asia/Shanghai"), mustZone(t, "America/New_York")
	hr := zhDir.Lookup(zh.Schedule.Calendar).Calendar
	for _, tc := range []struct {
		name string
		loc  *time.Location
		cal  *bot.Calendar
		from string
		want string
	}{
		// 国庆节 closes 1–7 October 2026; Saturday 10 October is a
		// make-up day, but Thursday 8 October comes first.
		{"ShanghaiQ4AfterNationalDay", sh, hr, "2026-09-29", "Thu 2026-10-08"},
		// 元旦 closes 1–3 January 2026; Sunday 4 January is worked.
		{"ShanghaiQ1OnMakeUpSunday", sh, hr, "2025-12-30", "Sun 2026-01-04"},
		{"ShanghaiQ3NoHoliday", sh, hr, "2026-06-29", "Wed 2026-07-01"},
		// The English example's Shanghai team keeps the same notice.
		{"EnglishFacilitiesQ4", sh, enDir.ByName("facilities").Calendar, "2026-09-29", "Thu 2026-10-08"},
		// No calendar: Monday to Friday, holidays or not.
		{"NoCalendarQ4", ny, nil, "2026-09-29", "Thu 2026-10-01"},
		{"NoCalendarQ1OnNewYearsDay", ny, nil, "2026-12-30", "Fri 2027-01-01"},
		{"NoCalendarSkipsTheWeekend", ny, nil, "2027-03-30", "Thu 2027-04-01"},
		{"NoCalendarQ3FromSaturday", sh, nil, "2028-06-29", "Mon 2028-07-03"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := surveyDay(t, tc.loc, tc.cal, tc.from, 14); got != tc.want {
				t.Errorf("survey went out on %s, want %s", got, tc.want)
			}
		})
	}
}
