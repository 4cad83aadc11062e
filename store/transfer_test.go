package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// transferDesk is the test company with Purchasing (bottest) on db.
func transferDesk(t *testing.T, db *store.DB) *bottest.Fixture {
	t.Helper()
	f := &bottest.Fixture{DB: db, Chat: &bottest.Recorder{}, Clock: bot.NewManualClock(bottest.Tuesday10), Ctx: context.Background()}
	f.Desk = bot.New(bottest.WithPurchasing(t, bottest.Directory(t)), db, f.Chat, f.Clock, nil)
	return f
}

// TestTransferRecomputesStoredDeadlines: the week of bottest.SeedTransfers,
// on each backend. The stored deadlines of FIN-3, which Finance passed to
// IT on Wed 25 Nov 09:30 New York (22:30 Shanghai), are IT's: its first
// response due Thu 11:00 and its resolution (1 working day) Thu 18:00,
// Shanghai time, with held_since the transfer; the requests Finance passed
// on are among those its reports read, though other departments hold them.
func TestTransferRecomputesStoredDeadlines(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		db := open(t)
		f := transferDesk(t, db)
		bottest.SeedTransfers(t, f)
		sh, ny := bottest.MustZone(t, "Asia/Shanghai"), bottest.MustZone(t, "America/New_York")
		r, err := db.Request(f.Ctx, "FIN-3")
		if err != nil {
			t.Fatal(err)
		}
		if want := bottest.At(t, ny, "2026-11-25 09:30"); r.Dept != "it" || !r.HeldSince.Equal(want) {
			t.Errorf("FIN-3 with %s since %v; want it since %v", r.Dept, r.HeldSince, want)
		}
		if want := bottest.At(t, sh, "2026-11-26 11:00"); !r.FirstResponseDue.Equal(want) {
			t.Errorf("FIN-3's first response due %v, want %v", r.FirstResponseDue.In(sh), want)
		}
		if want := bottest.At(t, sh, "2026-11-26 18:00"); !r.ResolutionDue.Equal(want) {
			t.Errorf("FIN-3's resolution due %v, want %v", r.ResolutionDue.In(sh), want)
		}
		// The sweep finds IT's deadline, not one counted from the filing.
		due, err := db.DueBefore(f.Ctx, bottest.At(t, sh, "2026-11-26 10:59"), 10)
		if err != nil || len(due) != 0 {
			t.Errorf("due before IT's deadline: %d requests, %v", len(due), err)
		}

		from, to := bottest.At(t, ny, "2026-11-23 00:00"), bottest.At(t, ny, "2026-11-30 00:00")
		rs, err := db.RequestsActiveDuring(f.Ctx, []string{"finance"}, from, to)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
		slices.Sort(ids)
		if want := []string{"FIN-1", "FIN-2", "FIN-3"}; !slices.Equal(ids, want) {
			t.Errorf("finance's requests of the week: %v, want %v (each once)", ids, want)
		}
		// A part that ended before the period counts nothing in it.
		rs, err = db.RequestsActiveDuring(f.Ctx, []string{"finance"}, to, to.Add(7*24*time.Hour))
		if err != nil || len(rs) != 0 {
			t.Errorf("finance's requests of the next week: %d, %v; want none", len(rs), err)
		}
	})
}

// TestScorecardOfTransfers: the scorecard of that week, on each backend,
// counts each department's part (the figures are worked out in
// bottest.SeedTransfers).
func TestScorecardOfTransfers(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		db := open(t)
		f := transferDesk(t, db)
		bottest.SeedTransfers(t, f)
		p, err := report.DatePeriod(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := report.ComputeReport(f.Ctx, db, f.Desk.Dir(), report.ReportOptions{Period: p, Now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		type counts struct{ New, Received, PassedOn, Resolved, FirstResponses, FirstResponsesMet, Overdue int }
		want := map[string]counts{
			"finance":    {New: 3, Received: 1, PassedOn: 3, Resolved: 1, FirstResponses: 4, FirstResponsesMet: 4},
			"it":         {Received: 2, PassedOn: 1, FirstResponses: 2, Overdue: 1},
			"purchasing": {Received: 2, PassedOn: 1, Resolved: 1, FirstResponses: 2, FirstResponsesMet: 2},
		}
		for _, d := range rep.Depts {
			g := d.Figures
			if got := (counts{g.New, g.Received, g.PassedOn, g.Resolved, g.FirstResponses, g.FirstResponsesMet, g.Overdue}); got != want[d.Dept.Name] {
				t.Errorf("%s: got %+v, want %+v", d.Dept.Name, got, want[d.Dept.Name])
			}
		}
	})
}

// TestMigrationKeepsEarlierTransfersOnFiling: migration 0014 on a database
// from before it. A request never transferred took its department at
// filing; one transferred before it keeps held_since empty, so its clocks
// still run from filing (bot.Request.HeldFrom) and reports count it wholly
// to its department now.
func TestMigrationKeepsEarlierTransfersOnFiling(t *testing.T) {
	eachDatabase(t, func(t *testing.T, where string) {
		ctx := context.Background()
		db, err := store.Open(ctx, where)
		if err != nil {
			t.Fatal(err)
		}
		f := transferDesk(t, db)
		f.File(t, bottest.Sam, "finance", "numbers")
		f.File(t, bottest.Sam, "finance", "chairs")
		f.Clock.Advance(time.Hour)
		f.Do(t, bottest.Frank, bot.ActTransfer, "FIN-2", "purchasing")
		// Back to the schema before 0014.
		for _, q := range []string{
			`DROP INDEX events_transferred`,
			`ALTER TABLE requests DROP COLUMN held_since`,
			`DELETE FROM schema_migrations WHERE version = 14`,
		} {
			if err := store.ExecForTest(db, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		db.Close()
		db, err = store.Open(ctx, where)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		never, err := db.Request(ctx, "FIN-1")
		if err != nil {
			t.Fatal(err)
		}
		if !never.HeldSince.Equal(never.CreatedAt) {
			t.Errorf("FIN-1, never transferred: held since %v, want its filing %v", never.HeldSince, never.CreatedAt)
		}
		moved, err := db.Request(ctx, "FIN-2")
		if err != nil {
			t.Fatal(err)
		}
		if !moved.HeldSince.IsZero() || !moved.HeldFrom().Equal(moved.CreatedAt) {
			t.Errorf("FIN-2, transferred before: held since %v, clocks from %v; want empty, and its filing", moved.HeldSince, moved.HeldFrom())
		}
	})
}
