package report_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/bot/slackapp"
	"github.com/askdesk/askdesk/store"
)

// seedWeek49 has Finance's staff resolve 2026-W49's requests: Fiona 5, all
// in time; Frank 6, one late; Ada (an admin) 4 in time, too few to be
// recognised. IT resolves 5, all in time.
func seedWeek49(t *testing.T) (*fixture, func(string) time.Time) {
	f := newFixture(t)
	ny, sh := mustZone(t, "America/New_York"), mustZone(t, "Asia/Shanghai")
	n := func(s string) time.Time { return at(t, ny, s) }
	quick := func(start time.Time, who, dept string, count int) time.Time {
		for range count {
			r := f.fileAt(t, start, sam, dept, "", "quick one")
			f.doAt(t, start.Add(2*time.Minute), who, bot.ActClaim, r.ID)
			f.doAt(t, start.Add(8*time.Minute), who, bot.ActResolve, r.ID)
			start = start.Add(10 * time.Minute)
		}
		return start
	}
	next := quick(n("2026-11-30 09:00"), fiona, "finance", 5)
	next = quick(next, frank, "finance", 5)
	next = quick(next, ada, "finance", 4)
	late := f.fileAt(t, next, sam, "finance", "", "slow one")
	f.doAt(t, next.Add(2*time.Minute), frank, bot.ActClaim, late.ID)
	quick(at(t, sh, "2026-12-01 10:00"), ivan, "it", 5)
	// Filed Monday 11:20: 5h40m+8h+8h+1h = 22h40m by Thursday 10:00, past 16h.
	f.doAt(t, n("2026-12-03 10:00"), frank, bot.ActResolve, late.ID)
	return f, n
}

func TestDigestRecognition(t *testing.T) {
	f, n := seedWeek49(t)
	d := f.digest(t, "finance", "2026-W49", n("2026-12-07 09:00"))
	// Nobody reopened or rated anything: all right first time. Fiona's
	// mean is (100% + 100%) / 2, Frank's (83% + 100%) / 2.
	want := []report.PersonFigures{{User: fiona, Resolved: 5, Met: 5, RightFirstTime: 5}, {User: frank, Resolved: 6, Met: 5, RightFirstTime: 6}}
	if !reflect.DeepEqual(d.People, want) {
		t.Errorf("people %+v, want %+v", d.People, want)
	}
	line := "• *Served best*: <@U0FIONA> 5 resolved, 100% in time, 100% right first time · <@U0FRANK> 6 resolved, 83% in time, 100% right first time _(at least 5 resolutions in the week as the assignee, at least 80% of them in time; ranked by the mean of the share in time and the share right first time, then by resolutions)_"
	if text := slackapp.Mrkdwn(d.Text()); !strings.Contains(text, line) { // as Slack gets it
		t.Errorf("text lacks %q:\n%s", line, text)
	}
}

func TestDigestOrgWide(t *testing.T) {
	f, n := seedWeek49(t)
	ny := mustZone(t, "America/New_York")
	now := n("2026-12-07 09:00")
	ds, err := report.ComputeDigests(f.Ctx, f.DB, f.Desk.Dir(), report.ISOWeek{Year: 2026, Week: 49}, ny, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 || ds[0].Dept.Name != "finance" || ds[1].Dept.Name != "it" || ds[2].Dept != nil {
		t.Fatalf("digests %v", ds)
	}
	// Each department's digest is the same computed alone.
	for _, d := range ds[:2] {
		alone := f.digest(t, d.Dept.Name, "2026-W49", now)
		if d.Figures != alone.Figures || d.Prev != alone.Prev || !reflect.DeepEqual(d.People, alone.People) {
			t.Errorf("%s: together %+v, alone %+v", d.Dept.Name, d.Figures, alone.Figures)
		}
	}
	// IT is in Shanghai; its week there starts 13 hours before New York's.
	if got := ds[1].From.Sub(ds[0].From); got != -13*time.Hour {
		t.Errorf("IT's week starts %s after Finance's", got)
	}
	org := ds[2]
	if org.Zone != ny || !org.From.Equal(n("2026-11-30 00:00")) {
		t.Errorf("org week %s in %s", org.From, org.Zone)
	}
	checkFigures(t, "org", org.Figures, report.Figures{
		New: 20, Resolved: 20, FirstResponses: 20, FirstResponsesMet: 20, ResolutionsMet: 19, RightFirstTime: 20,
		FirstResponseTime: report.Spread{N: 20, Median: 2 * time.Minute, P90: 2 * time.Minute},
		ResolutionTime:    report.Spread{N: 20, Median: 8 * time.Minute, P90: 8 * time.Minute},
	})
	if len(org.Departments) != 2 || org.Departments[0].Figures.ResolutionsMet != 14 || org.Departments[1].Figures.Resolved != 5 {
		t.Errorf("departments %+v", org.Departments)
	}
	// Finance met 29 of 30 targets, IT 10 of 10.
	if org.Best == nil || org.Best.Dept.Name != "it" {
		t.Errorf("best %+v", org.Best)
	}
	text := org.Text()
	for _, want := range []string{
		"*Weekly digest · all departments · 2026-W49*",
		"   ◦ Finance: 15 new, 15 resolved, 0 open (0 overdue) · first response 100% · resolution 93% · right first time 100%",
		"   ◦ IT: 5 new, 5 resolved, 0 open (0 overdue) · first response 100% · resolution 100% · right first time 100%",
		"• *Best-serving department*: IT, 100% of 10 SLA targets met, 100% right first time _(at least 5 resolutions in the week and at least 80% of SLA targets met, first responses and resolutions together; ranked by the mean of that share and the share right first time, then by resolutions)_",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if ds[1].Text() == "" || strings.Contains(ds[1].Text(), "Best-serving") {
		t.Errorf("IT text:\n%s", ds[1].Text())
	}
}

func TestTrend(t *testing.T) {
	f, n := seedWeek47(t)
	now := n("2026-11-23 09:00")
	weeks, err := report.Trend(f.Ctx, f.DB, f.Desk.Dir(), f.Desk.Dir().ByName("finance"), report.ISOWeek{Year: 2026, Week: 47}, 8, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(weeks) != 8 || weeks[0].Week != "2026-W40" || weeks[7].Week != "2026-W47" {
		t.Fatalf("weeks %+v", weeks)
	}
	d := f.digest(t, "finance", "2026-W47", now)
	cur, prev := d.Figures, d.Prev
	cur.Open, cur.Overdue, prev.Open = 0, 0, 0 // the trend leaves them out
	checkFigures(t, "W47", weeks[7].Figures, cur)
	checkFigures(t, "W46", weeks[6].Figures, prev)
	checkFigures(t, "W40", weeks[0].Figures, report.Figures{})
	if pct, ok := weeks[7].FirstResponsePct(); !ok || pct != 60 {
		t.Errorf("W47 first response %v %v", pct, ok)
	}
	org, err := report.Trend(f.Ctx, f.DB, f.Desk.Dir(), nil, report.ISOWeek{Year: 2026, Week: 47}, 2, mustZone(t, "America/New_York"), now)
	if err != nil {
		t.Fatal(err)
	}
	if org[1].New != 6 { // Finance's 5 and IT's laptop
		t.Errorf("org W47 %+v", org[1])
	}
}

// rated is a store that has ratings, as the ratings issue will add.
type rated struct {
	*store.DB
	depts []string
}

func (r *rated) Satisfaction(_ context.Context, depts []string, _, _ time.Time) (*report.Satisfaction, error) {
	r.depts = depts
	return &report.Satisfaction{Average: 4.46, Ratings: 12, Asked: 30}, nil
}

func TestDigestSatisfactionHook(t *testing.T) {
	f, n := seedWeek47(t)
	reports := &rated{DB: f.DB}
	d, err := report.ComputeDigest(f.Ctx, reports, f.Desk.Dir(), f.Desk.Dir().ByName("finance"), report.ISOWeek{Year: 2026, Week: 47}, nil, n("2026-11-23 09:00"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "• *Satisfaction*: 4.5 / 5 from 12 ratings (40% of 30 asked)"; !strings.Contains(d.Text(), want) || len(reports.depts) != 1 {
		t.Errorf("text lacks %q (asked for %v):\n%s", want, reports.depts, d.Text())
	}
}
