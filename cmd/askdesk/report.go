package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/catalog"
	"github.com/askdesk/askdesk/bot/i18n"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/store"
)

// readSetup is what report, map and export read with: the company, its
// zone, the time to count as now and the database, which must exist.
type readSetup struct {
	dir *bot.Directory
	org *time.Location
	now time.Time
	db  *store.DB
}

// openForReading checks --format against formats, loads the config and
// opens the database for a command that only reads; the caller closes
// setup.db.
func (g *globals) openForReading(cmd *cobra.Command, nowFlag, format string, formats []string) (*readSetup, error) {
	if !slices.Contains(formats, format) {
		return nil, fmt.Errorf("--format %q: use %s", format, strings.Join(formats, ", "))
	}
	cfg, dir, _, err := g.loadDirectory(cmd)
	if err != nil {
		return nil, err
	}
	s := &readSetup{dir: dir, org: time.UTC, now: time.Now()}
	if cfg.Schedule.Timezone != "" {
		if s.org, err = time.LoadLocation(cfg.Schedule.Timezone); err != nil {
			return nil, fmt.Errorf("schedule.timezone: %w", err)
		}
	}
	if nowFlag != "" {
		if s.now, err = parseNow(nowFlag); err != nil {
			return nil, err
		}
	}
	if s.db, err = g.openExisting(cmd, cfg, ": requests are filed with askdesk console or serve", true); err != nil {
		return nil, err
	}
	// The standards in force are the catalogue's (leads may have changed
	// them in Slack); the file's stand in while it is empty.
	cat, err := catalog.Open(cmd.Context(), catalog.Options{Config: cfg, Source: cfg.CatalogSource(), Store: s.db, Clock: bot.SystemClock{}, ReadOnly: true})
	if err != nil {
		s.db.Close()
		return nil, userError(err)
	}
	s.dir = cat.Directory()
	return s, nil
}

// printer is the language report and map print in: dept's (nil: the
// company's, which --lang sets), as its channel reads its digest.
func (s *readSetup) printer(dept *bot.Department) *i18n.Printer {
	return bot.New(s.dir, s.db, bot.Discard{}, bot.NewManualClock(s.now), nil).ChannelPrinter(dept)
}

// userErrorIn is userError with the message in p's language.
func userErrorIn(p *i18n.Printer, err error) error {
	if code := bot.ErrorCode(err); code != bot.EINTERNAL {
		return errors.New(bot.ErrorText(p, err))
	}
	return err
}

// zones are the time zones a default period must be complete in.
func (s *readSetup) zones(dept *bot.Department) []*time.Location {
	if dept != nil {
		return []*time.Location{dept.Calendar.Location}
	}
	zones := []*time.Location{s.org}
	for _, d := range s.dir.Departments {
		zones = append(zones, d.Calendar.Location)
	}
	return zones
}

// periodFlags are --quarter, --from and --to, shared by report and map.
type periodFlags struct{ quarter, from, to string }

func (p *periodFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&p.quarter, "quarter", "", "a calendar quarter, like 2026-Q3 (default: the last quarter complete everywhere)")
	cmd.Flags().StringVar(&p.from, "from", "", "first day of the period, like 2026-07-01 (with --to)")
	cmd.Flags().StringVar(&p.to, "to", "", "last day of the period, included, like 2026-09-30 (with --from)")
}

func (p *periodFlags) period(pr *i18n.Printer, now time.Time, zones []*time.Location) (report.Period, error) {
	per, err := report.ParsePeriod(p.quarter, p.from, p.to, now, zones...)
	if err != nil {
		return report.Period{}, userErrorIn(pr, err)
	}
	return per, nil
}

func (g *globals) reportCmd() *cobra.Command {
	var period periodFlags
	var deptFlag, format, nowFlag string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Print the service scorecards: each department's standards against what it did",
		Long: `Print each department's scorecard for a period, then the company's: its
service standards (targets per priority) against what was met, volume, first
response and resolution attainment, median and p90 times in business time,
satisfaction (average, distribution, response rate), the quarterly survey,
reopenings, the change on the period before, and who served best, with the
rule. Each department's period runs in its own time zone; the company's in
[schedule] timezone. docs/reports.md has the rules.`,
		Example: `  askdesk report                              # the last complete quarter
  askdesk report --quarter 2026-Q3 --dept finance --format markdown
  askdesk report --from 2026-07-01 --to 2026-08-31 --format csv > scorecards.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := g.openForReading(cmd, nowFlag, format, report.ReportFormats)
			if err != nil {
				return err
			}
			defer s.db.Close()
			opts := report.ReportOptions{OrgZone: s.org, Now: s.now}
			if deptFlag != "" {
				if opts.Dept, err = s.dir.Department(deptFlag); err != nil {
					return userError(err)
				}
			}
			p := s.printer(opts.Dept)
			if opts.Period, err = period.period(p, s.now, s.zones(opts.Dept)); err != nil {
				return err
			}
			rep, err := report.ComputeReport(cmd.Context(), s.db, s.dir, opts)
			if err != nil {
				return userErrorIn(p, err)
			}
			return report.WriteReportIn(cmd.OutOrStdout(), p, rep, format, s.dir)
		},
	}
	cmd.AddCommand(g.reportRebuildCmd())
	period.add(cmd)
	cmd.Flags().StringVar(&deptFlag, "dept", "", "only this department (a name or alias)")
	cmd.Flags().StringVar(&format, "format", "table", "table, markdown, csv or json")
	cmd.Flags().StringVar(&nowFlag, "now", "", "compute as of this time (RFC 3339) instead of now")
	g.langFlag(cmd)
	return cmd
}

func (g *globals) reportRebuildCmd() *cobra.Command {
	var later bool
	cmd := &cobra.Command{
		Use:   "rebuild",
		Short: "Work out every request's report figures again, and the counts kept from them",
		Long: `Forget the figures askdesk keeps for reports (each request's parts and the
counts kept per department and day), count the ratings again, and work every
request out afresh from its history, as the first start after an upgrade
does. Use it when a report fails because its kept counts disagree with the
requests ("the counts kept for reports disagree with the stored parts").

Reports stay exact meanwhile: each works out what it needs before it counts
(and reads again if a rebuild commits while it reads), so reports are slow
until the work is done. Without --later the work is done
now, in short transactions, safe while serve runs (as the first start after
an upgrade does); with --later serve does it in the background.`,
		Example: `  askdesk report rebuild
  askdesk report rebuild --later   # leave the work to serve`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := g.openForReading(cmd, "", "table", report.ReportFormats)
			if err != nil {
				return err
			}
			defer s.db.Close()
			if err := s.db.ResetReportParts(cmd.Context()); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if later {
				fmt.Fprintln(out, "Report figures forgotten: serve works them out again in the background; reports work out what they need meanwhile.")
				return nil
			}
			start := time.Now()
			if err := report.RefreshParts(cmd.Context(), s.db, s.dir, s.now); err != nil {
				return err
			}
			fmt.Fprintf(out, "Report figures worked out again in %s.\n", time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().BoolVar(&later, "later", false, "only forget the figures; serve (or the next report) works them out")
	return cmd
}
