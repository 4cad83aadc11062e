package slackapp_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
	"github.com/askdesk/askdesk/store"
)

// TestRatingReactionsSkippedAfter429: when Slack answers reactions.add
// 429 (another replica used the workspace's minute), the rest of that
// prompt's five are skipped, not retried, and the next prompts go without
// any until the Retry-After has passed; the prompts themselves are posted
// at once all the same. After it, a prompt gets its five again.
func TestRatingReactionsSkippedAfter429(t *testing.T) {
	ctx := context.Background()
	dir := MustExampleDirectory(t)
	clock := bot.NewManualClock(time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC))
	fake := slacktest.New(slacktest.WithClock(clock.Now))
	t.Cleanup(fake.Close)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "askdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	app := slackapp.New(slackapp.Config{BotToken: "xoxb-test", APIURL: fake.URL}, dir, db, clock, nil)
	emoji := bot.DefaultRatingPolicy.Emoji
	prompt := func(n int) []string {
		t.Helper()
		id := fmt.Sprintf("FIN-%d", n)
		m := bot.Message{To: "U0SAM0001", DM: true, ThreadOf: id, RatingFor: id, Text: "How was the service?",
			Reactions: emoji, OutboxID: int64(n), QueuedAt: clock.Now()}
		if err := app.Send(ctx, m); err != nil {
			t.Fatalf("prompt %d not posted: %v", n, err)
		}
		if err := app.Wait(ctx); err != nil {
			t.Fatal(err)
		}
		ch, ts, ok, err := db.SlackPost(ctx, id, "rating", "U0SAM0001")
		if err != nil || !ok {
			t.Fatalf("prompt %d not recorded: %v", n, err)
		}
		return fake.Reactions(ch, ts)
	}
	fake.Fail("reactions.add", 1, 429, 30) // the prompt's first reaction
	if got := prompt(1); len(got) != 0 {
		t.Errorf("prompt 1, 429 on its first reaction: %v, want the rest skipped", got)
	}
	clock.Advance(29 * time.Second)
	before := len(fake.CallsTo("reactions.add"))
	if got := prompt(2); len(got) != 0 || len(fake.CallsTo("reactions.add")) != before {
		t.Errorf("prompt 2, within the Retry-After: reactions %v, %d calls; want none", got, len(fake.CallsTo("reactions.add"))-before)
	}
	clock.Advance(time.Second)
	if got := prompt(3); len(got) != 5 {
		t.Errorf("prompt 3, after the Retry-After: reactions %v, want the five", got)
	}
}

// TestRatingReactionsNeverHoldUpDelivery: the bot's rating emoji go
// beside the outbox: while Slack sits on a reactions.add, the prompt's
// delivery has returned and the next message is delivered.
func TestRatingReactionsNeverHoldUpDelivery(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dir := MustExampleDirectory(t)
	clock := bot.NewManualClock(time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC))
	fake := slacktest.New(slacktest.WithClock(clock.Now))
	t.Cleanup(fake.Close)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "askdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	app := slackapp.New(slackapp.Config{BotToken: "xoxb-test", APIURL: fake.URL}, dir, db, clock, nil)
	fake.Delay("reactions.add", 1, time.Hour) // Slack sits on the first
	prompt := bot.Message{To: "U0SAM0001", DM: true, ThreadOf: "FIN-1", RatingFor: "FIN-1", Text: "How was the service?",
		Reactions: bot.DefaultRatingPolicy.Emoji, OutboxID: 1, QueuedAt: clock.Now()}
	if err := app.Send(ctx, prompt); err != nil {
		t.Fatal(err)
	}
	if err := fake.WaitHeld(ctx, "reactions.add", 1); err != nil {
		t.Fatal(err)
	}
	next := bot.Message{To: "U0SAM0001", DM: true, ThreadOf: "FIN-2", Text: "resolved FIN-2", OutboxID: 2, QueuedAt: clock.Now()}
	if err := app.Send(ctx, next); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, err := db.SlackPost(ctx, "FIN-2", "dm", "U0SAM0001"); !ok || err != nil {
		t.Fatalf("the next message was not delivered while a reaction was pending: %v", err)
	}
	app.Abort() // let go of the held call
	if err := app.Wait(ctx); err != nil {
		t.Fatal(err)
	}
}
