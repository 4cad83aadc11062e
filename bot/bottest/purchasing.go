package bottest

import (
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// Pat is a member of Purchasing (WithPurchasing).
const Pat = "U0PAT"

// WithPurchasing adds a third department to the test company, for
// transfers across calendars: Purchasing in London, 09:00–17:00 on
// weekdays, a normal first response within 2h and a resolution within 1
// working day, Pat its member. It returns dir, indexed again.
func WithPurchasing(tb testing.TB, dir *bot.Directory) *bot.Directory {
	tb.Helper()
	dir.Departments = append(dir.Departments, &bot.Department{Name: "purchasing", DisplayName: "Purchasing",
		Prefix: "PUR", Channel: "#purchasing", Members: []string{Pat},
		Calendar: Weekdays(tb, "Europe/London", bot.Span{Start: HM(9, 0), End: HM(17, 0)}),
		Targets: map[bot.Priority]bot.Target{
			bot.Normal: {FirstResponse: bot.BusinessDuration{Time: 2 * time.Hour}, Resolution: bot.BusinessDuration{Days: 1}},
		}})
	dir.People[Pat] = &bot.Person{ID: Pat, Name: "pat"}
	dir.Index()
	return dir
}

// SeedTransfers works three requests passed between departments in the
// week of Mon 23 Nov 2026 (f's directory must have Purchasing), each at a
// known time; the figures each department must get are worked out here.
// Finance: New York, 09:00–12:00 and 13:00–18:00, normal 4h and 2 days.
// IT: Shanghai, 09:00–18:00, 2h and 1 day. Purchasing: London (GMT),
// 09:00–17:00, 2h and 1 day.
//
//   - FIN-1, filed Mon 10:00 New York with Finance, answered 11:30 (Finance:
//     first response met, 1h 30m), transferred Wed 14:00 New York = Wed
//     19:00 London to Purchasing (Finance: passed on). Purchasing's clocks
//     start Thu 09:00 London: Pat claims at 10:00 (met, 1h) and resolves at
//     15:00 (6h of 8h: met).
//   - FIN-2, filed Mon 10:00 New York with Finance, transferred unanswered
//     at 12:30 to IT (Finance: the transfer is its response, 2h: met).
//     IT gets it Tue 01:30 Shanghai; its first response is due Tue 11:00
//     and it transfers it on at 12:00 (Tue 04:00 London) to Purchasing
//     without a word (IT: missed, decided at 11:00). Purchasing's day
//     opens Tue 09:00 London; it transfers it back to Finance at 10:00
//     (met, 1h). Finance gets it Tue 05:00 New York; Frank resolves it at
//     11:00 (first response and resolution both 2h: met).
//   - FIN-3, filed Wed 25 Nov 09:00 New York with Finance, transferred at
//     09:30 to IT (Finance: met, 30m), Wed 22:30 Shanghai. IT's first
//     response was due Thu 11:00 Shanghai and never came: at the week's
//     end IT holds it open and overdue.
//
// So, for that week: Finance filed 3, received 1, passed on 3, met 4 first
// responses of 4 and resolved 1 in time; IT received 2, passed on 1, met 0
// of 2 first responses and ends the week with 1 open and overdue;
// Purchasing received 2, passed on 1, met 2 of 2 first responses and
// resolved 1 in time.
func SeedTransfers(tb testing.TB, f *Fixture) {
	tb.Helper()
	ny, sh, ldn := MustZone(tb, "America/New_York"), MustZone(tb, "Asia/Shanghai"), MustZone(tb, "Europe/London")
	step := func(loc *time.Location, when string, do func()) {
		tb.Helper()
		f.Clock.Set(At(tb, loc, when))
		do()
	}
	file := func(text string) func() { return func() { f.File(tb, Sam, "finance", text) } }
	act := func(user string, a bot.Action, id string, args ...string) func() {
		return func() { f.Do(tb, user, a, id, args...) }
	}
	step(ny, "2026-11-23 10:00", file("office chairs"))
	step(ny, "2026-11-23 10:00", file("a supplier's invoice"))
	step(ny, "2026-11-23 11:30", act(Frank, bot.ActReply, "FIN-1", "looking"))
	step(ny, "2026-11-23 12:30", act(Frank, bot.ActTransfer, "FIN-2", "it"))
	step(sh, "2026-11-24 12:00", act(Ivan, bot.ActTransfer, "FIN-2", "purchasing"))
	step(ldn, "2026-11-24 10:00", act(Pat, bot.ActTransfer, "FIN-2", "finance"))
	step(ny, "2026-11-24 11:00", act(Frank, bot.ActResolve, "FIN-2", "paid"))
	step(ny, "2026-11-25 09:00", file("laptop for the new analyst"))
	step(ny, "2026-11-25 09:30", act(Frank, bot.ActTransfer, "FIN-3", "it"))
	step(ny, "2026-11-25 14:00", act(Frank, bot.ActTransfer, "FIN-1", "purchasing"))
	step(ldn, "2026-11-26 10:00", act(Pat, bot.ActClaim, "FIN-1"))
	step(ldn, "2026-11-26 15:00", act(Pat, bot.ActResolve, "FIN-1", "ordered"))
}
