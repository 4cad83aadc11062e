package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
	"github.com/askdesk/askdesk/store/storetest"
)

// fillForCopy gives every table of db some rows: a thousand synthetic
// requests (several INSERT batches each), then requests, events and
// messages as the desk writes them, delivered, dead and pending outbox
// rows, ratings, surveys, Slack posts, seen deliveries, reminders and a
// digest posted once. Text holds quotes, placeholders and Unicode.
func fillForCopy(tb testing.TB, db *store.DB) {
	tb.Helper()
	ctx := context.Background()
	if err := db.SeedSynthetic(ctx, 1000, t0); err != nil {
		tb.Fatal(err)
	}
	odd := "it's \"broken\" ? $1 ?2 -- 财务 é\n\ttab 🎉"
	if err := db.PublishStandards(ctx, []bot.StandardRevision{
		{Dept: "finance", Rev: 1, At: t0, Source: "file", Reason: "first published", Body: "name = 'finance'\n"},
		{Dept: "finance", Rev: 2, At: t0.Add(time.Hour), Actor: "U1", Source: "slack", Reason: odd, Body: "name = 'finance'\ndescription = '''" + odd + "'''\n"},
	}, nil); err != nil {
		tb.Fatal(err)
	}
	announce := func(r *bot.Request) []bot.Message {
		return []bot.Message{{To: "#" + r.Dept, CardFor: r.ID}, {To: r.Requester, DM: true, ThreadOf: r.ID, Text: "filed " + r.ID + " " + odd}}
	}
	var reqs []*bot.Request
	for i := 0; i < 30; i++ {
		text := fmt.Sprintf("request %d: %s", i, odd)
		ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: fmt.Sprintf("U%d", i%4), At: t0.Add(time.Duration(i) * time.Minute),
			Dept: "finance", Priority: bot.Normal, Title: bot.Title(text), Text: text}
		var r bot.Request
		if err := r.Apply(ev); err != nil {
			tb.Fatal(err)
		}
		r.FirstResponseDue = t0.Add(time.Hour)
		if err := db.CreateRequest(ctx, "FIN", &r, &ev, announce); err != nil {
			tb.Fatal(err)
		}
		reqs = append(reqs, &r)
	}
	for _, r := range reqs[:10] {
		ev := bot.Event{RequestID: r.ID, Seq: 2, Kind: bot.EvWaiting, Actor: "U9", At: t0.Add(2 * time.Hour), Text: "which one? " + odd}
		next := *r
		if err := next.Apply(ev); err != nil {
			tb.Fatal(err)
		}
		if err := db.Append(ctx, &next, ev, []bot.Message{{To: r.Requester, DM: true, ThreadOf: r.ID, Text: "question"}}); err != nil {
			tb.Fatal(err)
		}
	}
	// Deliver some messages, give up on one, leave the rest pending.
	items, err := db.PendingMessages(ctx, t0.Add(3*time.Hour), 100)
	if err != nil || len(items) < 3 {
		tb.Fatalf("pending messages: %d, %v", len(items), err)
	}
	for _, it := range items[1:] {
		if _, err := db.MessageSent(ctx, it, t0.Add(3*time.Hour)); err != nil {
			tb.Fatal(err)
		}
	}
	if err := db.MessageFailed(ctx, items[0], t0.Add(4*time.Hour), true, "channel_not_found: "+odd); err != nil {
		tb.Fatal(err)
	}
	for i, r := range reqs[:5] {
		rt := bot.Rating{RequestID: r.ID, Requester: r.Requester, Dept: "finance", AskedAt: t0.Add(5 * time.Hour)}
		if i == 4 {
			rt.Skipped = "fatigue"
		}
		if err := db.RecordAsk(ctx, rt); err != nil {
			tb.Fatal(err)
		}
		if i < 3 {
			rt.Score, rt.RatedAt = i+3, t0.Add(6*time.Hour)
			if _, err := db.SetScore(ctx, rt); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if _, err := db.SetRatingComment(ctx, reqs[0].ID, 0, "quick — "+odd); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.AskSurvey(ctx, "2026-Q4", "U1", []string{"finance", "it"}, bot.Message{To: "U1", DM: true, Text: "survey"}, t0); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.AnswerSurvey(ctx, "2026-Q4", "U1", "it", 5, "great "+odd, t0.Add(time.Hour)); err != nil {
		tb.Fatal(err)
	}
	// What is learned of people (people.go).
	if err := db.LearnDept(ctx, bot.LearnedDept{User: "U1", Dept: "Field " + odd, Source: "profile", At: t0}); err != nil {
		tb.Fatal(err)
	}
	if err := db.SetGroup(ctx, bot.Group{ID: "S0IT", Handle: "it-team", Members: []string{"U1", "U2"}, SyncedAt: t0}); err != nil {
		tb.Fatal(err)
	}
	if err := db.SetAway(ctx, bot.Away{User: "U2", Since: t0, Until: t0.Add(72 * time.Hour)}); err != nil {
		tb.Fatal(err)
	}
	// Text waiting for its requester to pick a department (routing.go).
	if err := db.SavePendingFiling(ctx, &bot.PendingFiling{Requester: "U1", Priority: bot.Urgent, Text: "Routed " + odd, CreatedAt: t0}); err != nil {
		tb.Fatal(err)
	}
	// A question an earlier answer settled, and a saved answer (deflect.go).
	if err := db.RecordSelfServed(ctx, bot.SelfServed{PendingID: 99, Dept: "finance", Requester: "U1", AnsweredBy: reqs[0].ID, At: t0}); err != nil {
		tb.Fatal(err)
	}
	if err := db.SaveAnswer(ctx, reqs[0].ID, "U2", t0); err != nil {
		tb.Fatal(err)
	}
	for i, r := range reqs[:3] {
		if err := db.SaveSlackPost(ctx, r.ID, "card", "#finance", "C0FIN", fmt.Sprintf("1764000000.%06d", i)); err != nil {
			tb.Fatal(err)
		}
	}
	// Keys that sort differently by byte and by language rules.
	for _, id := range []string{"Ev01", "ev01", "Év02", "e_v03", "EV-04", "z"} {
		if _, err := db.FirstSeen(ctx, id, t0); err != nil {
			tb.Fatal(err)
		}
	}
	rem := []bot.Reminder{{RequestID: reqs[0].ID, Series: "first:1764000000000", Level: 50, Kind: "warning"},
		{RequestID: reqs[1].ID, Series: "first:1764000000000", Level: 100, Kind: "breach"}}
	if err := db.RecordReminders(ctx, rem, nil, t0.Add(time.Hour), func(sent []bot.Reminder) []bot.Message {
		return []bot.Message{{To: "#finance", Text: fmt.Sprintf("%d reminders", len(sent))}}
	}); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.PostOnce(ctx, "digest:finance:2026-W48", []bot.Message{{To: "#finance", Text: "digest " + odd}}, t0); err != nil {
		tb.Fatal(err)
	}
}

// mustCopy copies from into to and checks the report against both.
func mustCopy(t *testing.T, from, to *store.DB) store.CopyReport {
	t.Helper()
	ctx := context.Background()
	last := map[string]int64{}
	var order []string
	rep, err := store.Copy(ctx, from, to, func(table string, rows int64) {
		if _, ok := last[table]; !ok {
			order = append(order, table)
		} else if rows <= last[table] {
			t.Errorf("progress of %s went from %d to %d", table, last[table], rows)
		}
		last[table] = rows
	})
	if err != nil {
		t.Fatalf("copy %s to %s: %v", from.Path(), to.Path(), err)
	}
	if len(rep.Tables) != len(order) {
		t.Errorf("progress for %v, report of %d tables", order, len(rep.Tables))
	}
	for i, tr := range rep.Tables {
		if i < len(order) && order[i] != tr.Name {
			t.Errorf("progress table %d is %s, report's %s", i, order[i], tr.Name)
		}
		if last[tr.Name] != tr.Rows {
			t.Errorf("%s: last progress %d, copied %d", tr.Name, last[tr.Name], tr.Rows)
		}
	}
	for _, db := range []*store.DB{from, to} {
		sums, err := store.Checksums(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(sums), fmt.Sprint(rep.Tables); got != want {
			t.Errorf("checksums of %s:\n%s\nwant the copy's\n%s", db.Path(), got, want)
		}
	}
	// The search index is not copied but rebuilt: the copy finds what the
	// source finds, Chinese inside a run of Han too (务 of 财务).
	for _, q := range []string{"which", "laptop", "财务", "务"} {
		got, want := search(t, to, words(q), everyone, 0, 50), search(t, from, words(q), everyone, 0, 50)
		sortStrings(got) // the engines rank alike, not equally
		sortStrings(want)
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("search %q in the copy: %v, in the source: %v", q, got, want)
		}
	}
	return rep
}

func TestCopy(t *testing.T) {
	ctx := context.Background()
	pg := MustOpenPostgres(t)
	src := MustOpenStore(t)
	fillForCopy(t, src)

	rep := mustCopy(t, src, pg)
	for _, tr := range rep.Tables {
		t.Logf("%-14s %5d %s", tr.Name, tr.Rows, tr.Checksum)
	}
	rows := map[string]int64{}
	for _, tr := range rep.Tables {
		if tr.Rows == 0 {
			t.Errorf("%s: no rows copied; the test should fill every table", tr.Name)
		}
		rows[tr.Name] = tr.Rows
	}
	if rows["requests"] != 1030 {
		t.Errorf("copied %d requests, want 1030", rows["requests"])
	}

	// Back to a new SQLite file: the same rows, the same checksums.
	back := MustOpenStore(t)
	backRep := mustCopy(t, pg, back)
	if fmt.Sprint(backRep.Tables) != fmt.Sprint(rep.Tables) {
		t.Errorf("round trip:\n%v\nwant\n%v", backRep.Tables, rep.Tables)
	}

	// The index is rebuilt on each side with the saved answer public: it
	// is found by someone who is neither its requester nor Finance's, and
	// no other of the requests with its words.
	for name, db := range map[string]*store.DB{"postgres": pg, "sqlite": back} {
		got := search(t, db, words("request"), bot.SearchScope{User: "U0NOBODY1"}, 0, 10)
		saved, err := db.SavedAnswers(ctx, got)
		if len(got) != 1 || err != nil || !saved[got[0]] {
			t.Errorf("%s after the copy: an outsider finds %v (saved %v, %v), want the one saved answer", name, got, saved, err)
		}
	}

	t.Run("CarriesOn/postgres", func(t *testing.T) { testCopyCarriesOn(t, pg, rows["outbox"]) })
	t.Run("CarriesOn/sqlite", func(t *testing.T) { testCopyCarriesOn(t, back, rows["outbox"]) })

	t.Run("RefusesNonEmpty", func(t *testing.T) {
		before, err := store.Checksums(ctx, back)
		if err != nil {
			t.Fatal(err)
		}
		// counters is the first table checked: 8 prefixes.
		_, err = store.Copy(ctx, src, back, nil)
		if bot.ErrorCode(err) != bot.ECONFLICT || !strings.Contains(err.Error(), back.Path()+" is not empty: table counters has 8 rows") {
			t.Fatalf("copy into a filled store: %v, want a conflict naming the table", err)
		}
		after, err := store.Checksums(ctx, back)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("refused copy changed the destination:\n%v\nwas\n%v", after, before)
		}
	})

	t.Run("ChecksumsSeeAChange", func(t *testing.T) {
		before, err := store.Checksums(ctx, pg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pg.AnswerSurvey(ctx, "2026-Q4", "U1", "finance", 2, "later", t0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		after, err := store.Checksums(ctx, pg)
		if err != nil {
			t.Fatal(err)
		}
		for i := range after {
			changed := after[i] != before[i]
			if changed != (after[i].Name == "surveys") {
				t.Errorf("%s: checksum %s, was %s", after[i].Name, after[i].Checksum, before[i].Checksum)
			}
		}
	})

	t.Run("FailureLeavesEmpty", func(t *testing.T) {
		to := MustOpenPostgres(t)
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		_, err := store.Copy(cctx, src, to, func(table string, rows int64) {
			if table == "events" {
				cancel() // half way through
			}
		})
		if err == nil {
			t.Fatal("cancelled copy succeeded")
		}
		got, err := store.Checksums(ctx, to)
		if err != nil {
			t.Fatal(err)
		}
		want, err := store.Checksums(ctx, MustOpenStore(t))
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("after a failed copy:\n%v\nwant an empty store's\n%v", got, want)
		}
	})

	t.Run("RefusesSame", func(t *testing.T) {
		again, err := store.Open(ctx, src.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer again.Close()
		for _, to := range []*store.DB{src, again} {
			if _, err := store.Copy(ctx, src, to, nil); bot.ErrorCode(err) != bot.EINVALID || !strings.Contains(err.Error(), "same database") {
				t.Errorf("copy onto itself: %v, want EINVALID", err)
			}
		}
	})
}

// testCopyCarriesOn checks that a copy is a working store: numbering and
// outbox IDs continue after the copied ones.
func testCopyCarriesOn(t *testing.T, db *store.DB, outboxRows int64) {
	ctx := context.Background()
	text := "after the move"
	ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: "U1", At: t0.Add(24 * time.Hour), Dept: "finance", Priority: bot.Normal, Title: text, Text: text}
	var r bot.Request
	if err := r.Apply(ev); err != nil {
		t.Fatal(err)
	}
	dest := "C-after-" + fmt.Sprint(time.Now().UnixNano())
	if err := db.CreateRequest(ctx, "FIN", &r, &ev, func(*bot.Request) []bot.Message {
		return []bot.Message{{To: dest, Text: "new"}}
	}); err != nil {
		t.Fatal(err)
	}
	// SeedSynthetic numbered FIN-1…FIN-125, the desk FIN-126…FIN-155.
	if r.ID != "FIN-156" {
		t.Errorf("new request %s, want FIN-156", r.ID)
	}
	items, err := db.PendingMessages(ctx, t0.Add(48*time.Hour), 1000)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range items {
		if it.Dest == "channel:"+dest {
			found = true
			// No rows were ever deleted, so the copied IDs are 1…outboxRows.
			if it.ID != outboxRows+1 {
				t.Errorf("new outbox message has ID %d, want %d", it.ID, outboxRows+1)
			}
		}
	}
	if !found {
		t.Errorf("new message to %s not pending: %+v", dest, items)
	}
	// The catalogue's revisions, two copied, carry on at 3.
	revs := []bot.StandardRevision{{Dept: "finance", Rev: 3, At: t0.Add(24 * time.Hour), Actor: "U1", Source: "slack", Reason: "after the move", Body: "name = 'finance'\n"}}
	if err := db.PublishStandards(ctx, revs, nil); err != nil {
		t.Fatalf("a revision after the copy: %v", err)
	}
	if revs[0].ID != 3 {
		t.Errorf("the revision after the copy has ID %d, want 3", revs[0].ID)
	}
}

// TestCopySQLite needs no PostgreSQL: file to file, and the schema checks.
func TestCopySQLite(t *testing.T) {
	ctx := context.Background()
	src := MustOpenStore(t)
	fillForCopy(t, src)
	to := MustOpenStore(t)
	mustCopy(t, src, to)
	testCopyCarriesOn(t, to, countOutbox(t, src))

	t.Run("ErrNoSchema", func(t *testing.T) {
		empty, err := store.OpenNoMigrate(ctx, filepath.Join(t.TempDir(), "empty.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer empty.Close()
		if _, err := store.Copy(ctx, empty, MustOpenStore(t), nil); bot.ErrorCode(err) != bot.EINVALID || !strings.Contains(err.Error(), "no askdesk tables") {
			t.Errorf("copy from a new file: %v", err)
		}
		if _, err := store.Copy(ctx, src, empty, nil); bot.ErrorCode(err) != bot.EINVALID || !strings.Contains(err.Error(), "schema version") {
			t.Errorf("copy to an unmigrated file: %v", err)
		}
	})
}

func countOutbox(t *testing.T, db *store.DB) int64 {
	t.Helper()
	n, err := store.CountRows(context.Background(), db, "outbox")
	if err != nil {
		t.Fatal(err)
	}
	return int64(n)
}

// BenchmarkCopyToPostgres copies a store of 100,000 synthetic requests
// (and their events) from SQLite into a new PostgreSQL schema.
func BenchmarkCopyToPostgres(b *testing.B) {
	ctx := context.Background()
	src := MustOpenStore(b)
	if err := src.SeedSynthetic(ctx, 100_000, t0); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		to, err := store.Open(ctx, storetest.URL(b))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := store.Copy(ctx, src, to, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		to.Close()
		b.StartTimer()
	}
}

// TestCopyNULToPostgres: text with a NUL character (stored before askdesk
// dropped control characters at intake) cannot go into PostgreSQL; the copy
// says which row and column, and leaves the destination empty. SQLite to
// SQLite copies it as it is.
func TestCopyNULToPostgres(t *testing.T) {
	ctx := context.Background()
	src := MustOpenStore(t)
	mustCreate(t, src, "FIN", "finance", "U1", "clean", t0, t0.Add(time.Hour))
	mustCreate(t, src, "FIN", "finance", "U1", "need\x00numbers", t0, t0.Add(time.Hour))
	to := MustOpenPostgres(t)
	_, err := store.Copy(ctx, src, to, nil)
	if bot.ErrorCode(err) != bot.EINVALID || !strings.Contains(err.Error(), "id=FIN-2") || !strings.Contains(err.Error(), "NUL character in body") {
		t.Fatalf("copy of a NUL: %v", err)
	}
	if n, _ := store.CountRows(ctx, to, "requests"); n != 0 {
		t.Fatalf("%d requests left in the destination", n)
	}
	if _, err := store.Copy(ctx, src, MustOpenStore(t), nil); err != nil {
		t.Fatalf("SQLite to SQLite: %v", err)
	}
}
