package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// MustOpenStore opens a store on a fresh file in the test's temp dir.
func MustOpenStore(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "askdesk.db"))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

var t0 = time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)

// mustCreate stores a new request as the desk would.
func mustCreate(tb testing.TB, db *store.DB, prefix, dept, requester, text string, at time.Time, due time.Time) *bot.Request {
	tb.Helper()
	ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: requester, At: at, Dept: dept, Priority: bot.Normal, Title: bot.Title(text), Text: text}
	var r bot.Request
	if err := r.Apply(ev); err != nil {
		tb.Fatal(err)
	}
	r.FirstResponseDue = due
	if err := db.CreateRequest(context.Background(), prefix, &r, &ev, nil); err != nil {
		tb.Fatalf("create: %v", err)
	}
	return &r
}

func TestOpenMigrates(t *testing.T) { eachDatabase(t, testOpenMigrates) }

func testOpenMigrates(t *testing.T, path string) {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil || v < 1 {
		t.Fatalf("schema version %d, %v", v, err)
	}
	db.Close()
	db, err = store.OpenNoMigrate(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil || len(applied) != 0 {
		t.Fatalf("second migrate applied %v, %v; want nothing", applied, err)
	}
	if again, err := db.SchemaVersion(ctx); err != nil || again != v {
		t.Fatalf("schema version after reopening %d, %v; want %d", again, err, v)
	}
}

func TestNewFileHasNoSchema(t *testing.T) { eachDatabase(t, testNewFileHasNoSchema) }

func testNewFileHasNoSchema(t *testing.T, path string) {
	db, err := store.OpenNoMigrate(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := db.SchemaVersion(context.Background()); err != nil || v != 0 {
		t.Fatalf("version %d, %v; want 0", v, err)
	}
}

func TestCreateGetAppend(t *testing.T) { eachBackend(t, testCreateGetAppend) }

func testCreateGetAppend(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	// SQL metacharacters and odd Unicode in every text field survive as-is.
	text := `Robert'); DROP TABLE requests;-- "quoted" 财务 \x00 %_`
	r := mustCreate(t, db, "FIN", "finance", "U1'--", text, t0, t0.Add(time.Hour))
	if r.ID != "FIN-1" || r.Num != 1 {
		t.Fatalf("id %s", r.ID)
	}
	got, err := db.Request(ctx, "FIN-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != text || got.Requester != "U1'--" || !got.FirstResponseDue.Equal(t0.Add(time.Hour)) || !got.CreatedAt.Equal(t0) {
		t.Fatalf("round trip: %+v", got)
	}

	ev := bot.Event{RequestID: "FIN-1", Seq: 2, Kind: bot.EvWaiting, Actor: "U2", At: t0.Add(time.Minute), Text: "which?"}
	next := *got
	if err := next.Apply(ev); err != nil {
		t.Fatal(err)
	}
	if err := db.Append(ctx, &next, ev, nil); err != nil {
		t.Fatal(err)
	}
	// The same event again is a conflict: the stored version moved on.
	if err := db.Append(ctx, &next, ev, nil); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Fatalf("stale append: %v, want conflict", err)
	}
	got, _ = db.Request(ctx, "FIN-1")
	if got.State != bot.Waiting || len(got.Pauses) != 1 || !got.Pauses[0].End.IsZero() {
		t.Fatalf("after append: %+v", got)
	}
	evs, err := db.Events(ctx, "FIN-1")
	if err != nil || len(evs) != 2 || evs[1].Text != "which?" {
		t.Fatalf("events %+v, %v", evs, err)
	}
	if _, err := db.Request(ctx, "FIN-2"); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Fatalf("missing request: %v", err)
	}
}

func TestRequestsOrderAndFilter(t *testing.T) { eachBackend(t, testRequestsOrderAndFilter) }

func testRequestsOrderAndFilter(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	mustCreate(t, db, "FIN", "finance", "sam", "later", t0, t0.Add(5*time.Hour))
	mustCreate(t, db, "FIN", "finance", "tina", "sooner", t0, t0.Add(time.Hour))
	mustCreate(t, db, "FIN", "finance", "sam", "overdue", t0, t0.Add(-time.Hour))
	mustCreate(t, db, "IT", "it", "sam", "elsewhere", t0, t0.Add(2*time.Hour))

	q, err := db.Requests(ctx, bot.Filter{Dept: "finance", ActiveOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, r := range q {
		titles = append(titles, r.Title)
	}
	if got, want := titles, []string{"overdue", "sooner", "later"}; !equal(got, want) {
		t.Fatalf("queue order %v, want %v", got, want)
	}
	mine, _ := db.Requests(ctx, bot.Filter{Requester: "sam"})
	if len(mine) != 3 {
		t.Fatalf("sam has %d requests, want 3", len(mine))
	}
	due, err := db.DueBefore(ctx, t0.Add(90*time.Minute), 10)
	if err != nil || len(due) != 2 || due[0].Title != "overdue" {
		t.Fatalf("due before: %d, %v", len(due), err)
	}
}

func TestEventsAreAppendOnly(t *testing.T) { eachBackend(t, testEventsAreAppendOnly) }

func testEventsAreAppendOnly(t *testing.T, open func(testing.TB) *store.DB) {
	db := open(t)
	mustCreate(t, db, "FIN", "finance", "sam", "x", t0, time.Time{})
	if err := store.ExecForTest(db, "UPDATE events SET actor = 'mallory'"); err == nil {
		t.Fatal("updating history succeeded")
	}
	if err := store.ExecForTest(db, "DELETE FROM events"); err == nil {
		t.Fatal("deleting history succeeded")
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPostOnce(t *testing.T) { eachBackend(t, testPostOnce) }

func testPostOnce(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	msg := []bot.Message{{To: "#finance", Text: "weekly digest"}}
	for i, want := range []bool{true, false, false} {
		got, err := db.PostOnce(ctx, "digest:finance:2026-W47", msg, t0)
		if err != nil || got != want {
			t.Fatalf("post %d: %v, %v; want %v", i, got, err, want)
		}
	}
	if pending, _, _ := db.OutboxStats(ctx, t0); pending != 1 {
		t.Fatalf("%d messages queued, want 1", pending)
	}
}

func TestPrune(t *testing.T) { eachBackend(t, testPrune) }

func testPrune(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	old := t0.Add(-10 * 24 * time.Hour)
	for _, id := range []string{"event:old", "event:new"} {
		at := map[string]time.Time{"event:old": old, "event:new": t0}[id]
		if _, err := db.FirstSeen(ctx, id, at); err != nil {
			t.Fatal(err)
		}
	}
	for key, m := range map[string]bot.Message{"x": {To: "#a", Text: "old"}, "y": {To: "#b", Text: "pending"}} {
		if _, err := db.PostOnce(ctx, key, []bot.Message{m}, old); err != nil {
			t.Fatal(err)
		}
	}
	items, err := db.PendingMessages(ctx, t0, 10)
	if err != nil || len(items) != 2 {
		t.Fatalf("pending %+v, %v", items, err)
	}
	for _, it := range items {
		if it.Message.Text == "old" {
			if ok, err := db.MessageSent(ctx, it, t0.Add(-9*24*time.Hour)); !ok || err != nil {
				t.Fatalf("sent: %v, %v", ok, err)
			}
		}
	}
	n, err := db.Prune(ctx, t0.Add(-7*24*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("pruned %d, %v; want 2 (the old event, the delivered message)", n, err)
	}
	if first, err := db.FirstSeen(ctx, "event:new", t0); first || err != nil {
		t.Fatalf("a recent delivery record was pruned (%v)", err)
	}
	if pending, _, err := db.OutboxStats(ctx, t0); pending != 1 || err != nil {
		t.Fatalf("%d pending, %v: an undelivered message was pruned", pending, err)
	}
}
