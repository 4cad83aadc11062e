package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

func mustDuration(t *testing.T, s string) bot.BusinessDuration {
	t.Helper()
	d, err := bot.ParseBusinessDuration(s)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return d
}

func TestParseBusinessDuration_Kinds(t *testing.T) {
	cal := bot.CalendarTime
	good := map[string]bot.BusinessDuration{
		"1wd":              {Days: 1},
		"3d":               {Days: 3},
		"1wd4h":            {Days: 1, Time: 4 * time.Hour},
		"1d4h":             {Days: 1, Time: 4 * time.Hour},
		"4h":               {Time: 4 * time.Hour},
		"24h calendar":     {Time: 24 * time.Hour, Kind: cal},
		" 24h  Calendar":   {Time: 24 * time.Hour, Kind: cal},
		"2d calendar":      {Days: 2, Kind: cal},
		"1d6h30m calendar": {Days: 1, Time: 6*time.Hour + 30*time.Minute, Kind: cal},
	}
	for in, want := range good {
		got, err := bot.ParseBusinessDuration(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", in, got, err, want)
			continue
		}
		// String is config spelling: it parses back to the same duration.
		if back, err := bot.ParseBusinessDuration(got.String()); err != nil || back != got {
			t.Errorf("Parse(%q.String() = %q) = %+v, %v", in, got.String(), back, err)
		}
	}
	if got := mustDuration(t, "24h calendar").String(); got != "24h calendar" {
		t.Errorf("String() = %q, want \"24h calendar\"", got)
	}
	bad := map[string]string{
		"24x":           `unit 'x' is not wd, d, h or m; write business hours like "4h" or "2h30m", working days like "1wd" or "1wd4h" ("3d" also means working days), or calendar time like "24h calendar"`,
		"1wd calendar":  `working days (wd) are business time; for calendar days write "1d calendar"`,
		"24h business":  `"business" is not a unit; the only word allowed after the amount is "calendar"`,
		"calendar":      `bad duration "calendar"`,
		"24 h calendar": `bad duration "24 h calendar"`,
		"30m4h":         "units must appear once each, in the order days, hours, minutes",
		"1w":            `unit 'w' is not wd, d, h or m`,
	}
	for in, want := range bad {
		_, err := bot.ParseBusinessDuration(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) error %v, want one containing %q", in, err, want)
		}
	}
}

func TestTargetWords(t *testing.T) {
	cal := weekdays(t, "America/New_York", bot.Span{hm(9, 0), hm(17, 0)}) // 8h days
	for in, want := range map[string]string{
		"4h":            "4 business hours",
		"1h":            "1 business hour",
		"30m":           "30 minutes of business time",
		"2h30m":         "2 business hours 30 minutes",
		"8h":            "8 business hours (about 1 working day)",
		"12h":           "12 business hours (about 1½ working days)",
		"24h":           "24 business hours (about 3 working days)",
		"1wd":           "1 working day",
		"3d":            "3 working days",
		"1wd4h":         "1 working day and 4 business hours",
		"24h calendar":  "24 hours, calendar time",
		"2d calendar":   "2 days, calendar time",
		"1d4h calendar": "1 day and 4 hours, calendar time",
		"90m calendar":  "1 hour and 30 minutes, calendar time",
	} {
		if got := bot.TargetWords(mustDuration(t, in), cal); got != want {
			t.Errorf("TargetWords(%q) = %q, want %q", in, got, want)
		}
	}
	// The typical day is the calendar's: with 9h days, 24h is about 2½.
	long := weekdays(t, "Asia/Shanghai", bot.Span{hm(9, 0), hm(18, 0)})
	if got, want := bot.TargetWords(mustDuration(t, "24h"), long), "24 business hours (about 2½ working days)"; got != want {
		t.Errorf("9h days: %q, want %q", got, want)
	}
}

// TestCalendarTimeTargetAcrossWeekend: a target in calendar time counts the
// night and the weekend that business time skips, but not the time spent
// waiting on the requester.
func TestCalendarTimeTargetAcrossWeekend(t *testing.T) {
	cal := weekdays(t, "America/New_York", bot.Span{hm(9, 0), hm(17, 0)})
	loc := cal.Location
	dep := &bot.Department{Name: "ops", Calendar: cal, Targets: map[bot.Priority]bot.Target{
		bot.Normal: {FirstResponse: mustDuration(t, "4h calendar"), Resolution: mustDuration(t, "24h calendar")},
	}}
	fri16 := at(t, loc, "2026-11-20 16:00")
	r := &bot.Request{Priority: bot.Normal, State: bot.Open, CreatedAt: fri16, ResolutionStart: fri16}
	first, res := r.Clocks(dep)
	if first.Target != 4*time.Hour || res.Target != 24*time.Hour {
		t.Fatalf("targets %s and %s, want 4h and 24h of wall time", first.Target, res.Target)
	}
	now := at(t, loc, "2026-11-20 16:30")
	if got, want := first.Due(cal, now), at(t, loc, "2026-11-20 20:00"); !got.Equal(want) {
		t.Errorf("first response due %s, want Fri 20:00 (after closing)", got.In(loc))
	}
	if got, want := res.Due(cal, now), at(t, loc, "2026-11-21 16:00"); !got.Equal(want) {
		t.Errorf("resolution due %s, want Sat 16:00", got.In(loc))
	}
	// The same request on business time would be due Mon 16:00 and Wed 16:00.
	if got := cal.Deadline(fri16, mustDuration(t, "24h")); !got.Equal(at(t, loc, "2026-11-25 16:00")) {
		t.Errorf("business 24h due %s, want Wed 16:00", got.In(loc))
	}

	t.Run("Deadlines", func(t *testing.T) {
		r := *r
		r.SetDeadlines(dep, now)
		if !r.ResolutionDue.Equal(at(t, loc, "2026-11-21 16:00")) || !r.FirstResponseDue.Equal(at(t, loc, "2026-11-20 20:00")) {
			t.Errorf("stored deadlines %s, %s", r.FirstResponseDue.In(loc), r.ResolutionDue.In(loc))
		}
	})
	t.Run("Breached on Saturday", func(t *testing.T) {
		s := res.Status(cal, at(t, loc, "2026-11-21 18:00"))
		if !s.Breached || s.Remaining != -2*time.Hour {
			t.Errorf("status %+v: want breached, 2h over", s)
		}
		line := bot.ClockLine("resolution", s, at(t, loc, "2026-11-21 18:00"), loc)
		if !strings.Contains(line, "overdue by 2h of calendar time") {
			t.Errorf("clock line %q does not say calendar time", line)
		}
	})
	t.Run("PausesExcluded", func(t *testing.T) {
		// Waiting on the requester from Fri 18:00 to Sat 06:00: 12h later.
		res := res
		res.Pauses = []bot.Interval{{Start: at(t, loc, "2026-11-20 18:00"), End: at(t, loc, "2026-11-21 06:00")}}
		if got, want := res.Due(cal, at(t, loc, "2026-11-21 08:00")), at(t, loc, "2026-11-22 04:00"); !got.Equal(want) {
			t.Errorf("due %s, want Sun 04:00", got.In(loc))
		}
		if got := res.Elapsed(cal, at(t, loc, "2026-11-21 08:00")); got != 4*time.Hour {
			t.Errorf("elapsed %s, want 4h (2h before the pause, 2h after)", got)
		}
	})
	t.Run("WarnThreshold", func(t *testing.T) {
		// Half of a 24h calendar target: Sat 04:00.
		if got, want := res.At(cal, 12*time.Hour, now), at(t, loc, "2026-11-21 04:00"); !got.Equal(want) {
			t.Errorf("50%% at %s, want Sat 04:00", got.In(loc))
		}
	})
}

// TestWorkingDaysTarget: "1wd" is the same time on the next working day.
func TestWorkingDaysTarget(t *testing.T) {
	cal := weekdays(t, "America/New_York", bot.Span{hm(9, 0), hm(17, 0)})
	loc := cal.Location
	for _, c := range []struct{ from, target, want string }{
		{"2026-11-24 14:00", "1wd", "2026-11-25 14:00"},   // Tue → Wed
		{"2026-11-20 14:00", "1wd", "2026-11-23 14:00"},   // Fri → Mon
		{"2026-11-20 14:00", "1wd4h", "2026-11-24 10:00"}, // Fri → Mon 14:00, +4h: Tue 10:00
		{"2026-11-24 14:00", "3d", "2026-11-27 14:00"},    // Tue → Fri
		{"2026-11-21 11:00", "1wd", "2026-11-24 09:00"},   // Sat: from Mon's opening
	} {
		if got := cal.Deadline(at(t, loc, c.from), mustDuration(t, c.target)); !got.Equal(at(t, loc, c.want)) {
			t.Errorf("%s + %s = %s, want %s", c.from, c.target, got.In(loc).Format("Mon 2006-01-02 15:04"), c.want)
		}
	}
}

// shanghai2026 is an office calendar in Shanghai around the 2026 Spring
// Festival: closed 15–23 February, working the Saturday before.
func shanghai2026(t *testing.T) *bot.Calendar {
	cal := weekdays(t, "Asia/Shanghai", bot.Span{hm(8, 30), hm(12, 0)}, bot.Span{hm(13, 0), hm(17, 30)})
	for d := 15; d <= 23; d++ {
		cal.Holidays[time.Date(2026, 2, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)] = "春节 Spring Festival"
	}
	cal.Workdays = map[string]bot.Workday{"2026-02-14": {Name: "春节调休 Spring Festival make-up day"}}
	return cal
}

// TestMakeUpSaturdayCounted: a request filed on Friday evening before a
// make-up Saturday is due on that Saturday, with Monday's hours, not after
// the nine days of the festival.
func TestMakeUpSaturdayCounted(t *testing.T) {
	cal := shanghai2026(t)
	loc := cal.Location
	fri := at(t, loc, "2026-02-13 19:00")
	// 4h: Sat 08:30–12:00 is 3h30m, then 30m after lunch.
	if got, want := cal.Deadline(fri, mustDuration(t, "4h")), at(t, loc, "2026-02-14 13:30"); !got.Equal(want) {
		t.Errorf("4h due %s, want Sat 14 Feb 13:30", got.In(loc))
	}
	// One working day: the Saturday is the next working day, and then the
	// festival; Tue 24 Feb is the one after.
	if got, want := cal.Deadline(at(t, loc, "2026-02-13 10:00"), mustDuration(t, "1wd")), at(t, loc, "2026-02-14 10:00"); !got.Equal(want) {
		t.Errorf("1wd from Fri 10:00 due %s, want Sat 10:00", got.In(loc))
	}
	if got, want := cal.Deadline(at(t, loc, "2026-02-13 10:00"), mustDuration(t, "2wd")), at(t, loc, "2026-02-24 10:00"); !got.Equal(want) {
		t.Errorf("2wd from Fri 10:00 due %s, want Tue 24 Feb 10:00", got.In(loc))
	}
	if !cal.IsOpen(at(t, loc, "2026-02-14 09:00")) || cal.IsOpen(at(t, loc, "2026-02-21 09:00")) {
		t.Error("the make-up Saturday must be open and other Saturdays closed")
	}
	if got := cal.Between(at(t, loc, "2026-02-14 00:00"), at(t, loc, "2026-02-15 00:00")); got != 8*time.Hour {
		t.Errorf("the make-up Saturday holds %s, want Monday's 8h", got)
	}
	segs := cal.Segments(fri, at(t, loc, "2026-02-14 13:30"))
	var named bool
	for _, s := range segs {
		if s.Open && s.Why == "extra working day: 春节调休 Spring Festival make-up day" {
			named = true
		}
	}
	if !named {
		t.Errorf("segments do not name the make-up day: %+v", segs)
	}
	t.Run("OwnHours", func(t *testing.T) {
		cal := shanghai2026(t)
		cal.Workdays["2026-02-14"] = bot.Workday{Hours: []bot.Span{{hm(9, 0), hm(12, 0)}}}
		if got, want := cal.Deadline(fri, mustDuration(t, "4h")), at(t, loc, "2026-02-24 09:30"); !got.Equal(want) {
			t.Errorf("4h with a 3h Saturday due %s, want Tue 24 Feb 09:30", got.In(loc))
		}
	})
}

// TestMakeUpDayInStatus: /ask status names the make-up day it counted.
func TestMakeUpDayInStatus(t *testing.T) {
	f := newFixture(t)
	it := f.Desk.Dir().ByName("it")
	it.Calendar = shanghai2026(t)
	it.Calendar.Hours = weekdays(t, "Asia/Shanghai", bot.Span{hm(9, 0), hm(18, 0)}).Hours
	loc := it.Calendar.Location
	f.Clock.Set(at(t, loc, "2026-02-13 19:00"))
	f.File(t, sam, "it", "the badge reader is broken")
	f.Clock.Set(at(t, loc, "2026-02-14 10:00"))
	text := f.Desk.Command(f.Ctx, sam, "/ask status IT-1").Text
	for _, want := range []string{
		"First response due by Sat 11:00 (your time, Asia/Shanghai), in 1h of business time",
		"✓ Sat 14 Feb 09:00–10:00  counted 1h, extra working day: 春节调休 Spring Festival make-up day",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("status lacks %q:\n%s", want, text)
		}
	}
}

// TestTargetsShownInWords: /ask depts and /ask status say each target's
// kind, and a calendar-time clock says so as it counts.
func TestTargetsShownInWords(t *testing.T) {
	f := newFixture(t)
	it := f.Desk.Dir().ByName("it")
	it.Targets[bot.Normal] = bot.Target{FirstResponse: mustDuration(t, "30m calendar"), Resolution: mustDuration(t, "24h calendar")}
	it.Targets[bot.Urgent] = bot.Target{FirstResponse: mustDuration(t, "18h"), Resolution: mustDuration(t, "1wd")}

	depts := f.Desk.Command(f.Ctx, sam, "/ask depts").Text
	for _, want := range []string{
		"• urgent: first response within 18 business hours (about 2 working days); resolution within 1 working day",
		"• normal: first response within 30 minutes, calendar time; resolution within 24 hours, calendar time",
		"• normal: first response within 4 business hours; resolution within 2 working days", // Finance
	} {
		if !strings.Contains(depts, want) {
			t.Errorf("/ask depts lacks %q:\n%s", want, depts)
		}
	}

	r := f.File(t, sam, "it", "new laptop") // Tue 24 Nov 23:00 in Shanghai, after hours
	// Deadlines set at filing count the night.
	if !r.FirstResponseDue.Equal(tuesday10.Add(30*time.Minute)) || !r.ResolutionDue.Equal(tuesday10.Add(24*time.Hour)) {
		t.Errorf("deadlines at filing %s and %s, want 30m and 24h of wall time after %s", r.FirstResponseDue, r.ResolutionDue, tuesday10)
	}
	f.Clock.Advance(2 * time.Hour)
	status := f.Desk.Command(f.Ctx, sam, "/ask status IT-1").Text
	for _, want := range []string{
		"First response overdue by 1h 30m of calendar time",
		"Target: 30 minutes, calendar time, for normal priority: nights, weekends and holidays count; only waiting on the requester pauses it.",
		"Target: 24 hours, calendar time, for normal priority",
		"Calendar time counted: 2h · paused: 0m",
		"Resolution due by Wed 23:00 (your time, Asia/Shanghai), in 22h of calendar time",
	} {
		if !strings.Contains(status, want) {
			t.Errorf("/ask status lacks %q:\n%s", want, status)
		}
	}
}

// TestRemindCalendarTimeTarget: the warnings and the breach of a target in
// calendar time come at its shares of wall-clock time, lunch included,
// where the same target in business hours would warn an hour later.
func TestRemindCalendarTimeTarget(t *testing.T) {
	f := newFixture(t) // Tue 24 Nov 10:00 New York; Finance closes 12–13 for lunch
	fin := f.Desk.Dir().ByName("finance")
	fin.Targets[bot.Normal] = bot.Target{FirstResponse: mustDuration(t, "6h calendar"), Resolution: mustDuration(t, "2wd")}
	f.File(t, sam, "finance", "numbers")
	f.Sent(t)
	for _, s := range []struct {
		at   string
		want []string
	}{
		{"2026-11-24 12:59", nil},
		{"2026-11-24 13:00", []string{"50% of the first response target used (target: 6 hours, calendar time)", "first response due by Tue 16:00 (America/New_York), in 3h of calendar time"}},
		{"2026-11-24 14:29", nil},
		{"2026-11-24 14:30", []string{"75% of the first response target used"}},
		{"2026-11-24 16:00", []string{"first response overdue since Tue 16:00 (America/New_York)"}},
	} {
		f.at(t, s.at)
		f.sweep(t)
		got := texts(f.Sent(t))
		if s.want == nil && got != "" {
			t.Fatalf("at %s sent:\n%s", s.at, got)
		}
		for _, w := range s.want {
			if !strings.Contains(got, w) {
				t.Fatalf("at %s want %q, sent:\n%s", s.at, w, got)
			}
		}
	}
}

// FuzzParseBusinessDuration: whatever parses prints back to a spelling that
// parses to the same duration, and says itself in words.
func FuzzParseBusinessDuration(f *testing.F) {
	for _, s := range []string{"4h", "1wd", "3d", "1wd4h", "24h calendar", "2d calendar", "1wd calendar", "24x", "90m", " 1d2h3m  calendar "} {
		f.Add(s)
	}
	cal := &bot.Calendar{Location: time.UTC}
	cal.Hours[time.Monday] = []bot.Span{{Start: 9 * 60, End: 17 * 60}}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := bot.ParseBusinessDuration(s)
		if err != nil || d.IsZero() {
			return
		}
		back, err := bot.ParseBusinessDuration(d.String())
		if err != nil || back != d {
			t.Fatalf("%q parsed to %+v, printed %q, parsed back to %+v, %v", s, d, d.String(), back, err)
		}
		if w := bot.TargetWords(d, cal); w == "" || strings.Contains(w, "no time") {
			t.Fatalf("%q said as %q", s, w)
		}
	})
}
