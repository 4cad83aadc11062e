package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// The search conformance suite (store/search.go), on SQLite's FTS5 and
// PostgreSQL's full-text search alike.

const (
	tess  = "U0TESS001" // a requester of IT's
	ivan  = "U0IVAN001" // works in IT
	admin = "U0ADMIN01"
)

func search(t *testing.T, db *store.DB, q bot.SearchQuery, scope bot.SearchScope, offset, limit int) []string {
	t.Helper()
	hits, err := db.SearchRequests(context.Background(), q, scope, offset, limit)
	if err != nil {
		t.Fatalf("search %v: %v", q, err)
	}
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.Request.ID)
	}
	return ids
}

func words(s string) bot.SearchQuery { return bot.SearchQuery{Words: bot.SearchWords(s)} }

// everyone sees everything that is not private (an admin's scope).
var everyone = bot.SearchScope{User: admin, Admin: true}

// createTyped files a request with fields, private or not.
func createTyped(tb testing.TB, db *store.DB, prefix, dept, requester, text string, at time.Time, private bool, fields ...bot.FieldValue) *bot.Request {
	tb.Helper()
	ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: requester, At: at, Dept: dept, Priority: bot.Normal,
		Title: bot.Title(text), Text: text, Type: "t", Fields: fields, Private: private}
	var r bot.Request
	if err := r.Apply(ev); err != nil {
		tb.Fatal(err)
	}
	if err := db.CreateRequest(context.Background(), prefix, &r, &ev, nil); err != nil {
		tb.Fatalf("create: %v", err)
	}
	return &r
}

func TestSearchFindsEveryPartOfARequest(t *testing.T) { eachBackend(t, testSearchFindsEveryPart) }

func testSearchFindsEveryPart(t *testing.T, open func(testing.TB) *store.DB) {
	db := open(t)
	h := time.Hour
	mustCreate(t, db, "IT", "it", tess, "Laptop will not boot\nIt shows a blinking cursor", t0, time.Time{}) // IT-1
	createTyped(t, db, "IT", "it", tess, "New starter kit", t0.Add(h), false, bot.FieldValue{Name: "model", Value: "ThinkPad X1"})
	r3 := mustCreate(t, db, "IT", "it", tess, "Printer on floor 3", t0.Add(2*h), time.Time{})
	say(t, db, r3, bot.EvReplied, ivan, t0.Add(3*h), "The toner cartridge is empty; ordered one")
	say(t, db, r3, bot.EvResolved, ivan, t0.Add(4*h), "Replaced the drum unit as well")
	mustCreate(t, db, "FIN", "finance", tess, "Café receipts für Zürich", t0.Add(5*h), time.Time{})
	mustCreate(t, db, "FIN", "finance", tess, "हिन्दी अनुवाद चाहिए", t0.Add(6*h), time.Time{})

	for _, c := range []struct{ q, want string }{
		{"laptop", "IT-1"},        // title
		{"blinking", "IT-1"},      // text
		{"thinkpad", "IT-2"},      // a field's value
		{"toner", "IT-3"},         // a reply
		{"drum", "IT-3"},          // the resolution note
		{"LAPTOP BOOT", "IT-1"},   // every word, case aside
		{"cartri", "IT-3"},        // the start of a word
		{"zürich", "FIN-1"},       // not English
		{"अनुवाद", "FIN-2"},       // vowel signs are part of words
		{"printer toner", "IT-3"}, // words from title and a reply
	} {
		if got := search(t, db, words(c.q), everyone, 0, 10); !reflect.DeepEqual(got, []string{c.want}) {
			t.Errorf("search %q = %v, want [%s]", c.q, got, c.want)
		}
	}
	for _, q := range []string{"laptop toner", "nothing", "ink", tess} { // not by who filed it
		if got := search(t, db, words(q), everyone, 0, 10); len(got) != 0 {
			t.Errorf("search %q = %v, want nothing", q, got)
		}
	}
	hits, err := db.SearchRequests(context.Background(), words("drum"), everyone, 0, 10)
	if err != nil || len(hits) != 1 || hits[0].Notes != "The toner cartridge is empty; ordered one\nReplaced the drum unit as well" {
		t.Fatalf("notes of IT-3: %+v, %v", hits, err)
	}
	if r := hits[0].Request; r.Title != "Printer on floor 3" || r.State != bot.Resolved {
		t.Errorf("IT-3 found as %+v", r)
	}
}

func TestSearchScope(t *testing.T) { eachBackend(t, testSearchScope) }

func testSearchScope(t *testing.T, open func(testing.TB) *store.DB) {
	db := open(t)
	mustCreate(t, db, "IT", "it", tess, "salary slip missing from the laptop", t0, time.Time{})                                    // IT-1: tess's
	mustCreate(t, db, "FIN", "finance", sam, "salary advance", t0, time.Time{})                                                    // FIN-1: sam's, finance's
	createTyped(t, db, "HR", "hr", sam, "grievance about my salary", t0, true, bot.FieldValue{Name: "who", Value: "salary board"}) // HR-1: private
	for _, c := range []struct {
		name  string
		scope bot.SearchScope
		want  []string
	}{
		{"OwnOnly", bot.SearchScope{User: tess}, []string{"IT-1"}},
		{"RequesterSeesOwnPrivate", bot.SearchScope{User: sam}, []string{"FIN-1", "HR-1"}},
		{"StaffSeeTheirDepartments", bot.SearchScope{User: ivan, Depts: []string{"it"}}, []string{"IT-1"}},
		{"StaffSeePrivateOfTheirDepartment", bot.SearchScope{User: fiona, Depts: []string{"hr", "finance"}}, []string{"FIN-1", "HR-1"}},
		{"AdminNotOthersPrivate", everyone, []string{"FIN-1", "IT-1"}},
		{"Stranger", bot.SearchScope{User: "U0NOBODY1"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := search(t, db, words("salary"), c.scope, 0, 10)
			sortStrings(got)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func sortStrings(ss []string) {
	for i := range ss {
		for j := i + 1; j < len(ss); j++ {
			if ss[j] < ss[i] {
				ss[i], ss[j] = ss[j], ss[i]
			}
		}
	}
}

func TestSearchRanking(t *testing.T) { eachBackend(t, testSearchRanking) }

func testSearchRanking(t *testing.T, open func(testing.TB) *store.DB) {
	db := open(t)
	h := time.Hour
	r1 := mustCreate(t, db, "IT", "it", tess, "Printer jammed", t0, time.Time{}) // IT-1: monitor in a reply only
	say(t, db, r1, bot.EvReplied, ivan, t0.Add(h), "also checked the monitor cable while there")
	mustCreate(t, db, "IT", "it", tess, "Monitor flickers", t0.Add(2*h), time.Time{})                        // IT-2: in the title
	mustCreate(t, db, "IT", "it", tess, "Desk move\nplease bring the monitor too", t0.Add(3*h), time.Time{}) // IT-3: in the text
	mustCreate(t, db, "IT", "it", tess, "Monitor flickers", t0.Add(4*h), time.Time{})                        // IT-4: as IT-2, newer
	got := search(t, db, words("monitor"), everyone, 0, 10)
	if want := []string{"IT-4", "IT-2", "IT-3", "IT-1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ranked %v, want %v (title, then text, then replies; newer first among equals)", got, want)
	}
}

func TestSearchFilters(t *testing.T) { eachBackend(t, testSearchFilters) }

func testSearchFilters(t *testing.T, open func(testing.TB) *store.DB) {
	db := open(t)
	day := 24 * time.Hour
	mustCreate(t, db, "IT", "it", tess, "access badge", t0, time.Time{})                    // IT-1, open
	r2 := mustCreate(t, db, "IT", "it", sam, "access to the VPN", t0.Add(day), time.Time{}) // IT-2, resolved
	say(t, db, r2, bot.EvResolved, ivan, t0.Add(day+time.Hour), "granted")
	mustCreate(t, db, "FIN", "finance", sam, "access to the ledger", t0.Add(2*day), time.Time{}) // FIN-1
	r4 := mustCreate(t, db, "IT", "it", sam, "access to the wiki", t0.Add(3*day), time.Time{})   // IT-3, cancelled
	say(t, db, r4, bot.EvCancelled, sam, t0.Add(3*day+time.Hour), "")
	all := func(q bot.SearchQuery) []string { return search(t, db, q, everyone, 0, 10) }
	q := func(f func(*bot.SearchQuery)) bot.SearchQuery { q := words("access"); f(&q); return q }
	for _, c := range []struct {
		name string
		q    bot.SearchQuery
		want []string
	}{
		{"Dept", q(func(q *bot.SearchQuery) { q.Dept = "finance" }), []string{"FIN-1"}},
		{"StatusOpen", q(func(q *bot.SearchQuery) {
			q.States = []bot.State{bot.Open, bot.Acknowledged, bot.Waiting, bot.Reopened}
		}), []string{"FIN-1", "IT-1"}},
		{"StatusResolved", q(func(q *bot.SearchQuery) { q.States = []bot.State{bot.Resolved} }), []string{"IT-2"}},
		{"StatusCancelled", q(func(q *bot.SearchQuery) { q.States = []bot.State{bot.Cancelled} }), []string{"IT-3"}},
		{"From", q(func(q *bot.SearchQuery) { q.Requester = tess }), []string{"IT-1"}},
		{"After", q(func(q *bot.SearchQuery) { q.After = t0.Add(2 * day) }), []string{"IT-3", "FIN-1"}},
		{"Before", q(func(q *bot.SearchQuery) { q.Before = t0.Add(day) }), []string{"IT-1"}},
		{"Between", q(func(q *bot.SearchQuery) { q.After, q.Before = t0.Add(day), t0.Add(3*day) }), []string{"FIN-1", "IT-2"}},
		{"NoWordsNewestFirst", bot.SearchQuery{Requester: sam}, []string{"IT-3", "FIN-1", "IT-2"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := all(c.q)
			if len(c.q.Words) > 0 { // ranked: the engines weigh lengths differently
				sortStrings(got)
				sortStrings(c.want)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestSearchPaging(t *testing.T) { eachBackend(t, testSearchPaging) }

func testSearchPaging(t *testing.T, open func(testing.TB) *store.DB) {
	db := open(t)
	for i := 0; i < 25; i++ {
		mustCreate(t, db, "IT", "it", tess, "headset crackles", t0.Add(time.Duration(i)*time.Minute), time.Time{})
	}
	first := search(t, db, words("headset"), everyone, 0, 10)
	second := search(t, db, words("headset"), everyone, 10, 10)
	third := search(t, db, words("headset"), everyone, 20, 10)
	if len(first) != 10 || len(second) != 10 || len(third) != 5 {
		t.Fatalf("pages of %d, %d, %d; want 10, 10, 5", len(first), len(second), len(third))
	}
	if first[0] != "IT-25" || second[0] != "IT-15" || third[4] != "IT-1" {
		t.Errorf("pages %v %v %v: want newest first across pages", first, second, third)
	}
}

func TestSearchRedactedLeaveTheIndex(t *testing.T) { eachBackend(t, testSearchRedacted) }

func testSearchRedacted(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	db.Now = func() time.Time { return t0.Add(400 * 24 * time.Hour) }
	old := mustCreate(t, db, "IT", "it", tess, "keyboard sticky keys", t0, time.Time{})
	say(t, db, old, bot.EvResolved, ivan, t0.Add(time.Hour), "cleaned the keyboard")
	say(t, db, old, bot.EvClosed, tess, t0.Add(2*time.Hour), "")
	mustCreate(t, db, "IT", "it", tess, "keyboard for the new starter", t0.Add(300*24*time.Hour), time.Time{})
	if got := search(t, db, words("keyboard"), everyone, 0, 10); len(got) != 2 {
		t.Fatalf("before redaction: %v", got)
	}
	if _, err := db.Redact(ctx, t0.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"keyboard", "sticky", "cleaned", "redacted"} {
		got := search(t, db, words(q), everyone, 0, 10)
		want := map[string][]string{"keyboard": {"IT-2"}}[q]
		if !reflect.DeepEqual(got, want) {
			t.Errorf("after redaction, search %q = %v, want %v", q, got, want)
		}
	}
	// Written to after its redaction: found by the new words alone.
	r, err := db.Request(ctx, "IT-1")
	if err != nil {
		t.Fatal(err)
	}
	say(t, db, r, bot.EvCommented, tess, t0.Add(401*24*time.Hour), "one more thing about the trackpad")
	if got := search(t, db, words("trackpad"), everyone, 0, 10); !reflect.DeepEqual(got, []string{"IT-1"}) {
		t.Errorf("a comment after redaction: %v", got)
	}
	if got := search(t, db, words("sticky"), everyone, 0, 10); len(got) != 0 {
		t.Errorf("redacted words found again: %v", got)
	}
}

func TestSearchMigrationBuildsIndex(t *testing.T) { eachBackend(t, testSearchMigrationBuilds) }

func testSearchMigrationBuilds(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	db.Now = func() time.Time { return t0.Add(400 * 24 * time.Hour) }
	r := mustCreate(t, db, "IT", "it", tess, "scanner offline", t0, time.Time{})
	say(t, db, r, bot.EvReplied, ivan, t0.Add(time.Hour), "rebooted the gateway")
	say(t, db, r, bot.EvResolved, ivan, t0.Add(2*time.Hour), "firmware updated")
	createTyped(t, db, "HR", "hr", sam, "letter please", t0, false, bot.FieldValue{Name: "kind", Value: "employment reference"})
	gone := mustCreate(t, db, "FIN", "finance", sam, "scanner invoice", t0, time.Time{})
	say(t, db, gone, bot.EvCancelled, sam, t0.Add(time.Hour), "")
	if _, err := db.Redact(ctx, t0.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := store.UnbuildSearch(db); err != nil {
		t.Fatal(err)
	}
	if applied, err := db.Migrate(ctx); err != nil || !reflect.DeepEqual(applied, []int{17, 21, 23, 33}) {
		t.Fatalf("migrate: %v, %v", applied, err)
	}
	for q, want := range map[string][]string{
		"scanner": {"IT-1"}, "gateway": {"IT-1"}, "firmware": {"IT-1"}, "employment": {"HR-1"}, "invoice": nil,
	} {
		if got := search(t, db, words(q), everyone, 0, 10); !reflect.DeepEqual(got, want) {
			t.Errorf("after the migration, search %q = %v, want %v", q, got, want)
		}
	}
	hits, err := db.SearchRequests(ctx, words("gateway"), everyone, 0, 10)
	if err != nil || len(hits) != 1 || hits[0].Notes != "rebooted the gateway\nfirmware updated" {
		t.Errorf("notes rebuilt as %+v, %v", hits, err)
	}
}

func TestSearchCommonWordMatchedWhole(t *testing.T) { eachBackend(t, testSearchCommonWordMatchedWhole) }

// A word in enough requests to fill the window a search ranks (every one
// of 6,000 synthetic requests says "benchmark") is matched as a word only:
// its longer forms are not merged in, which is what kept the slowest search
// of a large store slow. A rarer word still finds the words it starts.
func testSearchCommonWordMatchedWhole(t *testing.T, open func(testing.TB) *store.DB) {
	db := open(t)
	if err := db.SeedSynthetic(context.Background(), 6000, t0); err != nil {
		t.Fatal(err)
	}
	longer := mustCreate(t, db, "IT", "it", tess, "Benchmarking the new laptops", t0.Add(time.Hour), time.Time{})
	if got := search(t, db, words("benchmark"), everyone, 0, 3); len(got) != 3 || slices.Contains(got, longer.ID) {
		t.Errorf("benchmark found %v: want three of the requests that say it, not %s (benchmarking)", got, longer.ID)
	}
	if got := search(t, db, words("benchmarki"), everyone, 0, 3); !reflect.DeepEqual(got, []string{longer.ID}) {
		t.Errorf("benchmarki found %v, want [%s]: a rare start of a word still matches", got, longer.ID)
	}
}
