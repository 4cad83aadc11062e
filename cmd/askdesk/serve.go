package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/askdesk/askdesk"
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
)

func (g *globals) serveCmd() *cobra.Command {
	var cpuProfile, memProfile string
	var memProfileEvery time.Duration
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the desk in Slack (Socket Mode with SLACK_APP_TOKEN, else HTTP)",
		Long: `Run the desk in a Slack workspace.

With an app-level token (SLACK_APP_TOKEN, xapp-…) askdesk connects by Socket
Mode and needs no public URL. Without one it serves Slack's HTTP requests on
[slack] listen (default :3000): POST /slack/commands, /slack/interactions and
/slack/events, each verified with SLACK_SIGNING_SECRET. GET /livez
(liveness), /readyz (readiness: the database can be written, Slack takes
the token), /healthz (the same in detail, as JSON) and /metrics
(Prometheus) answer in both modes. The bot token
(SLACK_BOT_TOKEN, xoxb-…) is always needed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, dir, source, err := g.loadDirectory(cmd)
			if err != nil {
				return err
			}
			if err := checkSlackConfig(cfg.Slack); err != nil {
				return err
			}
			if err := g.refuseExample(source); err != nil {
				return err
			}
			log := newLogger(cmd.ErrOrStderr(), cfg.Log)
			stopProfiles, err := startProfiles(cpuProfile, memProfile, memProfileEvery)
			if err != nil {
				return err
			}
			s, err := startServer(cmd.Context(), serverOptions{
				Slack: cfg.Slack, Schedule: cfg.Schedule, Dir: dir, Config: cfg, ConfigFile: source, DBPath: g.databasePath(cmd, cfg), Clock: bot.SystemClock{}, Log: log,
				RedactAfter: cfg.RedactAfter(),
			})
			if err != nil {
				// The profiles' writer is a goroutine of its own: ended
				// here too, not left to the process's exit.
				if perr := stopProfiles(); perr != nil {
					return errors.Join(err, perr)
				}
				return err
			}
			log.Info("askdesk serving", "addr", s.Addr(), "version", askdesk.Version(), "mode", s.mode, "database", s.db.Path(), "departments", len(s.desk.Dir().Departments), "catalog", cfg.CatalogSource())
			err = s.Wait()
			return errors.Join(err, stopProfiles())
		},
	}
	// For measuring (cmd/askdesk-load -profile): hidden, as an operator
	// has /metrics and no need for them.
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	cmd.Flags().StringVar(&memProfile, "memprofile", "", "write a heap profile to this file when serve stops")
	cmd.Flags().DurationVar(&memProfileEvery, "memprofile-every", 0, "also write a heap profile every this long, named after --memprofile (0: none)")
	cmd.Flags().MarkHidden("cpuprofile")
	cmd.Flags().MarkHidden("memprofile")
	cmd.Flags().MarkHidden("memprofile-every")
	return cmd
}

// refuseExample refuses to serve the example company (built in, or the
// file copied unchanged, as the container image ships it): its people are
// fictional, so a forgotten config mount would run a desk nobody can use.
func (g *globals) refuseExample(source string) error {
	example := source == builtInSource
	if !example {
		b, err := os.ReadFile(source)
		example = err == nil && bytes.Equal(b, askdesk.ExampleConfig)
	}
	if !example {
		return nil
	}
	return fmt.Errorf("%s is the example company (fictional people and channels): serve needs your own config.\n"+
		"Write one (docs/configuration.md; askdesk check-config checks it) and pass it with --config,\n"+
		"or in a container mount it over /etc/askdesk/askdesk.toml (docker run -v $PWD/askdesk.toml:/etc/askdesk/askdesk.toml:ro …).\n"+
		"The console runs the example as it is: askdesk console", source)
}

// checkSlackConfig says which secret is missing, and what to do instead.
func checkSlackConfig(c config.SlackConfig) error {
	var missing []string
	if c.BotToken == "" {
		missing = append(missing, "SLACK_BOT_TOKEN (the bot token, xoxb-…)")
	}
	if c.AppToken == "" && c.SigningSecret == "" {
		missing = append(missing, "SLACK_APP_TOKEN (xapp-…, for Socket Mode) or SLACK_SIGNING_SECRET (for HTTP mode)")
	}
	if c.AppToken != "" && !strings.HasPrefix(c.AppToken, "xapp-") {
		return errors.New("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
	}
	if len(missing) > 0 {
		return fmt.Errorf("serve needs %s.\nSet them in the environment (see docs/slack.md).\nTo try askdesk without Slack, run: askdesk console", strings.Join(missing, " and "))
	}
	return nil
}
