// Package storetest gives tests a PostgreSQL database of their own: a fresh
// schema in the server named by ASKDESK_TEST_POSTGRES, dropped when the test
// ends. Tests that need PostgreSQL skip, saying how to enable them, when no
// server answers, unless ASKDESK_TEST_POSTGRES_REQUIRED is set (CI sets
// it, so a missing server fails the run instead of skipping quietly).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// DefaultURL is the server tried when ASKDESK_TEST_POSTGRES is unset: a
// local PostgreSQL with trust authentication and a database "test".
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

var (
	probeOnce sync.Once
	probeErr  error
)

// BaseURL returns the server's URL, or skips tb (fails it when required)
// when no server answers there.
func BaseURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("ASKDESK_TEST_POSTGRES")
	if u == "" {
		u = DefaultURL
	}
	if u == "off" {
		tb.Skip("PostgreSQL tests are off (ASKDESK_TEST_POSTGRES=off)")
	}
	if testing.Short() {
		// Quick runs keep to SQLite; go test without -short (and CI) runs
		// every test on PostgreSQL too.
		tb.Skip("-short: SQLite only")
	}
	probeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		db, err := sql.Open("pgx", u)
		if err != nil {
			probeErr = err
			return
		}
		defer db.Close()
		probeErr = db.PingContext(ctx)
	})
	if probeErr != nil {
		msg := "PostgreSQL tests skipped: no server at " + redact(u) + " (" + probeErr.Error() + "). " +
			"To run them, start PostgreSQL with a database \"test\" that trusts local connections, " +
			"or set ASKDESK_TEST_POSTGRES to a postgres:// URL of a database the tests may create schemas in."
		if os.Getenv("ASKDESK_TEST_POSTGRES_REQUIRED") != "" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	return u
}

// URL returns the URL of a new, empty schema of its own for tb, dropped
// (with everything in it) when tb ends. Several connections, servers or
// processes given the same URL share the schema, as replicas do.
func URL(tb testing.TB) string {
	tb.Helper()
	base := BaseURL(tb)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "askdesk_test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema %s: %v", schema, err)
	}
	tb.Cleanup(func() {
		defer admin.Close()
		// Connections still open in it (a replica the test killed) end
		// with their processes; drop what is there.
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Logf("drop schema %s: %v", schema, err)
		}
	})
	pu, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := pu.Query()
	q.Set("search_path", schema)
	pu.RawQuery = q.Encode()
	return pu.String()
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(an unparsable URL)"
	}
	return u.Redacted()
}

// TerminateLeader ends the PostgreSQL session holding the leadership lock
// of the schema in url (see store.Leadership), as if its process died, and
// returns how many sessions it ended.
func TerminateLeader(ctx context.Context, url string) (int, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(l.pid)) FROM pg_locks l
		JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()
		AND l.classid = (((('x' || substr(md5('askdesk-leader:' || current_schema()), 1, 16))::bit(64)::bigint) >> 32) & 4294967295)::oid
		AND l.objid = ((('x' || substr(md5('askdesk-leader:' || current_schema()), 1, 16))::bit(64)::bigint) & 4294967295)::oid`).Scan(&n)
	return n, err
}
