package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/askdesk/askdesk/store"
)

// ensureSeeded makes sure cache holds a database of n synthetic requests,
// creating it when missing, and returns how long seeding took (0 when the
// cache was there). settle, when not nil, finishes the new database before
// it becomes the cache (see reportParts).
func ensureSeeded(ctx context.Context, cache string, n int, progress func(string, ...any), settle func(path string) error) (time.Duration, error) {
	if _, err := os.Stat(cache); err == nil {
		return 0, nil
	}
	progress("seeding %d requests into %s (once; later runs reuse it)", n, cache)
	start := time.Now()
	tmp := cache + ".tmp"
	removeDB(tmp)
	db, err := store.Open(ctx, tmp)
	if err != nil {
		return 0, err
	}
	if err := db.SeedSynthetic(ctx, n, time.Now()); err != nil {
		db.Close()
		removeDB(tmp)
		return 0, err
	}
	if err := db.Close(); err != nil {
		return 0, err
	}
	if settle != nil {
		if err := settle(tmp); err != nil {
			removeDB(tmp)
			return 0, err
		}
	}
	// Fold the WAL into the file, so the one file is the whole database.
	raw, err := sql.Open("sqlite", "file:"+tmp)
	if err != nil {
		return 0, err
	}
	_, err = raw.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	if cerr := raw.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("checkpoint %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, cache); err != nil {
		return 0, err
	}
	removeDB(tmp)
	return time.Since(start), nil
}

// reportParts has the database at path hold what serve, run with b's
// config, works out at start: its catalogue seeded from the config (serve
// seeds it; a short run of serve does) and every request's report parts
// worked out under it (askdesk report does). A store filled without them
// had serve work the parts out during the load, on its single writer:
// most of its CPU for the first minutes, with the acks waiting; and parts
// worked out before the catalogue held the config's standards were all
// worked out again, since the standards' fingerprint counts their
// revisions (docs/performance.md).
func reportParts(ctx context.Context, b *bench) func(path string) error {
	return func(path string) error {
		p, err := launch("askdesk", b.bin, []string{"serve", "--config", b.cfgPath, "--db", path},
			askdeskEnv("http", b.secret), 5*time.Minute)
		if err != nil {
			return fmt.Errorf("seed the filled store's catalogue: %w", err)
		}
		p.stop(time.Minute)
		cmd := exec.CommandContext(ctx, b.bin, "report", "--config", b.cfgPath, "--db", path)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("askdesk report on the filled store: %w\n%s", err, out)
		}
		return nil
	}
}

// copyDB copies the database file src (checkpointed: no WAL) to dst.
func copyDB(src, dst string) error {
	if fi, err := os.Stat(src + "-wal"); err == nil && fi.Size() > 0 {
		return fmt.Errorf("%s has a non-empty WAL: remove the cache and run again", src)
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", src, err)
	}
	return out.Close()
}

func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}
