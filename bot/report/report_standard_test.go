package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

// TestReportShowsTheStandardOfItsPeriod: Finance published revision 2 of
// its standard on 8 October (normal first response 4h → 2h, a new
// satisfaction target). The Q3 scorecard shows revision 1's targets, the
// ones in force then; Q4's shows revision 2's and says that two were in
// force during the quarter.
func TestReportShowsTheStandardOfItsPeriod(t *testing.T) {
	f, n := seedQ3(t)
	dir := testDir(t)
	fin := dir.ByName("finance")
	old := *fin
	old.Revision, old.RevisedAt = 1, n("2026-01-05 09:00")
	fin.Revision, fin.RevisedAt = 2, n("2026-10-08 09:00")
	fin.Targets = map[bot.Priority]bot.Target{}
	for p, tg := range old.Targets {
		fin.Targets[p] = tg
	}
	fin.Targets[bot.Normal] = bot.Target{FirstResponse: bot.BusinessDuration{Time: 2 * time.Hour}, Resolution: old.Targets[bot.Normal].Resolution}
	fin.Quality.Satisfaction = 4.8
	dir.AddStandard(&old)
	f.Desk.SetDir(dir)

	q3 := f.report(t, report.ReportOptions{Period: report.QuarterPeriod(bot.Quarter{Year: 2026, Q: 3}), Now: n("2026-10-20 09:00"), Dept: fin})
	d := q3.Depts[0]
	if got := d.ByPriority[1].Target.FirstResponse.String(); got != "4h" || d.Standards != 1 || d.Standard.Revision != 1 {
		t.Errorf("Q3 shows normal first response %s of revision %d (%d in force), want 4h of revision 1 alone", got, d.Standard.Revision, d.Standards)
	}
	var b bytes.Buffer
	if err := report.WriteReport(&b, q3, "markdown", dir); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "4.8") || strings.Contains(b.String(), "standard changed") {
		t.Errorf("Q3's scorecard shows what came after it:\n%s", b.String())
	}

	q4 := f.report(t, report.ReportOptions{Period: report.QuarterPeriod(bot.Quarter{Year: 2026, Q: 4}), Now: n("2026-10-20 09:00"), Dept: fin})
	d = q4.Depts[0]
	if got := d.ByPriority[1].Target.FirstResponse.String(); got != "2h" || d.Standards != 2 || d.Standard.Revision != 2 {
		t.Errorf("Q4 shows normal first response %s of revision %d (%d in force), want 2h of revision 2 of 2", got, d.Standard.Revision, d.Standards)
	}
	b.Reset()
	if err := report.WriteReport(&b, q4, "markdown", dir); err != nil {
		t.Fatal(err)
	}
	if want := "The standard changed during this period (2 revisions were in force): the targets below are those of revision 2"; !strings.Contains(b.String(), want) {
		t.Errorf("Q4's scorecard does not say the standard changed:\n%s", b.String())
	}
}
