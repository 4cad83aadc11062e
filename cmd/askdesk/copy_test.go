package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/askdesk/askdesk/store"
	"github.com/askdesk/askdesk/store/storetest"
)

const copyPassword = "s3cret-Pa55"

// withPassword puts copyPassword into a PostgreSQL URL; the test server
// trusts local connections, so it is sent and ignored.
func withPassword(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), copyPassword)
	return u.String()
}

// checksums of the database at path, as the report prints them.
func checksums(t *testing.T, path string) []store.TableReport {
	t.Helper()
	db, err := store.OpenNoMigrate(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sums, err := store.Checksums(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

// copyCLI runs askdesk and checks that the password is in no output.
func copyCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	code, out, errOut := run(t, "", args...)
	if strings.Contains(out+errOut, copyPassword) {
		t.Errorf("the password was printed:\n%s%s", out, errOut)
	}
	return code, out, errOut
}

func TestCopyCommand(t *testing.T) {
	pg := withPassword(t, storetest.URL(t))
	shownPG := store.RedactURL(pg)
	src := reportDB(t) // 3 requests, 5 events, 1 rating, their messages
	want := checksums(t, src)
	run := copyCLI

	t.Run("ToPostgres", func(t *testing.T) {
		code, out, errOut := run(t, "copy", "--from", src, "--to", pg)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		lines := []string{
			"Copying " + src + " to " + shownPG + "\n",
			"\n  requests                 3 rows\n",
			"\n  events                   5 rows\n",
			"\n  ratings                  1 row\n",
			"\n  surveys                  0 rows\n",
			"\nTABLE                 ROWS  SHA-256\n",
		}
		for _, tr := range want {
			lines = append(lines, fmt.Sprintf("\n%-15s %10d  %s\n", tr.Name, tr.Rows, tr.Checksum))
		}
		for _, l := range lines {
			if !strings.Contains(out, l) {
				t.Errorf("output lacks %q:\n%s", l, out)
			}
		}
		re := regexp.MustCompile(`\nVerified: 19 tables, \d+ rows, schema version \d+; row counts and checksums in ` +
			regexp.QuoteMeta(shownPG) + ` match ` + regexp.QuoteMeta(src) + ` \(\d+(\.\d+)?m?s\)\.\n$`)
		if !re.MatchString(out) {
			t.Errorf("output does not end as %s:\n%s", re, out)
		}
		if got := checksums(t, pg); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("PostgreSQL holds\n%v\nwant\n%v", got, want)
		}
	})

	t.Run("ErrNotEmpty", func(t *testing.T) {
		code, _, errOut := run(t, "copy", "--from", src, "--to", pg)
		if code != 1 || errOut != "askdesk: "+shownPG+" is not empty: table counters has 2 rows; copy only into a new database\n" {
			t.Errorf("exit %d: %s", code, errOut)
		}
		if got := checksums(t, pg); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("a refused copy changed PostgreSQL:\n%v\nwant\n%v", got, want)
		}
	})

	t.Run("BackToSQLite", func(t *testing.T) {
		back := filepath.Join(t.TempDir(), "back.db")
		code, out, errOut := run(t, "copy", "--from", pg, "--to", back)
		if code != 0 || !strings.Contains(out, "\nVerified: 19 tables") {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
		if got := checksums(t, back); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("the SQLite copy holds\n%v\nwant\n%v", got, want)
		}
	})

	t.Run("ErrSameSchema", func(t *testing.T) {
		code, _, errOut := run(t, "copy", "--from", pg, "--to", strings.Replace(pg, "127.0.0.1", "localhost", 1))
		if code != 1 || !strings.Contains(errOut, "are the same database") {
			t.Errorf("same schema, another host name: exit %d: %s", code, errOut)
		}
	})
}

// TestCopyCommandErrors needs no PostgreSQL.
func TestCopyCommandErrors(t *testing.T) {
	src := reportDB(t)
	run := copyCLI
	t.Run("ErrNoSource", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "nope.db")
		code, _, errOut := run(t, "copy", "--from", missing, "--to", filepath.Join(t.TempDir(), "to.db"))
		if code != 1 || errOut != "askdesk: no database at "+missing+" to copy (--from)\n" {
			t.Errorf("exit %d: %s", code, errOut)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Error("copy created the database it was to copy from")
		}
	})

	t.Run("ErrUnreachable", func(t *testing.T) {
		// Nothing listens on port 1.
		down := "postgres://askdesk:" + copyPassword + "@127.0.0.1:1/askdesk?sslmode=disable&connect_timeout=5"
		code, out, errOut := run(t, "copy", "--from", src, "--to", down)
		if code != 1 || !strings.HasPrefix(errOut, "askdesk: destination: open store "+store.RedactURL(down)+": ") {
			t.Errorf("exit %d: %s", code, errOut)
		}
		if out != "" {
			t.Errorf("output before the destination opened: %s", out)
		}
	})

	t.Run("ErrSame", func(t *testing.T) {
		dir, name := filepath.Split(src)
		for _, to := range []string{src, dir + "./" + name} {
			code, _, errOut := run(t, "copy", "--from", src, "--to", to)
			if code != 1 || !strings.Contains(errOut, "are the same database") {
				t.Errorf("--to %s: exit %d: %s", to, code, errOut)
			}
		}
	})

	t.Run("ErrOlderSchema", func(t *testing.T) {
		// A database of an older askdesk: its migrations stop at 3.
		old := filepath.Join(t.TempDir(), "old.db")
		raw, err := sql.Open("sqlite", old)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
			INSERT INTO schema_migrations VALUES (3, '0003_slack.sql', 0)`); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		to := filepath.Join(t.TempDir(), "new.db")
		code, _, errOut := run(t, "copy", "--from", old, "--to", to)
		if code != 1 || !regexp.MustCompile(`is at schema version 3 and .*new\.db at \d+; migrate the older one first`).MatchString(errOut) {
			t.Errorf("exit %d: %s", code, errOut)
		}
		// The file it created for the copy is gone again.
		if matches, _ := filepath.Glob(to + "*"); len(matches) > 0 {
			t.Errorf("left behind: %v", matches)
		}
	})

	t.Run("ErrFlags", func(t *testing.T) {
		code, _, errOut := run(t, "copy", "--from", src)
		if code != 1 || !strings.Contains(errOut, `required flag(s) "to" not set`) {
			t.Errorf("exit %d: %s", code, errOut)
		}
	})
}

func TestCopyProgress(t *testing.T) {
	var b strings.Builder
	p := &copyProgress{w: &b}
	for _, u := range []struct {
		table string
		rows  int64
	}{{"counters", 0}, {"requests", 370}, {"requests", 99_900}, {"requests", 100_270}, {"requests", 250_000},
		{"requests", 250_001}, {"events", 500}, {"events", 100_000}} {
		p.update(u.table, u.rows)
	}
	p.finish()
	want := `  counters                 0 rows
  requests            100000 rows so far
  requests            200000 rows so far
  requests            250001 rows
  events              100000 rows
`
	if got := b.String(); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
}
