package store_test

import (
	"context"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// BenchmarkHome builds the Home of a busy Finance member on a store of a
// million requests: U1000 has 2,000 requests of their own, all running,
// and Finance's queue holds 12,500 unclaimed. Member is the first page;
// Page50 pages a thousand in; Lead is Fiona's, with the standing figures
// (this week's and this quarter's, through bot/report) of Finance's
// 30,000 requests of the quarter, kept for report.StandingFresh; LeadFigures
// counts those figures afresh every time.
func BenchmarkHome(b *testing.B) {
	benchHome(b, benchStore(b, 1_000_000)) // SeedSynthetic: a year over eight departments, a tenth running
}

// BenchmarkHomePostgres is BenchmarkHome on the same million requests in
// PostgreSQL (ASKDESK_BENCH_POSTGRES_1M, see postgresBenchStore).
func BenchmarkHomePostgres(b *testing.B) { benchHome(b, postgresBenchStore(b)) }

func benchHome(b *testing.B, db *store.DB) {
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
					if _, err := report.ComputeStanding(ctx, db, dir, dir.ByName("finance"), bottest.Tuesday10); err != nil {
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
