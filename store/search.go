package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/askdesk/askdesk/bot"
)

// Full-text search (bot.Searcher). Each request's searchable text is a row
// of search_docs: its title; its text and its fields' values; and the text
// of its later events (replies, questions, resolution notes, reasons), one
// a line. SQLite indexes it with FTS5 (search_fts, kept in step with
// search_docs by triggers), PostgreSQL with a generated tsvector under a
// GIN index (migrations 0017). insertEvent writes the row, in the
// transaction of the change; redaction deletes it.

var _ bot.Searcher = (*DB)(nil)

// indexEvent brings a request's search_docs row up to date with ev, in the
// transaction that stores ev: a creation writes the row, a later event
// with text adds its text to the notes. A request redacted and written to
// since (a comment on a closed request) gets a row again, with the new
// text only.
func (db *DB) indexEvent(ctx context.Context, tx *sql.Tx, ev bot.Event) error {
	if ev.Kind == bot.EvCreated {
		_, err := db.txExec(ctx, tx, `INSERT INTO search_docs (request_id, title, body, notes) VALUES (?, ?, ?, '')`,
			ev.RequestID, ev.Title, searchBody(ev.Text, ev.Fields))
		return err
	}
	text := strings.TrimSpace(ev.Text)
	if text == "" || text == Redacted {
		return nil
	}
	_, err := db.txExec(ctx, tx, `INSERT INTO search_docs (request_id, title, body, notes) VALUES (?, '', '', ?)
		ON CONFLICT (request_id) DO UPDATE SET notes = CASE search_docs.notes WHEN '' THEN excluded.notes
			ELSE search_docs.notes || ? || excluded.notes END`, ev.RequestID, text, "\n")
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
// requests and events (as migration 0017 builds it): after a copy, which
// writes the tables directly.
func (db *DB) rebuildSearch(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_docs`); err != nil {
		return fmt.Errorf("rebuild search index: %w", err)
	}
	if _, err := tx.ExecContext(ctx, db.sqlFor(sqliteSearchFill, pgSearchFill)); err != nil {
		return fmt.Errorf("rebuild search index: %w", err)
	}
	return nil
}

// The index of every request not redacted, as migrations 0017 fill it.
const (
	sqliteSearchFill = `INSERT INTO search_docs (request_id, title, body, notes)
SELECT r.id, r.title,
    trim(r.body || char(10) || coalesce((SELECT group_concat(json_extract(f.value, '$.value'), char(10))
        FROM json_each(r.fields) f), ''), ' ' || char(10)),
    coalesce((SELECT group_concat(t, char(10)) FROM (SELECT json_extract(e.data, '$.text') AS t FROM events e
        WHERE e.request_id = r.id AND e.seq > 1
        AND coalesce(json_extract(e.data, '$.text'), '') NOT IN ('', '[redacted]') ORDER BY e.seq)), '')
FROM requests r WHERE r.redacted_at IS NULL`
	pgSearchFill = `INSERT INTO search_docs (request_id, title, body, notes)
SELECT r.id, r.title,
    btrim(r.body || E'\n' || coalesce((SELECT string_agg(f->>'value', E'\n')
        FROM jsonb_array_elements(r.fields::jsonb) f), ''), E' \n'),
    coalesce((SELECT string_agg(e.data::jsonb->>'text', E'\n' ORDER BY e.seq) FROM events e
        WHERE e.request_id = r.id AND e.seq > 1
        AND coalesce(e.data::jsonb->>'text', '') NOT IN ('', '[redacted]')), '')
FROM requests r WHERE r.redacted_at IS NULL`
)

// searchTables are the index's tables, which copy and checksums leave
// out: the index is rebuilt from the data, never copied.
func isSearchTable(name string) bool {
	return name == "search_docs" || name == "search_fts" || strings.HasPrefix(name, "search_fts_")
}

// SearchRequests implements bot.Searcher.
func (db *DB) SearchRequests(ctx context.Context, q bot.SearchQuery, scope bot.SearchScope, offset, limit int) ([]bot.SearchHit, error) {
	var where []string
	var args []any
	var from, order string
	if len(q.Words) > 0 {
		match := db.matchQuery(q.Words)
		if db.pg {
			from = `search_docs d JOIN requests r ON r.id = d.request_id`
			where, args = append(where, `d.doc @@ to_tsquery('simple', ?)`), append(args, match)
			order = `ts_rank(d.doc, to_tsquery('simple', ?)) DESC, r.created_at DESC, r.id`
		} else {
			from = `search_fts JOIN search_docs d ON d.doc = search_fts.rowid JOIN requests r ON r.id = d.request_id`
			where, args = append(where, `search_fts MATCH ?`), append(args, match)
			// bm25 is lower for a better match; the title weighs most.
			order = `bm25(search_fts, 10.0, 4.0, 1.0), r.created_at DESC, r.id`
		}
	} else {
		from = `requests r LEFT JOIN search_docs d ON d.request_id = r.id`
		order = `r.created_at DESC, r.id`
	}
	// Who may see what (bot/authz.go): their own, their departments', and
	// for an admin all but others' private requests.
	see := []string{`r.requester = ?`, db.inJSONList(`r.dept`)}
	args = append(args, scope.User, jsonList(scope.Depts))
	if scope.Admin {
		see = append(see, `r.private = 0`)
	}
	where = append(where, "("+strings.Join(see, " OR ")+")")
	if q.Dept != "" {
		where, args = append(where, `r.dept = ?`), append(args, q.Dept)
	}
	if len(q.States) > 0 {
		states := make([]string, len(q.States))
		for i, s := range q.States {
			states[i] = string(s)
		}
		where, args = append(where, db.inJSONList(`r.state`)), append(args, jsonList(states))
	}
	if q.Requester != "" {
		where, args = append(where, `r.requester = ?`), append(args, q.Requester)
	}
	if !q.After.IsZero() {
		where, args = append(where, `r.created_at >= ?`), append(args, q.After.UnixMilli())
	}
	if !q.Before.IsZero() {
		where, args = append(where, `r.created_at < ?`), append(args, q.Before.UnixMilli())
	}
	if db.pg && len(q.Words) > 0 {
		args = append(args, db.matchQuery(q.Words)) // the rank's query
	}
	args = append(args, limit, offset)
	query := `SELECT ` + qualified("r.", requestColumns) + `, coalesce(d.notes, '') FROM ` + from +
		` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?`
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	var out []bot.SearchHit
	for rows.Next() {
		var notes string
		r, err := scanRequest(notesScanner{rows, &notes})
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

// matchQuery is words as the engine's query: every word, as a word or the
// start of one. The words are letters and digits (bot.SearchWords), and
// are quoted all the same.
func (db *DB) matchQuery(words []string) string {
	terms := make([]string, len(words))
	for i, w := range words {
		if db.pg {
			terms[i] = "'" + strings.ReplaceAll(w, "'", "''") + "':*"
		} else {
			terms[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"*`
		}
	}
	if db.pg {
		return strings.Join(terms, " & ")
	}
	return strings.Join(terms, " ")
}

// qualified prefixes each of a comma-separated list of columns.
func qualified(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// notesScanner scans a request's columns and then the notes after them.
type notesScanner struct {
	rows  *sql.Rows
	notes *string
}

func (s notesScanner) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.notes)...) }
