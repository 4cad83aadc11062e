package bot_test

import (
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// BenchmarkFile files requests through the desk into a real SQLite file:
// parse-free path of /ask <dept> <text> (deadline math, ID, insert of the
// request and its event in one transaction, card sent to a recording chat).
func BenchmarkFile(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		f.Clock.Advance(time.Second)
		if _, err := f.Desk.File(f.Ctx, bot.Filing{Requester: sam, Dept: "finance", Text: "need the Q3 budget numbers"}); err != nil {
			b.Fatal(err)
		}
		f.Sent(b)
	}
}

// BenchmarkCommandFile is the same through the /ask grammar.
func BenchmarkCommandFile(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		f.Clock.Advance(time.Second)
		f.Desk.Command(f.Ctx, sam, "/ask fin !urgent need the Q3 budget numbers")
		f.Sent(b)
	}
}

// BenchmarkDeadline computes a 2-business-day deadline with the lunch break
// and a holiday in the way.
func BenchmarkDeadline(b *testing.B) {
	dir := testDir(b)
	cal := dir.ByName("finance").Calendar
	start := tuesday10
	for b.Loop() {
		cal.Deadline(start, bot.BusinessDuration{Days: 2, Time: 3 * time.Hour})
	}
}
