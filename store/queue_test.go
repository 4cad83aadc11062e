package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// A department's queue read page by page (the Home's queue: each state
// read along its index and merged) comes in the same order as the SQL
// urgency order of the one-query list: running deadlines earliest first,
// paused ones last, then priority and age; filters and UnclaimedOr apply.
func TestQueuePagesInUrgencyOrder(t *testing.T) { eachBackend(t, testQueuePagesInUrgencyOrder) }

func testQueuePagesInUrgencyOrder(t *testing.T, open func(testing.TB) *store.DB) {
	db := open(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	const sam, frank, fiona = "U0SAM", "U0FRANK", "U0FIONA"
	states := []bot.State{bot.Open, bot.Acknowledged, bot.Waiting, bot.Reopened}
	for i := range 40 {
		at := t0.Add(time.Duration(i) * time.Minute)
		prio := []bot.Priority{bot.Normal, bot.Urgent, bot.Low}[i%3]
		ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: sam, At: at, Dept: "finance", Priority: prio, Title: "q", Text: "q"}
		var r bot.Request
		if err := r.Apply(ev); err != nil {
			t.Fatal(err)
		}
		r.State = states[i%4]
		if i%5 != 0 { // a fifth have no running deadline
			r.FirstResponseDue = t0.Add(time.Duration((i*7)%13) * time.Hour)
		}
		r.Assignee = []string{"", frank, fiona, ""}[i%4]
		if err := db.CreateRequest(ctx, "FIN", &r, &ev, nil); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(rs []*bot.Request) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	for _, c := range []struct {
		name string
		f    bot.Filter
	}{
		{"All", bot.Filter{}},
		{"UnclaimedOrFrank", bot.Filter{UnclaimedOr: frank}},
		{"Urgent", bot.Filter{Priority: bot.Urgent}},
		{"Waiting", bot.Filter{States: []bot.State{bot.Waiting}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			oracle := c.f
			oracle.Requester, oracle.ActiveOnly, oracle.Limit = sam, true, 100 // the one-query path
			want, err := db.Requests(ctx, oracle)
			if err != nil {
				t.Fatal(err)
			}
			var got []*bot.Request
			for page := 0; ; page++ {
				f := c.f
				f.Depts, f.ActiveOnly, f.Limit, f.Offset = []string{"finance"}, true, 7, page*7
				rs, err := db.Requests(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, rs...)
				if len(rs) < 7 {
					break
				}
			}
			if len(want) == 0 || !slices.Equal(ids(got), ids(want)) {
				t.Errorf("paged queue:\n got %v\nwant %v", ids(got), ids(want))
			}
		})
	}
}
