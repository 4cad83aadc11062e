package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash"
	"slices"
	"strconv"
	"strings"
)

// TableReport is one table as copied or checked: its row count and the
// checksum of its rows.
type TableReport struct {
	Name string
	Rows int64
	// Checksum is the hex SHA-256 of the table's canonical rendering (see
	// rowHash): the same on SQLite and PostgreSQL for the same rows.
	Checksum string
}

// dataTable is a table of askdesk's data that Copy moves and Checksums
// reads, with its primary key, by which both go through it.
type dataTable struct {
	name string
	key  []keyCol
}

type keyCol struct {
	name string
	text bool
}

// dataTables are askdesk's tables but schema_migrations (the destination's
// own record of its migrations), in an order that keeps foreign keys
// satisfied while they are filled: requests before events and ratings.
// A migration adding a table must add it here; Copy refuses a database
// with a table missing from this list rather than leave it behind.
var dataTables = []dataTable{
	{"counters", []keyCol{{"prefix", true}}},
	{"requests", []keyCol{{"id", true}}},
	{"remind_next", []keyCol{{"request_id", true}}},
	{"events", []keyCol{{"request_id", true}, {"seq", false}}},
	{"outbox", []keyCol{{"id", false}}},
	{"slack_posts", []keyCol{{"request_id", true}, {"kind", true}, {"dest", true}}},
	{"slack_seen", []keyCol{{"id", true}}},
	{"reminders_sent", []keyCol{{"request_id", true}, {"series", true}}},
	{"posted_once", []keyCol{{"key", true}}},
	{"ratings", []keyCol{{"request_id", true}, {"round", false}}},
	{"surveys", []keyCol{{"quarter", true}, {"requester", true}, {"dept", true}}},
	{"catalog_revisions", []keyCol{{"id", false}}},
	{"person_depts", []keyCol{{"user_id", true}}},
	{"usergroups", []keyCol{{"usergroup", true}}},
	{"usergroup_members", []keyCol{{"usergroup", true}, {"user_id", true}}},
	{"away", []keyCol{{"user_id", true}}},
	{"pending_filings", []keyCol{{"id", false}}},
	{"self_served", []keyCol{{"pending_id", false}}},
	{"saved_answers", []keyCol{{"request_id", true}}},
}

// querier is what reading a table needs: a transaction of either engine.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// Checksums returns, for each of askdesk's tables (all but
// schema_migrations), its row count and checksum, read in one snapshot.
// Two databases of either engine holding the same rows give the same
// reports, whatever order the rows were written in.
func Checksums(ctx context.Context, db *DB) ([]TableReport, error) {
	tx, err := db.snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("checksums %s: %w", db.path, err)
	}
	defer tx.Rollback()
	if err := checkTables(ctx, tx, db); err != nil {
		return nil, fmt.Errorf("checksums %s: %w", db.path, err)
	}
	out := make([]TableReport, 0, len(dataTables))
	for _, t := range dataTables {
		cols, err := columns(ctx, tx, t.name)
		if err != nil {
			return nil, fmt.Errorf("checksums %s: %w", db.path, err)
		}
		rep, err := db.eachRow(ctx, tx, t, cols, nil)
		if err != nil {
			return nil, fmt.Errorf("checksums %s: %w", db.path, err)
		}
		out = append(out, rep)
	}
	return out, nil
}

// snapshot starts a read-only transaction that sees one state of the
// database throughout, while writers go on.
func (db *DB) snapshot(ctx context.Context) (*sql.Tx, error) {
	if db.pg {
		return db.read.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	// A reader's transaction in WAL mode keeps the snapshot of its first
	// read until it ends.
	return db.read.BeginTx(ctx, nil)
}

// checkTables returns an error naming any table of the database that is
// neither in dataTables nor schema_migrations, or any missing from it.
func checkTables(ctx context.Context, q querier, db *DB) error {
	rows, err := q.QueryContext(ctx, db.sqlFor(
		`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`,
		`SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`))
	if err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("list tables: %w", err)
		}
		have[name] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	delete(have, "schema_migrations")
	for name := range have {
		if isSearchTable(name) || isReportPartsTable(name) { // derived from the data, rebuilt by Copy
			delete(have, name)
		}
	}
	for _, t := range dataTables {
		if !have[t.name] {
			return fmt.Errorf("table %s is missing", t.name)
		}
		delete(have, t.name)
	}
	for name := range have {
		return fmt.Errorf("table %s is not one askdesk copy knows (store/checksum.go's dataTables)", name)
	}
	return nil
}

// columns returns a table's column names, sorted: the order in which rows
// are read, written and rendered, whatever order the columns were added in.
func columns(ctx context.Context, q querier, table string) ([]string, error) {
	// The name is from dataTables, never from input.
	rows, err := q.QueryContext(ctx, "SELECT * FROM "+table+" WHERE 1 = 0")
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	slices.Sort(cols)
	return cols, nil
}

// eachRow reads table t in primary-key order through q, in one streaming
// query, and returns its row count and checksum; fn, when not nil, gets
// each row's normalised values (see normalise) in the order of cols. The
// slice is reused for the next row.
func (db *DB) eachRow(ctx context.Context, q querier, t dataTable, cols []string, fn func([]any) error) (TableReport, error) {
	rep := TableReport{Name: t.name}
	order := make([]string, len(t.key))
	for i, k := range t.key {
		order[i] = k.name
		if k.text && db.pg {
			// Byte order, as SQLite's BINARY collation; the database's
			// own collation may sort by language rules.
			order[i] += ` COLLATE "C"`
		}
	}
	rows, err := q.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+t.name+
		" ORDER BY "+strings.Join(order, ", "))
	if err != nil {
		return rep, fmt.Errorf("read %s: %w", t.name, err)
	}
	defer rows.Close()
	h := newRowHash(cols)
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return rep, fmt.Errorf("read %s: %w", t.name, err)
		}
		for i, v := range vals {
			n, err := normalise(v)
			if err != nil {
				return rep, fmt.Errorf("read %s.%s: %w", t.name, cols[i], err)
			}
			vals[i] = n
		}
		h.add(vals)
		rep.Rows++
		if fn != nil {
			if err := fn(vals); err != nil {
				return rep, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return rep, fmt.Errorf("read %s: %w", t.name, err)
	}
	rep.Checksum = h.sum()
	return rep, nil
}

// normalise turns a value as a driver returns it into one of the three
// kinds askdesk stores: nil (NULL), int64 (INTEGER, BIGINT) or string
// (TEXT). modernc.org/sqlite and pgx both give int64 and string already;
// a []byte (a driver's text in bytes) becomes a string. Anything else
// (a REAL, a timestamp) is not in askdesk's schema and is an error rather
// than a rendering that might differ between engines.
func normalise(v any) (any, error) {
	switch v := v.(type) {
	case nil, int64, string:
		return v, nil
	case []byte:
		return string(v), nil
	default:
		return nil, fmt.Errorf("unexpected value of type %T", v)
	}
}

// rowHash is a table's checksum: SHA-256 over its column names, then
// each row in primary-key order, each value tagged with its kind and
// strings with their length, so no two different tables render alike.
type rowHash struct {
	h   hash.Hash
	buf []byte
}

func newRowHash(cols []string) *rowHash {
	r := &rowHash{h: sha256.New()}
	for _, c := range cols {
		r.buf = append(r.buf, 'C')
		r.buf = strconv.AppendInt(r.buf, int64(len(c)), 10)
		r.buf = append(r.buf, ':')
		r.buf = append(r.buf, c...)
	}
	r.buf = append(r.buf, '\n')
	r.h.Write(r.buf)
	return r
}

func (r *rowHash) add(vals []any) {
	b := r.buf[:0]
	for _, v := range vals {
		switch v := v.(type) {
		case nil:
			b = append(b, 'N')
		case int64:
			b = append(b, 'I')
			b = strconv.AppendInt(b, v, 10)
			b = append(b, ';')
		case string:
			b = append(b, 'S')
			b = strconv.AppendInt(b, int64(len(v)), 10)
			b = append(b, ':')
			b = append(b, v...)
		}
	}
	b = append(b, '\n')
	r.h.Write(b)
	r.buf = b
}

func (r *rowHash) sum() string { return hex.EncodeToString(r.h.Sum(nil)) }
