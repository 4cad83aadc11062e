// Package store keeps askdesk's data in SQLite (one process, one file) or
// PostgreSQL (several replicas sharing one database): schema, migrations
// and every query. It implements bot.Store.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql pgmigrations/*.sql
var migrationFS embed.FS

// DB is an open askdesk database. It holds two pools over one file: a single
// writer connection (SQLite allows one writer; queueing in Go is cheaper and
// fairer than SQLITE_BUSY retries) and a pool of readers, which WAL lets run
// alongside the writer.
//
// On PostgreSQL (see postgres.go) both are one shared pool.
type DB struct {
	path  string // the SQLite file, or the PostgreSQL URL without its password
	pg    bool   // PostgreSQL rather than SQLite
	write *sql.DB
	read  *sql.DB
	Now   func() time.Time // for migration records; defaults to time.Now
	stmts stmtCache
	batch batcher // group commit of filings and changes (batch.go)
	// health is what the writes say of the database's writability
	// (health.go).
	health writeHealth
	// stopCheckpoints ends the background checkpoints (checkpoint.go).
	stopCheckpoints func()
}

var _ bot.Store = (*DB)(nil)

// busyTimeout is how long a connection waits for a lock another process
// holds (see dsn).
const busyTimeout = 2 * time.Second

// dsn builds a modernc.org/sqlite DSN with per-connection pragmas, so every
// pooled connection gets them (a one-off Exec would reach only one).
func dsn(path string, write bool) string {
	q := url.Values{}
	// Inside one askdesk the single writer never waits for a lock; this
	// bounds the wait behind another process (a shell, a CLI command).
	// Slack drops an /ask not answered within 3 s, so the user should get
	// askdesk's "busy, try again" before that rather than a timeout.
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(wal)")
	// NORMAL in WAL mode loses nothing on a process crash (kill -9): a
	// committed transaction is in the WAL file before COMMIT returns. Only
	// an OS crash or power cut could roll back the last transactions.
	q.Add("_pragma", "synchronous(normal)")
	// The writer leaves checkpoints to a background connection (see
	// checkpoint.go), so no /ask pays for one.
	q.Add("_pragma", "wal_autocheckpoint(0)")
	// A WAL that grew during a burst is cut back to this size once it
	// restarts, instead of keeping its largest size on disk.
	q.Add("_pragma", "journal_size_limit(67108864)")
	// Reads are memory-mapped: sweeps and digests read thousands of rows
	// spread over a large file, and mapped pages cost no copy into SQLite's
	// page cache, which the kernel can drop again under pressure. The page
	// caches themselves stay small, as they are private memory, per
	// connection, and filled up under load: 4 MB for the writer, whose
	// cache lasts from one commit to the next; 512 KB for each of up to 8
	// readers, whose caches a reader empties anyway whenever the writer
	// has committed since its last read (SQLite's rule in WAL mode), so
	// under writes they hold little more than one query's pages. At 8 MB
	// and 2 MB they were two thirds of serve's private memory under load
	// on a million requests (docs/performance.md).
	q.Add("_pragma", "mmap_size(268435456)")
	if write {
		// Each job in a group commit runs in its own SAVEPOINT; its
		// statement journal spills to a temporary file past 64 KiB unless
		// temporary storage is memory, and those file writes were ~9% of a
		// loaded server's CPU.
		q.Add("_pragma", "temp_store(memory)")
		q.Add("_pragma", "cache_size(-4000)")
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "cache_size(-500)")
		q.Add("_pragma", "query_only(1)")
	}
	// SQLite decodes %XX in URI file names, so a path holding ? # or % must
	// be escaped or it would name another file.
	escaped := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	return "file:" + escaped + "?" + q.Encode()
}

// Open opens (creating if needed) the database at path and applies any
// pending migrations. A postgres:// URL opens that PostgreSQL database;
// anything else is an SQLite file.
func Open(ctx context.Context, path string) (*DB, error) {
	db, err := OpenNoMigrate(ctx, path)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.checkWritable(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// OpenNoMigrate opens the database without touching its schema.
func OpenNoMigrate(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, fmt.Errorf("open store: empty database path")
	}
	if IsPostgresURL(path) {
		return openPostgres(ctx, path)
	}
	if scheme, _, ok := strings.Cut(path, "://"); ok && !strings.ContainsAny(scheme, "/\\") {
		// Not echoed: a URL may hold a password.
		return nil, fmt.Errorf("open store: a %s:// URL is not a database askdesk can use: give an SQLite file path or a postgres:// URL", scheme)
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	var mode string
	if err := w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		w.Close()
		return nil, openError(path, err)
	}
	if mode != "wal" {
		w.Close()
		return nil, fmt.Errorf("open store %s: journal mode is %q, want wal (is it on a network file system?)", path, mode)
	}
	r, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	// Keep them all: database/sql keeps two idle by default, and reopening
	// a reader costs a file open, a fresh page cache and its prepared
	// statements again.
	r.SetMaxIdleConns(8)
	db := &DB{path: path, write: w, read: r, Now: time.Now}
	if err := db.startCheckpoints(); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return db, nil
}

// createPrivate creates the SQLite file at path, empty and readable by its
// owner alone (0600), if it does not exist yet. SQLite would create it with
// the process's umask (0644 by default: any local user could read every
// request), and it gives the -wal and -shm files it makes the database
// file's mode, so they are private too. An existing file keeps its mode.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return openError(path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("open store %s: %w", path, err)
	}
	return nil
}

// Close closes both pools.
func (db *DB) Close() error {
	db.stopBatches()
	db.stopCheckpoints()
	db.closeStmts()
	if db.pg { // one pool
		return db.write.Close()
	}
	rerr := db.read.Close()
	if err := db.write.Close(); err != nil {
		return err
	}
	return rerr
}

// Postgres reports whether the store is PostgreSQL (shared by replicas)
// rather than an SQLite file.
func (db *DB) Postgres() bool { return db.pg }

// Path returns the database file's path, or the PostgreSQL URL without its
// password.
func (db *DB) Path() string { return db.path }

// Migrate applies the embedded migrations that the database lacks, each in
// its own transaction, and returns the versions it applied; then it works
// out the search grams that rows lack (store/search_grams.go), which a
// store migrated from before 0033 and holding Han needs.
func (db *DB) Migrate(ctx context.Context) ([]int, error) {
	applied, err := db.migrateSchema(ctx)
	if err != nil {
		return applied, err
	}
	return applied, db.fillSearchGrams(ctx)
}

func (db *DB) migrateSchema(ctx context.Context) ([]int, error) {
	dir := db.sqlFor("migrations", "pgmigrations")
	create := db.sqlFor(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`,
		`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`)
	if db.pg {
		// Replicas starting together would race to create the table.
		if err := db.pgTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock("+migrationLock+")"); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, create)
			return err
		}); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
	} else if _, err := db.write.ExecContext(ctx, create); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	files, err := fs.Glob(migrationFS, dir+"/*.sql")
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	sort.Strings(files)
	var applied []int
	for _, f := range files {
		name := strings.TrimPrefix(f, dir+"/")
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return applied, fmt.Errorf("migrate: bad migration name %s", name)
		}
		ok, err := db.applyMigration(ctx, v, name)
		if err != nil {
			return applied, err
		}
		if ok {
			applied = append(applied, v)
		}
	}
	return applied, nil
}

func (db *DB) applyMigration(ctx context.Context, version int, name string) (bool, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return false, fmt.Errorf("migrate %s: %w", name, err)
	}
	defer tx.Rollback()
	if db.pg {
		// One replica migrates; the others wait here, then find it done.
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock("+migrationLock+")"); err != nil {
			return false, fmt.Errorf("migrate %s: %w", name, err)
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", version).Scan(&n); err != nil {
		return false, fmt.Errorf("migrate %s: %w", name, err)
	}
	if n > 0 {
		return false, nil
	}
	body, err := migrationFS.ReadFile(db.sqlFor("migrations/", "pgmigrations/") + name)
	if err != nil {
		return false, fmt.Errorf("migrate %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return false, fmt.Errorf("migrate %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		version, name, db.Now().UnixMilli()); err != nil {
		return false, fmt.Errorf("migrate %s: %w", name, err)
	}
	return true, tx.Commit()
}

// SchemaVersion returns the highest applied migration, 0 for a new file.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var exists int
	if err := db.read.QueryRowContext(ctx, db.sqlFor(`SELECT count(*) FROM sqlite_master
		WHERE type = 'table' AND name = 'schema_migrations'`, `SELECT count(*) FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_name = 'schema_migrations'`)).Scan(&exists); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	if exists == 0 {
		return 0, nil
	}
	var v sql.NullInt64
	if err := db.read.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return int(v.Int64), nil
}

// ms and fromMS convert times to the stored form: Unix milliseconds, with
// NULL for the zero time.
func ms(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// countable lists the tables CountRows may count.
var countable = map[string]bool{"requests": true, "events": true, "outbox": true, "slack_posts": true, "slack_seen": true, "catalog_revisions": true,
	"pending_filings": true, "self_served": true}

// CountRows returns the number of rows in one of askdesk's tables, for
// checks and tests.
func CountRows(ctx context.Context, db *DB, table string) (int, error) {
	if !countable[table] {
		return 0, fmt.Errorf("count rows: unknown table %q", table)
	}
	var n int
	// The name is from the fixed list above, never from input.
	err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	return n, nil
}
