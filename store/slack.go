package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SlackPost returns where a request's card (kind "card", dest the channel
// as configured) or DM thread root (kind "dm", dest the user) was posted.
func (db *DB) SlackPost(ctx context.Context, requestID, kind, dest string) (channel, ts string, ok bool, err error) {
	err = db.readQueryRow(ctx, `SELECT channel, ts FROM slack_posts
		WHERE request_id = ? AND kind = ? AND dest = ?`, requestID, kind, dest).Scan(&channel, &ts)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("slack post of %s: %w", requestID, err)
	}
	return channel, ts, true, nil
}

// SaveSlackPost records where a card or DM thread root was posted.
func (db *DB) SaveSlackPost(ctx context.Context, requestID, kind, dest, channel, ts string) error {
	_, err := db.writeExec(ctx, `INSERT INTO slack_posts (request_id, kind, dest, channel, ts)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (request_id, kind, dest) DO UPDATE SET channel = excluded.channel, ts = excluded.ts`,
		requestID, kind, dest, channel, ts)
	if err != nil {
		return fmt.Errorf("save slack post of %s: %w", requestID, err)
	}
	return nil
}

// RequestByThread returns the request whose card or DM thread root is the
// message (channel, ts), and which kind it is.
func (db *DB) RequestByThread(ctx context.Context, channel, ts string) (requestID, kind string, ok bool, err error) {
	// A rating prompt that starts a DM thread is also its root: the thread
	// kind wins, since replies follow threads.
	err = db.readQueryRow(ctx, `SELECT request_id, kind FROM slack_posts
		WHERE channel = ? AND ts = ? ORDER BY kind = 'rating' LIMIT 1`, channel, ts).Scan(&requestID, &kind)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("request by thread: %w", err)
	}
	return requestID, kind, true, nil
}

// FirstSeen records id and reports whether this is its first sighting, so a
// retried or repeated delivery is acted on once, across restarts.
func (db *DB) FirstSeen(ctx context.Context, id string, at time.Time) (bool, error) {
	// Through the group commit: every request Slack sends starts here, and
	// on its own transaction this was a second commit per /ask, waiting for
	// the writer between the filings' batches.
	var first bool
	err := db.inBatchAddingDocs(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := db.txExec(ctx, tx, `INSERT INTO slack_seen (id, at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`, id, at.UnixMilli())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		first = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("first seen %s: %w", id, err)
	}
	return first, nil
}

// RequestByPost returns the request whose post of kind is the message
// (channel, ts): a rating prompt, say, which may also start a DM thread.
func (db *DB) RequestByPost(ctx context.Context, channel, ts, kind string) (string, bool, error) {
	var id string
	err := db.read.QueryRowContext(ctx, `SELECT request_id FROM slack_posts
		WHERE channel = ? AND ts = ? AND kind = ?`, channel, ts, kind).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("request by post: %w", err)
	}
	return id, true, nil
}

// SlackChannel returns the ID of the channel that cards for dest (a queue
// channel as configured, "#name" or an ID) were posted in, if any was.
func (db *DB) SlackChannel(ctx context.Context, dest string) (channel string, ok bool, err error) {
	err = db.readQueryRow(ctx, `SELECT channel FROM slack_posts WHERE kind = 'card' AND dest = ? LIMIT 1`, dest).Scan(&channel)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("slack channel of %s: %w", dest, err)
	}
	return channel, true, nil
}
