package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// checkpointEvery is how often the WAL is copied back into the database.
//
// SQLite's default is for the committing connection to checkpoint once the
// WAL passes 1,000 pages. That put the copy (and its fsync) inside an /ask
// every few hundred filings, and everyone queued behind the single writer
// waited for it: it halved throughput and set the p99 of acks. Instead the
// writer never checkpoints and this connection does, in the background, in
// PASSIVE mode, which never blocks the writer or the readers.
const checkpointEvery = 200 * time.Millisecond

// walRestartPages is the WAL size (in pages, 4 KiB each: 8 MB) past which the
// checkpointer also restarts the WAL. A PASSIVE checkpoint copies pages
// back but never lets the WAL start over while commits keep coming, so
// under steady writes it would grow without end; a RESTART, run on the
// writer between two transactions, waits for readers to move past it
// (up to busy_timeout) and makes the next commit write from the start.
const walRestartPages = 2048

// startCheckpoints runs PASSIVE checkpoints on their own connection until
// Close.
func (db *DB) startCheckpoints() error {
	c, err := sql.Open("sqlite", dsn(db.path, true))
	if err != nil {
		return fmt.Errorf("open checkpointer: %w", err)
	}
	c.SetMaxOpenConns(1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	db.stopCheckpoints = func() {
		cancel()
		<-done
		c.Close()
	}
	go func() {
		defer close(done)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			// Errors (a busy lock, a full disk) are left for the next tick;
			// the WAL keeps every commit safe meanwhile.
			var busy, pages, done int
			if err := c.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &pages, &done); err != nil {
				continue
			}
			if pages > walRestartPages {
				_, _ = db.write.ExecContext(ctx, "PRAGMA wal_checkpoint(RESTART)")
			}
		}
	}()
	return nil
}
