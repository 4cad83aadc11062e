package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// PostgreSQL is the shared store of several askdesk replicas. The store's
// SQL is written once, in SQLite's dialect with ? placeholders; the few
// statements the two engines spell differently choose by db.pg, and the
// connection below renumbers ? and ?N into PostgreSQL's $N. Everything
// else (the schema) lives in pgmigrations/.

// IsPostgresURL reports whether a database name is a PostgreSQL URL
// (postgres:// or postgresql://) rather than an SQLite file.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// RedactURL hides a URL's password, in its user part or in a password
// parameter, for logs and messages.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(an unparsable database URL)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// openPostgres opens a pool on the database at dsn (a postgres:// URL).
// Readers and writers share it: PostgreSQL takes concurrent writers, and
// row locks (not one writer connection) order conflicting changes.
func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	name := RedactURL(dsn)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", name, cleanURLError(err, dsn))
	}
	if cfg.ConnectTimeout == 0 {
		// Slack drops an /ask not answered within 3 s: a database that
		// cannot be reached should get the user askdesk's "try again
		// later" before that. A URL's connect_timeout overrides it.
		cfg.ConnectTimeout = 2 * time.Second
	}
	pool := sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)})
	pool.SetMaxOpenConns(16)
	pool.SetMaxIdleConns(16)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store %s: %w", name, cleanURLError(err, dsn))
	}
	return &DB{path: name, pg: true, write: pool, read: pool, Now: time.Now,
		stopCheckpoints: func() {}}, nil
}

// cleanURLError removes the URL, which may hold a password, from pgx's
// error text.
func cleanURLError(err error, dsn string) error {
	msg := err.Error()
	if !strings.Contains(msg, dsn) {
		return err
	}
	return errors.New(strings.ReplaceAll(msg, dsn, RedactURL(dsn)))
}

// pgConnector makes connections that take the store's ? placeholders.
type pgConnector struct{ driver.Connector }

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{conn.(*stdlib.Conn)}, nil
}

// pgConn is a pgx connection whose SQL is renumbered on the way in; the
// rest (transactions, pings, session resets) is pgx's own.
type pgConn struct{ *stdlib.Conn }

func (c *pgConn) Prepare(q string) (driver.Stmt, error) { return c.Conn.Prepare(rebind(q)) }

func (c *pgConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, rebind(q))
}

func (c *pgConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, rebind(q), args)
}

func (c *pgConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, rebind(q), args)
}

var rebound sync.Map // SQL as written → SQL for PostgreSQL

// rebind turns ? into $1, $2, … in order, and ?N into $N, outside quoted
// text and comments.
func rebind(q string) string {
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(q[i+1:], c)
			if j < 0 {
				b.WriteString(q[i:])
				i = len(q)
				continue
			}
			b.WriteString(q[i : i+j+2])
			i += j + 1
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j - 1
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			if j > i+1 {
				b.WriteString("$" + q[i+1:j])
				i = j - 1
			} else {
				n++
				fmt.Fprintf(&b, "$%d", n)
			}
		default:
			b.WriteByte(c)
		}
	}
	out := b.String()
	rebound.Store(q, out)
	return out
}

// migrationLock is the advisory lock key (any constant of askdesk's own)
// that serialises migrations between replicas.
const migrationLock = "7021801674107089771"

// PostgreSQL's error codes for the faults explain turns into messages.
const (
	pgDiskFull          = "53100"
	pgReadOnly          = "25006"
	pgLockNotAvailable  = "55P03"
	pgDeadlock          = "40P01"
	pgSerialization     = "40001"
	pgAdminShutdown     = "57P01"
	pgCannotConnect     = "08006"
	pgTooManyConnection = "53300"
)

// pgCode returns the PostgreSQL error code in err's chain, or "".
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// retryable reports a transaction PostgreSQL rolled back to break a
// deadlock or a serialization conflict: running it again is the remedy.
func retryable(err error) bool {
	c := pgCode(err)
	return c == pgDeadlock || c == pgSerialization
}

// pgTx runs fn in its own transaction on PostgreSQL, again (up to three
// times) when PostgreSQL rolled it back to break a deadlock, or when the
// pooled connection it got had broken before anything was sent (the
// server restarted since): the next try takes a fresh connection.
func (db *DB) pgTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if err = db.pgTxOnce(ctx, fn); !retryable(err) && !pgconn.SafeToRetry(err) {
			return err
		}
	}
	return err
}

func (db *DB) pgTxOnce(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	// A caller with an answer due (bot.AnswerBy) gets its statements
	// cancelled then: one waiting for a row lock, or a server too slow to
	// answer, ends in time. The transaction itself (and so its COMMIT) is
	// not bound to that deadline: a COMMIT cut off midway leaves it
	// unknown whether the request was stored, so past the deadline the
	// transaction is rolled back before COMMIT is sent, never during it.
	sctx := ctx
	if by, ok := answerBy(ctx); ok {
		var cancel context.CancelFunc
		sctx, cancel = context.WithDeadline(ctx, by)
		defer cancel()
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(sctx, tx); err != nil {
		if sctx.Err() != nil && ctx.Err() == nil {
			return fmt.Errorf("%w (%w)", errNotInTime, err)
		}
		return err
	}
	if sctx.Err() != nil && ctx.Err() == nil {
		return errNotInTime
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// sqlFor returns the statement for this database's engine.
func (db *DB) sqlFor(sqlite, postgres string) string {
	if db.pg {
		return postgres
	}
	return sqlite
}

// plannedForItsWords returns args for a query whose best plan depends on
// the values bound, a search's words above all: on PostgreSQL it is run as
// an unnamed statement, planned for those values each time. A cached
// prepared statement turns to a generic plan after five runs, and the
// generic plan of "doc @@ to_tsquery(?)" cannot tell a word in every
// request from a rare one: it read the whole index for "benchmark" and
// took 0.4 s where the plan for the word takes 6 ms (docs/performance.md).
func (db *DB) plannedForItsWords(args []any) []any {
	if !db.pg {
		return args
	}
	return append([]any{pgx.QueryExecModeCacheDescribe}, args...)
}

// inJSONList is a condition "col IN the JSON array of strings bound at ?".
func (db *DB) inJSONList(col string) string {
	if db.pg {
		return col + " IN (SELECT jsonb_array_elements_text(?::jsonb))"
	}
	return col + " IN (SELECT value FROM json_each(?))"
}

// jsonList encodes ss for inJSONList. No strings are [], never null:
// PostgreSQL refuses to take the elements of a JSON null, where SQLite
// finds none.
func jsonList(ss []string) string {
	if len(ss) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(ss) // strings always encode
	return string(b)
}

// pgUnavailable reports that PostgreSQL could not be reached or is
// shutting down, rather than that it refused the statement.
func pgUnavailable(err error) bool {
	switch c := pgCode(err); {
	case strings.HasPrefix(c, "08"), c == pgAdminShutdown, c == "57P02", c == "57P03", c == pgTooManyConnection:
		return true
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || errors.Is(err, driver.ErrBadConn) || pgconn.SafeToRetry(err) {
		return true
	}
	// A pooled connection that broke under the statement (the server
	// restarted, the network dropped it) ends in the middle of a reply.
	for _, cut := range []error{io.ErrUnexpectedEOF, io.EOF, net.ErrClosed, syscall.ECONNRESET, syscall.EPIPE} {
		if errors.Is(err, cut) {
			return true
		}
	}
	var ne net.Error
	return errors.As(err, &ne)
}
