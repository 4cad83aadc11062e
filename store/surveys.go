package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// Customers returns, for each requester, the departments they filed
// requests with in [from, to), by department name in config order of
// first appearance.
func (db *DB) Customers(ctx context.Context, from, to time.Time) (map[string][]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT DISTINCT requester, dept FROM requests
		WHERE created_at >= ? AND created_at < ? ORDER BY requester, dept`, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("customers: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var user, dept string
		if err := rows.Scan(&user, &dept); err != nil {
			return nil, fmt.Errorf("customers: %w", err)
		}
		out[user] = append(out[user], dept)
	}
	return out, rows.Err()
}

// AskSurvey records that user is asked about depts for quarter and writes
// the invitation to the outbox, in one transaction, unless they were asked
// for that quarter already; it reports whether it asked.
func (db *DB) AskSurvey(ctx context.Context, quarter, user string, depts []string, msg bot.Message, at time.Time) (bool, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return false, fmt.Errorf("ask survey: %w", err)
	}
	defer tx.Rollback()
	if db.pg {
		// Overlapping runs (two replicas) take turns per person and
		// quarter, so the second sees what the first asked; else both
		// would find nothing asked and ask twice, or fail on the key.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+surveyLockClass+`, `+surveyLockKey+`)`,
			quarter+"\n"+user); err != nil {
			return false, fmt.Errorf("ask survey: %w", err)
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM surveys WHERE quarter = ? AND requester = ?`, quarter, user).Scan(&n); err != nil {
		return false, fmt.Errorf("ask survey: %w", err)
	}
	if n > 0 {
		return false, nil
	}
	for _, d := range depts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO surveys (quarter, requester, dept, asked_at) VALUES (?, ?, ?, ?)`,
			quarter, user, d, at.UnixMilli()); err != nil {
			return false, fmt.Errorf("ask survey: %w", err)
		}
	}
	if err := db.enqueue(ctx, tx, []bot.Message{msg}, at); err != nil {
		return false, fmt.Errorf("ask survey: %w", err)
	}
	return true, tx.Commit()
}

// The advisory lock of a survey invitation on PostgreSQL: the two-key form,
// whose keys never meet the one-key locks of migrations and leadership; a
// constant class of askdesk's own, and a hash of the person and quarter
// (and schema, so installations in separate schemas do not wait on each
// other). Two people whose hashes collide merely take turns.
const (
	surveyLockClass = "70218016"
	surveyLockKey   = "('x' || substr(md5(? || current_schema()), 1, 8))::bit(32)::int"
)

// AnswerSurvey records user's answer about dept for quarter; it reports
// false when they were not asked about it.
func (db *DB) AnswerSurvey(ctx context.Context, quarter, user, dept string, score int, comment string, at time.Time) (bool, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE surveys SET score = ?, comment = ?, answered_at = ?
		WHERE quarter = ? AND requester = ? AND dept = ?`, score, comment, at.UnixMilli(), quarter, user, dept)
	if err != nil {
		return false, fmt.Errorf("answer survey: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// SurveyResults returns every row of a quarter's survey.
func (db *DB) SurveyResults(ctx context.Context, quarter string) ([]bot.SurveyAnswer, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT quarter, requester, dept, asked_at, score, comment, answered_at
		FROM surveys WHERE quarter = ? ORDER BY dept, requester`, quarter)
	if err != nil {
		return nil, fmt.Errorf("survey results: %w", err)
	}
	defer rows.Close()
	var out []bot.SurveyAnswer
	for rows.Next() {
		var a bot.SurveyAnswer
		var asked int64
		var score, answered sql.NullInt64
		if err := rows.Scan(&a.Quarter, &a.Requester, &a.Dept, &asked, &score, &a.Comment, &answered); err != nil {
			return nil, fmt.Errorf("survey results: %w", err)
		}
		a.AskedAt, a.Score, a.AnsweredAt = time.UnixMilli(asked).UTC(), int(score.Int64), fromMS(answered)
		out = append(out, a)
	}
	return out, rows.Err()
}
