package slackapp_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
	"github.com/askdesk/askdesk/store"
)

// dyingStore is a replica's store that dies (fails every write) right
// after Slack answers a post, before the post is recorded.
type dyingStore struct {
	*store.DB
	dead bool
}

var errDied = errors.New("replica died")

func (s *dyingStore) SaveSlackPost(ctx context.Context, requestID, kind, dest, channel, ts string) error {
	if s.dead {
		return errDied
	}
	return s.DB.SaveSlackPost(ctx, requestID, kind, dest, channel, ts)
}

// TestSendInDoubt: a message delivered in doubt (an earlier attempt may
// have posted it, unrecorded) is looked for in Slack by the outbox ID in
// its metadata. Found, it is recorded as that post would have been and
// not posted again; when the lookup fails or finds nothing, it is posted.
func TestSendInDoubt(t *testing.T) {
	ctx := context.Background()
	dir := MustExampleDirectory(t)
	clock := bot.NewManualClock(time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC))
	fake := slacktest.New(slacktest.WithClock(clock.Now))
	t.Cleanup(fake.Close)
	fake.AddChannel("C0FIN0001", "finance")
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "askdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// Two replicas: the first dies after each post; the second takes the
	// message over in doubt, with nothing cached of the first's.
	dying := &dyingStore{DB: db}
	first := slackapp.New(slackapp.Config{BotToken: "xoxb-first", APIURL: fake.URL}, dir, dying, clock, nil)
	second := slackapp.New(slackapp.Config{BotToken: "xoxb-second", APIURL: fake.URL}, dir, db, clock, nil)

	posts := func(t *testing.T, channel string, id int64) (ts []string) {
		t.Helper()
		for _, m := range fake.Messages(channel) {
			var md struct {
				EventType    string `json:"event_type"`
				EventPayload struct {
					OutboxID int64 `json:"outbox_id"`
				} `json:"event_payload"`
			}
			if m.Metadata != nil && json.Unmarshal(m.Metadata, &md) == nil && md.EventType == "askdesk_outbox" && md.EventPayload.OutboxID == id {
				ts = append(ts, m.TS)
			}
		}
		return ts
	}
	lookups := func(method string) int {
		n := 0
		for _, c := range fake.CallsTo(method) {
			if c.Params.Get("include_all_metadata") == "1" {
				n++
			}
		}
		return n
	}
	// dies sends m from the first replica, which dies after Slack took it.
	dies := func(t *testing.T, m bot.Message) {
		t.Helper()
		dying.dead = true
		defer func() { dying.dead = false }()
		err := first.Send(ctx, m)
		if !errors.Is(err, errDied) {
			t.Fatalf("first replica's send: %v, want it to die", err)
		}
		// Had it lived, the outbox would keep the message in doubt.
		if unsure := (*bot.UnsureError)(nil); !errors.As(err, &unsure) {
			t.Errorf("posted and not recorded: %v, want a bot.UnsureError", err)
		}
	}
	// send sends m in doubt from the second replica, once the dead one's
	// lease has run out.
	send := func(t *testing.T, m bot.Message) {
		t.Helper()
		clock.Advance(2 * time.Minute)
		m.MaybeSent = true
		if err := second.Send(ctx, m); err != nil {
			t.Fatalf("send in doubt: %v", err)
		}
	}
	card := func(id string, outbox int64) bot.Message {
		return bot.Message{To: "#finance", CardFor: id, Text: id + " card", OutboxID: outbox, QueuedAt: clock.Now()}
	}
	// A card recorded before, so "#finance" has a known channel ID.
	if err := second.Send(ctx, card("FIN-1", 1)); err != nil {
		t.Fatal(err)
	}

	t.Run("CardFound", func(t *testing.T) {
		m := card("FIN-2", 2)
		dies(t, m)
		before := lookups("conversations.history")
		send(t, m)
		got := posts(t, "C0FIN0001", 2)
		if len(got) != 1 {
			t.Fatalf("card posted %d times, want once", len(got))
		}
		if n := lookups("conversations.history") - before; n != 1 {
			t.Errorf("%d lookups, want 1", n)
		}
		// Recorded as the post: the next change updates it in place.
		if ch, ts, ok, err := db.SlackPost(ctx, "FIN-2", "card", "#finance"); ch != "C0FIN0001" || ts != got[0] || !ok || err != nil {
			t.Errorf("card recorded at %s %s (%v, %v), want C0FIN0001 %s", ch, ts, ok, err, got[0])
		}
	})

	t.Run("RatingPromptInThreadFound", func(t *testing.T) {
		// The requester's DM thread about FIN-2 exists; the rating prompt
		// goes into it.
		if err := second.Send(ctx, bot.Message{To: "U0SAM0001", DM: true, ThreadOf: "FIN-2", Text: "resolved", OutboxID: 3, QueuedAt: clock.Now()}); err != nil {
			t.Fatal(err)
		}
		m := bot.Message{To: "U0SAM0001", DM: true, ThreadOf: "FIN-2", RatingFor: "FIN-2", Text: "How did we do?",
			Reactions: []string{"star-struck"}, OutboxID: 4, QueuedAt: clock.Now()}
		dies(t, m)
		before := lookups("conversations.replies")
		send(t, m)
		got := posts(t, "DU0SAM0001", 4)
		if len(got) != 1 {
			t.Fatalf("prompt posted %d times, want once", len(got))
		}
		if n := lookups("conversations.replies") - before; n != 1 {
			t.Errorf("%d thread lookups, want 1", n)
		}
		if id, ok, err := db.RequestByPost(ctx, "DU0SAM0001", got[0], "rating"); id != "FIN-2" || !ok || err != nil {
			t.Errorf("prompt recorded for %q (%v, %v), want FIN-2", id, ok, err)
		}
		if err := second.Wait(ctx); err != nil { // the reactions go beside the outbox
			t.Fatal(err)
		}
		if r := fake.Reactions("DU0SAM0001", got[0]); !slices.Equal(r, []string{"star-struck"}) {
			t.Errorf("reactions on the prompt %v, want star-struck", r)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		send(t, card("FIN-3", 5))
		if got := posts(t, "C0FIN0001", 5); len(got) != 1 {
			t.Errorf("card posted %d times, want once", len(got))
		}
	})

	t.Run("LookupFails", func(t *testing.T) {
		m := card("FIN-4", 6)
		dies(t, m)
		fake.FailWith("conversations.history", 1, "internal_error")
		send(t, m)
		// Unsure, it posts again: a repeat rather than a loss.
		if got := posts(t, "C0FIN0001", 6); len(got) != 2 {
			t.Errorf("card posted %d times, want twice", len(got))
		}
	})

	t.Run("LookupRateLimited", func(t *testing.T) {
		// A 429 on the read is "later", not "cannot look": the message
		// waits for Retry-After, still in doubt, and is found then.
		m := card("FIN-6", 9)
		dies(t, m)
		fake.Fail("conversations.history", 1, 429, 5)
		clock.Advance(2 * time.Minute)
		m.MaybeSent = true
		err := second.Send(ctx, m)
		if ra := bot.RetryAfterError(nil); !errors.As(err, &ra) || ra.RetryAfter() != 5*time.Second {
			t.Errorf("send while the read is rate limited: %v, want to retry after 5s", err)
		}
		send(t, m)
		if got := posts(t, "C0FIN0001", 9); len(got) != 1 {
			t.Errorf("card posted %d times, want once", len(got))
		}
	})

	t.Run("UnsureErrors", func(t *testing.T) {
		// Slack's own refusal is sure: nothing was posted. A 5xx may have
		// come after the post was made.
		fake.FailWith("chat.postMessage", 1, "channel_not_found")
		err := second.Send(ctx, card("FIN-5", 8))
		if unsure := (*bot.UnsureError)(nil); err == nil || errors.As(err, &unsure) {
			t.Errorf("channel_not_found: %v, want a sure error", err)
		}
		clock.Advance(time.Minute)
		fake.Fail("chat.postMessage", 1, 503, -1)
		err = second.Send(ctx, card("FIN-5", 8))
		if unsure := (*bot.UnsureError)(nil); !errors.As(err, &unsure) {
			t.Errorf("503: %v, want a bot.UnsureError", err)
		}
	})

	t.Run("ChannelIDUnknown", func(t *testing.T) {
		// No card was ever recorded in #legal: its ID, which reading it
		// wants, is unknown to the second replica, which posts again.
		m := bot.Message{To: "#legal", CardFor: "LEG-1", Text: "LEG-1 card", OutboxID: 7, QueuedAt: clock.Now()}
		dies(t, m)
		send(t, m)
		if got := posts(t, "#legal", 7); len(got) != 2 {
			t.Errorf("card posted %d times, want twice", len(got))
		}
	})
}
