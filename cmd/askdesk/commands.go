package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/askdesk/askdesk"
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/console"
	"github.com/askdesk/askdesk/bot/i18n"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

const defaultConfigPath = "askdesk.toml"

// globals are the flags every subcommand takes.
type globals struct {
	configPath string
	dbPath     string
	env        Env
	// lang is --lang, on the commands that print what people read.
	lang string
	// exampleByLang picks the built-in example in --lang's language: the
	// company in Shanghai for zh-Hans (the console).
	exampleByLang bool
}

func newRoot(ctx context.Context, env Env) *cobra.Command {
	g := &globals{env: env}
	root := &cobra.Command{
		Use:           "askdesk",
		Short:         "Internal customer service between departments, in Slack or a terminal",
		Long:          "askdesk files requests between departments, tracks their SLA deadlines in business hours, and keeps the history in SQLite.\n\nStart with:  askdesk console",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.configPath, "config", defaultConfigPath,
		"config file; when the default is missing, the built-in example company is used")
	root.PersistentFlags().StringVar(&g.dbPath, "db", "", `database: an SQLite file or a postgres:// URL (default: the config's store.url, else store.path, else "askdesk.db")`)
	root.AddCommand(g.consoleCmd(), g.serveCmd(), g.checkConfigCmd(), g.migrateCmd(), versionCmd())
	root.AddCommand(g.digestCmd(), g.reportCmd(), g.mapCmd(), g.exportCmd())
	root.AddCommand(g.backupCmd(), g.retentionCmd(), g.copyCmd(), g.catalogCmd())
	return root
}

// builtInSource names the embedded example config where a file name goes;
// builtInSourceZh the Chinese one, which the console runs for --lang zh-Hans.
const (
	builtInSource   = "config.example.toml (built in)"
	builtInSourceZh = "config.example.zh.toml (built in)"
)

// exampleZhDB is the console's database for the built-in Chinese example
// when --db names none, apart from the English example's askdesk.db.
const exampleZhDB = "askdesk.zh.db"

// builtInFile is the file name of a built-in source, or "" for a file's.
func builtInFile(source string) string {
	f, ok := strings.CutSuffix(source, " (built in)")
	if !ok || (source != builtInSource && source != builtInSourceZh) {
		return ""
	}
	return f
}

// example is the embedded example config for this run, with its source
// name: the Chinese company when the command picks it by language and
// --lang is Chinese, else the English one.
func (g *globals) example() (string, []byte) {
	if g.exampleByLang {
		if t, ok := i18n.Match(g.lang); ok && t == i18n.ZhHans {
			return builtInSourceZh, askdesk.ExampleConfigZh
		}
	}
	return builtInSource, askdesk.ExampleConfig
}

// loadConfig reads the config file, or the embedded example when the user
// did not name a file and the default one does not exist.
func (g *globals) loadConfig(cmd *cobra.Command) (*config.Config, string, error) {
	var cfg *config.Config
	var err error
	source := g.configPath
	_, statErr := os.Stat(g.configPath)
	if !cmd.Flags().Changed("config") && errors.Is(statErr, fs.ErrNotExist) {
		var data []byte
		source, data = g.example()
		cfg, err = config.Parse(source, bytes.NewReader(data))
	} else {
		cfg, err = config.Load(g.configPath)
	}
	if err != nil {
		return nil, source, err
	}
	cfg.ApplyEnv(g.env.Getenv)
	return cfg, source, nil
}

// loadDirectory loads the config and builds the company from it; a broken
// config is printed, every problem with its line, and ends with exit code 2.
func (g *globals) loadDirectory(cmd *cobra.Command) (*config.Config, *bot.Directory, string, error) {
	cfg, source, err := g.loadConfig(cmd)
	if err != nil {
		return nil, nil, source, configError(cmd.ErrOrStderr(), source, err)
	}
	if g.lang != "" {
		t, ok := i18n.Match(g.lang)
		if !ok {
			return nil, nil, source, fmt.Errorf("--lang %q: askdesk speaks %s", g.lang, i18n.SupportedNames())
		}
		// The company's default, set before the directory is built, so
		// the service catalogue's rebuilds keep it too.
		cfg.Language = t.String()
	}
	dir, err := cfg.Directory()
	if err != nil {
		return nil, nil, source, configError(cmd.ErrOrStderr(), source, err)
	}
	return cfg, dir, source, nil
}

// langFlag adds --lang, the company's default language for this run.
func (g *globals) langFlag(cmd *cobra.Command) {
	cmd.Flags().StringVar(&g.lang, "lang", "", "language of what people read, where translated: "+i18n.SupportedNames()+
		" (default: the config's language); a department's or person's own language still comes first")
}

// openExisting opens the database the command is pointed at (see
// databasePath), refusing, saying why (what the command needs it for), an
// SQLite file that does not exist: opening it would create an empty
// database. A PostgreSQL URL is opened; that tells whether it answers.
// migrate says whether to bring the schema up to date (store.Open) or
// leave it alone (store.OpenNoMigrate).
func (g *globals) openExisting(cmd *cobra.Command, cfg *config.Config, why string, migrate bool) (*store.DB, error) {
	path := g.databasePath(cmd, cfg)
	if !store.IsPostgresURL(path) {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no database at %s%s (--db to name another file)", path, why)
		}
	}
	if migrate {
		return store.Open(cmd.Context(), path)
	}
	return store.OpenNoMigrate(cmd.Context(), path)
}

func (g *globals) databasePath(cmd *cobra.Command, cfg *config.Config) string {
	if cmd.Flags().Changed("db") || cfg == nil || cfg.Store.Database() == "" {
		if g.dbPath == "" {
			return "askdesk.db"
		}
		return g.dbPath
	}
	return cfg.Store.Database()
}

func (g *globals) checkConfigCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "check-config",
		Short: "Check the config file and list every problem with its line",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, dir, source, err := g.loadDirectory(cmd)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s is valid: %d departments, %d people, %d admins.\n",
				source, len(dir.Departments), len(dir.People), len(dir.Admins))
			return nil
		},
	}
}

// configError prints config problems one per line and ends with exit code 2.
func configError(w io.Writer, source string, err error) error {
	var probs config.Problems
	if errors.As(err, &probs) {
		fmt.Fprintf(w, "%s has %d problem(s):\n", source, len(probs))
		for _, p := range probs {
			fmt.Fprintf(w, "  %s\n", p)
		}
		return exitCode(2)
	}
	return err
}

func (g *globals) migrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the database schema (serve and console also do this at start)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, _, _ := g.loadConfig(cmd) // only for store.path; a broken config still migrates --db
			path := g.databasePath(cmd, cfg)
			db, err := store.OpenNoMigrate(cmd.Context(), path)
			if err != nil {
				return err
			}
			defer db.Close()
			applied, err := db.Migrate(cmd.Context())
			if err != nil {
				return err
			}
			v, err := db.SchemaVersion(cmd.Context())
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "%s is up to date (schema version %d).\n", db.Path(), v)
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: applied migrations %v; schema version %d.\n", db.Path(), applied, v)
			}
			return nil
		},
	}
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintf(cmd.OutOrStdout(), "askdesk %s\n", askdesk.Version())
		},
	}
}

func (g *globals) consoleCmd() *cobra.Command {
	var as, nowFlag string
	var fresh bool
	cmd := &cobra.Command{
		Use:   "console",
		Short: "Run the desk in this terminal, with no Slack workspace",
		Long: `Run the whole desk in this terminal against the SQLite file: type /ask commands,
act as anyone with :as, press buttons by typing them (:claim FIN-1), and move
simulated time with :advance. Reads a script from stdin when it is not a
terminal, e.g.  askdesk console --fresh --db /tmp/demo.db --now 2026-11-24T09:30:00-05:00 < testdata/demo.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g.exampleByLang = true
			cfg, dir, source, err := g.loadDirectory(cmd)
			if err != nil {
				return err
			}
			var clock console.Advancer = &bot.OffsetClock{}
			if nowFlag != "" {
				t, err := parseNow(nowFlag)
				if err != nil {
					return err
				}
				clock = bot.NewManualClock(t)
			}
			path := g.databasePath(cmd, cfg)
			if source == builtInSourceZh && !cmd.Flags().Changed("db") {
				// The database holds the service catalogue it was first
				// run with: the English example's askdesk.db would show
				// its departments here.
				path = exampleZhDB
			}
			if fresh {
				if err := removeSQLite(path); err != nil {
					return err
				}
			}
			db, err := store.Open(cmd.Context(), path)
			if err != nil {
				return err
			}
			defer db.Close()

			user := defaultConsoleUser(dir)
			if as != "" {
				id, ok := dir.UserByName(as)
				if !ok && !console.IsUserID(as) {
					return fmt.Errorf("--as %q: no such person in %s; give a name from [people] or a Slack user ID like U0123ABC", as, source)
				}
				if !ok {
					id = strings.ToUpper(as)
				}
				user = id
			}
			out := cmd.OutOrStdout()
			con := console.New(nil, clock, out, user)
			// Internal errors are logged here while the user sees an apology.
			logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelWarn}))
			var desk *bot.Desk
			cat, err := openCatalog(cmd.Context(), cfg, source, db, clock, logger, func(d *bot.Directory) {
				if desk != nil {
					desk.SetDir(d)
				}
			})
			if err != nil {
				return userError(err)
			}
			dir = cat.Directory()
			desk = bot.New(dir, db, con, clock, logger)
			desk.Catalogue = cat
			cat.SetLanguages(desk)
			con.Desk = desk
			con.Desk.Map = report.MapCommand(con.Desk)
			con.Desk.Quality = report.QualityCommand(con.Desk)
			con.Desk.Standing = report.StandingCommand(con.Desk)
			interactive := isTerminal(g.env.Stdin)
			if g.env.StdinIsTerminal != nil {
				interactive = g.env.StdinIsTerminal()
			}
			con.Prompt, con.Echo = interactive, !interactive
			// :advance runs what the schedule would have run meanwhile.
			con.Surveys = db
			if con.Tick, err = consoleTick(con.Desk, db, cfg.Schedule, clock); err != nil {
				return err
			}
			p := desk.ChannelPrinter(nil)
			if f := builtInFile(source); f != "" {
				source = p.T("console.builtin", "File", f)
			}
			fmt.Fprintln(out, p.T("console.config", "Source", source, "Database", db.Path()))
			return con.Run(cmd.Context(), cmd.InOrStdin())
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "start as this person (a name from the config or a Slack user ID)")
	cmd.Flags().StringVar(&nowFlag, "now", "", "start the simulated clock at this time (RFC 3339) and let it move only with :advance")
	cmd.Flags().BoolVar(&fresh, "fresh", false, "start from an empty database: delete the SQLite file (and its -wal and -shm) first")
	g.langFlag(cmd)
	return cmd
}

// removeSQLite deletes the SQLite database at path with its -wal and -shm,
// for a console that starts fresh. A PostgreSQL database is never dropped.
func removeSQLite(path string) error {
	if store.IsPostgresURL(path) {
		return errors.New("--fresh deletes an SQLite file; it does not empty a PostgreSQL database")
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("--fresh: %w", err)
		}
	}
	return nil
}

func parseNow(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--now %q: use RFC 3339, e.g. 2026-11-24T09:30:00-05:00", s)
}

// defaultConsoleUser picks someone to be at start: the first person in the
// config who works in no department, i.e. an internal customer.
func defaultConsoleUser(dir *bot.Directory) string {
	best := ""
	for id := range dir.People {
		if len(dir.StaffOf(id)) == 0 && (best == "" || strings.Compare(dir.Name(id), dir.Name(best)) < 0) {
			best = id
		}
	}
	if best == "" && len(dir.Admins) > 0 {
		return dir.Admins[0]
	}
	return best
}
