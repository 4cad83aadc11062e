package report_test

import (
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/report"
)

// TestQuietDepartmentGetsNoDigest: in a week where only Finance had work,
// IT (nothing filed, open or resolved) gets no digest in its channel, the
// company digest still lists it, and once IT asks for quiet weeks
// (digest_when_quiet) it gets one.
func TestQuietDepartmentGetsNoDigest(t *testing.T) {
	f := newFixture(t) // Tue 24 Nov 2026, week 2026-W48
	f.resolved(t, "expense report")
	f.Sent(t)
	f.at(t, "2026-11-30 09:00")
	dir := f.Desk.Dir()
	it, fin := dir.ByName("it"), dir.ByName("finance")

	posted, dg, err := report.PostDigest(f.Ctx, f.Desk, f.DB, it, report.ISOWeek{}, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if posted || !dg.Quiet() {
		t.Errorf("IT's quiet week: posted %v, quiet %v; want not posted", posted, dg.Quiet())
	}
	if msgs := f.Sent(t); len(msgs) != 0 {
		t.Errorf("IT's quiet week sent %d messages: %+v", len(msgs), msgs)
	}

	// Finance had work: its digest goes.
	if posted, dg, err := report.PostDigest(f.Ctx, f.Desk, f.DB, fin, report.ISOWeek{}, "", nil, nil); err != nil || !posted || dg.Quiet() {
		t.Errorf("Finance's week: posted %v, %v", posted, err)
	}
	f.Sent(t)

	// The company digest lists IT all the same.
	posted, dg, err = report.PostDigest(f.Ctx, f.Desk, f.DB, nil, report.ISOWeek{}, "#company", time.UTC, nil)
	if err != nil || !posted {
		t.Fatalf("company digest: posted %v, %v", posted, err)
	}
	listed := false
	for _, d := range dg.Departments {
		listed = listed || d.Dept.Name == it.Name
	}
	msgs := f.Sent(t)
	if !listed || len(msgs) != 1 || !strings.Contains(msgs[0].Text, it.DisplayName) {
		t.Errorf("the company digest does not list IT (listed %v):\n%+v", listed, msgs)
	}

	// Asked for: IT's quiet week is posted.
	it.DigestWhenQuiet = true
	posted, _, err = report.PostDigest(f.Ctx, f.Desk, f.DB, it, report.ISOWeek{}, "", nil, nil)
	if err != nil || !posted {
		t.Fatalf("IT with digest_when_quiet: posted %v, %v", posted, err)
	}
	if msgs := f.Sent(t); len(msgs) != 1 || msgs[0].To != it.Channel {
		t.Errorf("IT with digest_when_quiet sent %+v, want one message to %s", msgs, it.Channel)
	}
}
