package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// The conformance suite, part one: ratings, the quarterly survey and its
// customers, on every backend.

func TestRatings(t *testing.T) { eachBackend(t, testRatings) }

func testRatings(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	h := time.Hour
	fin1 := mustCreate(t, db, "FIN", "finance", sam, "one", t0, time.Time{})
	fin2 := mustCreate(t, db, "FIN", "finance", sam, "two", t0, time.Time{})
	it1 := mustCreate(t, db, "IT", "it", fiona, "three", t0, time.Time{})
	ask := func(t *testing.T, r *bot.Request, round int, at time.Time, skipped string) {
		t.Helper()
		a := bot.Rating{RequestID: r.ID, Round: round, Requester: r.Requester, Dept: r.Dept, AskedAt: at, Skipped: skipped}
		if err := db.RecordAsk(ctx, a); err != nil {
			t.Fatalf("record ask %s/%d: %v", r.ID, round, err)
		}
	}

	t.Run("RecordAsk", func(t *testing.T) {
		if at, err := db.LastAsked(ctx, sam); err != nil || !at.IsZero() {
			t.Errorf("LastAsked before any prompt = %v, %v; want zero", at, err)
		}
		ask(t, fin1, 0, t0.Add(h), "")
		ask(t, fin1, 0, t0.Add(5*h), "") // the same round again: ignored
		ask(t, fin2, 0, t0.Add(2*h), "fatigue")
		got, ok, err := db.RatingOf(ctx, fin1.ID, 0)
		want := bot.Rating{RequestID: fin1.ID, Requester: sam, Dept: "finance", AskedAt: t0.Add(h)}
		if err != nil || !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("RatingOf = %+v, %v, %v; want %+v", got, ok, err, want)
		}
		if _, ok, err := db.RatingOf(ctx, fin1.ID, 1); ok || err != nil {
			t.Errorf("RatingOf an unasked round = %v, %v; want not found", ok, err)
		}
		// Skips are not prompts: fatigue counts only real ones.
		if at, err := db.LastAsked(ctx, sam); err != nil || !at.Equal(t0.Add(h)) {
			t.Errorf("LastAsked = %v, %v; want %v", at, err, t0.Add(h))
		}
		if got, _, _ := db.RatingOf(ctx, fin2.ID, 0); got.Skipped != "fatigue" {
			t.Errorf("skipped prompt = %+v", got)
		}
	})

	t.Run("SetScore", func(t *testing.T) {
		if rated, err := db.EverRated(ctx, fin1.ID); rated || err != nil {
			t.Errorf("EverRated before = %v, %v", rated, err)
		}
		row := bot.Rating{RequestID: fin1.ID, Requester: sam, Dept: "finance", AskedAt: t0.Add(h)}
		for _, c := range []struct{ score, prev int }{{4, 0}, {2, 4}, {5, 2}} {
			row.Score, row.RatedAt = c.score, t0.Add(time.Duration(c.score)*h)
			if prev, err := db.SetScore(ctx, row); err != nil || prev != c.prev {
				t.Errorf("SetScore(%d) = %d, %v; want previous %d", c.score, prev, err, c.prev)
			}
		}
		got, _, err := db.RatingOf(ctx, fin1.ID, 0)
		if err != nil || got.Score != 5 || !got.RatedAt.Equal(t0.Add(5*h)) || !got.AskedAt.Equal(t0.Add(h)) {
			t.Errorf("after rating: %+v, %v", got, err)
		}
		if rated, err := db.EverRated(ctx, fin1.ID); !rated || err != nil {
			t.Errorf("EverRated = %v, %v; want true", rated, err)
		}
		// Withdrawn: the score and its time go, the prompt stays.
		row.Score = 0
		if prev, err := db.SetScore(ctx, row); err != nil || prev != 5 {
			t.Errorf("withdraw = %d, %v; want previous 5", prev, err)
		}
		if got, ok, _ := db.RatingOf(ctx, fin1.ID, 0); !ok || got.Score != 0 || !got.RatedAt.IsZero() {
			t.Errorf("after withdrawal: %+v", got)
		}
		if rated, _ := db.EverRated(ctx, fin1.ID); rated {
			t.Error("EverRated after withdrawal")
		}
		// A rating without a recorded prompt creates the row.
		direct := bot.Rating{RequestID: it1.ID, Round: 1, Requester: fiona, Dept: "it", AskedAt: t0.Add(3 * h), Score: 3, RatedAt: t0.Add(4 * h)}
		if prev, err := db.SetScore(ctx, direct); err != nil || prev != 0 {
			t.Errorf("SetScore without prompt = %d, %v", prev, err)
		}
		if got, ok, _ := db.RatingOf(ctx, it1.ID, 1); !ok || got.Score != 3 || got.Requester != fiona || got.Dept != "it" {
			t.Errorf("created row %+v, %v", got, ok)
		}
	})

	t.Run("Comment", func(t *testing.T) {
		comment := `it's "fine"; 财务 😀 100%_`
		if ok, err := db.SetRatingComment(ctx, it1.ID, 1, comment); !ok || err != nil {
			t.Errorf("SetRatingComment = %v, %v", ok, err)
		}
		if got, _, _ := db.RatingOf(ctx, it1.ID, 1); got.Comment != comment {
			t.Errorf("comment %q, want %q", got.Comment, comment)
		}
		if ok, err := db.SetRatingComment(ctx, it1.ID, 7, "no such round"); ok || err != nil {
			t.Errorf("comment on a missing row = %v, %v; want false", ok, err)
		}
	})

	t.Run("Ratings", func(t *testing.T) {
		rs, err := db.Ratings(ctx, t0, t0.Add(3*h))
		var got []string
		for _, r := range rs {
			got = append(got, r.RequestID)
		}
		// By prompt time; the skip counts as a row, the prompt at 3h does not.
		if want := []string{"FIN-1", "FIN-2"}; err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Ratings = %v, %v; want %v", got, err, want)
		}
		var all []string
		err = db.EachRating(ctx, time.Time{}, time.Time{}, func(r bot.Rating) error {
			all = append(all, r.RequestID)
			return nil
		})
		if want := []string{"FIN-1", "FIN-2", "IT-1"}; err != nil || !reflect.DeepEqual(all, want) {
			t.Errorf("EachRating = %v, %v; want %v", all, err, want)
		}
	})
}

// TestRatingReminders: a prompt is reminded once, only while unrated.
func TestRatingReminders(t *testing.T) { eachBackend(t, testRatingReminders) }

func testRatingReminders(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	h := time.Hour
	var rows []bot.Rating
	for i, c := range []struct {
		skipped string
		score   int
	}{{"", 0}, {"", 0}, {"sampling", 0}, {"", 4}, {"", 0}} {
		r := mustCreate(t, db, "FIN", "finance", sam, "x", t0, time.Time{})
		row := bot.Rating{RequestID: r.ID, Requester: sam, Dept: "finance", AskedAt: t0.Add(time.Duration(i) * h), Skipped: c.skipped}
		if err := db.RecordAsk(ctx, row); err != nil {
			t.Fatal(err)
		}
		if c.score > 0 {
			row.Score, row.RatedAt = c.score, row.AskedAt.Add(h)
			if _, err := db.SetScore(ctx, row); err != nil {
				t.Fatal(err)
			}
		}
		rows = append(rows, row)
	}
	ids := func(rs []bot.Rating) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.RequestID)
		}
		return out
	}
	// Asked in [t0, t0+4h): FIN-1, FIN-2 unrated; FIN-3 skipped, FIN-4
	// rated; FIN-5 asked too late.
	due, err := db.RatingsToRemind(ctx, t0.Add(4*h), t0, 10)
	if want := []string{"FIN-1", "FIN-2"}; err != nil || !reflect.DeepEqual(ids(due), want) {
		t.Fatalf("RatingsToRemind = %v, %v; want %v", ids(due), err, want)
	}
	if due, _ := db.RatingsToRemind(ctx, t0.Add(4*h), t0, 1); !reflect.DeepEqual(ids(due), []string{"FIN-1"}) {
		t.Errorf("limit 1: %v", ids(due))
	}
	if due, _ := db.RatingsToRemind(ctx, t0.Add(4*h), t0.Add(time.Minute), 10); !reflect.DeepEqual(ids(due), []string{"FIN-2"}) {
		t.Errorf("asked since t0+1m: %v", ids(due))
	}
	msg := []bot.Message{{To: sam, DM: true, ThreadOf: "FIN-1", Text: "How was FIN-1?"}}
	for i, want := range []bool{true, false} {
		if ok, err := db.RemindRating(ctx, rows[0], t0.Add(48*h), msg); ok != want || err != nil {
			t.Errorf("RemindRating %d = %v, %v; want %v", i, ok, err, want)
		}
	}
	if n, _, err := db.OutboxStats(ctx, t0.Add(48*h)); n != 1 || err != nil {
		t.Errorf("%d reminders queued, %v; want 1", n, err)
	}
	if got, _, _ := db.RatingOf(ctx, "FIN-1", 0); !got.Reminded.Equal(t0.Add(48 * h)) {
		t.Errorf("reminded at %v", got.Reminded)
	}
	if due, _ := db.RatingsToRemind(ctx, t0.Add(4*h), t0, 10); !reflect.DeepEqual(ids(due), []string{"FIN-2"}) {
		t.Errorf("after reminding FIN-1: %v", ids(due))
	}
}

func TestSatisfaction(t *testing.T) { eachBackend(t, testSatisfaction) }

func testSatisfaction(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	h := time.Hour
	for i, c := range []struct {
		dept, skipped string
		score         int
	}{{"finance", "", 4}, {"finance", "", 5}, {"finance", "", 0}, {"finance", "fatigue", 0}, {"it", "", 1}} {
		prefix := map[string]string{"finance": "FIN", "it": "IT"}[c.dept]
		r := mustCreate(t, db, prefix, c.dept, sam, "x", t0, time.Time{})
		row := bot.Rating{RequestID: r.ID, Requester: sam, Dept: c.dept, AskedAt: t0.Add(time.Duration(i) * h), Skipped: c.skipped}
		if err := db.RecordAsk(ctx, row); err != nil {
			t.Fatal(err)
		}
		if c.score > 0 {
			row.Score, row.RatedAt = c.score, row.AskedAt.Add(h)
			if _, err := db.SetScore(ctx, row); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, c := range []struct {
		name  string
		depts []string
		to    time.Time
		want  *report.Satisfaction
	}{
		// The average of 4 and 5 is 4.5, not an integer's 4.
		{"Finance", []string{"finance"}, t0.Add(24 * h), &report.Satisfaction{Average: 4.5, Ratings: 2, Asked: 3}},
		{"Both", []string{"finance", "it"}, t0.Add(24 * h), &report.Satisfaction{Average: 10.0 / 3, Ratings: 3, Asked: 4}},
		{"Period", []string{"finance"}, t0.Add(h), &report.Satisfaction{Average: 4, Ratings: 1, Asked: 1}},
		{"NoneAsked", []string{"hr"}, t0.Add(24 * h), nil},
		{"NoDepartments", nil, t0.Add(24 * h), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := db.Satisfaction(ctx, c.depts, t0, c.to)
			if err != nil {
				t.Fatal(err)
			}
			if c.want == nil || got == nil {
				if got != c.want {
					t.Errorf("got %+v, want %+v", got, c.want)
				}
				return
			}
			if got.Ratings != c.want.Ratings || got.Asked != c.want.Asked || abs(got.Average-c.want.Average) > 1e-9 {
				t.Errorf("got %+v, want %+v", *got, *c.want)
			}
		})
	}
	// Only the unrated prompt in [t0+2h, t0+3h): asked, no average.
	got, err := db.Satisfaction(ctx, []string{"finance"}, t0.Add(2*h), t0.Add(3*h))
	if err != nil || got == nil || got.Asked != 1 || got.Ratings != 0 || got.Average != 0 {
		t.Errorf("unrated only: %+v, %v", got, err)
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func TestSurveys(t *testing.T) { eachBackend(t, testSurveys) }

func testSurveys(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	h := time.Hour
	const q = "2026-Q4"
	at := t0.Add(24 * h)
	msg := bot.Message{To: sam, DM: true, Text: "How did we serve you?"}
	for i, want := range []bool{true, false} {
		if ok, err := db.AskSurvey(ctx, q, sam, []string{"it", "finance"}, msg, at); ok != want || err != nil {
			t.Fatalf("AskSurvey %d = %v, %v; want %v", i, ok, err, want)
		}
	}
	// Once per person and quarter, whatever the departments.
	if ok, err := db.AskSurvey(ctx, q, sam, []string{"hr"}, msg, at); ok || err != nil {
		t.Errorf("AskSurvey about another department = %v, %v; want false", ok, err)
	}
	if ok, err := db.AskSurvey(ctx, q, fiona, []string{"it"}, bot.Message{To: fiona, DM: true, Text: "survey"}, at); !ok || err != nil {
		t.Errorf("AskSurvey fiona = %v, %v", ok, err)
	}
	if ok, err := db.AskSurvey(ctx, "2026-Q3", sam, []string{"it"}, msg, at); !ok || err != nil {
		t.Errorf("AskSurvey of another quarter = %v, %v", ok, err)
	}
	if n, _, err := db.OutboxStats(ctx, at); n != 3 || err != nil {
		t.Errorf("%d invitations queued, %v; want 3", n, err)
	}

	comment := `"slow", but it's 财务 100%`
	if ok, err := db.AnswerSurvey(ctx, q, sam, "finance", 3, comment, at.Add(h)); !ok || err != nil {
		t.Errorf("AnswerSurvey = %v, %v", ok, err)
	}
	if ok, err := db.AnswerSurvey(ctx, q, sam, "hr", 5, "", at.Add(h)); ok || err != nil {
		t.Errorf("answer about a department not asked = %v, %v; want false", ok, err)
	}
	got, err := db.SurveyResults(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	want := []bot.SurveyAnswer{
		{Quarter: q, Requester: sam, Dept: "finance", AskedAt: at, Score: 3, Comment: comment, AnsweredAt: at.Add(h)},
		{Quarter: q, Requester: fiona, Dept: "it", AskedAt: at},
		{Quarter: q, Requester: sam, Dept: "it", AskedAt: at},
	}
	if fiona > sam { // by department, then requester
		want[1], want[2] = want[2], want[1]
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SurveyResults =\n%+v\nwant\n%+v", got, want)
	}
	if got, err := db.SurveyResults(ctx, "1999-Q1"); err != nil || len(got) != 0 {
		t.Errorf("results of a quarter never asked: %+v, %v", got, err)
	}
}

func TestCustomers(t *testing.T) { eachBackend(t, testCustomers) }

func testCustomers(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	day := 24 * time.Hour
	mustCreate(t, db, "IT", "it", sam, "a", t0, time.Time{})
	mustCreate(t, db, "FIN", "finance", sam, "b", t0.Add(day), time.Time{})
	mustCreate(t, db, "FIN", "finance", sam, "c", t0.Add(2*day), time.Time{})
	mustCreate(t, db, "IT", "it", fiona, "d", t0.Add(3*day), time.Time{})
	mustCreate(t, db, "HR", "hr", fiona, "before", t0.Add(-time.Millisecond), time.Time{})
	mustCreate(t, db, "HR", "hr", sam, "after", t0.Add(7*day), time.Time{})
	got, err := db.Customers(ctx, t0, t0.Add(7*day))
	want := map[string][]string{sam: {"finance", "it"}, fiona: {"it"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Customers = %v, %v; want %v", got, err, want)
	}
	if got, err := db.Customers(ctx, t0.Add(10*day), t0.Add(20*day)); err != nil || len(got) != 0 {
		t.Errorf("an empty period: %v, %v", got, err)
	}
}
