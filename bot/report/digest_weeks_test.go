package report_test

import (
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

func TestParseISOWeek(t *testing.T) {
	for _, c := range []struct {
		in         string
		year, week int
		ok         bool
	}{
		{"2026-W47", 2026, 47, true},
		{"2026-w01", 2026, 1, true},
		{" 2026W5 ", 2026, 5, true},
		{"2026-W53", 2026, 53, true}, // 2026 starts on a Thursday: 53 weeks
		{"2025-W53", 0, 0, false},
		{"2026-W00", 0, 0, false},
		{"2026-W54", 0, 0, false},
		{"2026-47", 0, 0, false},
		{"26-W47", 0, 0, false},
		{"2026-W+4", 0, 0, false},
		{"2026-W470", 0, 0, false},
		{"", 0, 0, false},
	} {
		y, w, err := report.ParseISOWeek(c.in)
		if c.ok && (err != nil || y != c.year || w != c.week) {
			t.Errorf("ParseISOWeek(%q) = %d, %d, %v; want %d, %d", c.in, y, w, err, c.year, c.week)
		}
		if !c.ok && bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("ParseISOWeek(%q) = %d, %d, %v; want EINVALID", c.in, y, w, err)
		}
	}
}

func TestISOWeekRange(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	// 2026-W44 holds the end of DST (Sunday 1 November, 02:00): 169 hours.
	from, to := report.ISOWeek{Year: 2026, Week: 44}.Range(ny)
	if want := time.Date(2026, 10, 26, 4, 0, 0, 0, time.UTC); !from.Equal(want) || to.Sub(from) != 169*time.Hour {
		t.Errorf("W44: %s to %s", from.UTC(), to.UTC())
	}
	from, to = report.ISOWeek{Year: 2026, Week: 45}.Range(ny)
	if want := time.Date(2026, 11, 2, 5, 0, 0, 0, time.UTC); !from.Equal(want) || to.Sub(from) != 168*time.Hour {
		t.Errorf("W45: %s to %s", from.UTC(), to.UTC())
	}
	// 2026-W53 runs into 2027; 2027-W01 starts on Monday 4 January.
	w := report.ISOWeek{Year: 2026, Week: 53}
	if got := w.Add(1); got != (report.ISOWeek{Year: 2027, Week: 1}) {
		t.Errorf("W53 + 1 = %s", got)
	}
	if got := (report.ISOWeek{Year: 2027, Week: 1}).Add(-53); got != (report.ISOWeek{Year: 2026, Week: 1}) {
		t.Errorf("2027-W01 - 53 = %s", got)
	}
	if from, _ := (report.ISOWeek{Year: 2027, Week: 1}).Range(time.UTC); from.Format("2006-01-02 Mon") != "2027-01-04 Mon" {
		t.Errorf("2027-W01 starts %s", from)
	}
	// Sunday 23:30 in New York is already Monday in Shanghai.
	sun := at(t, ny, "2026-11-22 23:30")
	if a, b := report.WeekOf(sun, ny), report.WeekOf(sun, mustZone(t, "Asia/Shanghai")); a.Week != 47 || b.Week != 48 {
		t.Errorf("WeekOf: %s in New York, %s in Shanghai", a, b)
	}
}

// TestDigestDSTWeek counts 2026-W45, the week after New York's clocks went
// back, and the 169-hour week before: boundaries at local midnight, and
// business time over the 25-hour Sunday on a round-the-clock desk.
func TestDigestDSTWeek(t *testing.T) {
	f := newFixture(t)
	ny := mustZone(t, "America/New_York")
	n := func(s string) time.Time { return at(t, ny, s) }
	dir := f.Desk.Dir()
	dir.Departments = append(dir.Departments, &bot.Department{Name: "support", DisplayName: "Support", Prefix: "SUP",
		Channel: "#support", Members: []string{ivan}, Calendar: allDay(t, "America/New_York"),
		Targets: map[bot.Priority]bot.Target{bot.Normal: {FirstResponse: bot.BusinessDuration{Time: 2 * time.Hour}, Resolution: bot.BusinessDuration{Days: 1}}}})
	dir.Index()

	// FIN-1, Friday 16:00 EDT: answered Monday 10:00 EST (2h+1h = 3h),
	// resolved Tuesday 10:00 (2h+8h+1h = 11h of 16h).
	f.fileAt(t, n("2026-10-30 16:00"), sam, "finance", "", "budget")
	// FIN-2, Sunday 01:30 EST, the second 01:30 of the night: in W44.
	// Answered Monday 13:00 (3h); never resolved: at the end of W45,
	// 5×8h = 40h counted, 24h past its 16h.
	f.fileAt(t, time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC), tina, "finance", "", "invoice")
	// SUP-1, Saturday 12:00 EDT: answered in 1h. One business day on a
	// 24-hour desk ends Sunday 12:00 EST, 25 hours later; resolved Monday
	// 00:30 EST, 37h30m after filing: missed, and in W45.
	f.fileAt(t, n("2026-10-31 12:00"), sam, "support", "", "vpn down")
	f.doAt(t, n("2026-10-31 13:00"), ivan, bot.ActClaim, "SUP-1")
	f.doAt(t, n("2026-11-02 00:30"), ivan, bot.ActResolve, "SUP-1")
	f.doAt(t, n("2026-11-02 10:00"), frank, bot.ActClaim, "FIN-1")
	f.doAt(t, n("2026-11-02 13:00"), frank, bot.ActClaim, "FIN-2")
	f.doAt(t, n("2026-11-03 10:00"), frank, bot.ActResolve, "FIN-1")

	now := n("2026-11-09 09:00")
	d := f.digest(t, "finance", "2026-W45", now)
	if !d.From.Equal(time.Date(2026, 11, 2, 5, 0, 0, 0, time.UTC)) || !d.To.Equal(time.Date(2026, 11, 9, 5, 0, 0, 0, time.UTC)) {
		t.Errorf("W45 from %s to %s", d.From.UTC(), d.To.UTC())
	}
	checkFigures(t, "finance W45", d.Figures, report.Figures{
		New: 0, Resolved: 1, Open: 1, Overdue: 1, FirstResponses: 2, FirstResponsesMet: 2, ResolutionsMet: 1, RightFirstTime: 1,
		FirstResponseTime: report.Spread{N: 2, Median: h(3), P90: h(3)},
		ResolutionTime:    report.Spread{N: 1, Median: h(11), P90: h(11)},
	})
	// At the end of W44 (Monday 00:00 EST) both were open; FIN-1 had used
	// 2h of its 4h.
	checkFigures(t, "finance W44", d.Prev, report.Figures{New: 2, Open: 2})
	if len(d.Worst) != 1 || d.Worst[0].ID != "FIN-2" || d.Worst[0].Clock != "resolution" || d.Worst[0].Overdue != h(24) {
		t.Errorf("worst %+v", d.Worst)
	}

	s := f.digest(t, "support", "2026-W45", now)
	checkFigures(t, "support W45", s.Figures, report.Figures{
		Resolved: 1, RightFirstTime: 1, ResolutionTime: report.Spread{N: 1, Median: h(37.5), P90: h(37.5)},
	})
	// Open and overdue at Monday 00:00 EST: 37h counted of 25h.
	checkFigures(t, "support W44", s.Prev, report.Figures{
		New: 1, Open: 1, Overdue: 1, FirstResponses: 1, FirstResponsesMet: 1,
		FirstResponseTime: report.Spread{N: 1, Median: h(1), P90: h(1)},
	})
}

// TestDigestHolidayWeek counts Thanksgiving week (2026-W48): Thursday
// counts no business time, for attainment, times and breaches.
func TestDigestHolidayWeek(t *testing.T) {
	f := newFixture(t)
	ny := mustZone(t, "America/New_York")
	n := func(s string) time.Time { return at(t, ny, s) }
	// FIN-1, Wednesday 16:00: first response due Friday 11:00, given
	// Friday 10:30 (2h+1.5h); resolved Friday 17:00 after 2h+3h+4h = 9h
	// of 16h (due Monday 16:00).
	f.fileAt(t, n("2026-11-25 16:00"), sam, "finance", "", "q4 forecast")
	// FIN-2, Wednesday 09:00, never answered: first response missed at
	// Wednesday 14:00; at the week's end 8h+8h = 16h counted (24h without
	// the holiday), 12h past the first response's 4h and exactly the
	// resolution's 16h, reached at Friday's close.
	f.fileAt(t, n("2026-11-25 09:00"), tina, "finance", "", "refund")
	f.doAt(t, n("2026-11-27 10:30"), frank, bot.ActClaim, "FIN-1")
	f.doAt(t, n("2026-11-27 17:00"), frank, bot.ActResolve, "FIN-1")

	d := f.digest(t, "finance", "2026-W48", n("2026-11-30 09:00"))
	checkFigures(t, "W48", d.Figures, report.Figures{
		New: 2, Resolved: 1, Open: 1, Overdue: 1, FirstResponses: 2, FirstResponsesMet: 1, ResolutionsMet: 1, RightFirstTime: 1,
		FirstResponseTime: report.Spread{N: 1, Median: h(3.5), P90: h(3.5)},
		ResolutionTime:    report.Spread{N: 1, Median: h(9), P90: h(9)},
	})
	if len(d.Worst) != 1 || d.Worst[0] != (report.Breach{ID: "FIN-2", Title: "refund", Dept: "finance", Clock: "first response", Overdue: h(12)}) {
		t.Errorf("worst %+v", d.Worst)
	}
}

// TestDigestReopenedLater checks requests reopened after the week: their
// record no longer says they were resolved then, their history does.
func TestDigestReopenedLater(t *testing.T) {
	f := newFixture(t)
	ny := mustZone(t, "America/New_York")
	n := func(s string) time.Time { return at(t, ny, s) }
	// FIN-1: resolved in W47 (first response met, in 1h), reopened in W48
	// and still open. Not open at the end of W47; not among W47's
	// resolutions either, since only its latest resolution counts.
	f.fileAt(t, n("2026-11-16 09:00"), sam, "finance", "", "budget")
	f.doAt(t, n("2026-11-16 10:00"), frank, bot.ActResolve, "FIN-1")
	// FIN-2: filed Wednesday of W47, resolved and reopened on Monday of
	// W48. Open at the end of W47, 3×8h = 24h counted: 20h past its first
	// response, 8h past its resolution.
	f.fileAt(t, n("2026-11-18 09:00"), tina, "finance", "", "invoice")
	f.doAt(t, n("2026-11-23 10:00"), frank, bot.ActResolve, "FIN-2")
	f.doAt(t, n("2026-11-23 11:00"), tina, bot.ActReopen, "FIN-2", "still wrong")
	f.doAt(t, n("2026-11-24 10:00"), sam, bot.ActReopen, "FIN-1", "not done")

	d := f.digest(t, "finance", "2026-W47", n("2026-11-25 09:00"))
	checkFigures(t, "W47", d.Figures, report.Figures{
		New: 2, Open: 1, Overdue: 1, FirstResponses: 2, FirstResponsesMet: 1,
		FirstResponseTime: report.Spread{N: 1, Median: h(1), P90: h(1)},
	})
	if len(d.Worst) != 1 || d.Worst[0].ID != "FIN-2" || d.Worst[0].Overdue != h(20) {
		t.Errorf("worst %+v", d.Worst)
	}
}
