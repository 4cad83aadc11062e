package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// What a person sees when the database fails under /ask. The desk's
// Command is what the Slack handler and the console call; its reply text is
// the ephemeral message.

const faultUser = "U0SAM0001"

// mustFaultDesk is a desk on a fresh store.
func mustFaultDesk(t *testing.T) (*bot.Desk, *store.DB) {
	t.Helper()
	db := MustOpenStore(t)
	return bot.New(benchDirectory(), db, bot.Discard{}, bot.NewManualClock(t0), nil), db
}

// rowCounts is how many requests, events and outbox messages are stored.
func rowCounts(t *testing.T, db *store.DB) [3]int {
	t.Helper()
	var out [3]int
	for i, table := range []string{"requests", "events", "outbox"} {
		n, err := store.CountRows(context.Background(), db, table)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = n
	}
	return out
}

// mustExec runs a statement on the store's single writer connection, where
// per-connection pragmas stick.
func mustExec(t *testing.T, db *store.DB, q string) {
	t.Helper()
	if err := store.ExecForTest(db, q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// checkRefused files with ask and checks that the reply says want and that
// nothing was stored.
func checkRefused(t *testing.T, db *store.DB, ask func() bot.Reply, want ...string) {
	t.Helper()
	before := rowCounts(t, db)
	reply := ask()
	if reply.Request != nil {
		t.Fatalf("filed %s despite the fault", reply.Request.ID)
	}
	for _, w := range want {
		if !strings.Contains(reply.Text, w) {
			t.Errorf("reply %q lacks %q", reply.Text, w)
		}
	}
	if after := rowCounts(t, db); after != before {
		t.Errorf("rows (requests, events, outbox) went from %v to %v: half-stored", before, after)
	}
}

func checkFiled(t *testing.T, reply bot.Reply, want string) {
	t.Helper()
	if reply.Request == nil || reply.Request.ID != want {
		t.Fatalf("after the fault: %q; want %s filed", reply.Text, want)
	}
}

func TestFault(t *testing.T) {
	ctx := context.Background()

	t.Run("DiskFull", func(t *testing.T) {
		desk, db := mustFaultDesk(t)
		// A long request fills pages quickly; the cap holds the file at the
		// size it has now (SQLite never lowers it below that).
		ask := func() bot.Reply {
			return desk.Command(ctx, faultUser, "finance "+strings.Repeat("quarterly figures ", 150))
		}
		mustExec(t, db, "PRAGMA max_page_count = 1")
		filed := 0
		for {
			before := rowCounts(t, db)
			reply := ask()
			if reply.Request == nil {
				if !strings.Contains(reply.Text, "database is full, so nothing was filed") {
					t.Fatalf("reply on a full disk: %q", reply.Text)
				}
				if after := rowCounts(t, db); after != before {
					t.Fatalf("rows (requests, events, outbox) went from %v to %v: half-stored", before, after)
				}
				break
			}
			if filed++; filed == 100 {
				t.Fatal("100 requests fit under the cap: the disk never filled")
			}
		}
		mustExec(t, db, "PRAGMA max_page_count = 1073741823")
		// The failed /ask used no number: IDs stay gapless.
		checkFiled(t, ask(), bot.FormatID("FIN", filed+1))
	})

	t.Run("ReadOnly", func(t *testing.T) {
		desk, db := mustFaultDesk(t)
		checkFiled(t, desk.Command(ctx, faultUser, "finance before"), "FIN-1")
		// query_only makes the writer refuse writes with SQLITE_READONLY,
		// as a file that became read-only underneath askdesk would.
		mustExec(t, db, "PRAGMA query_only = 1")
		checkRefused(t, db, func() bot.Reply { return desk.Command(ctx, faultUser, "finance during") },
			"database is read-only", "nothing was filed", "try again later")
		checkRefused(t, db, func() bot.Reply { return desk.Command(ctx, faultUser, "cancel FIN-1") },
			"database is read-only", "nothing was changed")
		mustExec(t, db, "PRAGMA query_only = 0")
		checkFiled(t, desk.Command(ctx, faultUser, "finance after"), "FIN-2")
	})

	t.Run("Locked", func(t *testing.T) {
		desk, db := mustFaultDesk(t)
		// Another process (a backup, an sqlite3 shell) holds the write lock
		// longer than askdesk waits for it.
		other, err := sql.Open("sqlite", "file:"+db.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		conn, err := other.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
			t.Fatal(err)
		}
		mustExec(t, db, "PRAGMA busy_timeout = 50")
		checkRefused(t, db, func() bot.Reply { return desk.Command(ctx, faultUser, "finance while locked") },
			"askdesk is busy", "nothing was filed", "try again in a minute")
		if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
		checkFiled(t, desk.Command(ctx, faultUser, "finance after"), "FIN-1")
	})
}
