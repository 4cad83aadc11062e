package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/bot/slackapp"
)

// seedRightFirstTime has Finance, which publishes right_first_time = 90%
// and satisfaction = 4.2, resolve requests in 2026-W49 (Monday 30
// November), each quickly and in time, so that only reopens and ratings
// decide right first time:
//
//	FIN-1  resolved, not rated                      right first time
//	FIN-2  resolved, rated 5                        right first time
//	FIN-3  resolved, rated 4                        right first time
//	FIN-4  resolved, rated 3                        right first time (3 is not low)
//	FIN-5  resolved, rated 2                        not: rated 2
//	FIN-6  resolved, rated 1                        not: rated 1
//	FIN-7  resolved, reopened, resolved again       not: reopened
//	FIN-8  resolved, rated 1, reopened, resolved    not: both
//	FIN-9  resolved, rated 1 then changed to 4      right first time (4 stands)
//	FIN-10 resolved, reopened, still open           not resolved: not counted
//	FIN-11 open                                     not resolved: not counted
//
// Resolved: FIN-1 to FIN-9, 9 requests. Right first time: FIN-1, 2, 3, 4
// and 9, 5 of 9 = 55.6%, shown rounded down as 55%: below the 90% target.
// Standing ratings: 5, 4, 3, 2, 1, 1 (FIN-8), 4 (FIN-9): 20 / 7 = 2.86,
// shown as 2.9: below the 4.2 target.
func seedRightFirstTime(t *testing.T) (*fixture, func(string) time.Time) {
	t.Helper()
	f := newFixture(t)
	fin := f.Desk.Dir().ByName("finance")
	fin.Quality = bot.QualityTarget{RightFirstTime: 90, Satisfaction: 4.2}
	t.Cleanup(func() { fin.Quality = bot.QualityTarget{} })
	ny := mustZone(t, "America/New_York")
	n := func(s string) time.Time { return at(t, ny, s) }
	start := n("2026-11-30 09:00")
	for i := 1; i <= 11; i++ {
		r := f.fileAt(t, start, sam, "finance", "", fmt.Sprintf("request %d", i))
		if i == 11 {
			break
		}
		f.doAt(t, start.Add(time.Minute), frank, bot.ActClaim, r.ID)
		f.doAt(t, start.Add(5*time.Minute), frank, bot.ActResolve, r.ID)
		start = start.Add(10 * time.Minute)
	}
	for _, r := range []struct{ id, score string }{
		{"FIN-2", "5"}, {"FIN-3", "4"}, {"FIN-4", "3"}, {"FIN-5", "2"}, {"FIN-6", "1"}, {"FIN-8", "1"}, {"FIN-9", "1"}, {"FIN-9", "4"},
	} {
		f.rateAt(t, n("2026-11-30 14:00"), sam, r.id, r.score)
	}
	for _, id := range []string{"FIN-7", "FIN-8", "FIN-10"} {
		f.doAt(t, n("2026-11-30 15:00"), sam, bot.ActReopen, id, "not right")
	}
	f.doAt(t, n("2026-11-30 16:00"), frank, bot.ActResolve, "FIN-7")
	f.doAt(t, n("2026-11-30 16:10"), frank, bot.ActResolve, "FIN-8")
	f.Sent(t)
	return f, n
}

const rftWorked = "55% (5 of 9), below the 90% target"

func TestRightFirstTimeInDigest(t *testing.T) {
	f, n := seedRightFirstTime(t)
	d := f.digest(t, "finance", "2026-W49", n("2026-12-07 09:00"))
	if d.Figures.Resolved != 9 || d.Figures.RightFirstTime != 5 {
		t.Errorf("resolved %d, right first time %d; want 9 and 5", d.Figures.Resolved, d.Figures.RightFirstTime)
	}
	text := slackapp.Mrkdwn(d.Text())
	for _, want := range []string{
		"• *Right first time*: " + rftWorked + " _(right first time is the share of resolved requests that were closed without a reopen and not rated 1 or 2)_",
		"2.9 / 5 from 7 ratings",
		"below the 4.2 target",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	// The org-wide digest shows Finance's figure beside its target.
	org := f.digest(t, "", "2026-W49", n("2026-12-07 09:00"))
	if text := org.Text(); !strings.Contains(text, "right first time 55% (target 90%)") || !strings.Contains(text, "• *Right first time*: 55% (5 of 9) _(") {
		t.Errorf("org digest:\n%s", text)
	}
}

func TestRightFirstTimeInScorecard(t *testing.T) {
	f, n := seedRightFirstTime(t)
	period, err := report.DatePeriod(n("2026-11-30 00:00"), n("2026-12-06 00:00"))
	if err != nil {
		t.Fatal(err)
	}
	r := f.report(t, report.ReportOptions{Period: period, Now: n("2026-12-07 09:00")})
	fin := r.Depts[0]
	if fin.Figures.Resolved != 9 || fin.Figures.RightFirstTime != 5 {
		t.Errorf("resolved %d, right first time %d; want 9 and 5", fin.Figures.Resolved, fin.Figures.RightFirstTime)
	}
	write := func(format string) string {
		t.Helper()
		var b bytes.Buffer
		if err := report.WriteReport(&b, r, format, f.Desk.Dir()); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	table := squash(write("table"))
	for _, want := range []string{
		"right first time 90% " + rftWorked,
		"satisfaction 4.2 2.9 / 5 from 7 ratings, below the 4.2 target",
		"Right first time is the share of resolved requests that were closed without a reopen and not rated 1 or 2",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	if md := write("markdown"); !strings.Contains(md, "| right first time | 90% | "+rftWorked+" |") {
		t.Errorf("markdown lacks the quality row:\n%s", md)
	}
	rows, err := csv.NewReader(strings.NewReader(write("csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cell := func(row []string, col string) string {
		for i, c := range report.ReportCSVColumns {
			if c == col {
				return row[i]
			}
		}
		t.Fatalf("no column %s", col)
		return ""
	}
	for col, want := range map[string]string{"right_first_time": "5", "right_first_time_pct": "55", "right_first_time_target_pct": "90", "satisfaction_target": "4.2", "resolved": "9"} {
		if got := cell(rows[1], col); got != want {
			t.Errorf("CSV %s = %q, want %q", col, got, want)
		}
	}
	var js struct {
		Rule        string `json:"right_first_time_rule"`
		Departments []struct {
			Figures struct {
				Resolved       int `json:"resolved"`
				RightFirstTime int `json:"right_first_time"`
			} `json:"figures"`
			Target *struct {
				RightFirstTimePct *float64 `json:"right_first_time_pct"`
				Satisfaction      *float64 `json:"satisfaction"`
			} `json:"quality_target"`
		} `json:"departments"`
	}
	if err := json.Unmarshal([]byte(write("json")), &js); err != nil {
		t.Fatal(err)
	}
	jf := js.Departments[0]
	if js.Rule != bot.RightFirstTimeRule || jf.Figures.Resolved != 9 || jf.Figures.RightFirstTime != 5 ||
		jf.Target == nil || *jf.Target.RightFirstTimePct != 90 || *jf.Target.Satisfaction != 4.2 ||
		js.Departments[1].Target.RightFirstTimePct != nil {
		t.Errorf("JSON: %+v", js)
	}
}

func TestRightFirstTimeInAskDepts(t *testing.T) {
	f, n := seedRightFirstTime(t)
	f.Clock.Set(n("2026-12-04 10:00"))
	text := f.Desk.Command(f.Ctx, sam, "depts").Text
	for _, want := range []string{
		"_Quality: right first time is the share of resolved requests that were closed without a reopen and not rated 1 or 2; satisfaction is the average rating requesters gave, 1 to 5._",
		"Quality over the last 30 days: right first time " + rftWorked + " · satisfaction 2.9 / 5 from 7 ratings, below the 4.2 target",
		// IT publishes no target: the actuals alone.
		"Quality over the last 30 days: right first time – (nothing resolved) · satisfaction no ratings\n",
	} {
		if !strings.Contains(text+"\n", want) {
			t.Errorf("/ask depts lacks %q:\n%s", want, text)
		}
	}
	// Without the figures wired in, the targets alone.
	f.Desk.Quality = nil
	if text := f.Desk.Command(f.Ctx, sam, "depts").Text; !strings.Contains(text, "Quality targets: right first time 90% · satisfaction 4.2") {
		t.Errorf("/ask depts without figures:\n%s", text)
	}
}

// TestRecognitionRewardsService: a high-volume person mostly late is not
// named, whatever they closed; a smaller, excellent one is, and right
// first time ranks those who qualify.
func TestRecognitionRewardsService(t *testing.T) {
	f := newFixture(t)
	ny := mustZone(t, "America/New_York")
	n := func(s string) time.Time { return at(t, ny, s) }
	quick := func(start time.Time, who string, count int, reopen int) time.Time {
		for i := range count {
			r := f.fileAt(t, start, sam, "finance", "", "quick one")
			f.doAt(t, start.Add(time.Minute), who, bot.ActClaim, r.ID)
			f.doAt(t, start.Add(3*time.Minute), who, bot.ActResolve, r.ID)
			if i < reopen {
				f.doAt(t, start.Add(4*time.Minute), sam, bot.ActReopen, r.ID, "not quite")
				f.doAt(t, start.Add(5*time.Minute), who, bot.ActResolve, r.ID)
			}
			start = start.Add(10 * time.Minute)
		}
		return start
	}
	// Fiona: 13 resolved, 5 in time (38%): filed Monday 09:00–10:20,
	// eight resolved Thursday 12:00, 2d 3h later, past the 2d target.
	var late []string
	for i := range 8 {
		late = append(late, f.fileAt(t, n("2026-11-30 09:00").Add(time.Duration(i)*10*time.Minute), sam, "finance", "", "slow one").ID)
	}
	next := quick(n("2026-11-30 11:00"), fiona, 5, 0)
	// Frank: 5 resolved, all in time, all right first time.
	next = quick(next, frank, 5, 0)
	// Ada: 6 resolved, all in time, 2 reopened: right first time 4 of 6.
	quick(next, ada, 6, 2)
	for _, id := range late {
		f.doAt(t, n("2026-12-03 11:50"), fiona, bot.ActClaim, id)
		f.doAt(t, n("2026-12-03 12:00"), fiona, bot.ActResolve, id)
	}
	d := f.digest(t, "finance", "2026-W49", n("2026-12-07 09:00"))
	// Frank: (100% + 100%) / 2 = 100; Ada: (100% + 67%) / 2 = 83;
	// Fiona: 5 of 13 in time, under the 80% floor.
	want := []report.PersonFigures{{User: frank, Resolved: 5, Met: 5, RightFirstTime: 5}, {User: ada, Resolved: 6, Met: 6, RightFirstTime: 4}}
	if !reflect.DeepEqual(d.People, want) {
		t.Errorf("people %+v, want %+v", d.People, want)
	}
	text := slackapp.Mrkdwn(d.Text())
	line := "• *Served best*: <@U0FRANK> 5 resolved, 100% in time, 100% right first time · <@U0ADA> 6 resolved, 100% in time, 66% right first time _(at least 5 resolutions in the week as the assignee, at least 80% of them in time; ranked by the mean of the share in time and the share right first time, then by resolutions)_"
	if !strings.Contains(text, line) || strings.Contains(text, "<@U0FIONA>") {
		t.Errorf("digest names:\n%s\nwant %q", text, line)
	}

	period, _ := report.DatePeriod(n("2026-11-30 00:00"), n("2026-12-06 00:00"))
	r := f.report(t, report.ReportOptions{Period: period, Now: n("2026-12-07 09:00"), MinPersonResolved: 5})
	if !reflect.DeepEqual(r.BestPeople, want) {
		t.Errorf("report best people %+v, want %+v", r.BestPeople, want)
	}
	var b bytes.Buffer
	if err := report.WriteReport(&b, r, "table", f.Desk.Dir()); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); strings.Contains(out, "@fiona") || !strings.Contains(out, "Best-serving people: @frank 5 resolved, 100% in time, 100% right first time · @ada") ||
		!strings.Contains(out, "at least 80% of them in time; ranked by the mean of the share in time and the share right first time") {
		t.Errorf("report:\n%s", out)
	}
}
