package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// What the desk learns of people (bot.People): departments read from
// profiles, user groups' members, absences.

var _ bot.People = (*DB)(nil)

// LearnedDept implements bot.People.
func (db *DB) LearnedDept(ctx context.Context, user string) (bot.LearnedDept, bool, error) {
	l := bot.LearnedDept{User: user}
	var at int64
	err := db.readQueryRow(ctx, `SELECT dept, source, learned_at FROM person_depts WHERE user_id = ?`, user).
		Scan(&l.Dept, &l.Source, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return l, false, nil
	}
	if err != nil {
		return l, false, fmt.Errorf("learned department of %s: %w", user, err)
	}
	l.At = time.UnixMilli(at).UTC()
	return l, true, nil
}

// LearnDept implements bot.People.
func (db *DB) LearnDept(ctx context.Context, l bot.LearnedDept) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO person_depts (user_id, dept, source, learned_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET dept = excluded.dept, source = excluded.source, learned_at = excluded.learned_at`,
		l.User, l.Dept, l.Source, l.At.UnixMilli())
	if err != nil {
		return fmt.Errorf("learn department of %s: %w", l.User, err)
	}
	return nil
}

// Groups implements bot.People: every group, by ID, members sorted.
func (db *DB) Groups(ctx context.Context) ([]bot.Group, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT g.usergroup, g.handle, g.synced_at, m.user_id
		FROM usergroups g LEFT JOIN usergroup_members m ON m.usergroup = g.usergroup
		ORDER BY g.usergroup, m.user_id`)
	if err != nil {
		return nil, fmt.Errorf("user groups: %w", err)
	}
	defer rows.Close()
	var out []bot.Group
	for rows.Next() {
		var id, handle string
		var at int64
		var user sql.NullString
		if err := rows.Scan(&id, &handle, &at, &user); err != nil {
			return nil, fmt.Errorf("user groups: %w", err)
		}
		if n := len(out); n == 0 || out[n-1].ID != id {
			out = append(out, bot.Group{ID: id, Handle: handle, SyncedAt: time.UnixMilli(at).UTC()})
		}
		if user.Valid {
			out[len(out)-1].Members = append(out[len(out)-1].Members, user.String)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("user groups: %w", err)
	}
	return out, nil
}

// SetGroup implements bot.People, in one transaction.
func (db *DB) SetGroup(ctx context.Context, g bot.Group) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("set user group %s: %w", g.ID, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO usergroups (usergroup, handle, synced_at) VALUES (?, ?, ?)
		ON CONFLICT (usergroup) DO UPDATE SET handle = excluded.handle, synced_at = excluded.synced_at`,
		g.ID, g.Handle, g.SyncedAt.UnixMilli()); err != nil {
		return fmt.Errorf("set user group %s: %w", g.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM usergroup_members WHERE usergroup = ?`, g.ID); err != nil {
		return fmt.Errorf("set user group %s: %w", g.ID, err)
	}
	seen := map[string]bool{}
	for _, u := range g.Members {
		if seen[u] {
			continue
		}
		seen[u] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO usergroup_members (usergroup, user_id) VALUES (?, ?)`, g.ID, u); err != nil {
			return fmt.Errorf("set user group %s: %w", g.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set user group %s: commit: %w", g.ID, err)
	}
	return nil
}

// SetAway implements bot.People.
func (db *DB) SetAway(ctx context.Context, a bot.Away) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO away (user_id, since, until) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET since = excluded.since, until = excluded.until`,
		a.User, a.Since.UnixMilli(), ms(a.Until))
	if err != nil {
		return fmt.Errorf("set away %s: %w", a.User, err)
	}
	return nil
}

// Back implements bot.People.
func (db *DB) Back(ctx context.Context, user string) (bool, error) {
	res, err := db.write.ExecContext(ctx, `DELETE FROM away WHERE user_id = ?`, user)
	if err != nil {
		return false, fmt.Errorf("back %s: %w", user, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("back %s: %w", user, err)
	}
	return n > 0, nil
}

// Absences implements bot.People. An absence that has ended stays in the
// table, harmless, until the person is away again or says /ask back.
func (db *DB) Absences(ctx context.Context, now time.Time) ([]bot.Away, error) {
	t := now.UnixMilli()
	rows, err := db.read.QueryContext(ctx, `SELECT user_id, since, until FROM away
		WHERE since <= ? AND (until IS NULL OR until > ?) ORDER BY user_id`, t, t)
	if err != nil {
		return nil, fmt.Errorf("absences: %w", err)
	}
	defer rows.Close()
	var out []bot.Away
	for rows.Next() {
		var a bot.Away
		var since int64
		var until sql.NullInt64
		if err := rows.Scan(&a.User, &since, &until); err != nil {
			return nil, fmt.Errorf("absences: %w", err)
		}
		a.Since, a.Until = time.UnixMilli(since).UTC(), fromMS(until)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("absences: %w", err)
	}
	return out, nil
}
