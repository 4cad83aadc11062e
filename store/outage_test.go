package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
	"github.com/askdesk/askdesk/store"
)

// What Slack sees when the database stops taking writes in the middle of a
// delivery, and after a crash in the middle of one. The desk delivers
// through the real Slack adapter to a fake Slack.

const finChannel = "C0FIN0001" // #finance in the fake workspace

// faultAt runs fault, once, just before the call it is set on reaches the
// database: after Slack took the message, before it is recorded.
type faultAt struct {
	*store.DB
	on    string // "SaveSlackPost" or "MessageSent"
	fault func()
}

func (s *faultAt) trip(call string) {
	if s.on == call && s.fault != nil {
		s.fault()
		s.fault = nil
	}
}

func (s *faultAt) SaveSlackPost(ctx context.Context, requestID, kind, dest, channel, ts string) error {
	s.trip("SaveSlackPost")
	return s.DB.SaveSlackPost(ctx, requestID, kind, dest, channel, ts)
}

func (s *faultAt) MessageSent(ctx context.Context, it bot.OutboxItem, at time.Time) (bool, error) {
	s.trip("MessageSent")
	return s.DB.MessageSent(ctx, it, at)
}

// outboxPosts returns, in channel order, the outbox ID each of the bot's
// messages in channel was posted for, and how many chat calls (posts and
// updates) reached Slack.
func outboxPosts(t *testing.T, fake *slacktest.Server, channel string) (ids []int64, calls int) {
	t.Helper()
	for _, m := range fake.Messages(channel) {
		var md struct {
			EventPayload struct {
				OutboxID int64 `json:"outbox_id"`
			} `json:"event_payload"`
		}
		if m.Metadata == nil || json.Unmarshal(m.Metadata, &md) != nil {
			t.Fatalf("post %s without outbox metadata", m.TS)
		}
		ids = append(ids, md.EventPayload.OutboxID)
	}
	for _, c := range fake.Calls() {
		if c.Method == "chat.postMessage" || c.Method == "chat.update" {
			calls++
		}
	}
	return ids, calls
}

// slackDesk is a desk on db delivering through the Slack adapter (whose
// store is posts) to fake.
func slackDesk(t *testing.T, fake *slacktest.Server, db bot.Store, posts slackapp.Store, clock *bot.ManualClock, log *slog.Logger) *bot.Desk {
	t.Helper()
	dir := benchDirectory()
	app := slackapp.New(slackapp.Config{BotToken: "xoxb-test", APIURL: fake.URL}, dir, posts, clock, nil)
	desk := bot.New(dir, db, app, clock, log)
	app.SetDesk(desk)
	return desk
}

// TestDeliveryPausedWhileDatabaseRefusesWrites: Slack takes a message and
// then the database refuses writes, so where it went and that it went
// cannot be recorded. For a minute of delivery ticks Slack hears nothing
// more (not the same message again, not the ones after it), the desk says
// it is in a storage outage; once writes come back the message is recorded
// as sent where it went, and the others follow in order, each once.
func TestDeliveryPausedWhileDatabaseRefusesWrites(t *testing.T) {
	ctx := context.Background()
	readOnly := func(t *testing.T, db *store.DB) func() {
		mustExec(t, db, "PRAGMA query_only = 1")
		return func() { mustExec(t, db, "PRAGMA query_only = 0") }
	}
	locked := func(t *testing.T, db *store.DB) func() {
		// Another process (a backup, an sqlite3 shell) holds the write
		// lock longer than askdesk waits for it.
		other, err := sql.Open("sqlite", "file:"+db.Path())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { other.Close() })
		conn, err := other.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
			t.Fatal(err)
		}
		mustExec(t, db, "PRAGMA busy_timeout = 20")
		return func() {
			if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
				t.Fatal(err)
			}
			conn.Close()
		}
	}
	for _, tc := range []struct {
		name  string
		on    string // where the fault strikes
		cards bool   // request cards, or plain channel messages
		fault func(*testing.T, *store.DB) (fix func())
	}{
		// The card is posted; recording its ts fails.
		{"ReadOnlyCardPosted", "SaveSlackPost", true, readOnly},
		{"LockedCardPosted", "SaveSlackPost", true, locked},
		// The message is posted; marking it sent fails.
		{"ReadOnlyMessagePosted", "MessageSent", false, readOnly},
		{"LockedMessagePosted", "MessageSent", false, locked},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := bot.NewManualClock(t0)
			fake := slacktest.New(slacktest.WithClock(clock.Now))
			t.Cleanup(fake.Close)
			fake.AddChannel(finChannel, "finance")
			db := MustOpenStore(t)
			var fix func()
			faulty := &faultAt{DB: db, on: tc.on, fault: func() { fix = tc.fault(t, db) }}
			var logs bytes.Buffer // written by Deliver, in this goroutine
			desk := slackDesk(t, fake, faulty, faulty, clock, slog.New(slog.NewTextHandler(&logs, nil)))
			outageLogs := func() (begun, over int) {
				return strings.Count(logs.String(), `level=ERROR msg="storage outage:`), strings.Count(logs.String(), `msg="storage outage over:`)
			}

			for i := range 3 {
				if tc.cards {
					checkFiled(t, desk.Command(ctx, faultUser, "finance figures please"), bot.FormatID("FIN", i+1))
				} else if ok, err := db.PostOnce(ctx, string(rune('a'+i)), []bot.Message{{To: "#finance", Text: "news"}}, clock.Now()); !ok || err != nil {
					t.Fatalf("queue: %v, %v", ok, err)
				}
			}
			_, items := pendingTexts(t, db, clock.Now(), 10)
			var want []int64
			for _, it := range items {
				want = append(want, it.ID)
			}
			if len(want) != 1 {
				t.Fatalf("%d destinations pending, want one (#finance)", len(want))
			}
			first := want[0]
			want = []int64{first, first + 1, first + 2}

			// A minute of ticks with the database refusing writes.
			_, err := desk.Deliver(ctx)
			if fix == nil {
				t.Fatalf("the fault never struck (%v)", err)
			}
			for range 60 {
				clock.Advance(time.Second)
				if _, err = desk.Deliver(ctx); err == nil {
					t.Fatal("delivery reported no error while the database refused writes")
				}
			}
			if got, calls := outboxPosts(t, fake, finChannel); !slices.Equal(got, want[:1]) || calls != 1 {
				t.Errorf("during the outage: posts for outbox IDs %v in %d calls; want %v in one", got, calls, want[:1])
			}
			since, down := desk.StorageOutage()
			if !down || !since.Equal(t0) {
				t.Errorf("StorageOutage() = %v, %v during the outage; want %v, true", since, down, t0)
			}
			if begun, over := outageLogs(); begun != 1 || over != 0 {
				t.Errorf("during the outage: logged its start %d times and its end %d times; want once and not yet", begun, over)
			}
			var outage *bot.StorageOutageError
			if !errors.As(err, &outage) || !outage.Since.Equal(t0) {
				t.Errorf("Deliver's error during the outage: %v; want a *bot.StorageOutageError since %v", err, t0)
			}

			// Writes come back: what was sent is recorded, the rest follows.
			fix()
			for range 10 {
				clock.Advance(time.Minute)
				if _, err := desk.Deliver(ctx); err != nil {
					t.Fatalf("after the outage: %v", err)
				}
			}
			if got, calls := outboxPosts(t, fake, finChannel); !slices.Equal(got, want) || calls != len(want) {
				t.Errorf("after the outage: posts for outbox IDs %v in %d calls; want %v, one call each", got, calls, want)
			}
			if _, down := desk.StorageOutage(); down {
				t.Error("StorageOutage() still reports an outage once writes succeed")
			}
			if begun, over := outageLogs(); begun != 1 || over != 1 {
				t.Errorf("logged the outage's start %d times and its end %d times; want once each", begun, over)
			}
			if n, _, err := db.OutboxStats(ctx, clock.Now()); n != 0 || err != nil {
				t.Errorf("outbox: %d pending, %v", n, err)
			}
			if tc.cards {
				// Recorded where it was posted: a change updates it in place.
				msgs := fake.Messages(finChannel)
				if ch, ts, ok, err := db.SlackPost(ctx, "FIN-1", "card", "#finance"); ch != finChannel || ts != msgs[0].TS || !ok || err != nil {
					t.Errorf("FIN-1's card recorded at %s %s (%v, %v); want %s %s", ch, ts, ok, err, finChannel, msgs[0].TS)
				}
			}
		})
	}
}

// TestCrashedDeliveryFoundInSlack: on SQLite, a process that dies after
// Slack took a card and before recording it leaves the card in doubt; the
// next process finds it in Slack by its outbox ID and records it, rather
// than posting it a second time.
func TestCrashedDeliveryFoundInSlack(t *testing.T) {
	ctx := context.Background()
	clock := bot.NewManualClock(t0)
	fake := slacktest.New(slacktest.WithClock(clock.Now))
	t.Cleanup(fake.Close)
	fake.AddChannel(finChannel, "finance")
	path := filepath.Join(t.TempDir(), "askdesk.db")
	open := func() *store.DB {
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}

	db := open()
	// The process dies as Slack answers the post of FIN-2's card: its
	// database is gone before anything is written.
	dying := &faultAt{DB: db}
	desk := slackDesk(t, fake, db, dying, clock, nil)
	// FIN-1's card, delivered whole, tells the next process #finance's ID.
	checkFiled(t, desk.Command(ctx, faultUser, "finance first"), "FIN-1")
	if n, err := desk.Deliver(ctx); n != 1 || err != nil {
		t.Fatalf("deliver FIN-1: %d, %v", n, err)
	}
	checkFiled(t, desk.Command(ctx, faultUser, "finance second"), "FIN-2")
	dying.on, dying.fault = "SaveSlackPost", func() { db.Close() }
	if n, err := desk.Deliver(ctx); n != 0 || err == nil {
		t.Fatalf("delivering FIN-2 as the process dies: %d, %v; want an error", n, err)
	}
	if got, _ := outboxPosts(t, fake, finChannel); len(got) != 2 {
		t.Fatalf("%d cards posted before the crash, want 2", len(got))
	}

	// The next process, with nothing cached of the last one's.
	clock.Advance(10 * time.Second)
	db = open()
	t.Cleanup(func() { db.Close() })
	desk = slackDesk(t, fake, db, db, clock, nil)
	if _, err := desk.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	got, calls := outboxPosts(t, fake, finChannel)
	if len(got) != 2 || got[0] == got[1] || calls != 2 {
		t.Errorf("after the restart: posts for outbox IDs %v in %d calls; want two cards, one call each", got, calls)
	}
	msgs := fake.Messages(finChannel)
	if ch, ts, ok, err := db.SlackPost(ctx, "FIN-2", "card", "#finance"); ch != finChannel || ts != msgs[len(msgs)-1].TS || !ok || err != nil {
		t.Errorf("FIN-2's card recorded at %s %s (%v, %v); want the one posted before the crash, %s", ch, ts, ok, err, msgs[len(msgs)-1].TS)
	}
	if n, _, err := db.OutboxStats(ctx, clock.Now()); n != 0 || err != nil {
		t.Errorf("outbox: %d pending, %v", n, err)
	}
	lookups := 0
	for _, c := range fake.CallsTo("conversations.history") {
		if strings.Contains(c.Params.Get("include_all_metadata"), "1") {
			lookups++
		}
	}
	if lookups != 1 {
		t.Errorf("%d lookups in Slack, want 1 (for FIN-2's card, in doubt)", lookups)
	}
}
