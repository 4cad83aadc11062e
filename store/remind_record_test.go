package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

func TestRemindersManySeries(t *testing.T) { eachBackend(t, testRemindersManySeries) }

// A sweep after downtime records tens of thousands of series, many to a
// statement: each is recorded once, whichever statement carried it, and
// what was sent is not sent again.
func testRemindersManySeries(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	ids := []string{"FIN-1", "FIN-2", "IT-1"}
	for _, id := range ids {
		p := id[:len(id)-2]
		mustCreate(t, db, p, map[string]string{"FIN": "finance", "IT": "it"}[p], sam, "x", t0, t0)
	}
	const n = 1234 // two full statements and a part of one
	items := func(level func(i int) int) []bot.Reminder {
		out := make([]bot.Reminder, n)
		for i := range out {
			out[i] = bot.Reminder{RequestID: ids[i%len(ids)], Series: fmt.Sprintf("first:%d", i), Level: level(i), Kind: bot.RemindWarn, At: t0}
		}
		return out
	}
	record := func(items []bot.Reminder) map[string]int {
		t.Helper()
		sent := map[string]int{}
		if err := db.RecordReminders(ctx, items, nil, t0, func(rs []bot.Reminder) []bot.Message {
			for _, r := range rs {
				sent[r.RequestID+" "+r.Series] = r.Level
			}
			return nil
		}); err != nil {
			t.Fatalf("record reminders: %v", err)
		}
		return sent
	}
	if got := record(items(func(int) int { return 50 })); len(got) != n {
		t.Fatalf("first sweep sent %d, want %d", len(got), n)
	}
	// Every even series moves to 75; the odd ones stay at 50, sent.
	got := record(items(func(i int) int { return 50 + 25*(1-i%2) }))
	if len(got) != n/2 {
		t.Errorf("second sweep sent %d, want %d", len(got), n/2)
	}
	for k, lvl := range got {
		if lvl != 75 {
			t.Errorf("second sweep sent %s at %d", k, lvl)
		}
	}
	// Now the odd ones move up, and the even ones, at 75, are not sent again.
	got = record(items(func(int) int { return 75 }))
	if len(got) != n/2 {
		t.Errorf("third sweep sent %d, want %d", len(got), n/2)
	}
	for i := 0; i < n; i += 2 {
		if k := ids[i%len(ids)] + " " + fmt.Sprintf("first:%d", i); got[k] != 0 {
			t.Errorf("third sweep sent %s again", k)
		}
	}
	if got := record(items(func(int) int { return 75 })); len(got) != 0 {
		t.Errorf("fourth sweep sent %d, want none", len(got))
	}
}
