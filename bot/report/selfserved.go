package report

import (
	"context"
	"fmt"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// SelfServedReports is the hook for deflection: when the Reports given to
// a digest or a scorecard also implement it (store.DB does), they count
// the questions that earlier answers settled without a request
// (bot.Deflection), per department.
type SelfServedReports interface {
	SelfServedCounts(ctx context.Context, from, to time.Time) (map[string]int, error)
}

// selfServed returns how many questions earlier answers settled for deps
// in [from, to), or 0 when reports does not count them.
func selfServed(ctx context.Context, reports Reports, deps []*bot.Department, from, to time.Time) (int, error) {
	sr, ok := reports.(SelfServedReports)
	if !ok {
		return 0, nil
	}
	counts, err := sr.SelfServedCounts(ctx, from, to)
	if err != nil {
		return 0, fmt.Errorf("self-served: %w", err)
	}
	n := 0
	for _, dep := range deps {
		n += counts[dep.Name]
	}
	return n, nil
}

// selfServedTextIn is the line of digests and scorecards: "3 questions
// answered by earlier answers: no one's time spent".
func selfServedTextIn(p *i18n.Printer, n int) string { return p.N("digest.self_served_text", n) }
