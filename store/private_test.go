package store_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/askdesk/askdesk/store"
)

// TestDatabaseFilesArePrivate: a new SQLite database, its -wal and its -shm
// are readable by their owner alone, whatever the umask lets SQLite do,
// since they hold every request's text.
func TestDatabaseFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022) // the usual default, which gives 0644
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "askdesk.db")
	db := mustOpenAt(t, path)
	mustCreate(t, db, "FIN", "finance", "U0SAM0001", "budget", t0, t0.Add(time.Hour))
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if mode := st.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %#o, want 0600", filepath.Base(f), mode)
		}
	}
}

// TestExistingDatabaseKeepsItsMode: askdesk does not change the mode of a
// database file an operator made.
func TestExistingDatabaseKeepsItsMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "askdesk.db")
	if err := os.WriteFile(path, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	mustOpenAt(t, path)
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v, %v; want 0640 kept", st.Mode().Perm(), err)
	}
}

func mustOpenAt(tb testing.TB, path string) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
