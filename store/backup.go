package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// BackupInfo describes a verified backup.
type BackupInfo struct {
	Path          string
	Bytes         int64
	SchemaVersion int
	// Rows of the main tables in the copy.
	// Surveys counts the answered ones.
	Requests, Events, Ratings, Surveys int64
	Duration                           time.Duration
}

// backupTables are counted in the source before and after the copy, and in
// the copy: no code path deletes their rows, so the copy's counts must lie
// between the two.
var backupTables = []struct{ what, count string }{
	{"requests", "SELECT count(*) FROM requests"},
	{"events", "SELECT count(*) FROM events"},
	{"ratings", "SELECT count(*) FROM ratings"},
	// A survey row is written when it is sent; it counts once answered
	// (an answer is never taken back).
	{"survey answers", "SELECT count(*) FROM surveys WHERE answered_at IS NOT NULL"},
}

// Backup writes a consistent copy of the database to path with VACUUM
// INTO, which reads one snapshot while the desk (in this process or in a
// running askdesk serve) goes on writing; the copy is compacted, in one
// file, mode 0600. It is written under a temporary name in path's
// directory, flushed to disk, checked (PRAGMA integrity_check, schema
// version, row counts) and only then renamed to path, so path never holds
// a partial backup. It returns ECONFLICT if path exists and replace is
// false, EINVALID if path is the database itself, and an error naming the
// check that failed if the copy is bad (the copy is then removed).
func (db *DB) Backup(ctx context.Context, path string, replace bool) (BackupInfo, error) {
	start := time.Now()
	info := BackupInfo{Path: path}
	if db.pg {
		return info, fmt.Errorf("backup: askdesk backup copies an SQLite file; back up PostgreSQL with its own tools: pg_dump --format=custom --file=askdesk.dump %s", db.path)
	}
	if err := db.checkBackupPath(path, replace); err != nil {
		return info, err
	}
	before, err := tableCounts(ctx, db.read)
	if err != nil {
		return info, fmt.Errorf("backup: %w", err)
	}
	version, err := db.SchemaVersion(ctx)
	if err != nil {
		return info, fmt.Errorf("backup: %w", err)
	}

	// VACUUM INTO wants a missing or empty file; an empty one reserves a
	// unique name with owner-only permissions.
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return info, fmt.Errorf("backup: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpName) // a no-op once renamed
	if err := db.vacuumInto(ctx, tmpName); err != nil {
		return info, err
	}
	if err := syncFile(tmpName); err != nil {
		return info, fmt.Errorf("backup: %w", err)
	}
	after, err := tableCounts(ctx, db.read)
	if err != nil {
		return info, fmt.Errorf("backup: %w", err)
	}
	copied, err := verifyBackup(ctx, tmpName, version)
	if err != nil {
		return info, fmt.Errorf("backup: verify %s: %w", tmpName, err)
	}
	for i, t := range backupTables {
		if copied[i] < before[i] || copied[i] > after[i] {
			return info, fmt.Errorf("backup: verify %s: %d %s, want between %d and %d", tmpName, copied[i], t.what, before[i], after[i])
		}
	}
	if err := place(tmpName, path, replace); err != nil {
		return info, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return info, fmt.Errorf("backup: %w", err)
	}
	info.Bytes, info.SchemaVersion = st.Size(), version
	info.Requests, info.Events, info.Ratings, info.Surveys = copied[0], copied[1], copied[2], copied[3]
	info.Duration = time.Since(start)
	return info, nil
}

// checkBackupPath refuses to overwrite the database (or its WAL) under any
// circumstances, and anything else unless replace.
func (db *DB) checkBackupPath(path string, replace bool) error {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	for _, f := range []string{db.path, db.path + "-wal", db.path + "-shm"} {
		if live, err := os.Stat(f); err == nil && os.SameFile(st, live) {
			return bot.Errorf(bot.EINVALID, "%s is the live database; give another file for the backup", path)
		}
	}
	if st.IsDir() {
		return bot.Errorf(bot.EINVALID, "%s is a directory; give the backup's file name", path)
	}
	if !replace {
		return bot.Errorf(bot.ECONFLICT, "%s already exists; give another name, or replace it with --force", path)
	}
	return nil
}

// vacuumInto copies the database to dst on a connection of its own: the
// readers are query_only, which forbids VACUUM, and the writer must stay
// free for the desk while the copy runs.
func (db *DB) vacuumInto(ctx context.Context, dst string) error {
	conn, err := sql.Open("sqlite", dsn(db.path, true))
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		return fmt.Errorf("backup: vacuum into %s: %w", dst, err)
	}
	return nil
}

// tableCounts counts the rows of backupTables through q.
func tableCounts(ctx context.Context, q *sql.DB) ([]int64, error) {
	out := make([]int64, len(backupTables))
	for i, t := range backupTables {
		if err := q.QueryRowContext(ctx, t.count).Scan(&out[i]); err != nil {
			return nil, fmt.Errorf("count %s: %w", t.what, err)
		}
	}
	return out, nil
}

// verifyBackup opens the copy read-only and immutable (nobody else has it:
// no locks, no -wal or -shm beside it), checks its integrity and schema
// version, and counts its rows.
func verifyBackup(ctx context.Context, path string, version int) ([]int64, error) {
	escaped := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	conn, err := sql.Open("sqlite", "file:"+escaped+"?mode=ro&immutable=1")
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	rows, err := conn.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return nil, fmt.Errorf("integrity check: %w", err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return nil, fmt.Errorf("integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("integrity check: %v", problems)
	}
	var v int
	if err := conn.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return nil, fmt.Errorf("schema version: %w", err)
	}
	if v != version {
		return nil, fmt.Errorf("schema version %d, want %d", v, version)
	}
	return tableCounts(ctx, conn)
}

// place moves the finished copy to path: with replace, by rename (atomic);
// without, by a hard link, which fails rather than overwrite a file
// created meanwhile (a rename on file systems without links).
func place(tmp, path string, replace bool) error {
	if !replace {
		err := os.Link(tmp, path)
		if errors.Is(err, fs.ErrExist) {
			return bot.Errorf(bot.ECONFLICT, "%s already exists; give another name, or replace it with --force", path)
		}
		if err == nil {
			syncDir(filepath.Dir(path))
			return nil
		}
		if _, serr := os.Stat(path); serr == nil {
			return bot.Errorf(bot.ECONFLICT, "%s already exists; give another name, or replace it with --force", path)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename in dir durable. It is best effort: some
// platforms cannot sync a directory, and the backup itself is already on
// disk by then.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
