package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

func (g *globals) exportCmd() *cobra.Command {
	var format, from, to, what, out, nowFlag string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export requests, events and ratings as CSV or JSON Lines, for BI",
		Long: `Write the requests (filed in the period), their events (that happened in it)
and the ratings (asked in it) as CSV or JSON Lines, with stable snake_case
columns: times in RFC 3339 UTC, durations in seconds of business time
(of calendar time for a clock whose target is in calendar time).
Rows are streamed, never all held in memory. --from and --to are dates in
UTC, both included; without them everything is exported. In CSV, text
starting with = + - @ or ' gets a leading ' so spreadsheets do not run it
as a formula (drop one leading ' to get the text back). docs/reports.md
("Exports") lists every column.`,
		Example: `  askdesk export --format csv --out export/
  askdesk export --format jsonl --what events --from 2026-07-01 --to 2026-09-30 > events.jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tables := report.ExportTables
			if what != "all" {
				if !slices.Contains(report.ExportTables, what) {
					return fmt.Errorf("--what %q: use requests, events, ratings or all", what)
				}
				tables = []string{what}
			}
			toStdout := out == "" || out == "-"
			if toStdout && len(tables) > 1 {
				return fmt.Errorf("--what all writes one file per table: give --out DIR, or name one table (--what requests) for stdout")
			}
			lo, hi, err := exportBounds(from, to)
			if err != nil {
				return err
			}
			s, err := g.openForReading(cmd, nowFlag, format, report.ExportFormats)
			if err != nil {
				return err
			}
			defer s.db.Close()
			x := exporter{db: s.db, ex: report.NewExporter(s.dir, s.now), format: format, from: lo, to: hi}
			if toStdout {
				_, err := x.write(cmd.Context(), cmd.OutOrStdout(), tables[0])
				return err
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return fmt.Errorf("--out: %w", err)
			}
			for _, t := range tables {
				path := filepath.Join(out, t+"."+format)
				n, err := x.writeFile(cmd.Context(), path, t)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %d %s\n", path, n, t)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "csv", "csv or jsonl")
	cmd.Flags().StringVar(&what, "what", "all", "requests, events, ratings or all (all needs --out)")
	cmd.Flags().StringVar(&from, "from", "", "first day, UTC, like 2026-07-01 (default: the beginning)")
	cmd.Flags().StringVar(&to, "to", "", "last day, UTC, included, like 2026-09-30 (default: the latest)")
	cmd.Flags().StringVar(&out, "out", "", "directory to write requests.csv, events.csv, ratings.csv (or .jsonl) in; default stdout")
	cmd.Flags().StringVar(&nowFlag, "now", "", "evaluate running SLA clocks as of this time (RFC 3339) instead of now")
	return cmd
}

// exportBounds turns the optional dates into [from, to) in UTC; a zero
// time leaves that end open.
func exportBounds(from, to string) (lo, hi time.Time, err error) {
	if from != "" {
		if lo, err = report.ParseDate(from); err != nil {
			return lo, hi, fmt.Errorf("--from: %s", bot.ErrorMessage(err))
		}
	}
	if to != "" {
		if hi, err = report.ParseDate(to); err != nil {
			return lo, hi, fmt.Errorf("--to: %s", bot.ErrorMessage(err))
		}
		hi = hi.AddDate(0, 0, 1)
	}
	if !lo.IsZero() && !hi.IsZero() && !lo.Before(hi) {
		return lo, hi, fmt.Errorf("--to %s comes before --from %s", to, from)
	}
	return lo, hi, nil
}

type exporter struct {
	db       *store.DB
	ex       *report.Exporter
	format   string
	from, to time.Time
}

// writeFile writes one table to path, through a temporary file renamed
// into place at the end, so a reader never sees half an export.
func (x exporter) writeFile(ctx context.Context, path, table string) (int, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", table, err)
	}
	defer os.Remove(f.Name())
	n, err := x.write(ctx, f, table)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return n, fmt.Errorf("export %s: %w", table, err)
	}
	return n, nil
}

// write streams one table to w and returns how many rows it wrote.
func (x exporter) write(ctx context.Context, w io.Writer, table string) (int, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	rw, err := report.NewRecordWriter(bw, x.format, report.ExportColumns(table))
	if err != nil {
		return 0, err
	}
	n, err := x.ex.Export(ctx, x.db, table, x.from, x.to, rw)
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return n, fmt.Errorf("export %s: %w", table, err)
	}
	return n, nil
}
