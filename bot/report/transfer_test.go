package report_test

import (
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/report"
)

// transferCounts are the figures that say whose part was whose.
type transferCounts struct {
	New, Received, PassedOn, Resolved, ResolutionsMet, FirstResponses, FirstResponsesMet, Open, Overdue int
	ResolutionMedian                                                                                    time.Duration
}

func countsOf(f report.Figures) transferCounts {
	return transferCounts{f.New, f.Received, f.PassedOn, f.Resolved, f.ResolutionsMet, f.FirstResponses, f.FirstResponsesMet,
		f.Open, f.Overdue, f.ResolutionTime.Median}
}

// wantTransferWeek is what bottest.SeedTransfers works out for each
// department in the week of Mon 23 Nov 2026.
var wantTransferWeek = map[string]transferCounts{
	"finance":    {New: 3, Received: 1, PassedOn: 3, Resolved: 1, ResolutionsMet: 1, FirstResponses: 4, FirstResponsesMet: 4, ResolutionMedian: 2 * time.Hour},
	"it":         {Received: 2, PassedOn: 1, FirstResponses: 2, Open: 1, Overdue: 1},
	"purchasing": {Received: 2, PassedOn: 1, Resolved: 1, ResolutionsMet: 1, FirstResponses: 2, FirstResponsesMet: 2, ResolutionMedian: 6 * time.Hour},
}

// TestScorecardCountsEachDepartmentsPart: each department's scorecard of
// the week counts only the part of each request it held: Finance is
// credited for the first responses it gave before passing requests on and
// is not charged with their resolution; Purchasing's clocks start when it
// received them, so its first responses and resolution are in time.
func TestScorecardCountsEachDepartmentsPart(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(bottest.WithPurchasing(t, testDir(t)))
	bottest.SeedTransfers(t, f.Fixture)
	p, err := report.DatePeriod(at(t, time.UTC, "2026-11-23 00:00"), at(t, time.UTC, "2026-11-29 00:00"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := report.ComputeReport(f.Ctx, f.DB, f.Desk.Dir(), report.ReportOptions{Period: p, Now: at(t, time.UTC, "2026-12-01 12:00")})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range rep.Depts {
		if got, want := countsOf(d.Figures), wantTransferWeek[d.Dept.Name]; got != want {
			t.Errorf("%s's scorecard:\n got %+v\nwant %+v", d.Dept.Name, got, want)
		}
	}
	// The company filed 3 and resolved 2, whoever held them.
	if c := rep.Company.Figures; c.New != 3 || c.Resolved != 2 {
		t.Errorf("company: %d new, %d resolved; want 3 and 2", c.New, c.Resolved)
	}
	var b strings.Builder
	if err := report.WriteReport(&b, rep, "table", f.Desk.Dir()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"received by transfer", "passed on by transfer", "Transferred requests: each department counts only the part it held."} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the scorecard does not show %q:\n%s", want, b.String())
		}
	}
}

// TestDigestCountsEachDepartmentsPart: the weekly digests count as the
// scorecard does.
func TestDigestCountsEachDepartmentsPart(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(bottest.WithPurchasing(t, testDir(t)))
	bottest.SeedTransfers(t, f.Fixture)
	for dept, want := range wantTransferWeek {
		d := f.digest(t, dept, "2026-W48", at(t, time.UTC, "2026-12-01 12:00"))
		if got := countsOf(d.Figures); got != want {
			t.Errorf("%s's digest:\n got %+v\nwant %+v", dept, got, want)
		}
		if dept == "it" {
			line := "• *Transfers*: 2 received, 1 passed on; each department counts only the time it held a request"
			if text := d.Text(); !strings.Contains(text, line) {
				t.Errorf("IT's digest lacks %q:\n%s", line, text)
			}
		}
	}
}

// TestMapCountsEachDepartmentsPart: on the relationship map, Sales filed
// its three requests with Finance; IT and Purchasing served Sales too, on
// the requests passed to them, each with the targets of its own part.
func TestMapCountsEachDepartmentsPart(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(bottest.WithPurchasing(t, testDir(t)))
	bottest.SeedTransfers(t, f.Fixture)
	p, err := report.DatePeriod(at(t, time.UTC, "2026-11-23 00:00"), at(t, time.UTC, "2026-11-29 00:00"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := report.ComputeMap(f.Ctx, f.DB, f.Desk.Dir(), p, at(t, time.UTC, "2026-12-01 12:00"))
	if err != nil {
		t.Fatal(err)
	}
	text := m.SlackText("")
	for _, want := range []string{
		"sales → Finance: 3 requests (+1 by transfer) · 100% of 5 targets met",
		"sales → IT: 0 requests (+2 by transfer) · 0% of 2 targets met",
		"sales → Purchasing: 0 requests (+2 by transfer) · 100% of 3 targets met",
		"IT: none filed with it; 2 received by transfer",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the map lacks %q:\n%s", want, text)
		}
	}
}

// TestRightFirstTimeCountsOnlyReopeningsWhileHeld: Finance resolves FIN-1,
// Sam reopens it, and Finance passes it to IT, which resolves it once: the
// reopening was Finance's, so IT's resolution is right first time. FIN-2,
// resolved by IT and reopened there, is not.
func TestRightFirstTimeCountsOnlyReopeningsWhileHeld(t *testing.T) {
	f := newFixture(t)
	ny, sh := mustZone(t, "America/New_York"), mustZone(t, "Asia/Shanghai")
	f.fileAt(t, at(t, ny, "2026-11-23 10:00"), sam, "finance", "", "numbers")
	f.doAt(t, at(t, ny, "2026-11-23 11:00"), frank, bot.ActResolve, "FIN-1", "sent")
	f.doAt(t, at(t, ny, "2026-11-23 12:00"), sam, bot.ActReopen, "FIN-1", "wrong quarter")
	f.doAt(t, at(t, ny, "2026-11-23 13:00"), frank, bot.ActTransfer, "FIN-1", "it")
	f.doAt(t, at(t, sh, "2026-11-24 10:00"), ivan, bot.ActResolve, "FIN-1", "fixed the export")
	f.fileAt(t, at(t, sh, "2026-11-24 11:00"), sam, "it", "", "laptop")
	f.doAt(t, at(t, sh, "2026-11-24 12:00"), ivan, bot.ActResolve, "IT-1", "done")
	f.doAt(t, at(t, sh, "2026-11-24 13:00"), sam, bot.ActReopen, "IT-1", "still broken")
	f.doAt(t, at(t, sh, "2026-11-24 14:00"), ivan, bot.ActResolve, "IT-1", "done now")
	d := f.digest(t, "it", "2026-W48", at(t, time.UTC, "2026-12-01 12:00"))
	if got := d.Figures; got.Resolved != 2 || got.RightFirstTime != 1 {
		t.Errorf("IT: %d resolved, %d right first time; want 2 and 1 (FIN-1's reopening was Finance's)", got.Resolved, got.RightFirstTime)
	}
}
