package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"
)

// ExplainActiveDuring returns SQLite's plans for the queries of
// RequestsActiveDuring, one line per step, so a test can check they stay
// on the indexes.
func ExplainActiveDuring(db *DB, depts []string, from, to time.Time) ([]string, error) {
	var out []string
	for _, p := range db.activeDuringQueries(depts, from, to) {
		rows, err := db.read.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+p.q, p.args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, detail)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// BenchDepartments are the example company's departments, as the
// realistic seed files them.
var BenchDepartments = []struct{ Name, Prefix string }{
	{"finance", "FIN"}, {"it", "IT"}, {"hr", "HR"}, {"legal", "LEG"}, {"marketing", "MKT"},
	{"sales", "SAL"}, {"facilities", "FAC"}, {"purchasing", "PUR"}, {"production", "PRD"},
}

// SeedRealisticForBench fills db with n requests filed over the year before
// base, with a working desk's lives and their full histories: most filed
// on weekdays in office hours, answered within minutes to a few days,
// resolved hours to days later; 5% wait on the requester for a while, 2%
// are reopened once, 3% withdrawn, 0.5% left open for good; resolved ones
// close three days later. What has not finished by base is still active.
// It writes rows directly, in one transaction, and is deterministic.
func SeedRealisticForBench(db *DB, n int, base time.Time) error {
	ctx := context.Background()
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	req, err := tx.PrepareContext(ctx, `INSERT INTO requests (id, prefix, num, dept, requester, assignee, priority,
		state, title, body, source, created_at, updated_at, first_response_at, resolution_start, resolved_at,
		closed_at, pauses, reopens, transfers, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	evStmt, err := tx.PrepareContext(ctx, `INSERT INTO events (request_id, seq, kind, actor, at, data) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2026, 47))
	ms := func(t time.Time) int64 { return t.UnixMilli() }
	span := func(lo, hi time.Duration) time.Duration { return lo + time.Duration(rng.Int64N(int64(hi-lo))) }
	nums := make([]int, len(BenchDepartments))
	yearAgo := base.AddDate(-1, 0, 0)
	step := base.Sub(yearAgo) / time.Duration(n)
	for i := range n {
		p := rng.IntN(len(BenchDepartments))
		dep := BenchDepartments[p]
		nums[p]++
		id := fmt.Sprintf("%s-%d", dep.Prefix, nums[p])
		// In order of filing, on weekdays, 13:00–23:00 UTC (office hours
		// somewhere in the company).
		created := yearAgo.Add(time.Duration(i) * step)
		if wd := created.Weekday(); wd == time.Saturday || wd == time.Sunday {
			created = created.Add(48 * time.Hour)
		}
		day := created.Truncate(24 * time.Hour)
		created = day.Add(13*time.Hour + created.Sub(day)%(10*time.Hour))
		if created.After(base) {
			created = base.Add(-span(time.Minute, time.Hour))
		}
		requester := fmt.Sprintf("U%04d", rng.IntN(3000))
		assignee := fmt.Sprintf("U%s%d", dep.Prefix, rng.IntN(5))
		priority := []string{"urgent", "normal", "normal", "normal", "normal", "normal", "normal", "low"}[rng.IntN(8)]
		type ev struct {
			kind, actor string
			at          time.Time
			data        string
		}
		title := "benchmark request"
		cdata, _ := json.Marshal(map[string]string{"dept": dep.Name, "priority": priority, "title": title})
		evs := []ev{{"created", requester, created, string(cdata)}}
		state, reopens := "acknowledged", 0
		var firstResp, resolved, closed, resStart time.Time
		var pauses [][2]int64
		resStart = created
		add := func(kind, actor string, at time.Time, data string) bool {
			if at.After(base) {
				return false
			}
			evs = append(evs, ev{kind, actor, at, data})
			return true
		}
		roll := rng.IntN(1000)
		firstResp = created.Add(span(5*time.Minute, 6*time.Hour))
		if rng.IntN(5) == 0 {
			firstResp = created.Add(span(6*time.Hour, 72*time.Hour))
		}
		switch {
		case roll < 30: // withdrawn before anyone answered
			at := created.Add(span(10*time.Minute, 24*time.Hour))
			firstResp = time.Time{}
			state = "open"
			if add("cancelled", requester, at, "{}") {
				state, closed = "cancelled", at
			}
		case !add("claimed", assignee, firstResp, `{"assignee":"`+assignee+`"}`):
			state, firstResp = "open", time.Time{}
		default:
			t := firstResp
			if roll < 80 { // waits on the requester
				ps, pe := t.Add(30*time.Minute), t.Add(span(time.Hour, 48*time.Hour))
				if add("waiting", assignee, ps, "{}") {
					state = "waiting"
					pauses = append(pauses, [2]int64{ms(ps), 0})
					if add("resumed", requester, pe, "{}") {
						state, pauses[0][1], t = "acknowledged", ms(pe), pe
					}
				}
			}
			if roll >= 995 || state == "waiting" { // never finished
				break
			}
			t = t.Add(span(30*time.Minute, 96*time.Hour))
			if !add("resolved", assignee, t, "{}") {
				break
			}
			state, resolved = "resolved", t
			if roll >= 80 && roll < 100 { // reopened once
				t = t.Add(span(time.Hour, 72*time.Hour))
				if !add("reopened", requester, t, "{}") {
					break
				}
				state, reopens, resStart, resolved, pauses = "reopened", 1, t, time.Time{}, nil
				t = t.Add(span(time.Hour, 48*time.Hour))
				if !add("resolved", assignee, t, "{}") {
					break
				}
				state, resolved = "resolved", t
			}
			if add("closed", "askdesk", t.Add(72*time.Hour), "{}") {
				state, closed = "closed", t.Add(72*time.Hour)
			}
		}
		pj, _ := json.Marshal(pauses)
		if pauses == nil {
			pj = []byte("[]")
		}
		if len(pauses) > 0 && pauses[0][1] == 0 {
			pj = []byte(fmt.Sprintf("[[%d,null]]", pauses[0][0]))
		}
		nullable := func(t time.Time) any {
			if t.IsZero() {
				return nil
			}
			return ms(t)
		}
		asg := assignee
		if firstResp.IsZero() {
			asg = ""
		}
		last := evs[len(evs)-1].at
		if _, err := req.ExecContext(ctx, id, dep.Prefix, nums[p], dep.Name, requester, asg, priority, state, title,
			"benchmark request body", "bench", ms(created), ms(last), nullable(firstResp), ms(resStart),
			nullable(resolved), nullable(closed), string(pj), reopens, 0, len(evs)); err != nil {
			return err
		}
		for seq, e := range evs {
			if _, err := evStmt.ExecContext(ctx, id, seq+1, e.kind, e.actor, ms(e.at), e.data); err != nil {
				return err
			}
		}
	}
	for p, d := range BenchDepartments {
		if _, err := tx.ExecContext(ctx, `INSERT INTO counters (prefix, last) VALUES (?, ?)`, d.Prefix, nums[p]); err != nil {
			return err
		}
	}
	return tx.Commit()
}
