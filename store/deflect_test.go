package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/store"
)

// TestSelfServedCounts: self-served questions are counted per department
// within the window; a second record of one pending filing counts once.
func TestSelfServedCounts(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		ctx := context.Background()
		db := open(t)
		for i, s := range []bot.SelfServed{
			{PendingID: 1, Dept: "it", Requester: "U1", AnsweredBy: "IT-1", At: t0},
			{PendingID: 1, Dept: "it", Requester: "U1", AnsweredBy: "IT-1", At: t0},
			{PendingID: 2, Dept: "it", Requester: "U2", AnsweredBy: "IT-1", At: t0.Add(time.Hour)},
			{PendingID: 3, Dept: "finance", Requester: "U1", AnsweredBy: "FIN-4", At: t0.Add(2 * time.Hour)},
			{PendingID: 4, Dept: "finance", Requester: "U1", AnsweredBy: "FIN-4", At: t0.Add(48 * time.Hour)},
		} {
			if err := db.RecordSelfServed(ctx, s); err != nil {
				t.Fatalf("record %d: %v", i, err)
			}
		}
		got, err := db.SelfServedCounts(ctx, t0, t0.Add(24*time.Hour))
		if err != nil || len(got) != 2 || got["it"] != 2 || got["finance"] != 1 {
			t.Errorf("counts %v, %v; want it 2, finance 1", got, err)
		}
	})
}

// TestSavedAnswersAndAnyWords: a saved answer is reported saved (saving
// twice is harmless); a search for any of its words finds requests with
// only some of them, those with more ranked first.
func TestSavedAnswersAndAnyWords(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		ctx := context.Background()
		db := open(t)
		clock := bot.NewManualClock(t0)
		desk := bot.New(bottest.Directory(t), db, &bottest.Recorder{}, clock, nil)
		file := func(text string) *bot.Request {
			r, err := desk.File(ctx, bot.Filing{Requester: bottest.Sam, Dept: "it", Text: text, Source: "test"})
			if err != nil {
				t.Fatal(err)
			}
			clock.Advance(time.Minute)
			return r
		}
		one := file("vpn is down")
		both := file("vpn token expired")
		file("printer jammed")
		for _, id := range []string{one.ID, one.ID} {
			if err := db.SaveAnswer(ctx, id, bottest.Ivan, t0); err != nil {
				t.Fatal(err)
			}
		}
		saved, err := db.SavedAnswers(ctx, []string{one.ID, both.ID})
		if err != nil || !saved[one.ID] || saved[both.ID] || len(saved) != 1 {
			t.Errorf("saved %v, %v; want only %s", saved, err, one.ID)
		}
		hits, err := db.SearchRequests(ctx, bot.SearchQuery{Words: []string{"vpn", "token"}, AnyWords: true},
			bot.SearchScope{User: bottest.Sam}, 0, 10)
		if err != nil || len(hits) != 2 || hits[0].Request.ID != both.ID {
			ids := []string{}
			for _, h := range hits {
				ids = append(ids, h.Request.ID)
			}
			t.Errorf("any-word hits %v, %v; want %s first, then %s", ids, err, both.ID, one.ID)
		}
	})
}
