package report_test

import (
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

// TestCompanyDigestBesideDepartmentNamedOrg: a department named "org" and
// the company digest are posted once each the same week: their once-only
// keys differ.
func TestCompanyDigestBesideDepartmentNamedOrg(t *testing.T) {
	f := newFixture(t)
	dir := f.Desk.Dir()
	dir.Departments[1].Name = "org" // IT renamed: config accepts "org"
	// Its week is quiet: asked for, its digest is posted all the same.
	dir.Departments[1].DigestWhenQuiet = true
	dir.Index()
	f.at(t, "2026-11-30 09:00")
	posted, _, err := report.PostDigest(f.Ctx, f.Desk, f.DB, dir.ByName("org"), report.ISOWeek{}, "#company", time.UTC, nil)
	if err != nil || !posted {
		t.Fatalf("dept org: posted %v, %v", posted, err)
	}
	posted, _, err = report.PostDigest(f.Ctx, f.Desk, f.DB, nil, report.ISOWeek{}, "#company", time.UTC, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !posted {
		t.Fatal("company digest not posted: its once-key collides with a department's")
	}
}

// TestDigestOfWeekNotOverIsRefused: posting the digest of the current
// week is refused, so the scheduled digest of that week still posts on
// Monday.
func TestDigestOfWeekNotOverIsRefused(t *testing.T) {
	f := newFixture(t) // Tue 24 Nov 2026, week 2026-W48
	f.File(t, sam, "finance", "numbers")
	fin := f.Desk.Dir().ByName("finance")
	posted, _, err := report.PostDigest(f.Ctx, f.Desk, f.DB, fin, report.ISOWeek{Year: 2026, Week: 48}, "", nil, nil)
	if bot.ErrorCode(err) != bot.ECONFLICT || posted {
		t.Fatalf("posting a week not over: posted %v, %v; want refused", posted, err)
	}
	f.at(t, "2026-11-30 09:00")
	posted, _, err = report.PostDigest(f.Ctx, f.Desk, f.DB, fin, report.ISOWeek{}, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !posted {
		t.Fatal("Monday's complete digest was not posted")
	}
}
