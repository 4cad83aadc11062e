package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/askdesk/askdesk/bot/cjk"
)

// Chinese words in search (migrations 0033). Chinese writes no spaces
// between its words, and both engines take a run of Han characters for one
// word, so each search_docs row also keeps grams: the Han of its title,
// text and notes as cjk.Bigrams writes it, the overlapping pairs of each
// run and the run's last character, separated by spaces. SQLite indexes it
// as search_fts's grams column, PostgreSQL as a tsvector under a GIN index
// on the expression gramsVector. A run of Han searched for is the phrase
// of its pairs there (so 预算 is found inside 需要第三季度预算, and 季度第三 is
// not found in it), a single character the start of a term. Latin words
// are looked for in the text columns as before: a store with no Han has
// grams '' throughout, and its searches find and rank what they did.
// grams NULL means not worked out yet (migration 0033 marks the rows that
// may hold Han so); fillSearchGrams works those out.

// gramsVector is PostgreSQL's tsvector of grams, as its index names it.
const gramsVector = `to_tsvector('simple', d.grams)`

// gramsBatch is how many rows fillSearchGrams works out per transaction.
const gramsBatch = 1000

// searchGrams is the grams of a search document's text.
func searchGrams(parts ...string) string { return cjk.Bigrams(strings.Join(parts, "\n")) }

// appendedGrams is what a note appended to a row adds to its grams (""
// when it holds no Han).
func appendedGrams(text string) string {
	if g := cjk.Bigrams(text); g != "" {
		return " " + g
	}
	return ""
}

// fillSearchGrams works out the grams of every row that lacks them, a
// batch per transaction, so that a fill cut short (a crash, a restart) goes
// on where it stopped at the next open. It is run after migrating.
func (db *DB) fillSearchGrams(ctx context.Context) error {
	// Nearly always none: no write transaction then (a file opened
	// read-only is told apart after migrating, by checkWritable).
	var todo int
	err := db.write.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM search_docs WHERE grams IS NULL LIMIT 1) t`).Scan(&todo)
	if err != nil {
		return fmt.Errorf("search grams: %w", err)
	}
	if todo == 0 {
		return nil
	}
	for {
		n, err := db.fillSearchGramsBatch(ctx, gramsBatch)
		if err != nil {
			return err
		}
		if n < gramsBatch {
			return nil
		}
	}
}

// fillSearchGramsBatch works out the grams of at most limit rows lacking
// them, in a transaction of its own, and returns how many.
func (db *DB) fillSearchGramsBatch(ctx context.Context, limit int) (int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("search grams: %w", err)
	}
	defer tx.Rollback()
	n, err := db.fillSearchGramsIn(ctx, tx, limit)
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// fillSearchGramsIn works out, in tx, the grams of at most limit rows
// lacking them and returns how many. The rows are read and written in the
// one transaction (on PostgreSQL locked, those another replica is filling
// skipped), so a note appended meanwhile is not lost.
func (db *DB) fillSearchGramsIn(ctx context.Context, tx *sql.Tx, limit int) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT request_id, title, body, notes FROM search_docs WHERE grams IS NULL LIMIT ?`+
		db.sqlFor(``, ` FOR UPDATE SKIP LOCKED`), limit)
	if err != nil {
		return 0, fmt.Errorf("search grams: %w", err)
	}
	type doc struct{ id, grams string }
	var docs []doc
	for rows.Next() {
		var id, title, body, notes string
		if err := rows.Scan(&id, &title, &body, &notes); err != nil {
			rows.Close()
			return 0, fmt.Errorf("search grams: %w", err)
		}
		docs = append(docs, doc{id, searchGrams(title, body, notes)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("search grams: %w", err)
	}
	for _, d := range docs {
		if _, err := tx.ExecContext(ctx, `UPDATE search_docs SET grams = ? WHERE request_id = ?`, d.grams, d.id); err != nil {
			return 0, fmt.Errorf("search grams of %s: %w", d.id, err)
		}
	}
	return len(docs), nil
}

// splitHan parts a search's words into the Latin ones (any not Han) and
// the runs of Han (bot.SearchWords cuts them apart).
func splitHan(words []string) (latin, han []string) {
	for _, w := range words {
		if cjk.IsHanWord(w) {
			han = append(han, w)
		} else {
			latin = append(latin, w)
		}
	}
	return latin, han
}

// gramsQuery is the runs of Han as the engine's query over grams: each
// run the phrase of its pairs, a single character the start of a term;
// all of them, or any if any.
func (db *DB) gramsQuery(han []string, any bool) string {
	terms := make([]string, len(han))
	for i, w := range han {
		gs := cjk.QueryGrams(w)
		if db.pg {
			for j, g := range gs {
				gs[j] = "'" + strings.ReplaceAll(g, "'", "''") + "'"
			}
			terms[i] = strings.Join(gs, " <-> ")
			if len(gs) == 1 && len([]rune(w)) == 1 {
				terms[i] += ":*"
			} else if len(gs) > 1 {
				terms[i] = "(" + terms[i] + ")"
			}
		} else {
			terms[i] = `"` + strings.ReplaceAll(strings.Join(gs, " "), `"`, `""`) + `"`
			if len([]rune(w)) == 1 {
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

// hanGlob and hanClass find text that may hold Han (a superset: the CJK
// blocks from the radicals on, with kana and hangul among them), in
// SQLite's GLOB and PostgreSQL's regular expressions; as migrations 0033.
const (
	hanGlob  = `*[⺀-鿿豈-﫿𠀀-𲎯]*`
	hanClass = `[⺀-鿿豈-﫿𠀀-𲎯]`
)

// sqliteMatch is a search's words as an FTS5 query: the Latin words in the
// text columns, the runs of Han in grams; a search with no Han is the
// query it always was.
func (db *DB) sqliteMatch(words []string, whole map[string]bool, any bool) string {
	latin, han := splitHan(words)
	l := "{title body notes} : (" + db.matchQuery(latin, whole, any) + ")"
	if len(han) == 0 {
		return l
	}
	h := "grams : (" + db.gramsQuery(han, any) + ")"
	if len(latin) == 0 {
		return h
	}
	op := " AND "
	if any {
		op = " OR "
	}
	return "(" + l + op + h + ")"
}

// pgWordsMatch is a search's words as PostgreSQL conditions: cond finds a
// match in search_docs d (args bound to it), cols are the columns that
// the rank (args bound to it too) reads from the matches.
type pgWordsMatch struct {
	cond, cols, rank string
	args             []any
}

// pgMatch is a search's words as PostgreSQL conditions: the Latin words in
// doc, the runs of Han in gramsVector; a search with no Han is the query
// it always was.
func (db *DB) pgMatch(words []string, whole map[string]bool, any bool) pgWordsMatch {
	latin, han := splitHan(words)
	var m pgWordsMatch
	var conds, cols, ranks []string
	if len(latin) > 0 {
		conds = append(conds, `d.doc @@ to_tsquery('simple', ?)`)
		cols = append(cols, `d.doc`)
		ranks = append(ranks, `ts_rank(doc, to_tsquery('simple', ?))`)
		m.args = append(m.args, db.matchQuery(latin, whole, any))
	}
	if len(han) > 0 {
		conds = append(conds, gramsVector+` @@ to_tsquery('simple', ?)`)
		cols = append(cols, `d.grams`)
		ranks = append(ranks, `ts_rank(to_tsvector('simple', grams), to_tsquery('simple', ?))`)
		m.args = append(m.args, db.gramsQuery(han, any))
	}
	op := " AND "
	if any {
		op = " OR "
	}
	m.cond = strings.Join(conds, op)
	if len(conds) > 1 {
		m.cond = "(" + m.cond + ")"
	}
	m.cols = strings.Join(cols, ", ")
	m.rank = strings.Join(ranks, " + ")
	return m
}
