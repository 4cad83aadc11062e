package store

import (
	"context"
	"slices"
	"strings"

	"github.com/askdesk/askdesk/bot"
)

// queue lists the active requests of depts (in states, or every active
// state) that also match where, most urgent first (urgencyOrder), limit of
// them after skipping offset. A department's queue may hold tens of
// thousands of requests, and urgencyOrder cannot be read off an index: so
// each department and state is read in the order of requests_dept_state
// (dept, state, next_due), the running ones by deadline and the paused
// ones (no deadline) by priority and age, at most offset+limit of each,
// and the lists are merged here. A Home's first page of a 12,500-request
// queue reads a few dozen rows instead of sorting them all.
func (db *DB) queue(ctx context.Context, depts []string, states []bot.State, where []string, args []any, limit, offset int) ([]*bot.Request, error) {
	if len(states) == 0 {
		states = []bot.State{bot.Open, bot.Acknowledged, bot.Waiting, bot.Reopened}
	}
	extra := ""
	if len(where) > 0 {
		extra = " AND " + strings.Join(where, " AND ")
	}
	n := offset + limit
	var all []*bot.Request
	for _, dept := range depts {
		for _, st := range states {
			if !st.Active() {
				continue
			}
			a := append([]any{dept, string(st)}, args...)
			running, err := db.queryRequests(ctx, `SELECT `+requestColumns+` FROM requests
				WHERE dept = ? AND state = ? AND next_due IS NOT NULL`+extra+` ORDER BY next_due LIMIT ?`, append(a, n)...)
			if err != nil {
				return nil, err
			}
			paused, err := db.queryRequests(ctx, `SELECT `+requestColumns+` FROM requests
				WHERE dept = ? AND state = ? AND next_due IS NULL`+extra+`
				ORDER BY CASE priority WHEN 'urgent' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END, created_at LIMIT ?`, append(a, n)...)
			if err != nil {
				return nil, err
			}
			all = append(append(all, running...), paused...)
		}
	}
	slices.SortStableFunc(all, urgencyCmp)
	if offset >= len(all) {
		return nil, nil
	}
	return all[offset:min(len(all), n)], nil
}

// urgencyCmp is urgencyOrder in Go: a running deadline before none, the
// earliest first; then priority, then age.
func urgencyCmp(a, b *bot.Request) int {
	ad, bd := a.NextDue(), b.NextDue()
	switch {
	case ad.IsZero() != bd.IsZero():
		if ad.IsZero() {
			return 1
		}
		return -1
	case !ad.Equal(bd):
		return ad.Compare(bd)
	}
	if c := a.Priority.Rank() - b.Priority.Rank(); c != 0 {
		return c
	}
	return a.CreatedAt.Compare(b.CreatedAt)
}
