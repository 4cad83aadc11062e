package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// TestWriteStatus: the write probe finds a database that can be written,
// on both engines. On SQLite, once a filing failed because the database
// refuses writes (query_only, as a file opened read-only) or has no room
// (max_page_count reached), it is not writable, and writable again at the
// next look once mended; a lock another connection holds is "busy", which
// still counts as writable (a backup passes).
func TestWriteStatus(t *testing.T) {
	ctx := context.Background()
	eachDatabase(t, func(t *testing.T, where string) {
		db, err := store.Open(ctx, where)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if s := db.WriteStatus(ctx); s.State != "ok" || !s.Writable() || s.LastWriteAt.IsZero() {
			t.Fatalf("fresh database: %+v", s)
		}
		if db.Postgres() {
			return
		}
		desk := bot.New(benchDirectory(), db, bot.Discard{}, bot.NewManualClock(t0), nil)
		file := func(ctx context.Context) {
			if r := desk.Command(ctx, faultUser, "finance "+strings.Repeat("quarterly figures ", 150)); r.Request != nil {
				t.Fatalf("filed %s despite the fault", r.Request.ID)
			}
		}
		for _, tc := range []struct{ fault, mend, want string }{
			{"PRAGMA query_only = 1", "PRAGMA query_only = 0", "read-only"},
			{"PRAGMA max_page_count = 1", "PRAGMA max_page_count = 1073741823", "full"},
		} {
			mustExec(t, db, tc.fault)
			file(ctx)
			if s := db.WriteStatus(ctx); s.State != tc.want || s.Writable() || s.LastFault != tc.want {
				t.Errorf("after %s: %+v; want %s, not writable", tc.fault, s, tc.want)
			}
			mustExec(t, db, tc.mend)
			if s := db.WriteStatus(ctx); s.State != "ok" {
				t.Errorf("after %s: %+v; want ok", tc.mend, s)
			}
		}
		release := holdWriteLock(t, where)
		file(bot.WithAnswerBy(ctx, time.Now().Add(100*time.Millisecond)))
		if s := db.WriteStatus(ctx); s.State != "busy" || !s.Writable() {
			t.Errorf("while another connection holds the lock: %+v; want busy, writable", s)
		}
		release()
	})
}
