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
