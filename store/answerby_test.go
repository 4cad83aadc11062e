package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// holdWriteLock takes the database's write lock from another connection,
// as a shell or a backup would (on PostgreSQL: the counters table, which
// every filing updates), until the returned func is called.
func holdWriteLock(t *testing.T, where string) (release func()) {
	t.Helper()
	ctx := context.Background()
	driver, dsn, begin := "sqlite", "file:"+where, []string{"BEGIN EXCLUSIVE"}
	if store.IsPostgresURL(where) {
		driver, dsn, begin = "pgx", where, []string{"BEGIN", "LOCK TABLE counters IN ACCESS EXCLUSIVE MODE"}
	}
	other, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range begin {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	done := false
	release = func() {
		if done {
			return
		}
		done = true
		if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
			t.Errorf("release the lock: %v", err)
		}
		conn.Close()
		other.Close()
	}
	t.Cleanup(release)
	return release
}

// waitReply waits for a desk's reply, failing (not hanging) if it waits
// for the lock: the lock is held far longer than this.
func waitReply(t *testing.T, replies <-chan bot.Reply, what string) bot.Reply {
	t.Helper()
	select {
	case r := <-replies:
		return r
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: no answer while the lock is held: it waits for the lock, past the time its answer was due", what)
	}
	return bot.Reply{}
}

// TestWriteDueGivesUpBeforeCommitting: while another connection holds the
// write lock for longer than anyone waits, a filing whose answer is due
// (bot.WithAnswerBy) is answered "busy, nothing was filed" by then, while
// the lock is still held, and so is one queued behind it. Once the lock
// is released neither is ever stored: the next filing is FIN-1.
func TestWriteDueGivesUpBeforeCommitting(t *testing.T) {
	eachDatabase(t, func(t *testing.T, where string) {
		ctx := context.Background()
		db, err := store.Open(ctx, where)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if !db.Postgres() {
			// Longer than the test waits: only giving up in time answers.
			mustExec(t, db, "PRAGMA busy_timeout = 600000")
		}
		desk := bot.New(benchDirectory(), db, bot.Discard{}, bot.NewManualClock(t0), nil)
		release := holdWriteLock(t, where)

		due := make(chan bot.Reply, 2)
		for _, text := range []string{"finance first while locked", "finance second while locked"} {
			go func() {
				ctx := bot.WithAnswerBy(ctx, time.Now().Add(200*time.Millisecond))
				due <- desk.Command(ctx, faultUser, text)
			}()
		}
		for i := range 2 {
			r := waitReply(t, due, "a filing with its answer due")
			if r.Request != nil {
				t.Errorf("filed %s while the database was locked", r.Request.ID)
			}
			for _, want := range []string{"askdesk is busy", "nothing was filed", "try again in a minute"} {
				if !strings.Contains(r.Text, want) {
					t.Errorf("answer %d: %q lacks %q", i, r.Text, want)
				}
			}
		}
		release()
		checkFiled(t, desk.Command(ctx, faultUser, "finance after the lock"), "FIN-1")
		if n, err := store.CountRows(ctx, db, "requests"); err != nil || n != 1 {
			t.Errorf("%d requests stored (%v); want only the one after the lock", n, err)
		}
	})
}
