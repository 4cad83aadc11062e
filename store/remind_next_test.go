package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// The next reminder times live in remind_next, apart from the requests
// (migration 0027): kept with each change of a request, moved by the
// sweep only where the request is still as it read it, and carried over
// from the column they were in.

// createRemind files a request whose next reminder is at next (none when
// zero).
func createRemind(tb testing.TB, db *store.DB, prefix, dept string, next time.Time) *bot.Request {
	tb.Helper()
	ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: sam, At: t0, Dept: dept, Priority: bot.Normal, Title: "x", Text: "x"}
	var r bot.Request
	if err := r.Apply(ev); err != nil {
		tb.Fatal(err)
	}
	r.NextRemindAt = next
	if err := db.CreateRequest(context.Background(), prefix, &r, &ev, nil); err != nil {
		tb.Fatalf("create: %v", err)
	}
	return &r
}

// dueAt lists the requests due at now, by ID.
func dueAt(tb testing.TB, db *store.DB, now time.Time) []string {
	tb.Helper()
	rs, err := db.RemindersDue(context.Background(), now, "", 100)
	if err != nil {
		tb.Fatalf("reminders due: %v", err)
	}
	return requestIDs(rs)
}

func TestNextReminderKept(t *testing.T) { eachBackend(t, testNextReminderKept) }

func testNextReminderKept(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	h := time.Hour
	fin1 := createRemind(t, db, "FIN", "finance", t0.Add(h))
	fin2 := createRemind(t, db, "FIN", "finance", time.Time{})
	it1 := createRemind(t, db, "IT", "it", t0.Add(3*h))
	if got, want := dueAt(t, db, t0.Add(3*h)), []string{"FIN-1", "IT-1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("filed: due %v, want %v", got, want)
	}

	// A change sets the time of its new version, or clears it.
	fin1.NextRemindAt = t0.Add(5 * h)
	say(t, db, fin1, bot.EvCommented, sam, t0.Add(time.Minute), "any news?")
	fin2.NextRemindAt = t0.Add(2 * h)
	say(t, db, fin2, bot.EvCommented, sam, t0.Add(time.Minute), "any news?")
	it1.NextRemindAt = time.Time{}
	say(t, db, it1, bot.EvCommented, sam, t0.Add(time.Minute), "never mind")
	if got, want := dueAt(t, db, t0.Add(3*h)), []string{"FIN-2"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after changes: due %v, want %v", got, want)
	}
	if got, want := dueAt(t, db, t0.Add(5*h)), []string{"FIN-1", "FIN-2"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after changes, later: due %v, want %v", got, want)
	}

	// A sweep that read FIN-1 and FIN-2 before those changes (version 1)
	// leaves the times the changes set alone; at their versions it moves
	// them, and a zero time clears one.
	record := func(next ...bot.NextReminder) {
		t.Helper()
		if err := db.RecordReminders(ctx, nil, next, t0, nil); err != nil {
			t.Fatalf("record reminders: %v", err)
		}
	}
	record(bot.NextReminder{RequestID: "FIN-1", Version: 1, At: t0}, bot.NextReminder{RequestID: "FIN-2", Version: 1},
		bot.NextReminder{RequestID: "IT-1", Version: 1, At: t0})
	if got, want := dueAt(t, db, t0.Add(5*h)), []string{"FIN-1", "FIN-2"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after a stale sweep: due %v, want %v", got, want)
	}
	if got := dueAt(t, db, t0.Add(h)); got != nil {
		t.Fatalf("after a stale sweep: due at 1h %v, want none", got)
	}
	record(bot.NextReminder{RequestID: "FIN-1", Version: 2, At: t0.Add(h)}, bot.NextReminder{RequestID: "FIN-2", Version: 2})
	if got, want := dueAt(t, db, t0.Add(5*h)), []string{"FIN-1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after a sweep: due %v, want %v", got, want)
	}
	if got, want := dueAt(t, db, t0.Add(h)), []string{"FIN-1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after a sweep: due at 1h %v, want %v", got, want)
	}
}

func TestNextReminderMigration(t *testing.T) { eachBackend(t, testNextReminderMigration) }

// Migration 0027 carries every next reminder time over from the requests'
// column, at the request's version, so the sweep's version check holds;
// 0030 then copies what the sweep reads of each request beside it.
func testNextReminderMigration(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	h := time.Hour
	createRemind(t, db, "FIN", "finance", t0.Add(h))
	createRemind(t, db, "FIN", "finance", time.Time{})
	it1 := createRemind(t, db, "IT", "it", t0.Add(2*h))
	it1.NextRemindAt = t0.Add(3 * h)
	say(t, db, it1, bot.EvCommented, sam, t0.Add(time.Minute), "any news?")
	before, err := store.Checksums(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.UnmigrateRemindNext(db); err != nil {
		t.Fatalf("unmigrate: %v", err)
	}
	if applied, err := db.Migrate(ctx); err != nil || !reflect.DeepEqual(applied, []int{27, 30}) {
		t.Fatalf("migrate: %v, %v", applied, err)
	}
	after, err := store.Checksums(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after, before) {
		t.Errorf("after migrating again:\n%+v\nwant\n%+v", after, before)
	}
	if got, want := dueAt(t, db, t0.Add(3*h)), []string{"FIN-1", "IT-1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("due %v, want %v", got, want)
	}
	// IT-1's time was carried over at its version, 2: a sweep that read
	// version 1 leaves it alone.
	if err := db.RecordReminders(ctx, nil, []bot.NextReminder{{RequestID: "IT-1", Version: 1, At: t0.Add(10 * h)}}, t0, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := dueAt(t, db, t0.Add(3*h)), []string{"FIN-1", "IT-1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after a stale sweep: due %v, want %v", got, want)
	}
}

func TestNextReminderCopies(t *testing.T) { eachBackend(t, testNextReminderCopies) }

// remind_next keeps a copy of what the sweep reads of each request
// (migration 0030), written with every change: RemindersDue's requests are
// the store's own, as the sweep reads them, whatever changed them.
func testNextReminderCopies(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	h := time.Hour
	later := t0.Add(100 * h)
	change := func(r *bot.Request, ev bot.Event) {
		t.Helper()
		ev.RequestID, ev.Seq, ev.Actor = r.ID, r.Version+1, sam
		if ev.At.IsZero() {
			ev.At = t0.Add(time.Duration(r.Version) * time.Minute)
		}
		next := *r
		if err := next.Apply(ev); err != nil {
			t.Fatal(err)
		}
		next.NextRemindAt = t0.Add(h)
		if err := db.Append(ctx, &next, ev, nil); err != nil {
			t.Fatalf("append %s to %s: %v", ev.Kind, r.ID, err)
		}
		*r = next
	}
	filed := createRemind(t, db, "FIN", "finance", t0.Add(h))
	claimed := createRemind(t, db, "FIN", "finance", t0.Add(h))
	change(claimed, bot.Event{Kind: bot.EvClaimed, Assignee: "U0ANN0001"})
	waiting := createRemind(t, db, "FIN", "finance", time.Time{})
	change(waiting, bot.Event{Kind: bot.EvWaiting, Text: "which invoice?"})
	resolved := createRemind(t, db, "IT", "it", t0.Add(h))
	change(resolved, bot.Event{Kind: bot.EvClaimed, Assignee: "U0ANN0001"})
	change(resolved, bot.Event{Kind: bot.EvResolved, Text: "done"})
	reopened := createRemind(t, db, "IT", "it", t0.Add(h))
	change(reopened, bot.Event{Kind: bot.EvResolved, Text: "done"})
	change(reopened, bot.Event{Kind: bot.EvReopened, Text: "not done"})
	moved := createRemind(t, db, "IT", "it", t0.Add(h))
	change(moved, bot.Event{Kind: bot.EvTransferred, Dept: "finance", FromDept: "it", Standard: 3})
	private := createRemind(t, db, "HR", "hr", time.Time{})
	if err := store.ExecForTest(db, `UPDATE requests SET type_name = 'grievance', private = 1 WHERE id = ?`, private.ID); err != nil {
		t.Fatal(err)
	}
	private.Type, private.Private = "grievance", true
	change(private, bot.Event{Kind: bot.EvClaimed, Assignee: "U0ANN0002"})

	// What the sweep reads of a request: all but its text, fields, due
	// times, counts and last change.
	sweepView := func(r *bot.Request) bot.Request {
		c := *r
		c.Text, c.Fields, c.Source, c.RequesterDept, c.UpdatedAt = "", nil, "", "", time.Time{}
		c.Reopens, c.Transfers, c.FirstResponseDue, c.ResolutionDue, c.NextRemindAt = 0, 0, time.Time{}, time.Time{}, time.Time{}
		return c
	}
	got, err := db.RemindersDue(ctx, later, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	want := []*bot.Request{filed, claimed, waiting, resolved, reopened, moved, private}
	if len(got) != len(want) {
		t.Fatalf("due %v, want %d requests", requestIDs(got), len(want))
	}
	for _, r := range got {
		stored, err := db.Request(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := sweepView(r), sweepView(stored); !reflect.DeepEqual(g, w) {
			t.Errorf("RemindersDue's %s:\n%+v\nwant, as stored:\n%+v", r.ID, g, w)
		}
	}
}
