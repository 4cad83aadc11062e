package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/store"
)

func TestBackupCommand(t *testing.T) {
	db := reportDB(t)
	out := filepath.Join(t.TempDir(), "askdesk-backup.db")

	t.Run("OK", func(t *testing.T) {
		code, stdout, errOut := run(t, "", "backup", "--db", db, out)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		// askdesk-backup.db: 120.0 KiB, 3 requests, 5 events, 1 ratings, 0 survey answers, schema 10; verified in 12ms
		re := regexp.MustCompile(`^` + regexp.QuoteMeta(out) + `: [0-9.]+ KiB, 3 requests, 5 events, 1 ratings, 0 survey answers, schema \d+; verified in \d+(\.\d+)?m?s\n$`)
		if !re.MatchString(stdout) {
			t.Errorf("summary %q does not match %s", stdout, re)
		}
	})

	t.Run("RefusesToOverwrite", func(t *testing.T) {
		before, _ := os.Stat(out)
		code, _, errOut := run(t, "", "backup", "--db", db, out)
		if code != 1 || !strings.Contains(errOut, "already exists; give another name, or replace it with --force") {
			t.Errorf("exit %d: %s", code, errOut)
		}
		if after, _ := os.Stat(out); !after.ModTime().Equal(before.ModTime()) {
			t.Error("the backup was rewritten")
		}
		if code, _, errOut := run(t, "", "backup", "--db", db, "--force", out); code != 0 {
			t.Errorf("--force: exit %d: %s", code, errOut)
		}
	})

	t.Run("RefusesTheDatabase", func(t *testing.T) {
		code, _, errOut := run(t, "", "backup", "--db", db, "--force", db)
		if code != 1 || !strings.Contains(errOut, "is the live database") {
			t.Errorf("exit %d: %s", code, errOut)
		}
	})

	t.Run("NoDatabase", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "nope.db")
		code, _, errOut := run(t, "", "backup", "--db", missing, filepath.Join(t.TempDir(), "b.db"))
		if code != 1 || !strings.Contains(errOut, "no database at") {
			t.Errorf("exit %d: %s", code, errOut)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Error("backup created the database it was to copy")
		}
	})

	t.Run("Restore", func(t *testing.T) {
		// The documented procedure (docs/operations.md): serve stopped, -wal and -shm gone, the
		// backup copied over the database.
		live := filepath.Join(t.TempDir(), "askdesk.db")
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(live, b, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := store.Open(context.Background(), live)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		r, err := s.Request(context.Background(), "IT-1")
		if err != nil || r.Text != `my laptop, "the old one", is broken` {
			t.Errorf("IT-1 restored as %+v, %v", r, err)
		}
		// The desk works on it: the console files the next request.
		s.Close()
		code, stdout, errOut := run(t, ":as sam\n/ask finance one more\n", "console", "--db", live, "--now", reportNow)
		if code != 0 || !strings.Contains(stdout, "FIN-3") {
			t.Errorf("console on the restored file: exit %d: %s %s", code, stdout, errOut)
		}
	})
}
