package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// destKey is a message's ordering key: messages to one channel or one
// person's DMs go out in the order written.
func destKey(m bot.Message) string {
	if m.DM {
		return "dm:" + m.To
	}
	return "channel:" + m.To
}

// enqueue writes msgs in tx. A card change for a card that still has an
// undelivered message is folded into it: the card is drawn from the
// request's state at delivery, so one call to Slack carries both changes.
func (db *DB) enqueue(ctx context.Context, tx *sql.Tx, msgs []bot.Message, now time.Time) error {
	return db.enqueueFold(ctx, tx, msgs, now, true)
}

// enqueueFold is enqueue; fold false skips looking for a pending card to
// fold into, for a request created in this transaction, which has none.
func (db *DB) enqueueFold(ctx context.Context, tx *sql.Tx, msgs []bot.Message, now time.Time, fold bool) error {
	if len(msgs) == 0 {
		return nil
	}
	// The change folded in is in the desk's text form, so the row is marked
	// as such (see bot/richtext_stored.go); a card's text is drawn at
	// delivery. The repeated "card_for != ''" lets SQLite use the partial index
	// outbox_pending_card; without it each fold scans the outbox.
	foldSQL := db.sqlFor(`UPDATE outbox
		SET message = json_set(message, '$.change', ?, '$.form', 1), rev = rev + 1
		WHERE card_for = ? AND card_for != '' AND dest = ? AND sent_at IS NULL AND dead_at IS NULL`,
		`UPDATE outbox
		SET message = jsonb_set(jsonb_set(message::jsonb, '{change}', to_jsonb(?::text)), '{form}', '1')::text, rev = rev + 1
		WHERE card_for = ? AND card_for != '' AND dest = ? AND sent_at IS NULL AND dead_at IS NULL`)
	const ins = `INSERT INTO outbox (dest, card_for, message, created_at, next_at) VALUES (?, ?, ?, ?, ?)`
	for _, m := range msgs {
		if fold && m.CardFor != "" {
			res, err := db.txExec(ctx, tx, foldSQL, m.Change, m.CardFor, destKey(m))
			if err != nil {
				return fmt.Errorf("enqueue card %s: %w", m.CardFor, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				continue
			}
		}
		b, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("enqueue: encode: %w", err)
		}
		if _, err := db.txExec(ctx, tx, ins, destKey(m), m.CardFor, string(b), now.UnixMilli(), now.UnixMilli()); err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
	}
	return nil
}

// PendingMessages implements bot.Outbox.
func (db *DB) PendingMessages(ctx context.Context, now time.Time, limit int) ([]bot.OutboxItem, error) {
	// The heads are found by skipping through the partial index one
	// destination at a time (a loose index scan), so the cost grows with
	// the number of destinations, not with the messages queued behind
	// them: a burst of cards waiting for a paced channel costs nothing.
	rows, err := db.readQuery(ctx, `WITH RECURSIVE dests(dest) AS (
			SELECT (SELECT min(dest) FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL)
			UNION ALL
			SELECT (SELECT min(dest) FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL AND dest > dests.dest)
			FROM dests WHERE dests.dest IS NOT NULL)
		SELECT o.id, o.dest, o.rev, o.message, o.attempts, o.created_at
		FROM dests JOIN outbox o ON o.id = (SELECT min(id) FROM outbox
			WHERE dest = dests.dest AND sent_at IS NULL AND dead_at IS NULL)
		WHERE o.next_at <= ?
		ORDER BY o.id LIMIT ?`, now.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("pending messages: %w", err)
	}
	defer rows.Close()
	var out []bot.OutboxItem
	for rows.Next() {
		var it bot.OutboxItem
		var msg string
		var created int64
		if err := rows.Scan(&it.ID, &it.Dest, &it.Rev, &msg, &it.Attempts, &created); err != nil {
			return nil, fmt.Errorf("pending messages: %w", err)
		}
		if err := json.Unmarshal([]byte(msg), &it.Message); err != nil {
			return nil, fmt.Errorf("pending message %d: decode: %w", it.ID, err)
		}
		it.CreatedAt = time.UnixMilli(created).UTC()
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pending messages: %w", err)
	}
	return out, nil
}

// claimLease is how long a claimed message is reserved for the replica
// delivering it, after which another replica may take it over. It must
// outlast everything the claimant does with it (bot's send timeout is
// 30 s, and recording the outcome as long again) with room for clocks
// that differ between hosts: a lease that ran out mid-send would let a
// second replica send the message too.
const claimLease = 2 * time.Minute

// ClaimMessage implements bot.Outbox. Every claim stamps claimed_at, and
// recording an outcome (MessageSent, MessageFailed, ReleaseMessage) clears
// it, so a claim that finds it still set takes over from a claimant that
// ended without one (it was killed, or lost the database): the message is
// in doubt. A failure or release of an item in doubt keeps it, since that
// attempt settled nothing.
//
// On SQLite one process delivers, one message at a time, so the claim is
// always granted unless the message changed since it was read; a claim
// still set is that of an earlier process. On PostgreSQL the claim also
// pushes the message's next try past the lease, in one statement that
// skips a row another replica is claiming at that moment: whoever moves
// next_at first sends it, and a replica that dies mid-send leaves it to
// the others after the lease. Nothing behind it in its destination can go
// meanwhile, since only a destination's oldest undelivered message is ever
// pending.
func (db *DB) ClaimMessage(ctx context.Context, it bot.OutboxItem, now time.Time) (mine, inDoubt bool, err error) {
	if !db.pg {
		return db.claimSQLite(ctx, it, now)
	}
	var prev sql.NullInt64
	err = db.write.QueryRowContext(ctx, `WITH old AS (
			SELECT id, claimed_at FROM outbox
			WHERE id = ? AND rev = ? AND next_at <= ? AND sent_at IS NULL AND dead_at IS NULL
			FOR UPDATE SKIP LOCKED)
		UPDATE outbox SET next_at = ?, claimed_at = ?
		FROM old WHERE outbox.id = old.id
		RETURNING old.claimed_at`,
		it.ID, it.Rev, now.UnixMilli(), now.Add(claimLease).UnixMilli(), now.UnixMilli()).Scan(&prev)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("claim message %d: %w", it.ID, err)
	}
	return true, prev.Valid, nil
}

// claimSQLite is ClaimMessage on SQLite: it reads the earlier claim and
// stamps this one in one transaction. The stamp must be written before the
// chat is called, so that a process killed in between leaves it behind.
func (db *DB) claimSQLite(ctx context.Context, it bot.OutboxItem, now time.Time) (mine, inDoubt bool, err error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return false, false, fmt.Errorf("claim message %d: %w", it.ID, err)
	}
	defer tx.Rollback()
	var prev sql.NullInt64
	err = db.txQueryRow(ctx, tx, `SELECT claimed_at FROM outbox
		WHERE id = ? AND rev = ? AND sent_at IS NULL AND dead_at IS NULL`, it.ID, it.Rev).Scan(&prev)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil // folded into since it was read: the next pass takes it
	}
	if err != nil {
		return false, false, fmt.Errorf("claim message %d: %w", it.ID, err)
	}
	if _, err := db.txExec(ctx, tx, `UPDATE outbox SET claimed_at = ? WHERE id = ?`, now.UnixMilli(), it.ID); err != nil {
		return false, false, fmt.Errorf("claim message %d: %w", it.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return false, false, fmt.Errorf("claim message %d: commit: %w", it.ID, err)
	}
	return true, prev.Valid, nil
}

// ReleaseMessage implements bot.Outbox: a claimed message not sent (its
// destination is paced) may go again from at, rather than after the lease.
// It is no longer claimed, unless it was claimed in doubt: then claimed_at
// stays, so the next claim looks for the earlier attempt too.
func (db *DB) ReleaseMessage(ctx context.Context, it bot.OutboxItem, at time.Time) error {
	if _, err := db.writeExec(ctx, `UPDATE outbox SET next_at = ?, claimed_at = CASE WHEN ? THEN claimed_at END
		WHERE id = ? AND sent_at IS NULL AND dead_at IS NULL`,
		at.UnixMilli(), it.InDoubt, it.ID); err != nil {
		return fmt.Errorf("release message %d: %w", it.ID, err)
	}
	return nil
}

// MessageSent implements bot.Outbox.
func (db *DB) MessageSent(ctx context.Context, it bot.OutboxItem, at time.Time) (bool, error) {
	res, err := db.writeExec(ctx, `UPDATE outbox SET sent_at = ?, attempts = attempts + 1, claimed_at = NULL
		WHERE id = ? AND rev = ? AND sent_at IS NULL`, at.UnixMilli(), it.ID, it.Rev)
	if err != nil {
		return false, fmt.Errorf("message %d sent: %w", it.ID, err)
	}
	n, _ := res.RowsAffected()
	if n == 0 {
		// A card change was folded in while this was sent: the message
		// stays pending, and must not wait out the claim's lease. What
		// was sent is known, so it is not in doubt either: its next send
		// updates the card posted.
		if _, err := db.writeExec(ctx, `UPDATE outbox SET next_at = ?, claimed_at = NULL WHERE id = ? AND sent_at IS NULL`,
			at.UnixMilli(), it.ID); err != nil {
			return false, fmt.Errorf("message %d sent: %w", it.ID, err)
		}
	}
	return n == 1, nil
}

// MessageFailed implements bot.Outbox. An item in doubt keeps claimed_at,
// so its next claim looks for what this attempt or an earlier one posted.
func (db *DB) MessageFailed(ctx context.Context, it bot.OutboxItem, next time.Time, permanent bool, reason string) error {
	var dead any
	if permanent {
		dead = next.UnixMilli()
	}
	_, err := db.write.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ?, dead_at = ?,
		claimed_at = CASE WHEN ? THEN claimed_at END
		WHERE id = ? AND sent_at IS NULL`, next.UnixMilli(), reason, dead, it.InDoubt, it.ID)
	if err != nil {
		return fmt.Errorf("message %d failed: %w", it.ID, err)
	}
	return nil
}

// OutboxStats says how much is waiting: undelivered messages and the age of
// the oldest, for health checks and metrics.
func (db *DB) OutboxStats(ctx context.Context, now time.Time) (pending int, oldest time.Duration, err error) {
	var first sql.NullInt64
	err = db.read.QueryRowContext(ctx, `SELECT count(*), min(created_at) FROM outbox
		WHERE sent_at IS NULL AND dead_at IS NULL`).Scan(&pending, &first)
	if err != nil {
		return 0, 0, fmt.Errorf("outbox stats: %w", err)
	}
	if first.Valid {
		oldest = now.Sub(time.UnixMilli(first.Int64))
	}
	return pending, oldest, nil
}

// PostOnce writes msgs to the outbox unless key was posted before, in one
// transaction, and reports whether it wrote them. A weekly digest uses it
// so a restart or a second replica never posts the same week twice.
func (db *DB) PostOnce(ctx context.Context, key string, msgs []bot.Message, now time.Time) (bool, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return false, fmt.Errorf("post once %s: %w", key, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO posted_once (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, now.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("post once %s: %w", key, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	if err := db.enqueue(ctx, tx, msgs, now); err != nil {
		return false, fmt.Errorf("post once %s: %w", key, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("post once %s: commit: %w", key, err)
	}
	return true, nil
}
