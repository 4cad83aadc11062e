package store

import (
	"context"
	"fmt"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// RemindersDue implements bot.Store.
func (db *DB) RemindersDue(ctx context.Context, now time.Time, afterID string, limit int) ([]*bot.Request, error) {
	return db.queryRequests(ctx, `SELECT `+requestColumns+` FROM requests
		WHERE next_remind_at IS NOT NULL AND next_remind_at <= ? AND id > ?
		ORDER BY id LIMIT ?`, now.UnixMilli(), afterID, limit)
}

// RecordReminders implements bot.Store.
func (db *DB) RecordReminders(ctx context.Context, items []bot.Reminder, next []bot.NextReminder, now time.Time, compose func([]bot.Reminder) []bot.Message) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record reminders: %w", err)
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO reminders_sent (request_id, key, at) VALUES (?, ?, ?)
		ON CONFLICT (request_id, key) DO NOTHING`)
	if err != nil {
		return fmt.Errorf("record reminders: %w", err)
	}
	defer ins.Close()
	var sent []bot.Reminder
	recorded := map[[2]string]bool{}
	for _, it := range items {
		k := [2]string{it.RequestID, it.Key}
		if recorded[k] { // one key, several recipients (the leads): all go
			sent = append(sent, it)
			continue
		}
		res, err := ins.ExecContext(ctx, it.RequestID, it.Key, now.UnixMilli())
		if err != nil {
			return fmt.Errorf("record reminder %s %s: %w", it.RequestID, it.Key, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			recorded[k] = true
			sent = append(sent, it)
		}
	}
	if len(sent) > 0 {
		if err := enqueue(ctx, tx, compose(sent), now); err != nil {
			return fmt.Errorf("record reminders: %w", err)
		}
	}
	upd, err := tx.PrepareContext(ctx, `UPDATE requests SET next_remind_at = ? WHERE id = ? AND version = ?`)
	if err != nil {
		return fmt.Errorf("record reminders: %w", err)
	}
	defer upd.Close()
	for _, n := range next {
		if _, err := upd.ExecContext(ctx, ms(n.At), n.RequestID, n.Version); err != nil {
			return fmt.Errorf("record reminders: next for %s: %w", n.RequestID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record reminders: commit: %w", err)
	}
	return nil
}
