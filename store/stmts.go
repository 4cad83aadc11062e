package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache holds statements prepared once per pool. modernc.org/sqlite
// parses the SQL of every unprepared call again, and that parsing was a
// fifth of the CPU an /ask cost; the hot paths go through here instead.
//
// Statements for the writer are never prepared inside a transaction: the
// writer pool has one connection, which the transaction holds, so
// preparing on the pool would wait for it forever. A query first seen in a
// transaction runs unprepared and is prepared by the next begin, before
// that takes the connection.
type stmtCache struct {
	mu     sync.Mutex
	m      map[stmtKey]*sql.Stmt
	wanted map[string]bool // writer queries to prepare at the next begin
}

type stmtKey struct {
	pool *sql.DB
	q    string
}

// prepared returns q prepared on pool; database/sql prepares it again on
// each pooled connection the first time it runs there.
func (db *DB) prepared(ctx context.Context, pool *sql.DB, q string) (*sql.Stmt, error) {
	c := &db.stmts
	k := stmtKey{pool, q}
	c.mu.Lock()
	s, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return s, nil
	}
	// Prepared without c.mu held: on the writer this waits for the
	// connection, whose transaction may need c.mu to finish.
	s, err := pool.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[k]; ok { // prepared meanwhile by another caller
		s.Close()
		return old, nil
	}
	if c.m == nil {
		c.m = map[stmtKey]*sql.Stmt{}
	}
	c.m[k] = s
	return s, nil
}

// closeStmts closes every cached statement, before the pools close.
func (db *DB) closeStmts() {
	c := &db.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, s := range c.m {
		s.Close()
		delete(c.m, k)
	}
}

// begin starts a write transaction, first preparing the writer queries
// that earlier transactions ran unprepared.
func (db *DB) begin(ctx context.Context) (*sql.Tx, error) {
	if db.pg { // pgx keeps its own per-connection statement cache
		return db.write.BeginTx(ctx, nil)
	}
	c := &db.stmts
	c.mu.Lock()
	var qs []string
	for q := range c.wanted {
		qs = append(qs, q)
	}
	clear(c.wanted)
	c.mu.Unlock()
	for _, q := range qs {
		// Without c.mu held: a transaction in flight holds the connection
		// this waits for, and may need c.mu to finish.
		if _, err := db.prepared(ctx, db.write, q); err != nil {
			break // the statement's own call will report it
		}
	}
	return db.write.BeginTx(ctx, nil)
}

// inTx returns the writer's cached statement for q bound to tx, or nil
// when q is not prepared yet (it is then wanted for the next begin).
func (db *DB) inTx(ctx context.Context, tx *sql.Tx, q string) *sql.Stmt {
	if db.pg {
		return nil
	}
	c := &db.stmts
	c.mu.Lock()
	s, ok := c.m[stmtKey{db.write, q}]
	if !ok {
		if c.wanted == nil {
			c.wanted = map[string]bool{}
		}
		c.wanted[q] = true
	}
	c.mu.Unlock()
	if !ok {
		return nil
	}
	return tx.StmtContext(ctx, s)
}

// txExec runs q in tx, with the writer's cached statement when it has one.
func (db *DB) txExec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	if s := db.inTx(ctx, tx, q); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, q, args...)
}

// txQueryRow is QueryRowContext in tx, cached like txExec.
func (db *DB) txQueryRow(ctx context.Context, tx *sql.Tx, q string, args ...any) *sql.Row {
	if s := db.inTx(ctx, tx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, q, args...)
}

// writeExec runs q outside a transaction on the writer.
func (db *DB) writeExec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if db.pg {
		return db.write.ExecContext(ctx, q, args...)
	}
	s, err := db.prepared(ctx, db.write, q)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

// readQuery and readQueryRow run q on the reader pool.
func (db *DB) readQuery(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if db.pg {
		return db.read.QueryContext(ctx, q, args...)
	}
	s, err := db.prepared(ctx, db.read, q)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

func (db *DB) readQueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if db.pg {
		return db.read.QueryRowContext(ctx, q, args...)
	}
	s, err := db.prepared(ctx, db.read, q)
	if err != nil {
		return db.read.QueryRowContext(ctx, q, args...)
	}
	return s.QueryRowContext(ctx, args...)
}
