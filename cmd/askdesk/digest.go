package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/console"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/bot/report/chart"
	"github.com/askdesk/askdesk/store"
)

// trendWeeks is how many weeks the digest's chart shows.
const trendWeeks = 8

func (g *globals) digestCmd() *cobra.Command {
	var weekFlag, deptFlag, chartPath, nowFlag string
	var post bool
	cmd := &cobra.Command{
		Use:   "digest",
		Short: "Print the weekly digest: each department's, then the whole company's",
		Long: `Print the weekly service digest from the database: volume, first-response and
resolution SLA attainment, business-time medians, the worst open breaches,
the change on the week before and who served best. Each department's week
runs Monday 00:00 to Monday 00:00 in its own time zone; the company's in
[schedule] timezone (UTC when unset). The default week is the last one
complete everywhere. docs/digests.md has the rules.`,
		Example: `  askdesk digest
  askdesk digest --week 2026-W47 --dept finance --chart finance.png`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, dir, _, err := g.loadDirectory(cmd)
			if err != nil {
				return err
			}
			org := time.UTC
			if cfg.Schedule.Timezone != "" {
				if org, err = time.LoadLocation(cfg.Schedule.Timezone); err != nil {
					return fmt.Errorf("schedule.timezone: %w", err)
				}
			}
			now := time.Now()
			if nowFlag != "" {
				if now, err = parseNow(nowFlag); err != nil {
					return err
				}
			}
			var dept *bot.Department
			zones := []*time.Location{org}
			if deptFlag != "" {
				if dept, err = dir.Department(deptFlag); err != nil {
					return userError(err)
				}
				zones = []*time.Location{dept.Calendar.Location}
			} else {
				for _, dep := range dir.Departments {
					zones = append(zones, dep.Calendar.Location)
				}
			}
			week, err := digestWeek(weekFlag, now, zones)
			if err != nil {
				return err
			}
			db, err := g.openExisting(cmd, cfg, ": requests are filed with askdesk console or serve", true)
			if err != nil {
				return err
			}
			defer db.Close()
			var digests []*report.Digest
			if dept != nil {
				d, err := report.ComputeDigest(cmd.Context(), db, dir, dept, week, org, now)
				if err != nil {
					return userError(err)
				}
				digests = []*report.Digest{d}
			} else if digests, err = report.ComputeDigests(cmd.Context(), db, dir, week, org, now); err != nil {
				return userError(err)
			}
			out := cmd.OutOrStdout()
			// Each digest in its channel's language, as PostDigest posts it.
			words := bot.New(dir, db, bot.Discard{}, bot.NewManualClock(now), nil)
			for i, d := range digests {
				if i > 0 {
					fmt.Fprintln(out)
				}
				fmt.Fprintln(out, console.Plain(dir, d.TextIn(words.ChannelPrinter(d.Dept))))
			}
			if post {
				if err := postDigests(cmd, dir, db, dept, week, cfg.Schedule.DigestChannel, org, bot.NewManualClock(now)); err != nil {
					return err
				}
			}
			if chartPath == "" {
				return nil
			}
			weeks, err := report.Trend(cmd.Context(), db, dir, dept, week, trendWeeks, org, now)
			if err != nil {
				return err
			}
			p := bot.New(dir, db, bot.Discard{}, bot.NewManualClock(now), nil).ChannelPrinter(dept)
			who := p.T("chart.all_departments")
			if dept != nil {
				who = dept.DisplayName
			}
			first := weeks[0].Week
			if y, w, err := report.ParseISOWeek(first); err == nil {
				first = p.Week(y, w)
			}
			title := p.T("chart.cli_title", "Who", who, "From", first, "To", p.Week(week.Year, week.Week))
			png, err := chart.Trend(weeks, report.ChartWordsIn(p, title), p.Tag())
			if err != nil {
				return err
			}
			if err := os.WriteFile(chartPath, png, 0o644); err != nil {
				return fmt.Errorf("write chart: %w", err)
			}
			fmt.Fprintf(out, "\nChart (%d weeks to %s): %s\n", trendWeeks, week, chartPath)
			return nil
		},
	}
	cmd.Flags().StringVar(&weekFlag, "week", "", "ISO week, like 2026-W47 (default: the last week complete in every zone shown)")
	cmd.Flags().StringVar(&deptFlag, "dept", "", "only this department's digest (a name or alias)")
	cmd.Flags().StringVar(&chartPath, "chart", "", "also write an 8-week trend chart to this PNG file")
	cmd.Flags().StringVar(&nowFlag, "now", "", "compute as of this time (RFC 3339) instead of now")
	cmd.Flags().BoolVar(&post, "post", false, "also post them to their channels: queued in the outbox for serve to deliver, once per channel and week")
	g.langFlag(cmd)
	return cmd
}

// digestWeek is the week asked for, or the latest one over in every zone.
func digestWeek(flag string, now time.Time, zones []*time.Location) (report.ISOWeek, error) {
	if flag != "" {
		y, w, err := report.ParseISOWeek(flag)
		if err != nil {
			return report.ISOWeek{}, fmt.Errorf("--week: %s", bot.ErrorMessage(err))
		}
		return report.ISOWeek{Year: y, Week: w}, nil
	}
	week := report.LastCompleteWeek(now, zones[0])
	for _, z := range zones[1:] {
		if w := report.LastCompleteWeek(now, z); w.Before(week) {
			week = w
		}
	}
	return week, nil
}

// userError shows a coded error's message alone; others in full.
func userError(err error) error {
	if code := bot.ErrorCode(err); code != bot.EINTERNAL {
		return errors.New(bot.ErrorMessage(err))
	}
	return err
}

// postDigests queues the digests shown in the outbox, where a running serve
// delivers them (or the next one to start). A week already posted to a
// channel, by the schedule or an earlier --post, is not posted again.
func postDigests(cmd *cobra.Command, dir *bot.Directory, db *store.DB, dept *bot.Department, week report.ISOWeek, orgChannel string, org *time.Location, clock bot.Clock) error {
	desk := bot.New(dir, db, bot.Discard{}, clock, nil)
	targets := dir.Departments
	if dept != nil {
		targets = []*bot.Department{dept}
	}
	out := cmd.OutOrStdout()
	post := func(dep *bot.Department, channel string) error {
		posted, dg, err := report.PostDigest(cmd.Context(), desk, db, dep, week, orgChannel, org, chart.Trend)
		if err != nil {
			return userError(err)
		}
		switch {
		case !posted && dep != nil && dg != nil && dg.Quiet() && !dep.DigestWhenQuiet:
			fmt.Fprintf(out, "Nothing filed, open or resolved in %s: no digest for %s (digest_when_quiet = true asks for one).\n", dg.Week, channel)
		case posted:
			fmt.Fprintf(out, "Queued for %s: askdesk serve delivers it.\n", channel)
		default:
			fmt.Fprintf(out, "Already posted to %s for %s; not posted again.\n", channel, week)
		}
		return nil
	}
	fmt.Fprintln(out)
	for _, dep := range targets {
		if err := post(dep, dep.Channel); err != nil {
			return err
		}
	}
	if dept == nil && orgChannel != "" {
		return post(nil, orgChannel)
	}
	return nil
}
