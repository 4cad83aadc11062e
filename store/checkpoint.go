package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
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
// (up to restartWait) and makes the next commit write from the start.
const walRestartPages = 2048

// restartWait bounds how long a RESTART waits for readers. It holds the
// writer meanwhile, so every filing waits as long: with the connection's
// own busy timeout (2 s), a long read (a search over a million requests
// on a busy machine) stalled the writer until acks were refused as
// "busy". A RESTART that cannot finish in time is tried again at the next
// tick, 200 ms later; the WAL meanwhile grows a little more.
const restartWait = 100 * time.Millisecond

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
				_ = db.restartWAL(ctx)
			}
		}
	}()
	return nil
}

// restartWAL runs a RESTART checkpoint on the writer's connection, waiting
// for readers at most restartWait, and gives the connection back with the
// DSN's busy timeout (or discards it when that cannot be set).
func (db *DB) restartWAL(ctx context.Context) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout(%d)", restartWait.Milliseconds())); err != nil {
		return err
	}
	_, cerr := conn.ExecContext(ctx, "PRAGMA wal_checkpoint(RESTART)")
	if _, err := conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA busy_timeout(%d)", busyTimeout.Milliseconds())); err != nil {
		// Not back to the pool with the short timeout: database/sql
		// closes a connection whose Raw returns ErrBadConn.
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		return err
	}
	return cerr
}
