package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

func (g *globals) retentionCmd() *cobra.Command {
	var dryRun bool
	var nowFlag string
	cmd := &cobra.Command{
		Use:   "retention",
		Short: "Redact the text of requests finished longer ago than [retention] redact_after",
		Long: `Apply the config's [retention] policy now: the text of requests closed or
cancelled longer ago than redact_after (their title and description, the
replies, notes and reasons in their history, their rating comments) and
survey comments given before then are replaced by "[redacted]". Rows, times,
people, departments, states, priorities and scores are kept, so digests,
reports and exports count the same. serve does this daily; run it by hand to
see what it would do (--dry-run) or to catch up at once. Safe while serve
runs: it works in transactions of a hundred requests.`,
		Example: `  askdesk retention --dry-run
  askdesk retention`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, _, source, err := g.loadDirectory(cmd)
			if err != nil {
				return err
			}
			after := cfg.RedactAfter()
			if after == 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "Retention is off in %s: text is kept for good. Set [retention] redact_after (like \"365d\") to redact it.\n", source)
				return nil
			}
			now := time.Now()
			if nowFlag != "" {
				if now, err = parseNow(nowFlag); err != nil {
					return err
				}
			}
			db, err := g.openExisting(cmd, cfg, "", true)
			if err != nil {
				return err
			}
			defer db.Close()
			db.Now = func() time.Time { return now }
			before := now.Add(-after)
			var st store.RedactStats
			verb := "Redacted"
			if dryRun {
				st, err = db.ToRedact(cmd.Context(), before)
				verb = "Would redact"
			} else {
				st, err = db.Redact(cmd.Context(), before)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s the text of %d requests closed or cancelled before %s (%s ago): %d events, %d rating comments; %d survey comments.\n",
				verb, st.Requests, before.UTC().Format(time.RFC3339), cfg.Retention.RedactAfter, st.Events, st.Ratings, st.Surveys)
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "count what would be redacted, change nothing")
	cmd.Flags().StringVar(&nowFlag, "now", "", "apply the policy as of this time (RFC 3339) instead of now")
	return cmd
}

// retentionJob returns serve's daily retention job: it redacts what
// redactAfter says is old enough (see store.DB.Redact), logs what it did,
// and returns the rows it changed. It returns nil when retention is off
// (redactAfter 0), so the job is not scheduled.
func retentionJob(db *store.DB, redactAfter time.Duration, clock bot.Clock, log *slog.Logger) func(ctx context.Context) (int64, error) {
	if redactAfter <= 0 {
		return nil
	}
	return func(ctx context.Context) (int64, error) {
		before := clock.Now().Add(-redactAfter)
		st, err := db.Redact(ctx, before)
		if st.Total() > 0 {
			log.Info("redacted old text", "job", "retention", "before", before.UTC().Format(time.RFC3339),
				"requests", st.Requests, "events", st.Events, "ratings", st.Ratings, "surveys", st.Surveys)
		}
		if err != nil {
			return st.Total(), fmt.Errorf("retention: %w", err)
		}
		return st.Total(), nil
	}
}

// alsoDaily runs the daily jobs one after another, skipping nil ones, and
// returns the rows they changed and their errors joined: one @daily slot of
// the scheduler holds them all.
func alsoDaily(jobs ...func(ctx context.Context) (int64, error)) func(ctx context.Context) (int64, error) {
	return func(ctx context.Context) (int64, error) {
		var total int64
		var errs []error
		for _, job := range jobs {
			if job == nil {
				continue
			}
			n, err := job(ctx)
			total += n
			errs = append(errs, err)
		}
		return total, errors.Join(errs...)
	}
}
