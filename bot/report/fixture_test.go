package report_test

// The report tests' desk, on the test company of bot/bottest (bot's own
// fixture is in bot's test package, which never imports bot/report).

import (
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// People in the test company (bot/bottest).
const (
	ada   = bottest.Ada
	fiona = bottest.Fiona
	frank = bottest.Frank
	ivan  = bottest.Ivan
	sam   = bottest.Sam
	tina  = bottest.Tina
)

// testDir is the test company (bot/bottest).
func testDir(tb testing.TB) *bot.Directory { return bottest.Directory(tb) }

// recorder is the fixture's chat (bottest.Recorder).
type recorder = bottest.Recorder

// fixture is a desk of the test company (bottest.Fixture), with the helpers
// of this package's tests as its methods.
type fixture struct{ *bottest.Fixture }

var tuesday10 = bottest.Tuesday10 // Tue 24 Nov 2026 10:00 in New York

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	f := &fixture{bottest.NewFixture(tb, nil)}
	f.Desk.Map = report.MapCommand(f.Desk) // as cmd/askdesk wires it
	f.Desk.Quality = report.QualityCommand(f.Desk)
	return f
}

// MustOpenStore opens a store on a fresh file in the test's temp dir.
func MustOpenStore(tb testing.TB) *store.DB { return bottest.OpenStore(tb) }

func (f *fixture) resolved(tb testing.TB, text string) *bot.Request {
	tb.Helper()
	r := f.File(tb, sam, "finance", text)
	f.Do(tb, frank, bot.ActClaim, r.ID)
	return f.Do(tb, frank, bot.ActResolve, r.ID, "done")
}

// at sets the clock to s, New York time.
func (f *fixture) at(tb testing.TB, s string) {
	tb.Helper()
	ny := mustZone(tb, "America/New_York")
	f.Clock.Set(at(tb, ny, s))
}

// The calendar helpers of the test company (bot/bottest), by their short names.
var (
	mustZone = bottest.MustZone
	weekdays = bottest.Weekdays
	allDay   = bottest.AllDay
	hm       = bottest.HM
	at       = bottest.At
)
