package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/askdesk/askdesk/store"
)

func (g *globals) copyCmd() *cobra.Command {
	var from, to string
	cmd := &cobra.Command{
		Use:   "copy --from SRC --to DST",
		Short: "Copy the whole database into a new, empty one (SQLite to PostgreSQL, or back) and verify it",
		Long: `Copy every row of the database SRC into DST, which must be empty: an SQLite
file or a postgres:// URL each way, usually an install's askdesk.db into the
PostgreSQL database its replicas will share. DST gets askdesk's schema first
(a new SQLite file is created). SRC is read in one snapshot and not changed;
DST is written in one transaction. Before that commits, every table is read
back from DST and its row count and SHA-256 checksum compared with SRC's;
on any difference, or any error, DST is left empty.

Stop askdesk serve on SRC first: what it writes after the snapshot would
not be copied. A password in a URL is never printed; PGPASSWORD or
~/.pgpass keep it off the command line.`,
		Example: `  askdesk copy --from askdesk.db --to postgres://askdesk@db.internal:5432/askdesk
  askdesk copy --from postgres://askdesk@db.internal/askdesk --to askdesk-restored.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCopy(cmd, from, to)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the database to copy: an SQLite file or a postgres:// URL")
	cmd.Flags().StringVar(&to, "to", "", "the empty database to fill: a postgres:// URL or a new SQLite file")
	cmd.MarkFlagRequired("from")
	cmd.MarkFlagRequired("to")
	return cmd
}

// shown is a database's name as askdesk prints it: an SQLite path, or a
// URL without its password.
func shown(db string) string {
	if store.IsPostgresURL(db) {
		return store.RedactURL(db)
	}
	return db
}

func runCopy(cmd *cobra.Command, from, to string) error {
	ctx, out := cmd.Context(), cmd.OutOrStdout()
	if from == to {
		return fmt.Errorf("--from and --to are the same database (%s); copy to another one", shown(from))
	}
	// Opening a missing SQLite file would create an empty database.
	if !store.IsPostgresURL(from) {
		st, err := os.Stat(from)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("no database at %s to copy (--from)", from)
		}
		if err != nil {
			return err
		}
		if st.IsDir() {
			return fmt.Errorf("%s is a directory; --from names a database file", from)
		}
		if dst, err := os.Stat(to); err == nil && !store.IsPostgresURL(to) && os.SameFile(st, dst) {
			return fmt.Errorf("--from and --to are the same database (%s); copy to another one", from)
		}
	}
	src, err := store.OpenNoMigrate(ctx, from)
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	defer src.Close()
	if v, err := src.SchemaVersion(ctx); err != nil {
		return fmt.Errorf("source: %w", err)
	} else if v == 0 {
		return fmt.Errorf("%s has no askdesk tables; nothing to copy", shown(from))
	}

	// A new SQLite file made here is removed again if the copy fails, so
	// a second attempt does not find it in the way.
	created := false
	if !store.IsPostgresURL(to) {
		_, err := os.Stat(to)
		created = errors.Is(err, fs.ErrNotExist)
	}
	dst, err := store.Open(ctx, to)
	if err != nil {
		return fmt.Errorf("destination: %w", err)
	}
	start := time.Now()
	fmt.Fprintf(out, "Copying %s to %s\n", shown(from), shown(to))
	p := &copyProgress{w: out}
	rep, err := store.Copy(ctx, src, dst, p.update)
	dst.Close()
	if err != nil {
		if created {
			for _, f := range []string{to, to + "-wal", to + "-shm"} {
				os.Remove(f)
			}
		}
		return userError(err)
	}
	p.finish()

	fmt.Fprintf(out, "\n%-15s %10s  %s\n", "TABLE", "ROWS", "SHA-256")
	var total int64
	for _, t := range rep.Tables {
		fmt.Fprintf(out, "%-15s %10d  %s\n", t.Name, t.Rows, t.Checksum)
		total += t.Rows
	}
	fmt.Fprintf(out, "\nVerified: %d tables, %d %s, schema version %d; row counts and checksums in %s match %s (%s).\n",
		len(rep.Tables), total, rowWord(total), rep.SchemaVersion, shown(to), shown(from), time.Since(start).Round(time.Millisecond))
	return nil
}

// copyProgress prints a line for each table once it is copied, and one
// every 100,000 rows of a long one meanwhile.
type copyProgress struct {
	w     io.Writer
	table string
	rows  int64
	shown int64 // the last "so far" line, in copyProgressEvery rows
}

const copyProgressEvery = 100_000

func (p *copyProgress) update(table string, rows int64) {
	if table != p.table {
		p.finish()
		p.table = table
	}
	// Only once past a round number: a table that ends on one gets its
	// final line alone.
	if n := rows / copyProgressEvery; n > p.shown && rows > n*copyProgressEvery {
		fmt.Fprintf(p.w, "  %-15s %10d rows so far\n", table, n*copyProgressEvery)
		p.shown = n
	}
	p.rows = rows
}

// finish prints the line of the table being copied, when there is one.
func (p *copyProgress) finish() {
	if p.table != "" {
		fmt.Fprintf(p.w, "  %-15s %10d %s\n", p.table, p.rows, rowWord(p.rows))
	}
	p.table, p.rows, p.shown = "", 0, 0
}

func rowWord(n int64) string {
	if n == 1 {
		return "row"
	}
	return "rows"
}
