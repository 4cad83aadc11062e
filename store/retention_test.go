package store_test

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk"
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// say appends an event carrying text to r, as the desk would.
func say(tb testing.TB, db *store.DB, r *bot.Request, kind bot.EventKind, actor string, at time.Time, text string) {
	tb.Helper()
	ev := bot.Event{RequestID: r.ID, Seq: r.Version + 1, Kind: kind, Actor: actor, At: at, Text: text, Assignee: actor}
	next := *r
	if err := next.Apply(ev); err != nil {
		tb.Fatal(err)
	}
	if err := db.Append(context.Background(), &next, ev, nil); err != nil {
		tb.Fatalf("append %s: %v", kind, err)
	}
	*r = next
}

func exampleDir(tb testing.TB) *bot.Directory {
	tb.Helper()
	cfg, err := config.Parse("config.example.toml", bytes.NewReader(askdesk.ExampleConfig))
	if err != nil {
		tb.Fatal(err)
	}
	dir, err := cfg.Directory()
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

const (
	sam   = "U0SAM0001"
	fiona = "U0FIONA01"
)

// retentionStore holds, a year before t0 and more: FIN-1 closed with
// replies, a note and a rated comment; FIN-2 cancelled with a reason;
// FIN-3 still open; FIN-4 resolved, never closed. Recently: FIN-5 closed.
// And two survey answers with comments, one old, one recent.
func retentionStore(t *testing.T, open func(testing.TB) *store.DB) *store.DB {
	t.Helper()
	ctx := context.Background()
	db := open(t)
	db.Now = func() time.Time { return t0 }
	jan := time.Date(2025, 1, 13, 15, 0, 0, 0, time.UTC) // a Monday, 10:00 in New York
	h := time.Hour

	fin1 := mustCreate(t, db, "FIN", "finance", sam, "need the Q4 budget numbers, salary of Bob attached", jan, jan.Add(4*h))
	say(t, db, fin1, bot.EvClaimed, fiona, jan.Add(h), "")
	say(t, db, fin1, bot.EvWaiting, fiona, jan.Add(2*h), "All of sales, or only Bob's team?")
	say(t, db, fin1, bot.EvCommented, sam, jan.Add(3*h), "Only Bob's team")
	say(t, db, fin1, bot.EvResolved, fiona, jan.Add(5*h), "Sent by email to sam@example.com")
	rating := bot.Rating{RequestID: fin1.ID, Requester: sam, Dept: "finance", AskedAt: jan.Add(5 * h), Score: 2, RatedAt: jan.Add(6 * h)}
	if err := db.RecordAsk(ctx, rating); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetScore(ctx, rating); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.SetRatingComment(ctx, fin1.ID, 0, "Fiona was rude about Bob"); !ok || err != nil {
		t.Fatalf("rating comment: %v %v", ok, err)
	}
	say(t, db, fin1, bot.EvClosed, "askdesk", jan.Add(72*h), "")

	fin2 := mustCreate(t, db, "FIN", "finance", sam, "refund my taxi, card 4111 1111", jan.Add(24*h), jan.Add(28*h))
	say(t, db, fin2, bot.EvCancelled, sam, jan.Add(25*h), "paid it myself")
	mustCreate(t, db, "FIN", "finance", sam, "still waiting on this one", jan.Add(48*h), jan.Add(52*h))
	fin4 := mustCreate(t, db, "FIN", "finance", sam, "resolved, left so", jan.Add(48*h), jan.Add(52*h))
	say(t, db, fin4, bot.EvResolved, fiona, jan.Add(50*h), "done")

	fin5 := mustCreate(t, db, "FIN", "finance", sam, "recent and private", t0.Add(-30*24*h), time.Time{})
	say(t, db, fin5, bot.EvResolved, fiona, t0.Add(-29*24*h), "done recently")
	say(t, db, fin5, bot.EvClosed, "askdesk", t0.Add(-26*24*h), "")

	for _, a := range []struct {
		quarter string
		at      time.Time
		comment string
	}{{"2025-Q1", time.Date(2025, 4, 1, 14, 0, 0, 0, time.UTC), "old survey remark"}, {"2026-Q3", time.Date(2026, 10, 1, 14, 0, 0, 0, time.UTC), "recent survey remark"}} {
		if _, err := db.AskSurvey(ctx, a.quarter, sam, []string{"finance"}, bot.Message{To: sam, Text: "survey"}, a.at); err != nil {
			t.Fatal(err)
		}
		if ok, err := db.AnswerSurvey(ctx, a.quarter, sam, "finance", 4, a.comment, a.at.Add(h)); !ok || err != nil {
			t.Fatalf("answer survey: %v %v", ok, err)
		}
	}
	return db
}

// figures computes what reports and digests say about the old requests'
// time: the 2025-Q1 scorecards and the digests of FIN-1's week.
func figures(t *testing.T, db *store.DB, dir *bot.Directory) (*report.Report, []report.Figures) {
	t.Helper()
	ctx := context.Background()
	rep, err := report.ComputeReport(ctx, db, dir, report.ReportOptions{Period: report.QuarterPeriod(bot.Quarter{Year: 2025, Q: 1}), Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := report.ComputeDigests(ctx, db, dir, report.ISOWeek{Year: 2025, Week: 3}, time.UTC, t0)
	if err != nil {
		t.Fatal(err)
	}
	var figs []report.Figures
	for _, d := range ds {
		figs = append(figs, d.Figures, d.Prev)
	}
	return rep, figs
}

// exportAll runs every export of the bot's exporter, as askdesk export
// does, and returns the CSV.
func exportAll(t *testing.T, db *store.DB, dir *bot.Directory) string {
	t.Helper()
	var b bytes.Buffer
	for _, table := range report.ExportTables {
		w, err := report.NewRecordWriter(&b, "csv", report.ExportColumns(table))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := report.NewExporter(dir, t0).Export(context.Background(), db, table, time.Time{}, time.Time{}, w); err != nil {
			t.Fatalf("export %s: %v", table, err)
		}
	}
	return b.String()
}

func TestRedact(t *testing.T) { eachBackend(t, testRedact) }

func testRedact(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	dir := exampleDir(t)
	db := retentionStore(t, open)
	before := t0.AddDate(0, 0, -365)
	secrets := []string{"salary of Bob", "Bob's team", "sam@example.com", "rude about Bob", "4111", "paid it myself"}
	kept := []string{"still waiting on this one", "resolved, left so", "recent and private", "done recently"}

	repBefore, figsBefore := figures(t, db, dir)
	exported := exportAll(t, db, dir)
	for _, s := range append(secrets, kept...) {
		if !strings.Contains(exported, s) {
			t.Fatalf("the export lacks %q before redaction:\n%s", s, exported)
		}
	}
	want := store.RedactStats{Requests: 2, Events: 6, Ratings: 1, Surveys: 1}
	if got, err := db.ToRedact(ctx, before); err != nil || got != want {
		t.Errorf("ToRedact = %+v, %v; want %+v", got, err, want)
	}
	got, err := db.Redact(ctx, before)
	if err != nil || got != want {
		t.Fatalf("Redact = %+v, %v; want %+v", got, err, want)
	}

	t.Run("TextGone", func(t *testing.T) {
		exported := exportAll(t, db, dir)
		for _, s := range secrets {
			if strings.Contains(exported, s) {
				t.Errorf("the export still holds %q", s)
			}
		}
		for _, s := range kept {
			if !strings.Contains(exported, s) {
				t.Errorf("the export lost %q, which is not old enough or not finished", s)
			}
		}
		r, err := db.Request(ctx, "FIN-1")
		if err != nil || r.Title != store.Redacted || r.Text != store.Redacted || r.State != bot.Closed || r.Requester != sam {
			t.Errorf("FIN-1 = %+v, %v", r, err)
		}
		evs, err := db.Events(ctx, "FIN-1")
		if err != nil || len(evs) != 6 {
			t.Fatalf("FIN-1 history: %d events, %v", len(evs), err)
		}
		for _, ev := range evs {
			if ev.Text != "" && ev.Text != store.Redacted || ev.Title != "" && ev.Title != store.Redacted {
				t.Errorf("event %d kept %q %q", ev.Seq, ev.Title, ev.Text)
			}
		}
		// Only what was written is replaced: a claim had no text.
		if evs[1].Kind != bot.EvClaimed || evs[1].Text != "" || evs[1].Assignee != fiona || evs[0].Dept != "finance" {
			t.Errorf("FIN-1 history: %+v", evs[:2])
		}
		rt, _, err := db.RatingOf(ctx, "FIN-1", 0)
		if err != nil || rt.Comment != store.Redacted || rt.Score != 2 {
			t.Errorf("FIN-1 rating = %+v, %v", rt, err)
		}
		for quarter, want := range map[string]string{"2025-Q1": store.Redacted, "2026-Q3": "recent survey remark"} {
			answers, err := db.SurveyResults(ctx, quarter)
			if err != nil || len(answers) != 1 || answers[0].Comment != want || answers[0].Score != 4 {
				t.Errorf("%s survey = %+v, %v; want comment %q", quarter, answers, err, want)
			}
		}
	})

	t.Run("SameFigures", func(t *testing.T) {
		repAfter, figsAfter := figures(t, db, dir)
		if !reflect.DeepEqual(figsBefore, figsAfter) {
			t.Errorf("digest figures changed:\nbefore %+v\nafter  %+v", figsBefore, figsAfter)
		}
		if !reflect.DeepEqual(repBefore, repAfter) {
			t.Errorf("report changed:\nbefore %+v\nafter  %+v", repBefore.Company, repAfter.Company)
		}
		if repBefore.Company.Figures.New != 4 || repBefore.Company.CSAT.Answered != 1 || repBefore.Company.Survey.Answered != 1 {
			t.Errorf("the report does not count the old requests: %+v", repBefore.Company)
		}
	})

	t.Run("Idempotent", func(t *testing.T) {
		exported := exportAll(t, db, dir)
		if got, err := db.ToRedact(ctx, before); err != nil || got != (store.RedactStats{}) {
			t.Errorf("ToRedact after = %+v, %v; want nothing", got, err)
		}
		if got, err := db.Redact(ctx, before); err != nil || got != (store.RedactStats{}) {
			t.Errorf("second Redact = %+v, %v; want nothing", got, err)
		}
		if again := exportAll(t, db, dir); again != exported {
			t.Errorf("second Redact changed the data")
		}
	})

	t.Run("NewTextRedactedAgain", func(t *testing.T) {
		// Closed requests still take comments.
		fin1, err := db.Request(ctx, "FIN-1")
		if err != nil {
			t.Fatal(err)
		}
		say(t, db, fin1, bot.EvCommented, sam, t0, "and Bob's phone is 555-0100")
		got, err := db.Redact(ctx, before)
		if want := (store.RedactStats{Requests: 1, Events: 1}); err != nil || got != want {
			t.Fatalf("Redact = %+v, %v; want %+v", got, err, want)
		}
		if evs, _ := db.Events(ctx, "FIN-1"); evs[len(evs)-1].Text != store.Redacted {
			t.Errorf("the new comment is kept: %+v", evs[len(evs)-1])
		}
	})

	t.Run("HistoryStillAppendOnly", func(t *testing.T) {
		redactFIN3 := `UPDATE events SET data = json_replace(data, '$.text', '[redacted]', '$.title', '[redacted]') WHERE request_id = 'FIN-3'`
		if store.IsPostgresURL(db.Path()) {
			redactFIN3 = `UPDATE events SET data = jsonb_set(jsonb_set(data::jsonb, '{text}', '"[redacted]"', false), '{title}', '"[redacted]"', false)::text WHERE request_id = 'FIN-3'`
		}
		for _, q := range []string{
			`UPDATE events SET actor = 'U0MALLORY' WHERE request_id = 'FIN-1'`,
			`UPDATE events SET at = at + 1 WHERE request_id = 'FIN-1'`,
			`UPDATE events SET kind = 'resolved' WHERE request_id = 'FIN-1' AND seq = 1`,
			`UPDATE events SET data = '{"text":"forged"}' WHERE request_id = 'FIN-1' AND seq = 3`,
			`UPDATE events SET data = '{}' WHERE request_id = 'FIN-1' AND seq = 3`,
			`UPDATE events SET seq = seq + 100 WHERE request_id = 'FIN-2'`,
			`UPDATE events SET request_id = 'FIN-3' WHERE request_id = 'FIN-2' AND seq = 2`,
			// Redacting is allowed only for a request marked redacted.
			redactFIN3,
			`DELETE FROM events WHERE request_id = 'FIN-1'`,
			`DELETE FROM events`,
		} {
			err := store.ExecForTest(db, q)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused as append-only", q, err)
			}
		}
		if r, err := db.Request(ctx, "FIN-3"); err != nil || r.Title != "still waiting on this one" {
			t.Errorf("FIN-3 = %+v, %v", r, err)
		}
	})
}

// TestRedactBatches redacts more requests than one transaction takes.
func TestRedactBatches(t *testing.T) { eachBackend(t, testRedactBatches) }

func testRedactBatches(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	const n = 2500 // 2,250 closed, 250 still running
	if err := store.SeedForBench(db, n, t0.UnixMilli()); err != nil {
		t.Fatal(err)
	}
	before := t0.Add(3 * 24 * time.Hour) // the last closed two days after t0
	got, err := db.Redact(ctx, before)
	if err != nil || got.Requests != 2250 {
		t.Fatalf("Redact = %+v, %v; want 2250 requests", got, err)
	}
	if got, err := db.Redact(ctx, before); err != nil || got.Total() != 0 {
		t.Errorf("second Redact = %+v, %v", got, err)
	}
	active, err := db.Requests(ctx, bot.Filter{ActiveOnly: true, Limit: n})
	if err != nil || len(active) != 250 || active[0].Title != "benchmark request" {
		t.Errorf("active requests: %d, %v", len(active), err)
	}
}

// TestRedactPlan checks the daily run reads only what is left to redact.
func TestRedactPlan(t *testing.T) {
	plan, err := store.ExplainRedact(MustOpenStore(t), t0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "requests_unredacted") {
		t.Errorf("plan does not use requests_unredacted:\n%s", plan)
	}
}

// A change read before a redaction committed must not write the old text
// back: redaction adds no event, so the version alone does not tell.
func TestChangeReadBeforeRedactionLeavesItRedacted(t *testing.T) {
	eachBackend(t, testChangeReadBeforeRedaction)
}

func testChangeReadBeforeRedaction(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := retentionStore(t, open)
	stale, err := db.Request(ctx, "FIN-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Redact(ctx, t0.AddDate(0, 0, -365)); err != nil {
		t.Fatal(err)
	}
	comment := func(r *bot.Request) error {
		ev := bot.Event{RequestID: r.ID, Seq: r.Version + 1, Kind: bot.EvCommented, Actor: sam, At: t0, Text: "one more thing"}
		next := *r
		if err := next.Apply(ev); err != nil {
			t.Fatal(err)
		}
		return db.Append(ctx, &next, ev, nil)
	}
	if err := comment(stale); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Fatalf("a change read before the redaction: %v, want a conflict", err)
	}
	secret := bot.SearchQuery{Words: bot.SearchWords("salary Bob")}
	check := func(when string) {
		t.Helper()
		r, err := db.Request(ctx, "FIN-1")
		if err != nil || r.Title != store.Redacted || r.Text != store.Redacted {
			t.Errorf("%s: FIN-1 = %q %q, %v", when, r.Title, r.Text, err)
		}
		hits, err := db.SearchRequests(ctx, secret, bot.SearchScope{User: sam, Admin: true}, 0, 10)
		if err != nil || len(hits) != 0 {
			t.Errorf("%s: a search for the old title finds %v, %v", when, hits, err)
		}
	}
	check("after the refused change")
	// Read again, as the desk does on a conflict, the change goes through
	// on the redacted text.
	fresh, err := db.Request(ctx, "FIN-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := comment(fresh); err != nil {
		t.Fatalf("the change read after the redaction: %v", err)
	}
	check("after the change read again")
}
