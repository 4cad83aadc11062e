package store_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// TestResetReportPartsWorksEverythingOutAgain: after ResetReportParts
// (askdesk report rebuild) and a refresh, the parts' cells and the ratings'
// cells are what they were, even when a cell had been spoiled, and every
// figure equals the one counted from whole requests.
func TestResetReportPartsWorksEverythingOutAgain(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(tb testing.TB) *store.DB) {
		db := open(t)
		ctx := context.Background()
		dir := bottest.WithPurchasing(t, bottest.Directory(t))
		start := time.Date(2026, 8, 3, 14, 0, 0, 0, time.UTC)
		clock := bot.NewManualClock(start)
		g := &randomDesk{t: t, rng: rand.New(rand.NewPCG(5, 23)), clock: clock, asker: map[string]string{}, dept: map[string]string{},
			desk: bot.New(dir, db, &bottest.Recorder{}, clock, nil)}
		g.run(300)
		if err := report.RefreshParts(ctx, db, dir, clock.Now()); err != nil {
			t.Fatal(err)
		}
		kept, ratings, _, err := store.RollupCellsForTest(db)
		if err != nil {
			t.Fatal(err)
		}
		if len(kept) == 0 || len(ratings) == 0 {
			t.Fatalf("no cells kept (%d) or no rating cells (%d)", len(kept), len(ratings))
		}
		if err := store.ExecForTest(db, `DELETE FROM report_rating_cells WHERE level = 1`); err != nil {
			t.Fatal(err)
		}
		if err := store.ExecForTest(db, `UPDATE report_cells SET cell = ?`, []byte{0xff}); err != nil {
			t.Fatal(err)
		}
		if _, err := report.ComputeReport(ctx, db, dir, report.ReportOptions{Period: report.QuarterPeriod(bot.Quarter{Year: 2026, Q: 3}), Now: clock.Now()}); !errors.Is(err, report.ErrKeptCounts) {
			t.Fatalf("a report on spoiled cells: %v, want ErrKeptCounts", err)
		}
		if err := db.ResetReportParts(ctx); err != nil {
			t.Fatal(err)
		}
		if err := report.RefreshParts(ctx, db, dir, clock.Now()); err != nil {
			t.Fatal(err)
		}
		again, ratingsAgain, _, err := store.RollupCellsForTest(db)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(kept, again) {
			t.Errorf("cells after the reset differ:\nbefore %d %v\nafter  %d %v", len(kept), kept, len(again), again)
		}
		if !reflect.DeepEqual(ratings, ratingsAgain) {
			t.Errorf("rating cells after the reset differ:\nbefore %v\nafter  %v", ratings, ratingsAgain)
		}
		compareFigures(t, db, dir, start, clock.Now())
	})
}
