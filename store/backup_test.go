package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// fileWhile files requests through the store, as the desk would, until
// stop is closed. It signals on started after the first few, and sends
// its first error (or nil) on done.
func fileWhile(db *store.DB, stop <-chan struct{}, started chan<- struct{}, done chan<- error) {
	ctx := context.Background()
	for i := 0; ; i++ {
		select {
		case <-stop:
			done <- nil
			return
		default:
		}
		at := t0.Add(time.Duration(i) * time.Minute)
		ev := bot.Event{Seq: 1, Kind: bot.EvCreated, Actor: "U0SAM0001", At: at, Dept: "finance", Priority: bot.Normal,
			Title: "need numbers", Text: "need numbers for the board"}
		var r bot.Request
		if err := r.Apply(ev); err != nil {
			done <- err
			return
		}
		if err := db.CreateRequest(ctx, "FIN", &r, &ev, nil); err != nil {
			done <- err
			return
		}
		if i == 20 {
			close(started)
		}
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	t.Run("WhileWriting", func(t *testing.T) {
		db := MustOpenStore(t)
		stop, started, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go fileWhile(db, stop, started, done)
		<-started
		before := mustCount(t, db, "requests")
		out := filepath.Join(t.TempDir(), "backup.db")
		info, err := db.Backup(ctx, out, false)
		after := mustCount(t, db, "requests")
		close(stop)
		if err := <-done; err != nil {
			t.Fatalf("filing during the backup: %v", err)
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("requests: %d before the backup, %d in it, %d after", before, info.Requests, after)
		if info.Requests < int64(before) || info.Requests > int64(after) {
			t.Errorf("backup holds %d requests, want between %d and %d", info.Requests, before, after)
		}
		// A snapshot: every request copied with its creation, nothing more.
		if info.Events != info.Requests {
			t.Errorf("backup holds %d requests and %d events; each has one", info.Requests, info.Events)
		}
		st, err := os.Stat(out)
		if err != nil || st.Size() != info.Bytes || st.Mode().Perm() != 0o600 {
			t.Errorf("backup file %v, %v; want %d bytes, mode 0600", st, err, info.Bytes)
		}
		checkIntegrity(t, out)
		copied := openCopy(t, out)
		if n := mustCount(t, copied, "requests"); int64(n) != info.Requests {
			t.Errorf("copy opens with %d requests, info says %d", n, info.Requests)
		}
		last := bot.FormatID("FIN", int(info.Requests))
		if r, err := copied.Request(ctx, last); err != nil || r.Text != "need numbers for the board" {
			t.Errorf("last request in the copy: %+v, %v", r, err)
		}
		if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
			t.Errorf("left behind: %v", entries)
		}
	})

	t.Run("CountsSurveyAnswers", func(t *testing.T) {
		db := MustOpenStore(t)
		msg := bot.Message{To: "U0SAM0001", DM: true, Text: "survey"}
		if _, err := db.AskSurvey(ctx, "2026-Q3", "U0SAM0001", []string{"finance", "it", "hr"}, msg, t0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AnswerSurvey(ctx, "2026-Q3", "U0SAM0001", "it", 4, "", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		info, err := db.Backup(ctx, filepath.Join(t.TempDir(), "backup.db"), false)
		if err != nil {
			t.Fatal(err)
		}
		if info.Surveys != 1 {
			t.Errorf("backup reports %d survey answers; 3 were asked and 1 answered", info.Surveys)
		}
	})

	t.Run("ErrExists", func(t *testing.T) {
		db := MustOpenStore(t)
		mustCreate(t, db, "FIN", "finance", "U1", "first", t0, time.Time{})
		out := filepath.Join(t.TempDir(), "backup.db")
		os.WriteFile(out, []byte("keep me"), 0o644)
		_, err := db.Backup(ctx, out, false)
		if code := bot.ErrorCode(err); code != bot.ECONFLICT {
			t.Fatalf("Backup over a file = %v (%s), want ECONFLICT", err, code)
		}
		if b, _ := os.ReadFile(out); string(b) != "keep me" {
			t.Errorf("existing file overwritten: %q", b)
		}
		info, err := db.Backup(ctx, out, true)
		if err != nil || info.Requests != 1 {
			t.Fatalf("Backup with replace: %+v, %v", info, err)
		}
		checkIntegrity(t, out)
	})

	t.Run("ErrLiveDatabase", func(t *testing.T) {
		db := MustOpenStore(t)
		for _, p := range []string{db.Path(), db.Path() + "-wal"} {
			if _, err := db.Backup(ctx, p, true); bot.ErrorCode(err) != bot.EINVALID {
				t.Errorf("Backup onto %s = %v, want EINVALID", filepath.Base(p), err)
			}
		}
		if _, err := db.Request(ctx, "FIN-1"); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Errorf("database damaged: %v", err)
		}
	})

	t.Run("Restore", func(t *testing.T) {
		db := MustOpenStore(t)
		mustCreate(t, db, "FIN", "finance", "U1", "before the backup", t0, time.Time{})
		out := filepath.Join(t.TempDir(), "backup.db")
		if _, err := db.Backup(ctx, out, false); err != nil {
			t.Fatal(err)
		}
		mustCreate(t, db, "FIN", "finance", "U1", "after the backup", t0, time.Time{})
		// The restore procedure: stop, drop the WAL, copy the backup over.
		path := db.Path()
		db.Close()
		os.Remove(path + "-wal")
		os.Remove(path + "-shm")
		copyFile(t, out, path)
		restored, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer restored.Close()
		if r, err := restored.Request(ctx, "FIN-1"); err != nil || r.Text != "before the backup" {
			t.Errorf("FIN-1 restored as %+v, %v", r, err)
		}
		if _, err := restored.Request(ctx, "FIN-2"); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Errorf("FIN-2, filed after the backup: %v, want ENOTFOUND", err)
		}
		// Numbering goes on from the backup.
		if r := mustCreate(t, restored, "FIN", "finance", "U1", "again", t0, time.Time{}); r.ID != "FIN-2" {
			t.Errorf("next request is %s, want FIN-2", r.ID)
		}
	})
}

func mustCount(tb testing.TB, db *store.DB, table string) int {
	tb.Helper()
	n, err := store.CountRows(context.Background(), db, table)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// openCopy opens a backup as a store, on a copy of its own so that the
// checks on the backup file see it untouched.
func openCopy(tb testing.TB, path string) *store.DB {
	tb.Helper()
	dst := filepath.Join(tb.TempDir(), "restored.db")
	copyFile(tb, path, dst)
	db, err := store.Open(context.Background(), dst)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// checkIntegrity runs SQLite's integrity check on a database file.
func checkIntegrity(tb testing.TB, path string) {
	tb.Helper()
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	var res string
	if err := conn.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		tb.Errorf("integrity check of %s: %q, %v", path, res, err)
	}
}
