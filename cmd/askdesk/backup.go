package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

func (g *globals) backupCmd() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "backup [--db FILE] [--force] OUT",
		Short: "Copy the database to OUT, consistently, while serve keeps running",
		Long: `Write a consistent copy of the SQLite database to OUT (SQLite's VACUUM INTO:
one snapshot, compacted, in a single file readable only by its owner). It is
safe while askdesk serve runs on the same file; the desk goes on writing.
The copy is written under a temporary name beside OUT, checked (integrity
check, schema version, row counts) and only then renamed to OUT. An
existing OUT is kept unless --force.

To restore: stop serve, delete askdesk.db-wal and askdesk.db-shm, copy the
backup over askdesk.db, start serve (docs/operations.md, "Backup and
restore").`,
		Example: `  askdesk backup /var/backups/askdesk/askdesk-$(date +%F).db
  askdesk backup --db /srv/askdesk/askdesk.db --force /var/backups/askdesk/latest.db`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, _, _ := g.loadConfig(cmd) // only for store.path; a broken config still backs up --db
			db, err := g.openExisting(cmd, cfg, "", false)
			if err != nil {
				return err
			}
			defer db.Close()
			info, err := db.Backup(cmd.Context(), args[0], force)
			if err != nil {
				return userError(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s, %d requests, %d events, %d ratings, %d survey answers, schema %d; verified in %s\n",
				info.Path, formatSize(info.Bytes), info.Requests, info.Events, info.Ratings, info.Surveys,
				info.SchemaVersion, info.Duration.Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "replace OUT if it exists")
	return cmd
}

// formatSize gives a file size in the largest unit that keeps it above 1.
func formatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
