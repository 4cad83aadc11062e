package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

// TestSelfServedCountedInDigestAndScorecard: questions that earlier
// answers settled in the week are counted for the department chosen, in
// its digest, the company's, and the scorecard; other departments' are
// not.
func TestSelfServedCountedInDigestAndScorecard(t *testing.T) {
	f := newFixture(t)
	old := f.resolved(t, "budget figures")
	now := f.Clock.Now()
	for i, dept := range []string{"finance", "finance", "finance", "it"} {
		if err := f.DB.RecordSelfServed(f.Ctx, bot.SelfServed{PendingID: int64(i + 1), Dept: dept, Requester: sam, AnsweredBy: old.ID, At: now}); err != nil {
			t.Fatal(err)
		}
	}
	ny := mustZone(t, "America/New_York")
	week := report.WeekOf(now, ny)
	f.Clock.Advance(7 * 24 * time.Hour)
	dg, err := report.ComputeDigest(f.Ctx, f.DB, f.Desk.Dir(), f.Desk.Dir().ByName("finance"), week, ny, f.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if dg.SelfServed != 3 || !strings.Contains(dg.Text(), "3 questions answered by earlier answers: no one's time spent") {
		t.Errorf("finance digest self-served %d:\n%s", dg.SelfServed, dg.Text())
	}
	org, err := report.ComputeDigest(f.Ctx, f.DB, f.Desk.Dir(), nil, week, ny, f.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if org.SelfServed != 4 {
		t.Errorf("company digest self-served %d, want 4", org.SelfServed)
	}
	from, to := week.Range(ny)
	p, err := report.ParsePeriod("", from.Format("2006-01-02"), to.Add(-time.Hour).Format("2006-01-02"), f.Clock.Now(), ny)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := report.ComputeReport(f.Ctx, f.DB, f.Desk.Dir(), report.ReportOptions{Period: p, Now: f.Clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range rep.Depts {
		want := map[string]int{"finance": 3, "it": 1}[d.Dept.Name]
		if d.SelfServed != want {
			t.Errorf("scorecard %s self-served %d, want %d", d.Dept.Name, d.SelfServed, want)
		}
	}
	if rep.Company.SelfServed != 4 {
		t.Errorf("scorecard company self-served %d, want 4", rep.Company.SelfServed)
	}
	var b bytes.Buffer
	if err := report.WriteReport(&b, rep, "table", f.Desk.Dir()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "answered by earlier answers") || !strings.Contains(b.String(), "3 questions answered by earlier answers: no one's time spent") {
		t.Errorf("scorecard text lacks self-served:\n%s", b.String())
	}
	b.Reset()
	if err := report.WriteReport(&b, rep, "json", f.Desk.Dir()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"self_served": 3`) {
		t.Errorf("scorecard JSON lacks self_served:\n%s", b.String())
	}
}
