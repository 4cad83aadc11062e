package bottest

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// Fixture is a desk of the test company on a fresh SQLite file, its clock
// at Tuesday10, its messages kept by a Recorder.
type Fixture struct {
	Desk  *bot.Desk
	DB    *store.DB
	Chat  *Recorder
	Clock *bot.ManualClock
	Ctx   context.Context
}

// NewFixture returns a Fixture whose Recorder passes every message's text
// through render (nil keeps the desk's own text form).
func NewFixture(tb testing.TB, render func(string) string) *Fixture {
	tb.Helper()
	db := OpenStore(tb)
	f := &Fixture{DB: db, Chat: &Recorder{render: render}, Clock: bot.NewManualClock(Tuesday10), Ctx: context.Background()}
	f.Desk = bot.New(Directory(tb), db, f.Chat, f.Clock, nil)
	return f
}

// OpenStore opens a store on a fresh file in the test's temp dir.
func OpenStore(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "askdesk.db"))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Sent delivers the outbox and returns what reached the chat.
func (f *Fixture) Sent(tb testing.TB) []bot.Message {
	tb.Helper()
	if _, err := f.Desk.Deliver(f.Ctx); err != nil {
		tb.Fatalf("deliver: %v", err)
	}
	return f.Chat.Take()
}

// File files text with dept as user, or fails the test.
func (f *Fixture) File(tb testing.TB, user, dept, text string) *bot.Request {
	tb.Helper()
	r, err := f.Desk.File(f.Ctx, bot.Filing{Requester: user, Dept: dept, Text: text, Source: "test"})
	if err != nil {
		tb.Fatalf("file: %v", err)
	}
	return r
}

// Do has user do a to request id, or fails the test. args[0] is the act's
// text, or the target of a transfer or reassignment.
func (f *Fixture) Do(tb testing.TB, user string, a bot.Action, id string, args ...string) *bot.Request {
	tb.Helper()
	act := bot.Act{Actor: user, Action: a, ID: id}
	if len(args) > 0 {
		act.Text = args[0]
		if a == bot.ActTransfer || a == bot.ActReassign {
			act.Target, act.Text = args[0], ""
		}
	}
	r, err := f.Desk.Do(f.Ctx, act)
	if err != nil {
		tb.Fatalf("%s %s by %s: %v", a, id, user, err)
	}
	return r
}

// Recorder is a bot.Chat that keeps what was sent.
type Recorder struct {
	render func(string) string
	mu     sync.Mutex
	msgs   []bot.Message
}

// Send keeps m, its text rendered.
func (r *Recorder) Send(_ context.Context, m bot.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.render != nil {
		m.Text, m.Change = r.render(m.Text), r.render(m.Change)
	}
	r.msgs = append(r.msgs, m)
	return nil
}

// Take returns what was sent since the last Take.
func (r *Recorder) Take() []bot.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.msgs
	r.msgs = nil
	return out
}
