package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// TestMapMovesRequestersPlacedLater: two requesters askdesk cannot place
// file with Finance (their requests carry no stamped department, and
// their map cells are kept all together as well as each apart); when the
// directory later places one of them (on IT's staff, then by [people])
// their requests, response times and ratings move from "unknown
// department" to that department, the other's stay, and every map equals
// the one computed from whole requests; placed back, the map is the first
// one again.
func TestMapMovesRequestersPlacedLater(t *testing.T) {
	const placedLater, neverPlaced = "U0NEWA", "U0NEWB"
	eachBackend(t, func(t *testing.T, open func(tb testing.TB) *store.DB) {
		ctx := context.Background()
		db := open(t)
		dirA := bottest.WithPurchasing(t, bottest.Directory(t))
		clock := bot.NewManualClock(time.Date(2026, 9, 1, 14, 0, 0, 0, time.UTC))
		desk := bot.New(dirA, db, &bottest.Recorder{}, clock, nil)
		for i, who := range []string{placedLater, neverPlaced, placedLater, neverPlaced, placedLater} {
			r, err := desk.File(ctx, bot.Filing{Requester: who, Dept: "finance", Text: "expense claim", Source: "slash"})
			if err != nil {
				t.Fatal(err)
			}
			if r.RequesterDept != "" {
				t.Fatalf("request of %s stamped %q; want none", who, r.RequesterDept)
			}
			clock.Advance(time.Duration(7+13*i) * time.Minute) // each its own response time
			if _, err := desk.Do(ctx, bot.Act{Actor: bottest.Frank, ID: r.ID, Action: bot.ActReply, Text: "looking"}); err != nil {
				t.Fatal(err)
			}
			clock.Advance(time.Duration(2+i) * time.Hour)
			if _, err := desk.Do(ctx, bot.Act{Actor: bottest.Frank, ID: r.ID, Action: bot.ActResolve, Text: "paid"}); err != nil {
				t.Fatal(err)
			}
			// A score given beside the desk's own prompt.
			if err := store.ExecForTest(db, `INSERT INTO ratings (request_id, round, requester, dept, asked_at, skipped, score, rated_at)
				SELECT id, 7, requester, dept, resolved_at + 60000, '', ?, resolved_at + 120000 FROM requests WHERE id = ?`, 1+i, r.ID); err != nil {
				t.Fatal(err)
			}
			clock.Advance(26 * time.Hour)
		}
		now := time.Date(2026, 9, 20, 0, 0, 0, 0, time.UTC)
		p, err := report.DatePeriod(time.Date(2026, 8, 22, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 20, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		mapOf := func(dir *bot.Directory) *report.RelMap {
			t.Helper()
			got, err := report.ComputeMap(ctx, db, dir, p, now)
			if err != nil {
				t.Fatal(err)
			}
			want, err := report.ComputeMap(ctx, reference(db), dir, p, now)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("map differs:\ncells          %+v\nwhole requests %+v", got.Pairs, want.Pairs)
			}
			return got
		}
		pairOf := func(m *report.RelMap, from string) report.Pair {
			pr, _ := m.Pair(from, "finance")
			return pr
		}

		first := mapOf(dirA)
		if got := pairOf(first, report.UnknownDept); got.Figures.New != 5 || got.CSAT.Asked != 10 || got.CSAT.Answered != 5 || got.Figures.FirstResponseTime.N != 5 {
			t.Fatalf("unknown → finance before anyone is placed: %+v; want 5 requests, 10 prompts (5 answered), 5 response times", got)
		}

		dirB := bottest.WithPurchasing(t, bottest.Directory(t))
		it := dirB.ByName("it")
		it.Members = append(append([]string(nil), it.Members...), placedLater)
		onStaff := mapOf(dirB)
		moved, left := pairOf(onStaff, "it"), pairOf(onStaff, report.UnknownDept)
		if moved.Figures.New != 3 || moved.CSAT.Asked != 6 || moved.CSAT.Answered != 3 || moved.Figures.FirstResponseTime.N != 3 ||
			left.Figures.New != 2 || left.CSAT.Asked != 4 || left.CSAT.Answered != 2 || left.Figures.FirstResponseTime.N != 2 {
			t.Errorf("on IT's staff: it → finance %+v, unknown → finance %+v; want 3 and 2 requests, answers and response times (6 and 4 prompts)", moved, left)
		}

		dirC := bottest.WithPurchasing(t, bottest.Directory(t))
		dirC.People[placedLater] = &bot.Person{ID: placedLater, Name: "newa", Department: "sales"}
		dirC.People[neverPlaced] = &bot.Person{ID: neverPlaced, Name: "newb"} // named, no department: still unknown
		byPeople := mapOf(dirC)
		if got := pairOf(byPeople, "sales"); !reflect.DeepEqual(got.Figures, moved.Figures) || got.CSAT != moved.CSAT {
			t.Errorf("by [people]: sales → finance %+v; want what it → finance had, %+v", got, moved)
		}
		if got := pairOf(byPeople, report.UnknownDept); !reflect.DeepEqual(got.Figures, left.Figures) || got.CSAT != left.CSAT {
			t.Errorf("by [people]: unknown → finance %+v; want %+v", got, left)
		}

		if again := mapOf(bottest.WithPurchasing(t, bottest.Directory(t))); !reflect.DeepEqual(again.Pairs, first.Pairs) {
			t.Errorf("placed back: %+v; want the first map %+v", again.Pairs, first.Pairs)
		}
	})
}
