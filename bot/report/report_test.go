package report_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

const nobody = "U0NOBODY" // in no department: an unknown customer

func (f *fixture) rateAt(tb testing.TB, when time.Time, user, id, score string) {
	tb.Helper()
	f.Clock.Set(when)
	if _, err := f.Desk.Rate(f.Ctx, user, id, score); err != nil {
		tb.Fatalf("rate %s %s: %v", id, score, err)
	}
}

// seedQ3 works Finance's and IT's requests of 2026-Q2 and Q3 at known
// times; each comment works out what the report must say. Finance: 09:00–
// 12:00 and 13:00–18:00 in New York; normal first response 4h, resolution
// 2d (16h); urgent 30m, 4h. IT: 09:00–18:00 in Shanghai; 2h, 1d (9h).
func seedQ3(t *testing.T) (*fixture, func(string) time.Time) {
	t.Helper()
	f := newFixture(t)
	ny, sh := mustZone(t, "America/New_York"), mustZone(t, "Asia/Shanghai")
	n := func(s string) time.Time { return at(t, ny, s) }
	// Q2. FIN-1: answered in 1h, resolved in 5h; sam rates it 4.
	f.fileAt(t, n("2026-06-02 09:00"), sam, "finance", "", "budget")
	f.doAt(t, n("2026-06-02 10:00"), frank, bot.ActClaim, "FIN-1")
	f.doAt(t, n("2026-06-02 15:00"), frank, bot.ActResolve, "FIN-1")
	f.rateAt(t, n("2026-06-02 15:30"), sam, "FIN-1", "4")
	// Q3. FIN-2: answered in 30m, resolved in 2h; rated 5.
	f.fileAt(t, n("2026-07-01 09:00"), sam, "finance", "", "invoice")
	f.doAt(t, n("2026-07-01 09:30"), frank, bot.ActClaim, "FIN-2")
	f.doAt(t, n("2026-07-01 11:00"), frank, bot.ActResolve, "FIN-2")
	f.rateAt(t, n("2026-07-01 11:30"), sam, "FIN-2", "5")
	// FIN-3: claimed in the lunch break, so answered in 3h; resolved Monday 10:00 after 8h+8h+1h =
	// 17h (missed) and rated 2; reopened at 11:00 and resolved again at
	// 15:00, 1h+2h = 3h after the reopening (met: it counts by its latest
	// resolution). The second prompt is skipped: rated before.
	f.fileAt(t, n("2026-07-02 09:00"), tina, "finance", "", "purchase order")
	f.doAt(t, n("2026-07-02 12:30"), frank, bot.ActClaim, "FIN-3")
	f.doAt(t, n("2026-07-06 10:00"), frank, bot.ActResolve, "FIN-3")
	f.rateAt(t, n("2026-07-06 10:30"), tina, "FIN-3", "2")
	f.doAt(t, n("2026-07-06 11:00"), tina, bot.ActReopen, "FIN-3", "still wrong")
	f.doAt(t, n("2026-07-06 15:00"), frank, bot.ActResolve, "FIN-3")
	// FIN-4, urgent: answered after 1h (missed 30m, decided at 09:30),
	// resolved in 3h of 4h; not rated.
	f.fileAt(t, n("2026-07-07 09:00"), sam, "finance", bot.Urgent, "payroll")
	f.doAt(t, n("2026-07-07 10:00"), frank, bot.ActClaim, "FIN-4")
	f.doAt(t, n("2026-07-07 12:00"), frank, bot.ActResolve, "FIN-4")
	// IT-1, Shanghai time: answered in 30m, resolved in 2h; rated 4.
	f.fileAt(t, at(t, sh, "2026-07-08 10:00"), sam, "it", "", "laptop")
	f.doAt(t, at(t, sh, "2026-07-08 10:30"), ivan, bot.ActClaim, "IT-1")
	f.doAt(t, at(t, sh, "2026-07-08 12:00"), ivan, bot.ActResolve, "IT-1")
	f.rateAt(t, at(t, sh, "2026-07-08 12:30"), sam, "IT-1", "4")
	// FIN-5, from someone in no department, Wednesday 30 September 09:00,
	// never answered: first response missed at 13:00+1h = 14:00; at the
	// quarter's end open and overdue, 8h of 16h towards its resolution.
	f.fileAt(t, n("2026-09-30 09:00"), nobody, "finance", "", "who do I ask")
	// The Q3 survey, on 1 October: sam (Finance, IT), tina and nobody
	// (Finance) are asked; sam gives Finance 4 and IT 5, tina Finance 3.
	f.Clock.Set(n("2026-10-01 10:00"))
	q3, _ := bot.ParseQuarter("2026-Q3")
	if _, err := f.Desk.RunSurvey(f.Ctx, f.DB, q3, ny); err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		user, dept string
		score      int
	}{{sam, "finance", 4}, {sam, "it", 5}, {tina, "finance", 3}} {
		if err := f.Desk.AnswerSurvey(f.Ctx, f.DB, a.user, "2026-Q3", a.dept, a.score, ""); err != nil {
			t.Fatal(err)
		}
	}
	f.Sent(t)
	return f, n
}

func (f *fixture) report(tb testing.TB, opts report.ReportOptions) *report.Report {
	tb.Helper()
	if opts.OrgZone == nil {
		opts.OrgZone = mustZone(tb, "America/New_York")
	}
	r, err := report.ComputeReport(f.Ctx, f.DB, f.Desk.Dir(), opts)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func TestReportQuarter(t *testing.T) {
	f, n := seedQ3(t)
	now := n("2026-10-05 09:00")
	q3 := report.QuarterPeriod(report.LastCompleteQuarter(now, mustZone(t, "America/New_York"), mustZone(t, "Asia/Shanghai")))
	if q3.String() != "2026-Q3" || q3.Prev().String() != "2026-Q2" {
		t.Fatalf("period %s, before %s", q3, q3.Prev())
	}
	r := f.report(t, report.ReportOptions{Period: q3, Now: now, MinPersonResolved: 2, MinDeptResolved: 1})
	fin, it, all := r.Depts[0], r.Depts[1], r.Company
	checkFigures(t, "Finance Q3", fin.Figures, report.Figures{
		New: 4, Resolved: 3, Open: 1, Overdue: 1,
		FirstResponses: 4, FirstResponsesMet: 2, ResolutionsMet: 3,
		RightFirstTime:    2,                                            // FIN-2, FIN-4; FIN-3 was reopened and rated 2
		FirstResponseTime: report.Spread{N: 3, Median: h(1), P90: h(3)}, // 30m 1h 3h
		ResolutionTime:    report.Spread{N: 3, Median: h(3), P90: h(3)}, // 2h 3h 3h
	})
	checkFigures(t, "Finance Q2", fin.PrevFigures, report.Figures{
		New: 1, Resolved: 1, FirstResponses: 1, FirstResponsesMet: 1, ResolutionsMet: 1, RightFirstTime: 1,
		FirstResponseTime: report.Spread{N: 1, Median: h(1), P90: h(1)},
		ResolutionTime:    report.Spread{N: 1, Median: h(5), P90: h(5)},
	})
	normal, urgent, low := fin.ByPriority[1], fin.ByPriority[0], fin.ByPriority[2]
	checkFigures(t, "Finance normal", normal.Figures, report.Figures{
		New: 3, Resolved: 2, FirstResponses: 3, FirstResponsesMet: 2, ResolutionsMet: 2, RightFirstTime: 1,
		FirstResponseTime: report.Spread{N: 2, Median: h(0.5), P90: h(3)},
		ResolutionTime:    report.Spread{N: 2, Median: h(2), P90: h(3)},
	})
	checkFigures(t, "Finance urgent", urgent.Figures, report.Figures{
		New: 1, Resolved: 1, FirstResponses: 1, ResolutionsMet: 1, RightFirstTime: 1,
		FirstResponseTime: report.Spread{N: 1, Median: h(1), P90: h(1)},
		ResolutionTime:    report.Spread{N: 1, Median: h(3), P90: h(3)},
	})
	checkFigures(t, "Finance low", low.Figures, report.Figures{})
	if urgent.Target.FirstResponse.String() != "30m" || low.Target != normal.Target || normal.Target.Resolution.String() != "2d" {
		t.Errorf("standards: urgent %+v, normal %+v, low %+v", urgent.Target, normal.Target, low.Target)
	}
	if fin.Reopened != 1 || fin.PrevReopened != 0 {
		t.Errorf("reopened %d, before %d", fin.Reopened, fin.PrevReopened)
	}
	// FIN-2 rated 5, FIN-3 rated 2, FIN-4 asked and silent; the second
	// prompt of FIN-3 was skipped, so it does not count as asked.
	checkScores(t, "Finance CSAT", fin.CSAT, report.Scores{Asked: 3, Answered: 2, Dist: [5]int{0, 1, 0, 0, 1}})
	checkScores(t, "Finance CSAT Q2", fin.PrevCSAT, report.Scores{Asked: 1, Answered: 1, Dist: [5]int{0, 0, 0, 1, 0}})
	checkScores(t, "Finance survey", fin.Survey, report.Scores{Asked: 3, Answered: 2, Dist: [5]int{0, 0, 1, 1, 0}})
	if !reflect.DeepEqual(fin.SurveyQuarters, []string{"2026-Q3"}) || fin.PrevSurvey != (report.Scores{}) {
		t.Errorf("survey quarters %v, before %+v", fin.SurveyQuarters, fin.PrevSurvey)
	}
	checkFigures(t, "IT Q3", it.Figures, report.Figures{
		New: 1, Resolved: 1, FirstResponses: 1, FirstResponsesMet: 1, ResolutionsMet: 1, RightFirstTime: 1,
		FirstResponseTime: report.Spread{N: 1, Median: h(0.5), P90: h(0.5)},
		ResolutionTime:    report.Spread{N: 1, Median: h(2), P90: h(2)},
	})
	checkScores(t, "IT survey", it.Survey, report.Scores{Asked: 1, Answered: 1, Dist: [5]int{0, 0, 0, 0, 1}})
	// The company pools both, each request timed in its own calendar.
	checkFigures(t, "company Q3", all.Figures, report.Figures{
		New: 5, Resolved: 4, Open: 1, Overdue: 1,
		FirstResponses: 5, FirstResponsesMet: 3, ResolutionsMet: 4, RightFirstTime: 3,
		FirstResponseTime: report.Spread{N: 4, Median: h(0.5), P90: h(3)}, // 30m 30m 1h 3h
		ResolutionTime:    report.Spread{N: 4, Median: h(2), P90: h(3)},   // 2h 2h 3h 3h
	})
	checkScores(t, "company CSAT", all.CSAT, report.Scores{Asked: 4, Answered: 3, Dist: [5]int{0, 1, 0, 1, 1}})
	if avg, _ := all.CSAT.Average(); avg != 11.0/3 {
		t.Errorf("company average %v, want 11/3", avg)
	}
	// Recognition: Frank resolved 3, all in time, 2 right first time; Ivan
	// 1, too few. IT met 2 of 2 targets; Finance 5 of 7 (71%), under the
	// 80% floor.
	if want := []report.PersonFigures{{User: frank, Resolved: 3, Met: 3, RightFirstTime: 2}}; !reflect.DeepEqual(fin.People, want) || !reflect.DeepEqual(r.BestPeople, want) || it.People != nil {
		t.Errorf("people: finance %+v, company %+v, IT %+v", fin.People, r.BestPeople, it.People)
	}
	if len(r.BestDepts) != 1 || r.BestDepts[0] != it {
		t.Errorf("best departments %v", r.BestDepts)
	}

	t.Run("DefaultThresholds", func(t *testing.T) {
		r := f.report(t, report.ReportOptions{Period: q3, Now: now})
		if r.BestDepts != nil || r.BestPeople != nil || r.MinPersonResolved != report.ReportMinPersonResolved {
			t.Errorf("recognised with too little volume: %v %v", r.BestDepts, r.BestPeople)
		}
	})
	t.Run("OneDepartment", func(t *testing.T) {
		r := f.report(t, report.ReportOptions{Period: q3, Now: now, Dept: f.Desk.Dir().ByName("it")})
		if len(r.Depts) != 1 || r.Company != nil || r.Depts[0].Figures != it.Figures {
			t.Errorf("%+v", r)
		}
	})
	t.Run("NotBegun", func(t *testing.T) {
		_, err := report.ComputeReport(f.Ctx, f.DB, f.Desk.Dir(), report.ReportOptions{Period: report.QuarterPeriod(bot.Quarter{Year: 2026, Q: 4}), Now: n("2026-09-30 10:00")})
		if bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("Q4 before it begins in Shanghai: %v", err)
		}
	})
	t.Run("NotOver", func(t *testing.T) {
		// On 6 July at 12:00: FIN-2 resolved; FIN-3 reopened at 11:00, so
		// open (its first resolution is the record's no longer, as in
		// digests); FIN-4 not filed yet.
		r := f.report(t, report.ReportOptions{Period: q3, Now: n("2026-07-06 12:00"), Dept: f.Desk.Dir().ByName("finance")})
		d := r.Depts[0]
		if d.Figures.New != 2 || d.Figures.Resolved != 1 || d.Figures.Open != 1 || !d.At.Equal(n("2026-07-06 12:00")) {
			t.Errorf("so far: %+v at %s", d.Figures, d.At)
		}
	})
}

func checkScores(tb testing.TB, name string, got, want report.Scores) {
	tb.Helper()
	if got != want {
		tb.Errorf("%s: got %+v, want %+v", name, got, want)
	}
}

// TestReportWeekIsTheDigest checks that a report over a digest's week
// counts exactly what the digest does, and the week before likewise.
func TestReportWeekIsTheDigest(t *testing.T) {
	f, n := seedWeek47(t)
	now := n("2026-11-23 09:00")
	p, err := report.ParsePeriod("", "2026-11-16", "2026-11-22", now)
	if err != nil {
		t.Fatal(err)
	}
	d := f.digest(t, "finance", "2026-W47", now)
	r := f.report(t, report.ReportOptions{Period: p, Now: now, Dept: f.Desk.Dir().ByName("finance")})
	if got := r.Depts[0]; got.Figures != d.Figures || got.PrevFigures != d.Prev || r.Prev.String() != "2026-11-09 to 2026-11-15" {
		t.Errorf("report %+v / %+v (%s), digest %+v / %+v", got.Figures, got.PrevFigures, r.Prev, d.Figures, d.Prev)
	}
}

func TestParsePeriod(t *testing.T) {
	now := time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC) // 30 Sep 22:00 in New York
	ny := mustZone(t, "America/New_York")
	for _, c := range []struct {
		name, quarter, from, to string
		zones                   []*time.Location
		want                    string // period, or the error's start
	}{
		{"DefaultUTC", "", "", "", nil, "2026-Q3"},
		{"DefaultNotOverInNewYork", "", "", "", []*time.Location{time.UTC, ny}, "2026-Q2"},
		{"Quarter", "2026-q1", "", "", nil, "2026-Q1"},
		{"Dates", "", "2026-07-01", "2026-08-15", nil, "2026-07-01 to 2026-08-15"},
		{"DatesMakingAQuarter", "", "2026-07-01", "2026-09-30", nil, "2026-Q3"},
		{"OneDay", "", "2026-07-01", "2026-07-01", nil, "2026-07-01 to 2026-07-01"},
		{"ErrBoth", "2026-Q3", "2026-07-01", "", nil, "Give either"},
		{"ErrHalf", "", "2026-07-01", "", nil, "Give both dates"},
		{"ErrBadQuarter", "2026-Q5", "", "", nil, "“2026-Q5” is not a quarter"},
		{"ErrBadDate", "", "2026-07-32", "2026-08-01", nil, "“2026-07-32” is not a date"},
		{"ErrReversed", "", "2026-08-01", "2026-07-01", nil, "The period ends (2026-07-01) before it starts (2026-08-01)."},
		{"ErrTooLong", "", "2016-01-01", "2026-01-01", nil, "2016-01-01 to 2026-01-01 is 3654 days"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := report.ParsePeriod(c.quarter, c.from, c.to, now, c.zones...)
			got := p.String()
			if err != nil {
				got = bot.ErrorMessage(err)
				if bot.ErrorCode(err) != bot.EINVALID {
					t.Errorf("code %s", bot.ErrorCode(err))
				}
			}
			if !strings.HasPrefix(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
	t.Run("PrevAndQuarters", func(t *testing.T) {
		p, _ := report.ParsePeriod("", "2026-06-15", "2026-10-14", now)
		if got := p.Prev().String(); got != "2026-02-13 to 2026-06-14" {
			t.Errorf("before %s: %s", p, got)
		}
		if qs := p.Quarters(); len(qs) != 1 || qs[0].String() != "2026-Q3" {
			t.Errorf("quarters within %s: %v", p, qs)
		}
		if got := report.QuarterPeriod(bot.Quarter{Year: 2026, Q: 1}).Prev().String(); got != "2025-Q4" {
			t.Errorf("before 2026-Q1: %s", got)
		}
	})
}
