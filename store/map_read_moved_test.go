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

// betweenMapReads is the store with act run once, after a map has read the
// cells of every unstamped requester together and before it reads, apart,
// those of the requesters the directory places (their cells, or their
// ratings): a commit landing between the two.
type betweenMapReads struct {
	*store.DB
	cells bool // act before the placed requesters' cells; else their ratings
	act   func()
	done  bool
}

func (b *betweenMapReads) once(now bool) {
	if now && !b.done {
		b.done = true
		b.act()
	}
}

func (b *betweenMapReads) EachRequesterMapCell(ctx context.Context, requesters []string, level int, from, to time.Time, fn func(string, report.MapCellKey, []byte) error) error {
	b.once(b.cells)
	return b.DB.EachRequesterMapCell(ctx, requesters, level, from, to, fn)
}

func (b *betweenMapReads) EachRequesterMapRating(ctx context.Context, requesters []string, level int, from, to time.Time, fn func(string, report.MapCellKey, report.Scores) error) error {
	b.once(!b.cells)
	return b.DB.EachRequesterMapRating(ctx, requesters, level, from, to, fn)
}

// TestMapReadAgainWhenAPlacedRequesterMovesMidway: a placed requester's
// request resolved and its parts saved, or a rating prompt of theirs
// recorded, between the map's two reads: the map reads again and equals
// the one counted from whole requests after the commit (it neither fails
// with the kept counts nor subtracts what the together cell never held).
func TestMapReadAgainWhenAPlacedRequesterMovesMidway(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(tb testing.TB) *store.DB) {
		for _, c := range []struct {
			name  string
			cells bool
		}{{"PartsSaved", true}, {"RatingAsked", false}} {
			t.Run(c.name, func(t *testing.T) {
				const placed, unplaced = "U0NEWA", "U0NEWB"
				ctx := context.Background()
				db := open(t)
				dir := bottest.WithPurchasing(t, bottest.Directory(t))
				clock := bot.NewManualClock(time.Date(2026, 9, 1, 14, 0, 0, 0, time.UTC))
				desk := bot.New(dir, db, &bottest.Recorder{}, clock, nil)
				file := func(who, text string) *bot.Request {
					r, err := desk.File(ctx, bot.Filing{Requester: who, Dept: "finance", Text: text, Source: "slash"})
					if err != nil {
						t.Fatal(err)
					}
					return r
				}
				resolve := func(r *bot.Request) {
					if _, err := desk.Do(ctx, bot.Act{Actor: bottest.Frank, ID: r.ID, Action: bot.ActResolve, Text: "paid"}); err != nil {
						t.Fatal(err)
					}
				}
				mine, other := file(placed, "expense claim"), file(unplaced, "another claim")
				clock.Advance(time.Hour)
				if !c.cells {
					// Rated, each: the unplaced one's prompt stays in
					// the together cell, the placed one's is moved.
					resolve(other)
					resolve(mine)
				}
				now := time.Date(2026, 9, 20, 0, 0, 0, 0, time.UTC)
				p, err := report.DatePeriod(time.Date(2026, 8, 22, 0, 0, 0, 0, time.UTC), now)
				if err != nil {
					t.Fatal(err)
				}
				// The directory now places one of the two on IT's staff.
				placing := bottest.WithPurchasing(t, bottest.Directory(t))
				it := placing.ByName("it")
				it.Members = append(append([]string(nil), it.Members...), placed)
				if err := report.RefreshParts(ctx, db, placing, now); err != nil {
					t.Fatal(err)
				}
				racing := &betweenMapReads{DB: db, cells: c.cells, act: func() {
					if c.cells {
						resolve(mine)
						if err := report.RefreshParts(ctx, db, placing, now); err != nil {
							t.Fatal(err)
						}
						return
					}
					// A second prompt, as a reopened and resolved again
					// request gets.
					if err := db.RecordAsk(ctx, bot.Rating{RequestID: mine.ID, Round: 1, Requester: placed, Dept: "finance", AskedAt: clock.Now()}); err != nil {
						t.Fatal(err)
					}
				}}
				got, err := report.ComputeMap(ctx, racing, placing, p, now)
				if err != nil {
					t.Fatalf("map with a commit between its reads: %v", err)
				}
				if !racing.done {
					t.Fatal("the map never read the placed requesters apart: the test tests nothing")
				}
				want, err := report.ComputeMap(ctx, reference(db), placing, p, now)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got.Pairs, want.Pairs) {
					t.Errorf("map read across the commit:\ngot  %+v\nwant %+v", got.Pairs, want.Pairs)
				}
			})
		}
	})
}
