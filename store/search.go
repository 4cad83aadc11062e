package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/cjk"
)

// Full-text search (bot.Searcher). Each request's searchable text is a row
// of search_docs: its title; its text and its fields' values; and the text
// of its later events (replies, questions, resolution notes, reasons), one
// a line. SQLite indexes it with FTS5 (search_fts, kept in step with
// search_docs by triggers), PostgreSQL with a generated tsvector under a
// GIN index (migrations 0017). insertEvent writes the row, in the
// transaction of the change; redaction deletes it. Its saved column
// (migrations 0021) says the request is a saved answer, which everyone may
// find: SaveAnswer and UnsaveAnswer (store/deflect.go) keep it in step,
// and on SQLite the triggers put savedToken beside the requester in
// search_fts.

var _ bot.Searcher = (*DB)(nil)

// index brings r's search_docs row up to date with ev, in the transaction
// that stores ev: a creation writes the row; a later event with text adds
// its text to the notes; every change keeps the department and state
// beside the text current (a transfer, a resolution). A request redacted
// and written to since (a comment on a closed request) gets a row again,
// with the new text only.
func (db *DB) index(ctx context.Context, tx *sql.Tx, r *bot.Request, ev bot.Event) error {
	if ev.Kind == bot.EvCreated {
		if p := pendingDocsOf(ctx); p != nil {
			// Written with the rest of its group commit's (search_batch.go).
			p.docs = append(p.docs, searchDoc{requestID: r.ID, dept: r.Dept, requester: r.Requester,
				state: string(r.State), private: boolInt(r.Private), createdAt: r.CreatedAt.UnixMilli(),
				title: r.Title, body: searchBody(r.Text, r.Fields)})
			return nil
		}
		body := searchBody(r.Text, r.Fields)
		_, err := db.txExec(ctx, tx, `INSERT INTO search_docs (request_id, dept, requester, state, private, created_at, title, body, notes, grams)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?)`, r.ID, r.Dept, r.Requester, string(r.State), boolInt(r.Private),
			r.CreatedAt.UnixMilli(), r.Title, body, searchGrams(r.Title, body))
		return err
	}
	text := strings.TrimSpace(ev.Text)
	if text == "" || text == Redacted {
		_, err := db.txExec(ctx, tx, `UPDATE search_docs SET dept = ?, state = ?
			WHERE request_id = ? AND (dept != ? OR state != ?)`, r.Dept, string(r.State), r.ID, r.Dept, string(r.State))
		return err
	}
	// The note's grams are added to the row's (migrations 0033); grams
	// not yet worked out stay NULL, to be worked out from the whole text.
	_, err := db.txExec(ctx, tx, `INSERT INTO search_docs (request_id, dept, requester, state, private, created_at, title, body, notes, grams)
		VALUES (?, ?, ?, ?, ?, ?, '', '', ?, ?)
		ON CONFLICT (request_id) DO UPDATE SET dept = excluded.dept, state = excluded.state,
			notes = CASE search_docs.notes WHEN '' THEN excluded.notes ELSE search_docs.notes || ? || excluded.notes END,
			grams = search_docs.grams || ?`,
		r.ID, r.Dept, r.Requester, string(r.State), boolInt(r.Private), r.CreatedAt.UnixMilli(), text, searchGrams(text),
		"\n", appendedGrams(text))
	return err
}

// searchBody is a request's text and its fields' values, one a line.
func searchBody(text string, fields []bot.FieldValue) string {
	parts := []string{text}
	for _, f := range fields {
		parts = append(parts, f.Value)
	}
	return strings.TrimSpace(strings.Join(parts, "\n"))
}

// rebuildSearch replaces the whole index with one built from the stored
// requests and events (as migration 0017 builds it), with the grams of
// those that hold Han worked out (as after migration 0033): after a copy,
// which writes the tables directly.
func (db *DB) rebuildSearch(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_docs`); err != nil {
		return fmt.Errorf("rebuild search index: %w", err)
	}
	if _, err := tx.ExecContext(ctx, db.sqlFor(sqliteSearchFill, pgSearchFill)); err != nil {
		return fmt.Errorf("rebuild search index: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE search_docs SET grams = '' WHERE grams IS NULL AND NOT `+
		db.sqlFor(`(title || char(10) || body || char(10) || notes GLOB '`+hanGlob+`')`,
			`(title || E'\n' || body || E'\n' || notes ~ '`+hanClass+`')`)); err != nil {
		return fmt.Errorf("rebuild search index: %w", err)
	}
	for {
		n, err := db.fillSearchGramsIn(ctx, tx, gramsBatch)
		if err != nil {
			return fmt.Errorf("rebuild search index: %w", err)
		}
		if n < gramsBatch {
			return nil
		}
	}
}

// The index of every request not redacted, as migrations 0017 fill it,
// with whether it is a saved answer, as migrations 0021 mark it, and its
// grams not worked out yet (migrations 0033).
const (
	sqliteSearchFill = `INSERT INTO search_docs (request_id, dept, requester, state, private, created_at, title, body, notes, saved, grams)
SELECT r.id, r.dept, r.requester, r.state, r.private, r.created_at, r.title,
    trim(r.body || char(10) || coalesce((SELECT group_concat(json_extract(f.value, '$.value'), char(10))
        FROM json_each(r.fields) f), ''), ' ' || char(10)),
    coalesce((SELECT group_concat(t, char(10)) FROM (SELECT json_extract(e.data, '$.text') AS t FROM events e
        WHERE e.request_id = r.id AND e.seq > 1
        AND coalesce(json_extract(e.data, '$.text'), '') NOT IN ('', '[redacted]') ORDER BY e.seq)), ''),
    CASE WHEN r.private = 0 AND EXISTS (SELECT 1 FROM saved_answers s WHERE s.request_id = r.id) THEN 1 ELSE 0 END, NULL
FROM requests r WHERE r.redacted_at IS NULL`
	pgSearchFill = `INSERT INTO search_docs (request_id, dept, requester, state, private, created_at, title, body, notes, saved, grams)
SELECT r.id, r.dept, r.requester, r.state, r.private, r.created_at, r.title,
    btrim(r.body || E'\n' || coalesce((SELECT string_agg(f->>'value', E'\n')
        FROM jsonb_array_elements(r.fields::jsonb) f), ''), E' \n'),
    coalesce((SELECT string_agg(e.data::jsonb->>'text', E'\n' ORDER BY e.seq) FROM events e
        WHERE e.request_id = r.id AND e.seq > 1
        AND coalesce(e.data::jsonb->>'text', '') NOT IN ('', '[redacted]')), ''),
    CASE WHEN r.private = 0 AND EXISTS (SELECT 1 FROM saved_answers s WHERE s.request_id = r.id) THEN 1 ELSE 0 END, NULL
FROM requests r WHERE r.redacted_at IS NULL`
)

// searchTables are the index's tables, which copy and checksums leave
// out: the index is rebuilt from the data, never copied.
func isSearchTable(name string) bool {
	return name == "search_docs" || name == "search_fts" || strings.HasPrefix(name, "search_fts_")
}

// rankedAtMost bounds the matches a search ranks: the newest this many
// requests that match and that the viewer may see. A word found in more of
// them (say "request") is ranked among the newest; every other search
// ranks all its matches. It keeps the slowest search of a million-request
// store near the time of an ordinary one (docs/performance.md).
const rankedAtMost = 5000

// SearchRequests implements bot.Searcher.
func (db *DB) SearchRequests(ctx context.Context, q bot.SearchQuery, scope bot.SearchScope, offset, limit int) ([]bot.SearchHit, error) {
	// Who may see what (bot/authz.go, bot/public.go), read from
	// search_docs, which keeps these beside the text. own: their own
	// requests, their departments', and for an admin all but others'
	// private requests. pub: what everyone may see, saved answers and the
	// requests of public departments, never a private one; an admin's own
	// scope holds it already.
	own, ownArgs := []string{`d.requester = ?`}, []any{scope.User}
	if len(scope.Depts) > 0 {
		own, ownArgs = append(own, db.inJSONList(`d.dept`)), append(ownArgs, jsonList(scope.Depts))
	}
	if scope.Admin {
		own = append(own, `d.private = 0`)
	}
	ownCond := "(" + strings.Join(own, " OR ") + ")"
	var pubCond string
	var pubArgs []any
	switch {
	case scope.Admin:
	case len(scope.PublicDepts) > 0:
		pubCond = `(d.private = 0 AND (d.saved = 1 OR ` + db.inJSONList(`d.dept`) + `))`
		pubArgs = []any{jsonList(scope.PublicDepts)}
	default:
		pubCond = `(d.private = 0 AND d.saved = 1)`
	}
	// The filters, the same for each part of the scope.
	var where []string
	var args []any
	if q.Dept != "" {
		where, args = append(where, `d.dept = ?`), append(args, q.Dept)
	}
	if len(q.States) > 0 {
		states := make([]string, len(q.States))
		for i, s := range q.States {
			states[i] = string(s)
		}
		where, args = append(where, db.inJSONList(`d.state`)), append(args, jsonList(states))
	}
	if q.Requester != "" {
		where, args = append(where, `d.requester = ?`), append(args, q.Requester)
	}
	if !q.After.IsZero() {
		where, args = append(where, `d.created_at >= ?`), append(args, q.After.UnixMilli())
	}
	if !q.Before.IsZero() {
		where, args = append(where, `d.created_at < ?`), append(args, q.Before.UnixMilli())
	}
	filters := ""
	if len(where) > 0 {
		filters = " AND " + strings.Join(where, " AND ")
	}
	see, seeArgs := ownCond, ownArgs
	if pubCond != "" {
		see, seeArgs = "("+ownCond+" OR "+pubCond+")", slices.Concat(ownArgs, pubArgs)
	}
	// page picks the requests of the page, by request_id with a score and
	// filing time to order them by; only those are read from requests.
	// Words common enough to fill the ranked window are matched whole
	// (commonWords).
	var whole map[string]bool
	if len(q.Words) > 0 {
		var err error
		if whole, err = db.commonWords(ctx, q.Words); err != nil {
			return nil, err
		}
	}
	var page string
	var pageArgs []any
	switch {
	case len(q.Words) == 0:
		page = `SELECT d.request_id, 0 AS score, d.created_at FROM search_docs d WHERE ` + see + filters + `
			ORDER BY d.created_at DESC, d.request_id LIMIT ? OFFSET ?`
		pageArgs = slices.Concat(seeArgs, args)
	case db.pg:
		// The newest matches first, then ranked: title (A) weighs most,
		// then text and fields (B), then notes (C). ts_rank is higher for
		// a better match.
		// Runs of Han are looked for in grams (search_grams.go), ranked
		// beside the words.
		m := db.pgMatch(q.Words, whole, q.AnyWords)
		part := func(cond string) string {
			return `(SELECT d.request_id, ` + m.cols + `, d.created_at FROM search_docs d
			WHERE ` + m.cond + ` AND ` + cond + filters + `
			ORDER BY d.created_at DESC, d.request_id LIMIT ` + fmt.Sprint(rankedAtMost) + `)`
		}
		parts := part(see)
		pageArgs = slices.Concat(m.args, m.args, seeArgs, args)
		if len(own) == 1 {
			// A requester: their own requests walked along
			// search_docs_requester, the saved answers along
			// search_docs_saved, each apart, rather than every match
			// of the words looked at for either.
			parts = part(ownCond) + ` UNION ALL ` + part(`d.private = 0 AND d.saved = 1 AND NOT `+ownCond)
			pageArgs = slices.Concat(m.args, m.args, ownArgs, args, m.args, ownArgs, args)
			if len(scope.PublicDepts) > 0 {
				parts += ` UNION ALL ` + part(`d.private = 0 AND d.saved = 0 AND `+db.inJSONList(`d.dept`)+` AND NOT `+ownCond)
				pageArgs = slices.Concat(pageArgs, m.args, []any{jsonList(scope.PublicDepts)}, ownArgs, args)
			}
		}
		page = `SELECT request_id, -(` + m.rank + `) AS score, created_at FROM (` + parts + `) m
			ORDER BY score, created_at DESC, request_id LIMIT ? OFFSET ?`
	default:
		page, pageArgs = db.sqlitePage(q, scope, whole, len(own) == 1, see, seeArgs, ownCond, ownArgs, filters, args)
	}
	pageArgs = append(pageArgs, limit, offset)
	query := `SELECT ` + qualified("r.", requestColumns) + `, coalesce(d.notes, '') FROM (` + page + `) p
		JOIN requests r ON r.id = p.request_id LEFT JOIN search_docs d ON d.request_id = p.request_id
		ORDER BY p.score, p.created_at DESC, p.request_id`
	rows, err := db.read.QueryContext(ctx, query, db.plannedForItsWords(pageArgs)...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	var out []bot.SearchHit
	for rows.Next() {
		var notes string
		r, err := scanRequest(extraScanner{rows, []any{&notes}})
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		out = append(out, bot.SearchHit{Request: r, Notes: notes})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return out, nil
}

// savedToken marks a saved answer in search_fts's requester column
// (migrations/0021): no Slack user ID starts with a digit.
const savedToken = "0saved"

// sqlitePage is the FTS5 query of a search with words. FTS5 hands matches
// out newest document first; bm25 is lower for a better match, and the
// title weighs most. A search among one person's requests (a requester's
// own, or from:) names them in the FTS5 query too, so that the index
// intersects their few documents with the words' many instead of each
// match being looked up; a requester's search names the saved answers
// there as well (savedToken). The requests of public departments are
// read apart, as everyone else's are, and ranked with the rest.
func (db *DB) sqlitePage(q bot.SearchQuery, scope bot.SearchScope, whole map[string]bool, onlyOwn bool, see string, seeArgs []any,
	ownCond string, ownArgs []any, filters string, fargs []any) (string, []any) {
	words := db.sqliteMatch(q.Words, whole, q.AnyWords)
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	const score = `bm25(search_fts, 10.0, 4.0, 1.0, 0.0, 0.0, 4.0)`
	part := func(match, cond string) string {
		return `SELECT d.request_id, ` + score + ` AS score, d.created_at FROM search_fts
			JOIN search_docs d ON d.doc = search_fts.rowid
			WHERE search_fts MATCH ? AND ` + cond + filters + `
			ORDER BY search_fts.rowid DESC LIMIT ` + fmt.Sprint(rankedAtMost)
	}
	order := ` ORDER BY score, created_at DESC, request_id LIMIT ? OFFSET ?`
	// The department of dept: is named in the FTS5 query as the people
	// are: a phrase may match more than the name ("sales" in
	// "sales-ops"); the conditions on search_docs stay the exact test.
	if q.Dept != "" {
		words += ` AND dept : ` + quote(q.Dept)
	}
	if !onlyOwn {
		// Staff and admins. A member's scope is named in the FTS5 query
		// too (migrations/0023): their own requests and the saved
		// answers by requester, their departments and the public ones by
		// dept, so that a department's search intersects inside the
		// index instead of each match of the words being looked up and
		// most dropped. An admin sees nearly everything: every match is
		// looked up.
		match := words
		if q.Requester != "" {
			match += ` AND requester : ` + quote(q.Requester)
		}
		if !scope.Admin && q.Requester == "" && q.Dept == "" {
			depts := make([]string, 0, len(scope.Depts)+len(scope.PublicDepts))
			for _, dep := range slices.Concat(scope.Depts, scope.PublicDepts) {
				depts = append(depts, quote(dep))
			}
			match += ` AND (requester : (` + quote(scope.User) + ` OR ` + savedToken + `) OR dept : (` + strings.Join(depts, " OR ") + `))`
		}
		return `SELECT request_id, score, created_at FROM (` + part(match, see) + `)` + order,
			slices.Concat([]any{match}, seeArgs, fargs)
	}
	// A requester: their own and the saved answers, found together.
	mine := `(` + ownCond + ` OR (d.private = 0 AND d.saved = 1))`
	match := words + ` AND requester : (` + quote(scope.User) + ` OR ` + savedToken + `)`
	if q.Requester != "" {
		match = words + ` AND requester : ` + quote(q.Requester)
	}
	query := `SELECT * FROM (` + part(match, mine) + `)`
	args := slices.Concat([]any{match}, ownArgs, fargs)
	if len(scope.PublicDepts) > 0 {
		pub := `d.private = 0 AND ` + db.inJSONList(`d.dept`) + ` AND NOT ` + mine
		match := words
		if q.Requester != "" {
			match += ` AND requester : ` + quote(q.Requester)
		}
		query += ` UNION ALL SELECT * FROM (` + part(match, pub) + `)`
		args = slices.Concat(args, []any{match, jsonList(scope.PublicDepts)}, ownArgs, fargs)
	}
	return `SELECT request_id, score, created_at FROM (` + query + `)` + order, args
}

// matchQuery is words as the engine's query: every word (any of them if
// any), as a word or the start of one, but a word in whole as a word only.
// The words are letters and digits (bot.SearchWords), and are quoted all
// the same.
func (db *DB) matchQuery(words []string, whole map[string]bool, any bool) string {
	terms := make([]string, len(words))
	for i, w := range words {
		if db.pg {
			terms[i] = "'" + strings.ReplaceAll(w, "'", "''") + "'"
			if !whole[w] {
				terms[i] += ":*"
			}
		} else {
			terms[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
			if !whole[w] {
				terms[i] += "*"
			}
		}
	}
	switch {
	case db.pg && any:
		return strings.Join(terms, " | ")
	case db.pg:
		return strings.Join(terms, " & ")
	case any:
		return strings.Join(terms, " OR ")
	}
	return strings.Join(terms, " ")
}

// commonWords returns which of words are, as whole words, in at least
// rankedAtMost requests: those are matched as words only, not as the start
// of longer ones too. Such a word alone fills the newest matches a search
// ranks, and its longer forms would add little but cost the most: the
// engine merges the lists of every word it starts (for a word in every
// request, a million entries) before it can hand out the newest, which
// made the slowest search of a million-request store several times an
// ordinary one (docs/performance.md). Counting up to rankedAtMost of a
// word's own list reads no further than that.
func (db *DB) commonWords(ctx context.Context, words []string) (map[string]bool, error) {
	whole := map[string]bool{}
	for _, w := range words {
		if cjk.IsHanWord(w) {
			continue // a phrase in grams: no longer forms to merge
		}
		var q string
		var arg any
		if db.pg {
			q = `SELECT count(*) FROM (SELECT 1 FROM search_docs WHERE doc @@ to_tsquery('simple', ?) LIMIT ` + fmt.Sprint(rankedAtMost) + `) m`
			arg = "'" + strings.ReplaceAll(w, "'", "''") + "'"
		} else {
			q = `SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT ` + fmt.Sprint(rankedAtMost) + `)`
			arg = `{title body notes} : "` + strings.ReplaceAll(w, `"`, `""`) + `"`
		}
		var n int
		if err := db.read.QueryRowContext(ctx, q, db.plannedForItsWords([]any{arg})...).Scan(&n); err != nil {
			return nil, fmt.Errorf("search: how common is %q: %w", w, err)
		}
		whole[w] = n >= rankedAtMost
	}
	return whole, nil
}

// qualified prefixes each of a comma-separated list of columns.
func qualified(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// extraScanner scans a request's columns and then the extra ones after
// them.
type extraScanner struct {
	rows  *sql.Rows
	extra []any
}

func (s extraScanner) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.extra...)...) }
