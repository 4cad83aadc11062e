package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// BenchmarkReview4SweepMessagesPerRecipient runs BenchmarkSweep's sweep once
// and counts the messages each recipient gets: the sweep composes messages
// per batch of 5,000 requests, so a recipient whose due requests span two
// batches gets two messages from one sweep.
func BenchmarkReview4SweepMessagesPerRecipient(b *testing.B) {
	base := sweepBase(b)
	dir := benchDirectory()
	now := bot.NewManualClock(benchNow.Add(72*time.Hour - 2*time.Hour))
	path := filepath.Join(b.TempDir(), "sweep.db")
	copyFile(b, base, path)
	db, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	desk := bot.New(dir, db, bot.Discard{}, now, nil)
	if _, err := desk.Sweep(ctx); err != nil {
		b.Fatal(err)
	}
	per := map[string]int{}
	for {
		items, err := db.PendingMessages(ctx, now.Now().Add(time.Hour), 100)
		if err != nil {
			b.Fatal(err)
		}
		if len(items) == 0 {
			break
		}
		for _, it := range items {
			per[it.Message.To]++
			if _, err := db.MessageSent(ctx, it, now.Now()); err != nil {
				b.Fatal(err)
			}
		}
	}
	for to, n := range per {
		if n > 1 {
			b.Logf("bug: %s got %d messages from one sweep", to, n)
		}
	}
	b.Logf("recipients: %v", per)
}
