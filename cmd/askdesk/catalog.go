package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/spf13/cobra"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/catalog"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/store"
)

// catalogPoll is how often serve looks for a standard changed on another
// replica (or by askdesk catalog apply): one indexed max() a tick.
const catalogPoll = 5 * time.Second

// openCatalog opens the service catalogue on db: seeded from the file when
// empty; with source "file", the file's changes are published (and logged)
// first. apply puts each new directory in force.
func openCatalog(ctx context.Context, cfg *config.Config, file string, db *store.DB, clock bot.Clock, log *slog.Logger, apply func(*bot.Directory)) (*catalog.Catalog, error) {
	cat, err := catalog.Open(ctx, catalog.Options{Config: cfg, File: file, Source: cfg.CatalogSource(), Store: db, Clock: clock, Log: log, Apply: apply})
	if err != nil {
		return nil, err
	}
	if cat.Owner() == catalog.FromFile {
		pub, err := cat.ApplyFile(ctx, cfg, file+" changed", false)
		if err != nil {
			return nil, err
		}
		logPublished(ctx, log, pub)
	}
	return cat, nil
}

func logPublished(ctx context.Context, log *slog.Logger, pub []catalog.Published) {
	for _, p := range pub {
		log.InfoContext(ctx, "service standard published from the config file", "dept", p.Dept, "revision", p.Rev,
			"changed", bot.SummarizeChanges(p.Changes, 6))
	}
}

// reloadOnHangup applies the config file again on each SIGHUP received on
// hup, until ctx ends: with source "file" its changed departments become
// new revisions, in force at once on every replica; with "slack" it says
// the file is not applied. done, when set, is called after each (tests).
func reloadOnHangup(ctx context.Context, hup <-chan os.Signal, cat *catalog.Catalog, file string, log *slog.Logger, done func()) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			applyOnHangup(ctx, cat, file, log)
			if done != nil {
				done()
			}
		}
	}
}

func applyOnHangup(ctx context.Context, cat *catalog.Catalog, file string, log *slog.Logger) {
	if cat.Owner() != catalog.FromFile {
		log.InfoContext(ctx, "SIGHUP: the service catalogue is edited in Slack ([catalog] source = \"slack\"); the file's departments are not applied")
		return
	}
	cfg, err := config.Load(file)
	if err != nil {
		log.ErrorContext(ctx, "SIGHUP: the config file has problems; nothing was applied", "file", file, "err", err)
		return
	}
	pub, err := cat.ApplyFile(ctx, cfg, file+" changed (SIGHUP)", false)
	if err != nil {
		log.ErrorContext(ctx, "SIGHUP: the service standards were not applied", "file", file, "err", err)
		return
	}
	if len(pub) == 0 {
		log.InfoContext(ctx, "SIGHUP: the config file's departments are the catalogue's already")
	}
	logPublished(ctx, log, pub)
}

func (g *globals) catalogCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "The service catalogue: the departments' published standards and their history",
		Long: `Each department's published service standard (description, targets, hours,
holidays, team, queue) is kept in the database as revisions: who changed
what, when and why. [catalog] source in the config says who owns it:
"file" (the [[department]] tables are applied as revisions: askdesk catalog
apply, or SIGHUP to serve) or "slack" (leads edit it with /ask manage; the
file seeded it once; askdesk catalog export writes it as TOML).`,
	}
	cmd.AddCommand(g.catalogApplyCmd(), g.catalogLogCmd(), g.catalogShowCmd(), g.catalogExportCmd())
	return cmd
}

// openCatalogCmd opens the database and the catalogue for a catalog
// subcommand. readOnly leaves an empty catalogue unseeded.
func (g *globals) openCatalogCmd(cmd *cobra.Command, readOnly bool) (*config.Config, string, *store.DB, *catalog.Catalog, error) {
	cfg, _, source, err := g.loadDirectory(cmd)
	if err != nil {
		return nil, "", nil, nil, err
	}
	db, err := store.Open(cmd.Context(), g.databasePath(cmd, cfg))
	if err != nil {
		return nil, "", nil, nil, err
	}
	cat, err := catalog.Open(cmd.Context(), catalog.Options{Config: cfg, File: source, Source: cfg.CatalogSource(), Store: db,
		Clock: bot.SystemClock{}, ReadOnly: readOnly})
	if err != nil {
		db.Close()
		return nil, "", nil, nil, userError(err)
	}
	return cfg, source, db, cat, nil
}

func (g *globals) catalogApplyCmd() *cobra.Command {
	var reason string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Publish the config file's departments that differ from the catalogue, printing what changes",
		Long: `Compare each [[department]] table of the config file with the catalogue and
publish those that differ as new revisions, after printing the difference.
Requests filed from then on run on the new standards; those filed before
keep theirs. A running serve picks the change up within seconds (SIGHUP
to serve does the same as this). Only with [catalog] source = "file".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, source, db, cat, err := g.openCatalogCmd(cmd, false)
			if err != nil {
				return err
			}
			defer db.Close()
			if reason == "" {
				reason = source + " changed"
			}
			pub, err := cat.ApplyFile(cmd.Context(), cfg, reason, true)
			if err != nil {
				return userError(err)
			}
			out := cmd.OutOrStdout()
			if len(pub) == 0 {
				fmt.Fprintf(out, "The catalogue already holds %s's departments; nothing to publish.\n", source)
				return nil
			}
			printPublished(out, pub)
			if dryRun {
				fmt.Fprintln(out, "Dry run: nothing was published.")
				return nil
			}
			if _, err := cat.ApplyFile(cmd.Context(), cfg, reason, false); err != nil {
				return userError(err)
			}
			fmt.Fprintf(out, "Published %d revision(s): “%s”.\n", len(pub), reason)
			return nil
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why the standards change (kept with each revision)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the difference only")
	return cmd
}

func printPublished(w io.Writer, pub []catalog.Published) {
	for _, p := range pub {
		if p.New {
			fmt.Fprintf(w, "%s: new department (revision %d)\n", p.Dept, p.Rev)
		} else {
			fmt.Fprintf(w, "%s: revision %d\n", p.Dept, p.Rev)
		}
		printChanges(w, p.Changes)
	}
}

func printChanges(w io.Writer, changes []bot.StandardChange) {
	for _, c := range changes {
		switch {
		case c.Old == "":
			fmt.Fprintf(w, "  + %s = %s\n", c.Key, c.New)
		case c.New == "":
			fmt.Fprintf(w, "  - %s = %s\n", c.Key, c.Old)
		default:
			fmt.Fprintf(w, "  ~ %s: %s → %s\n", c.Key, c.Old, c.New)
		}
	}
}

func (g *globals) catalogLogCmd() *cobra.Command {
	var dept string
	cmd := &cobra.Command{
		Use:   "log",
		Short: "List the catalogue's revisions, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, _, db, cat, err := g.openCatalogCmd(cmd, true)
			if err != nil {
				return err
			}
			defer db.Close()
			name := ""
			if dept != "" {
				dep, err := cat.Directory().Department(dept)
				if err != nil {
					return userError(err)
				}
				name = dep.Name
			}
			revs, err := db.CatalogRevisions(cmd.Context(), name)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if len(revs) == 0 {
				fmt.Fprintln(out, "The catalogue has no revisions yet: serve, the console or askdesk catalog apply publish the config file's departments first.")
				return nil
			}
			for i := len(revs) - 1; i >= 0; i-- {
				r := revs[i]
				who := r.Actor
				if who == "" {
					who = "config file"
				}
				fmt.Fprintf(out, "%s  %-12s r%-3d %-8s %-12s %s\n", r.At.Format("2006-01-02 15:04Z"), r.Dept, r.Rev, r.Source, who, r.Reason)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dept, "dept", "", "only this department's revisions")
	return cmd
}

func (g *globals) catalogShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "show <dept> <revision>",
		Short:   "Show what one revision changed from the one before",
		Example: "  askdesk catalog show finance 3",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, _, db, cat, err := g.openCatalogCmd(cmd, true)
			if err != nil {
				return err
			}
			defer db.Close()
			n, err := strconv.Atoi(strings.TrimPrefix(args[1], "r"))
			if err != nil {
				return fmt.Errorf("revision %q: give its number, such as 3", args[1])
			}
			rev, changes, err := cat.Compare(cmd.Context(), args[0], n)
			if err != nil {
				return userError(err)
			}
			out := cmd.OutOrStdout()
			who := rev.Actor
			if who == "" {
				who = "the config file"
			}
			fmt.Fprintf(out, "%s revision %d, %s, by %s (%s): %s\n", rev.Dept, rev.Rev, rev.At.Format("2006-01-02 15:04Z"), who, rev.Source, rev.Reason)
			printChanges(out, changes)
			return nil
		},
	}
}

func (g *globals) catalogExportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "export",
		Short: "Write the catalogue in force as [[department]] tables (TOML)",
		Long: `Write the catalogue in force as the [[department]] tables of a config file,
to standard output: to review the standards leads edited in Slack, keep
them in git, or move to source = "file".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, source, db, cat, err := g.openCatalogCmd(cmd, true)
			if err != nil {
				return err
			}
			defer db.Close()
			deps, err := cat.Export()
			if err != nil {
				return err
			}
			if len(deps) == 0 {
				return fmt.Errorf("the catalogue is empty: serve, the console or askdesk catalog apply publish %s's departments first", source)
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "# askdesk's service catalogue, exported %s (config: %s).\n\n", time.Now().UTC().Format(time.RFC3339), source)
			enc := toml.NewEncoder(out)
			enc.SetIndentTables(true)
			return enc.Encode(struct {
				Department []config.DepartmentConfig `toml:"department"`
			}{deps})
		},
	}
}
