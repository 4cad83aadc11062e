package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// BenchmarkSweepOneMessagePerRecipient runs BenchmarkSweep's sweep (a
// million requests, 13,000 due) and fails unless each recipient gets one
// message, though the sweep reads the due requests in batches of 5,000.
func BenchmarkSweepOneMessagePerRecipient(b *testing.B) {
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
			b.Errorf("%s got %d messages from one sweep; want one", to, n)
		}
	}
}
