package report_test

import (
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/report"
)

// TestDigestShowsSatisfaction: the weekly digest reads the ratings.
func TestDigestShowsSatisfaction(t *testing.T) {
	f := newFixture(t)
	f.resolved(t, "one")
	f.resolved(t, "two")
	f.Desk.Rate(f.Ctx, sam, "FIN-1", "5")
	f.Desk.Rate(f.Ctx, sam, "FIN-2", "4")
	f.resolved(t, "three") // asked, not rated
	ny := mustZone(t, "America/New_York")
	week := report.WeekOf(f.Clock.Now(), ny)
	f.Clock.Advance(7 * 24 * time.Hour)
	dg, err := report.ComputeDigest(f.Ctx, f.DB, f.Desk.Dir(), f.Desk.Dir().ByName("finance"), week, ny, f.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	s := dg.Satisfaction
	if s == nil || s.Asked != 3 || s.Ratings != 2 || s.Average != 4.5 {
		t.Fatalf("satisfaction %+v", s)
	}
	if !strings.Contains(dg.Text(), "Satisfaction") {
		t.Fatalf("text:\n%s", dg.Text())
	}
}
