package main

import (
	"github.com/spf13/cobra"

	"github.com/askdesk/askdesk/bot/report"
)

func (g *globals) mapCmd() *cobra.Command {
	var period periodFlags
	var format, nowFlag string
	cmd := &cobra.Command{
		Use:   "map",
		Short: "Print the relationship map: which department is whose internal customer",
		Long: `Print the department × department matrix of a period's requests, from the
requester's department (their home department in the config, "unknown"
otherwise) to the department that served them, with the SLA targets met and
the ratings given per pair. --format dot writes a Graphviz digraph (edges
labelled and weighted by requests: dot -Tsvg map.dot > map.svg); --format
mermaid a flowchart that renders in Markdown docs.`,
		Example: `  askdesk map --quarter 2026-Q3
  askdesk map --format dot | dot -Tsvg > map.svg
  askdesk map --from 2026-07-01 --to 2026-09-30 --format mermaid`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := g.openForReading(cmd, nowFlag, format, report.MapFormats)
			if err != nil {
				return err
			}
			defer s.db.Close()
			pr := s.printer(nil)
			p, err := period.period(pr, s.now, s.zones(nil))
			if err != nil {
				return err
			}
			m, err := report.ComputeMap(cmd.Context(), s.db, s.dir, p, s.now)
			if err != nil {
				return userErrorIn(pr, err)
			}
			return report.WriteMapIn(cmd.OutOrStdout(), pr, m, format)
		},
	}
	period.add(cmd)
	cmd.Flags().StringVar(&format, "format", "table", "table, dot or mermaid")
	cmd.Flags().StringVar(&nowFlag, "now", "", "compute as of this time (RFC 3339) instead of now")
	g.langFlag(cmd)
	return cmd
}
