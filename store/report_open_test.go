package store_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// TestPartsOpenDuringFindsEveryOpenPart: for random ranges of instants,
// EachPartOpenDuring gives every part in cells (not apart, not running)
// that began before the range's end and ended at or after its start: each
// part open at one of its instants, however long it ran, found by its end
// or as a long part.
func TestPartsOpenDuringFindsEveryOpenPart(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(tb testing.TB) *store.DB) {
		db := open(t)
		dir := bottest.WithPurchasing(t, bottest.Directory(t))
		start := time.Date(2026, 8, 3, 14, 0, 0, 0, time.UTC)
		clock := bot.NewManualClock(start)
		g := &randomDesk{t: t, rng: rand.New(rand.NewPCG(5, 17)), clock: clock, asker: map[string]string{}, dept: map[string]string{},
			desk: bot.New(dir, db, &bottest.Recorder{}, clock, nil)}
		g.run(400)
		ctx := context.Background()
		if err := report.RefreshParts(ctx, db, dir, clock.Now()); err != nil {
			t.Fatal(err)
		}
		spans, err := store.PartSpansForTest(db)
		if err != nil {
			t.Fatal(err)
		}
		long := 0
		for _, p := range spans {
			if !p.Apart && p.EndKey != math.MaxInt64 && p.EndKey-p.StartAt >= 7*24*3600*1000 {
				long++
			}
		}
		if long == 0 {
			t.Fatalf("no part in cells ran a week or more: the long parts went unchecked")
		}
		rng := rand.New(rand.NewPCG(9, 3))
		span := clock.Now().Sub(start)
		found := 0
		for range 200 {
			from := start.Add(-24*time.Hour + time.Duration(rng.Int64N(int64(span+48*time.Hour))))
			to := from.Add(time.Duration(rng.Int64N(int64(72 * time.Hour))))
			if rng.IntN(4) == 0 {
				to = from
			}
			for _, dept := range randomDepts {
				got := map[string]bool{}
				if err := db.EachPartOpenDuring(ctx, []string{dept}, from, to, func(p report.PartRow) error {
					got[fmt.Sprint(p.RequestID, "/", p.Part)] = true
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				for _, p := range spans {
					if p.Dept != dept || p.Apart || p.EndKey == math.MaxInt64 || p.StartAt >= to.UnixMilli() || p.EndKey < from.UnixMilli() {
						continue
					}
					found++
					if !got[fmt.Sprint(p.RequestID, "/", p.Part)] {
						t.Errorf("%s part %d of %s (%s to %s) not found open during %s to %s", dept, p.Part, p.RequestID,
							time.UnixMilli(p.StartAt).UTC(), time.UnixMilli(p.EndKey).UTC(), from, to)
					}
				}
			}
		}
		if found == 0 {
			t.Fatalf("no part open in any range: nothing was checked")
		}
	})
}
