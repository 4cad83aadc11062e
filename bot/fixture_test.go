package bot_test

import (
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/slackapp"
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
	f := &fixture{bottest.NewFixture(tb, slackapp.Mrkdwn)}
	return f
}

// MustOpenStore opens a store on a fresh file in the test's temp dir.
func MustOpenStore(tb testing.TB) *store.DB { return bottest.OpenStore(tb) }
