package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/askdesk/askdesk/bot"
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

func scanRating(s scanner) (bot.Rating, error) {
	var r bot.Rating
	var asked int64
	var score, rated, reminded sql.NullInt64
	if err := s.Scan(&r.RequestID, &r.Round, &r.Requester, &r.Dept, &asked, &r.Skipped, &score, &rated, &r.Comment, &reminded); err != nil {
		return r, err
	}
	r.AskedAt = time.UnixMilli(asked).UTC()
	r.Score = int(score.Int64)
	r.RatedAt, r.Reminded = fromMS(rated), fromMS(reminded)
	return r, nil
}
