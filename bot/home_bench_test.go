package bot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// homeBenchStore returns a store of n synthetic requests (store.SeedSynthetic:
// a year of history over eight departments, a tenth still running), kept
// in the system temp dir between runs (delete askdesk-bench-home-*.db to
// rebuild it).
func homeBenchStore(b *testing.B, n int) *store.DB {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("askdesk-bench-home-%d-v1.db", n))
	if _, err := os.Stat(path); err != nil {
		tmp := path + ".building"
		for _, f := range []string{tmp, tmp + "-wal", tmp + "-shm"} { // a run stopped half way
			os.Remove(f)
		}
		db, err := store.Open(ctx, tmp)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		err = db.SeedSynthetic(ctx, n, bottest.Tuesday10)
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			b.Fatal(err)
		}
		os.Remove(tmp + "-wal")
		os.Remove(tmp + "-shm")
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
		b.Logf("built %s in %s", path, time.Since(start).Round(time.Second))
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkHome builds the Home of a busy Finance member on a store of a
// million requests: U1000 has 2,000 requests of their own, all running,
// and Finance's queue holds 12,500 unclaimed. Member is the first page;
// Page50 pages a thousand in; Lead is Fiona's, with the standing figures
// (this week's and this quarter's, through bot/report) of Finance's
// 30,000 requests of the quarter, kept for report.StandingFresh; LeadFigures
// counts those figures afresh every time.
func BenchmarkHome(b *testing.B) {
	db := homeBenchStore(b, 1_000_000)
	const busy = "U1000"
	dir := bottest.Directory(b)
	dir.ByName("finance").Members = append(dir.ByName("finance").Members, busy)
	d := bot.New(dir, db, bot.Discard{}, bot.NewManualClock(bottest.Tuesday10), nil)
	d.Standing = report.StandingCommand(d)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		user string
		q    bot.HomeQuery
	}{
		{"Member", busy, bot.HomeQuery{}},
		{"Page50", busy, bot.HomeQuery{Page: 50}},
		{"MemberUrgentMine", busy, bot.HomeQuery{Priority: bot.Urgent, Mine: true}},
		{"Lead", bottest.Fiona, bot.HomeQuery{}},
	} {
		if c.name == "Lead" {
			// The standing figures uncounted: what the first Home of a lead
			// costs, and every one after report.StandingFresh.
			b.Run("LeadFigures", func(b *testing.B) {
				for b.Loop() {
					if _, err := report.ComputeStanding(ctx, db, dir.ByName("finance"), bottest.Tuesday10); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				h, err := d.Home(ctx, c.user, c.q)
				if err != nil {
					b.Fatal(err)
				}
				if c.user == busy && c.q.Page == 0 && !c.q.Mine && (len(h.Open) != bot.HomeMine || len(h.Queue.Items) != bot.HomePage) {
					b.Fatalf("open %d, queue %d", len(h.Open), len(h.Queue.Items))
				}
			}
		})
	}
}
