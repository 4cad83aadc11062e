package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

const ratingColumns = `request_id, round, requester, dept, asked_at, skipped, score, rated_at, comment, reminded_at`

// Ratings returns the ratings rows (asked or skipped) whose prompt time is
// in [from, to), for reports, digests and exports, oldest first.
func (db *DB) Ratings(ctx context.Context, from, to time.Time) ([]bot.Rating, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+ratingColumns+` FROM ratings
		WHERE asked_at >= ? AND asked_at < ? ORDER BY asked_at, request_id, round`, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("ratings: %w", err)
	}
	defer rows.Close()
	var out []bot.Rating
	for rows.Next() {
		r, err := scanRating(rows)
		if err != nil {
			return nil, fmt.Errorf("ratings: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// scanRating reads ratingColumns, then any extra columns into extra.
func scanRating(s scanner, extra ...any) (bot.Rating, error) {
	var r bot.Rating
	var asked int64
	var score, rated, reminded sql.NullInt64
	dest := append([]any{&r.RequestID, &r.Round, &r.Requester, &r.Dept, &asked, &r.Skipped, &score, &rated, &r.Comment, &reminded}, extra...)
	if err := s.Scan(dest...); err != nil {
		return r, err
	}
	r.AskedAt = time.UnixMilli(asked).UTC()
	r.Score = int(score.Int64)
	r.RatedAt, r.Reminded = fromMS(rated), fromMS(reminded)
	return r, nil
}

// RecordAsk stores that a requester was asked (or, with Skipped, not) to
// rate a resolution; a second record of the same round is ignored.
func (db *DB) RecordAsk(ctx context.Context, r bot.Rating) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO ratings (request_id, round, requester, dept, asked_at, skipped)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (request_id, round) DO NOTHING`,
		r.RequestID, r.Round, r.Requester, r.Dept, r.AskedAt.UnixMilli(), r.Skipped)
	if err != nil {
		return fmt.Errorf("record rating prompt of %s: %w", r.RequestID, err)
	}
	return nil
}

// LastAsked returns when user was last asked to rate anything (skips not
// counted), or the zero time.
func (db *DB) LastAsked(ctx context.Context, user string) (time.Time, error) {
	var at sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT max(asked_at) FROM ratings WHERE requester = ? AND skipped = ''`, user).Scan(&at)
	if err != nil {
		return time.Time{}, fmt.Errorf("last asked: %w", err)
	}
	return fromMS(at), nil
}

// RatingOf returns the rating row of one round of a request.
func (db *DB) RatingOf(ctx context.Context, id string, round int) (bot.Rating, bool, error) {
	r, err := scanRating(db.read.QueryRowContext(ctx, `SELECT `+ratingColumns+` FROM ratings
		WHERE request_id = ? AND round = ?`, id, round))
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Rating{}, false, nil
	}
	if err != nil {
		return bot.Rating{}, false, fmt.Errorf("rating of %s: %w", id, err)
	}
	return r, true, nil
}

// EverRated reports whether any round of a request has a score.
func (db *DB) EverRated(ctx context.Context, id string) (bool, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM ratings WHERE request_id = ? AND score IS NOT NULL`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("ever rated %s: %w", id, err)
	}
	return n > 0, nil
}

// SetScore records (score 1–5) or withdraws (score 0) a rating, creating
// the row if the prompt was never recorded, and returns the score before.
func (db *DB) SetScore(ctx context.Context, r bot.Rating) (int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("rate %s: %w", r.RequestID, err)
	}
	defer tx.Rollback()
	var prev sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT score FROM ratings WHERE request_id = ? AND round = ?`, r.RequestID, r.Round).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("rate %s: %w", r.RequestID, err)
	}
	var score, at any
	if r.Score > 0 {
		score, at = r.Score, r.RatedAt.UnixMilli()
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ratings (request_id, round, requester, dept, asked_at, score, rated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (request_id, round) DO UPDATE SET score = excluded.score, rated_at = excluded.rated_at`,
		r.RequestID, r.Round, r.Requester, r.Dept, r.AskedAt.UnixMilli(), score, at); err != nil {
		return 0, fmt.Errorf("rate %s: %w", r.RequestID, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("rate %s: commit: %w", r.RequestID, err)
	}
	return int(prev.Int64), nil
}

// SetRatingComment adds a comment to a round's rating; it reports false
// when there is no rating row to comment on.
func (db *DB) SetRatingComment(ctx context.Context, id string, round int, comment string) (bool, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE ratings SET comment = ? WHERE request_id = ? AND round = ?`, comment, id, round)
	if err != nil {
		return false, fmt.Errorf("comment rating of %s: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// RatingsToRemind returns prompts asked before askedBefore, still unrated
// and never reminded, at most limit, oldest first.
func (db *DB) RatingsToRemind(ctx context.Context, askedBefore, notBefore time.Time, limit int) ([]bot.Rating, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+ratingColumns+` FROM ratings
		WHERE skipped = '' AND score IS NULL AND reminded_at IS NULL AND asked_at < ? AND asked_at >= ?
		ORDER BY asked_at LIMIT ?`, askedBefore.UnixMilli(), notBefore.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("ratings to remind: %w", err)
	}
	defer rows.Close()
	var out []bot.Rating
	for rows.Next() {
		r, err := scanRating(rows)
		if err != nil {
			return nil, fmt.Errorf("ratings to remind: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RemindRating marks a prompt reminded and writes the reminder to the
// outbox, in one transaction, unless it was reminded already.
func (db *DB) RemindRating(ctx context.Context, r bot.Rating, at time.Time, msgs []bot.Message) (bool, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return false, fmt.Errorf("remind rating: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE ratings SET reminded_at = ? WHERE request_id = ? AND round = ? AND reminded_at IS NULL`,
		at.UnixMilli(), r.RequestID, r.Round)
	if err != nil {
		return false, fmt.Errorf("remind rating: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	if err := db.enqueue(ctx, tx, msgs, at); err != nil {
		return false, fmt.Errorf("remind rating: %w", err)
	}
	return true, tx.Commit()
}

// Satisfaction implements report.RatingReports: the ratings of requests of the
// named departments whose prompt went out in [from, to). Asked counts the
// prompts sent (skips left out); nil when none were.
func (db *DB) Satisfaction(ctx context.Context, depts []string, from, to time.Time) (*report.Satisfaction, error) {
	var asked, rated int
	var avg sql.NullFloat64
	err := db.read.QueryRowContext(ctx, `SELECT count(*), count(score), avg(score) FROM ratings
		WHERE skipped = '' AND asked_at >= ? AND asked_at < ? AND `+db.inJSONList("dept"),
		from.UnixMilli(), to.UnixMilli(), jsonList(depts)).Scan(&asked, &rated, &avg)
	if err != nil {
		return nil, fmt.Errorf("satisfaction: %w", err)
	}
	if asked == 0 {
		return nil, nil
	}
	return &report.Satisfaction{Average: avg.Float64, Ratings: rated, Asked: asked}, nil
}

var _ report.LowRatedReports = (*DB)(nil)

// LowRated implements report.LowRatedReports: the IDs of requests of the
// named departments with a standing score of 1 or 2 on a prompt that went
// out at or after since. A withdrawn score (NULL) does not count.
func (db *DB) LowRated(ctx context.Context, depts []string, since time.Time) (map[string]bool, error) {
	// Without DISTINCT (the map dedupes), SQLite reads the range of
	// ratings_figures alone instead of the whole table in key order.
	rows, err := db.read.QueryContext(ctx, `SELECT request_id FROM ratings
		WHERE asked_at >= ? AND score IN (1, 2) AND `+db.inJSONList("dept"), since.UnixMilli(), jsonList(depts))
	if err != nil {
		return nil, fmt.Errorf("low ratings: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("low ratings: %w", err)
		}
		out[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("low ratings: %w", err)
	}
	return out, nil
}
