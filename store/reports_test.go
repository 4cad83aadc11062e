package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// mustAct appends an event of kind at at to r, as the desk would.
func mustAct(tb testing.TB, db *store.DB, r *bot.Request, kind bot.EventKind, at time.Time) {
	tb.Helper()
	ev := bot.Event{RequestID: r.ID, Seq: r.Version + 1, Kind: kind, Actor: "U0STAFF", At: at, Assignee: "U0STAFF"}
	next := *r
	if err := next.Apply(ev); err != nil {
		tb.Fatal(err)
	}
	if err := db.Append(context.Background(), &next, ev, nil); err != nil {
		tb.Fatalf("append %s: %v", kind, err)
	}
	*r = next
}

func TestRequestsActiveDuring(t *testing.T) { eachBackend(t, testRequestsActiveDuring) }

func testRequestsActiveDuring(t *testing.T, open func(testing.TB) *store.DB) {
	db := open(t)
	ctx := context.Background()
	from, to := t0, t0.Add(7*24*time.Hour)
	day := 24 * time.Hour
	file := func(dept string, at time.Time) *bot.Request {
		prefix := map[string]string{"finance": "FIN", "it": "IT"}[dept]
		return mustCreate(t, db, prefix, dept, "U1", "need <help> & more", at, time.Time{})
	}
	file("finance", from.Add(-30*day))                  // FIN-1: open throughout
	file("finance", to.Add(time.Hour))                  // FIN-2: filed after
	resolvedBefore := file("finance", from.Add(-3*day)) // FIN-3
	mustAct(t, db, resolvedBefore, bot.EvResolved, from.Add(-day))
	resolvedIn := file("finance", from.Add(-2*day)) // FIN-4
	mustAct(t, db, resolvedIn, bot.EvWaiting, from.Add(-day))
	mustAct(t, db, resolvedIn, bot.EvResumed, from.Add(-day+time.Hour))
	mustAct(t, db, resolvedIn, bot.EvResolved, from.Add(day))
	resolvedAfter := file("finance", from.Add(day)) // FIN-5
	mustAct(t, db, resolvedAfter, bot.EvResolved, to.Add(day))
	cancelledBefore := file("finance", from.Add(-2*day)) // FIN-6
	mustAct(t, db, cancelledBefore, bot.EvCancelled, from.Add(-time.Minute))
	cancelledIn := file("finance", from.Add(-2*day)) // FIN-7
	mustAct(t, db, cancelledIn, bot.EvCancelled, from)
	closedLater := file("finance", from.Add(-5*day)) // FIN-8: resolved before, closed during
	mustAct(t, db, closedLater, bot.EvResolved, from.Add(-4*day))
	mustAct(t, db, closedLater, bot.EvClosed, from.Add(day))
	file("it", from.Add(day))                     // IT-1: another department
	file("finance", to)                           // FIN-9: filed at the very end: not during
	reopened := file("finance", from.Add(-9*day)) // FIN-10: resolved before, reopened during
	mustAct(t, db, reopened, bot.EvResolved, from.Add(-8*day))
	mustAct(t, db, reopened, bot.EvReopened, from.Add(2*day))

	rs, err := db.RequestsActiveDuring(ctx, []string{"finance"}, from, to)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	if want := []string{"FIN-1", "FIN-10", "FIN-4", "FIN-5", "FIN-7"}; !slices.Equal(ids, want) {
		t.Errorf("got %v, want %v", ids, want)
	}
	for _, r := range rs {
		if r.ID == "FIN-4" {
			if r.Title != "need <help> & more" || r.Text != "" || len(r.Pauses) != 1 || r.Pauses[0].End.IsZero() ||
				!r.ResolvedAt.Equal(from.Add(day)) || r.State != bot.Resolved || r.Version != 4 {
				t.Errorf("FIN-4 loaded as %+v", r)
			}
		}
	}
	if rs, err := db.RequestsActiveDuring(ctx, []string{"finance", "it"}, from, to); err != nil || len(rs) != 6 {
		t.Errorf("two departments: %d requests, %v", len(rs), err)
	}
	if rs, err := db.RequestsActiveDuring(ctx, nil, from, to); err != nil || len(rs) != 0 {
		t.Errorf("no departments: %d requests, %v", len(rs), err)
	}
	// Department names are parameters, never SQL.
	if rs, err := db.RequestsActiveDuring(ctx, []string{"finance' OR 1=1 --"}, from, to); err != nil || len(rs) != 0 {
		t.Errorf("injection: %d requests, %v", len(rs), err)
	}
}

// TestRequestsActiveDuringPlan checks each part of the query reads an
// index, never the whole table.
func TestRequestsActiveDuringPlan(t *testing.T) {
	db := MustOpenStore(t)
	plan, err := store.ExplainActiveDuring(db, []string{"finance", "it"}, t0, t0.Add(7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	for _, want := range []string{"requests_dept_state", "requests_resolved", "requests_closed", "events_transferred"} {
		if !strings.Contains(text, want) {
			t.Errorf("plan does not use %s:\n%s", want, text)
		}
	}
	for _, line := range plan {
		if strings.HasPrefix(line, "SCAN requests") && !strings.Contains(line, "INDEX") {
			t.Errorf("plan scans the table:\n%s", text)
		}
	}
}
