package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	"github.com/askdesk/askdesk/bot"
)

// CopyReport is what Copy moved: each table with its rows and checksum,
// the same in the source and the destination.
type CopyReport struct {
	SchemaVersion int
	Tables        []TableReport
}

// copyBatchValues bounds the values bound in one INSERT: a few hundred
// rows a statement, well under SQLite's and PostgreSQL's limits on
// parameters.
const copyBatchValues = 10000

// Copy copies every row of from into to, which may be of either engine:
// SQLite to PostgreSQL to move an install to a shared database, or back.
// It reads from in one snapshot, table by table in primary-key order, and
// writes to in a single transaction, a few hundred rows an INSERT, holding
// no more than one such batch in memory. Before committing it reads to
// back and compares every table's row count and checksum with the
// source's; any difference rolls the whole copy back. Outbox IDs are kept
// (and PostgreSQL's identity continues after them), so deliveries in
// flight keep their order. progress, when not nil, is called after each
// batch with the table and the rows copied of it so far, and at least once
// for every table, empty ones included.
//
// to must be migrated to from's schema version (Open does) and hold no
// rows (schema_migrations aside): Copy returns ECONFLICT naming the first
// table that has some, so running it twice never doubles the data, and
// EINVALID when from and to are the same database, from has no askdesk
// schema or the two schema versions differ. On any error to is left as it
// was.
func Copy(ctx context.Context, from, to *DB, progress func(table string, rows int64)) (CopyReport, error) {
	var rep CopyReport
	if same, err := sameDatabase(ctx, from, to); err != nil {
		return rep, fmt.Errorf("copy: %w", err)
	} else if same {
		return rep, bot.Errorf(bot.EINVALID, "%s and %s are the same database; copy to another one", from.path, to.path)
	}
	fv, err := from.SchemaVersion(ctx)
	if err != nil {
		return rep, fmt.Errorf("copy from %s: %w", from.path, err)
	}
	tv, err := to.SchemaVersion(ctx)
	if err != nil {
		return rep, fmt.Errorf("copy to %s: %w", to.path, err)
	}
	if fv == 0 {
		return rep, bot.Errorf(bot.EINVALID, "%s has no askdesk tables; nothing to copy", from.path)
	}
	if fv != tv {
		return rep, bot.Errorf(bot.EINVALID, "%s is at schema version %d and %s at %d; migrate the older one first (askdesk migrate)",
			from.path, fv, to.path, tv)
	}
	rep.SchemaVersion = fv

	src, err := from.snapshot(ctx)
	if err != nil {
		return rep, fmt.Errorf("copy from %s: %w", from.path, err)
	}
	defer src.Rollback()
	if err := checkTables(ctx, src, from); err != nil {
		return rep, fmt.Errorf("copy from %s: %w", from.path, err)
	}
	dst, err := to.write.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("copy to %s: %w", to.path, err)
	}
	defer dst.Rollback()
	if err := checkTables(ctx, dst, to); err != nil {
		return rep, fmt.Errorf("copy to %s: %w", to.path, err)
	}
	if err := checkEmpty(ctx, dst, to); err != nil {
		return rep, err
	}

	copied := make([]TableReport, len(dataTables))
	cols := make([][]string, len(dataTables))
	for i, t := range dataTables {
		if cols[i], err = sameColumns(ctx, src, dst, t.name); err != nil {
			return rep, fmt.Errorf("copy %s: %w", t.name, err)
		}
		if copied[i], err = copyTable(ctx, from, to, src, dst, t, cols[i], progress); err != nil {
			return rep, err
		}
	}
	if to.pg {
		// The identity would otherwise start again at 1, into the IDs
		// just copied.
		for _, table := range []string{"outbox", "catalog_revisions", "pending_filings"} {
			// COALESCE: setval refuses NULL (an empty table), and 1 with
			// is_called false hands out 1 next.
			if _, err := dst.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM `+table); err != nil {
				return rep, fmt.Errorf("copy %s: %w", table, err)
			}
		}
	}

	// The search index is derived from the rows just copied.
	if err := to.rebuildSearch(ctx, dst); err != nil {
		return rep, fmt.Errorf("copy to %s: %w", to.path, err)
	}

	// So are the parts figures read (report_parts): every request copied
	// is worked out again by the first report.
	if err := resetReportParts(ctx, dst); err != nil {
		return rep, fmt.Errorf("copy to %s: %w", to.path, err)
	}
	// Nothing else writes to the destination: its ratings stay still.
	if err := recountRatingCells(ctx, dst, to.pg); err != nil {
		return rep, fmt.Errorf("copy to %s: %w", to.path, err)
	}

	// Verify what the destination now holds, read back through its own
	// engine, against what was read from the source.
	for i, t := range dataTables {
		if err := verifyTable(ctx, from, src, to, dst, t, cols[i], copied[i]); err != nil {
			return rep, err
		}
	}
	if err := dst.Commit(); err != nil {
		return rep, fmt.Errorf("copy to %s: commit: %w", to.path, err)
	}
	rep.Tables = copied
	return rep, nil
}

// sameDatabase reports whether a and b are one database: the same SQLite
// file, or the same schema of the same PostgreSQL database and server.
func sameDatabase(ctx context.Context, a, b *DB) (bool, error) {
	if a == b {
		return true, nil
	}
	if a.pg != b.pg {
		return false, nil
	}
	if !a.pg {
		sa, err := os.Stat(a.path)
		if err != nil {
			return false, err
		}
		sb, err := os.Stat(b.path)
		if err != nil {
			return false, err
		}
		return os.SameFile(sa, sb), nil
	}
	// Host names in URLs may differ for one server; the server's start
	// time and port, with the database and schema, do not.
	const who = `SELECT current_database() || '/' || current_schema() || '/' || pg_postmaster_start_time()::text
		|| '/' || current_setting('port')`
	var ia, ib string
	if err := a.read.QueryRowContext(ctx, who).Scan(&ia); err != nil {
		return false, err
	}
	if err := b.read.QueryRowContext(ctx, who).Scan(&ib); err != nil {
		return false, err
	}
	return ia == ib, nil
}

// checkEmpty returns ECONFLICT naming the first table of the destination
// that holds rows.
func checkEmpty(ctx context.Context, dst *sql.Tx, to *DB) error {
	for _, t := range dataTables {
		var n int64
		// The name is from dataTables, never from input.
		if err := dst.QueryRowContext(ctx, "SELECT count(*) FROM "+t.name).Scan(&n); err != nil {
			return fmt.Errorf("copy to %s: count %s: %w", to.path, t.name, err)
		}
		if n > 0 {
			return bot.Errorf(bot.ECONFLICT, "%s is not empty: table %s has %d rows; copy only into a new database",
				to.path, t.name, n)
		}
	}
	return nil
}

// sameColumns returns a table's columns, which must be the same in both.
func sameColumns(ctx context.Context, src, dst *sql.Tx, table string) ([]string, error) {
	sc, err := columns(ctx, src, table)
	if err != nil {
		return nil, err
	}
	dc, err := columns(ctx, dst, table)
	if err != nil {
		return nil, err
	}
	if strings.Join(sc, ",") != strings.Join(dc, ",") {
		return nil, fmt.Errorf("the source has columns %v, the destination %v", sc, dc)
	}
	return sc, nil
}

// copyTable streams table t from src into dst and returns the source's
// rows and checksum.
func copyTable(ctx context.Context, from, to *DB, src, dst *sql.Tx, t dataTable, cols []string, progress func(string, int64)) (TableReport, error) {
	ins := &inserter{tx: dst, table: t.name, cols: cols, per: max(1, min(500, copyBatchValues/len(cols)))}
	defer ins.close()
	var done int64
	rep, err := from.eachRow(ctx, src, t, cols, func(vals []any) error {
		if to.pg {
			if err := storable(t, cols, vals); err != nil {
				return err
			}
		}
		full, err := ins.add(ctx, vals)
		if err != nil {
			return fmt.Errorf("copy %s: %w", t.name, err)
		}
		if full {
			done += int64(ins.per)
			if progress != nil {
				progress(t.name, done)
			}
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	if err := ins.flush(ctx); err != nil {
		return rep, fmt.Errorf("copy %s: %w", t.name, err)
	}
	if progress != nil && (rep.Rows == 0 || rep.Rows != done) {
		progress(t.name, rep.Rows)
	}
	return rep, nil
}

// storable refuses a row holding a NUL character, which PostgreSQL cannot
// store in text: askdesk stored it from a slash command's %00 before it
// dropped control characters at intake. The error names the row and the
// column (in the source), so it can be mended there before copying again;
// otherwise PostgreSQL's own error would name neither.
func storable(t dataTable, cols []string, vals []any) error {
	for i, v := range vals {
		if s, ok := v.(string); ok && strings.ContainsRune(s, 0) {
			key := make([]string, 0, len(t.key))
			for _, k := range t.key {
				for j, c := range cols {
					if c == k.name {
						key = append(key, fmt.Sprintf("%s=%v", c, vals[j]))
					}
				}
			}
			return bot.Errorf(bot.EINVALID, "copy %s: the row %s has a NUL character in %s, which PostgreSQL cannot store; remove it in the source (for example UPDATE %s SET %s = replace(%s, char(0), '') in sqlite3) and copy again",
				t.name, strings.Join(key, ", "), cols[i], t.name, cols[i], cols[i])
		}
	}
	return nil
}

// verifyTable compares the destination's copy of t with the source's
// count and with what was copied: rows and checksum.
func verifyTable(ctx context.Context, from *DB, src *sql.Tx, to *DB, dst *sql.Tx, t dataTable, cols []string, copied TableReport) error {
	var srcCount, dstCount int64
	// The name is from dataTables, never from input.
	if err := src.QueryRowContext(ctx, "SELECT count(*) FROM "+t.name).Scan(&srcCount); err != nil {
		return fmt.Errorf("verify %s: %w", t.name, err)
	}
	if err := dst.QueryRowContext(ctx, "SELECT count(*) FROM "+t.name).Scan(&dstCount); err != nil {
		return fmt.Errorf("verify %s: %w", t.name, err)
	}
	if srcCount != copied.Rows || dstCount != copied.Rows {
		return fmt.Errorf("verify %s: %d rows read from %s, which counts %d, and %s counts %d; nothing was copied",
			t.name, copied.Rows, from.path, srcCount, to.path, dstCount)
	}
	got, err := to.eachRow(ctx, dst, t, cols, nil)
	if err != nil {
		return fmt.Errorf("verify %s: %w", t.name, err)
	}
	if got != copied {
		return fmt.Errorf("verify %s: checksum %s in %s, %s in %s; nothing was copied",
			t.name, copied.Checksum, from.path, got.Checksum, to.path)
	}
	return nil
}

// inserter writes rows to one table in multi-row INSERTs of per rows.
type inserter struct {
	tx    *sql.Tx
	table string
	cols  []string
	per   int
	full  *sql.Stmt // the INSERT of per rows, prepared once
	args  []any
	n     int
}

// add queues a row's values (copied: vals is reused) and sends the batch
// once it has per rows, reporting whether it did.
func (in *inserter) add(ctx context.Context, vals []any) (bool, error) {
	in.args = append(in.args, vals...)
	in.n++
	if in.n < in.per {
		return false, nil
	}
	if in.full == nil {
		s, err := in.tx.PrepareContext(ctx, insertSQL(in.table, in.cols, in.per))
		if err != nil {
			return false, err
		}
		in.full = s
	}
	if _, err := in.full.ExecContext(ctx, in.args...); err != nil {
		return false, err
	}
	in.args, in.n = in.args[:0], 0
	return true, nil
}

// flush sends the rows queued since the last full batch.
func (in *inserter) flush(ctx context.Context) error {
	if in.n == 0 {
		return nil
	}
	if _, err := in.tx.ExecContext(ctx, insertSQL(in.table, in.cols, in.n), in.args...); err != nil {
		return err
	}
	in.args, in.n = in.args[:0], 0
	return nil
}

func (in *inserter) close() {
	if in.full != nil {
		in.full.Close()
	}
}

// insertSQL is an INSERT of n rows into table, with ? placeholders.
func insertSQL(table string, cols []string, n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	var b strings.Builder
	b.Grow(len(table) + 32 + 12*len(cols) + n*(len(row)+2))
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}
