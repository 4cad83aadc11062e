package bot_test

import (
	"context"
	"path/filepath"
	"sync"
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

// recorder is a bot.Chat that keeps what was sent.
// recorder keeps what the desk sent as the Slack adapter would post it
// (slackapp.Mrkdwn), so tests read and check the text Slack gets.
type recorder struct {
	mu   sync.Mutex
	msgs []bot.Message
}

func (r *recorder) Send(_ context.Context, m bot.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	m.Text, m.Change = slackapp.Mrkdwn(m.Text), slackapp.Mrkdwn(m.Change)
	r.msgs = append(r.msgs, m)
	return nil
}

func (r *recorder) take() []bot.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.msgs
	r.msgs = nil
	return out
}

type fixture struct {
	desk  *bot.Desk
	db    *store.DB
	chat  *recorder
	clock *bot.ManualClock
	ctx   context.Context
}

var tuesday10 = bottest.Tuesday10 // Tue 24 Nov 2026 10:00 in New York

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	db := MustOpenStore(tb)
	f := &fixture{db: db, chat: &recorder{}, clock: bot.NewManualClock(tuesday10), ctx: context.Background()}
	f.desk = bot.New(testDir(tb), db, f.chat, f.clock, nil)
	return f
}

// MustOpenStore opens a store on a fresh file in the test's temp dir.
func MustOpenStore(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "askdesk.db"))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// sent delivers the outbox and returns what reached the chat.
func (f *fixture) sent(tb testing.TB) []bot.Message {
	tb.Helper()
	if _, err := f.desk.Deliver(f.ctx); err != nil {
		tb.Fatalf("deliver: %v", err)
	}
	return f.chat.take()
}

func (f *fixture) file(tb testing.TB, user, dept, text string) *bot.Request {
	tb.Helper()
	r, err := f.desk.File(f.ctx, bot.Filing{Requester: user, Dept: dept, Text: text, Source: "test"})
	if err != nil {
		tb.Fatalf("file: %v", err)
	}
	return r
}

func (f *fixture) do(tb testing.TB, user string, a bot.Action, id string, args ...string) *bot.Request {
	tb.Helper()
	act := bot.Act{Actor: user, Action: a, ID: id}
	if len(args) > 0 {
		act.Text = args[0]
		if a == bot.ActTransfer || a == bot.ActReassign {
			act.Target, act.Text = args[0], ""
		}
	}
	r, err := f.desk.Do(f.ctx, act)
	if err != nil {
		tb.Fatalf("%s %s by %s: %v", a, id, user, err)
	}
	return r
}
