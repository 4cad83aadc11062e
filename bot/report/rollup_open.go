package report

import (
	"github.com/askdesk/askdesk/bot"

	"context"
	"fmt"
	"slices"
	"time"
)

// openGap is how far apart two instants at which a department's open
// requests are counted may be and still be read as one range: a period's
// end in the department's zone and in the company's are hours apart, the
// two periods of a report weeks or months. The parts that began between
// them are read for nothing, so the gap stays short.
const openGap = 2 * 24 * time.Hour

// eachPartOpenAtAll calls fn with each part of dept open at one of
// instants (and maybe a few others), reading the instants that lie close
// together as one range (Rollups.EachPartOpenDuring).
func eachPartOpenAtAll(ctx context.Context, ro Rollups, dept string, instants []time.Time, fn func(PartRow) error) error {
	ts := slices.Clone(instants)
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	for i := 0; i < len(ts); {
		j := i + 1
		for j < len(ts) && ts[j].Sub(ts[j-1]) <= openGap && ts[j].Sub(ts[i]) <= openGap {
			j++
		}
		if err := ro.EachPartOpenDuring(ctx, []string{dept}, ts[i], ts[j-1], fn); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// historyInstants are, for each of deps, every instant at which its open
// requests may be counted: the ends of all spans (of which a department
// counts some), and those openAt names.
func historyInstants(deps []*bot.Department, spans []span, openAt map[string][]time.Time) map[string][]time.Time {
	out := map[string][]time.Time{}
	for _, dep := range deps {
		var ts []time.Time
		for _, s := range spans {
			ts = append(ts, s.at)
		}
		out[dep.Name] = append(ts, openAt[dep.Name]...)
	}
	return out
}

// needsHistory says whether openAt reads f's history at one of instants:
// its request was reopened at or after an instant at which the
// department held it (openFromHistory). Most reopened parts were reopened
// long before or after every instant counted, and their histories are
// not read.
func needsHistory(f *reqFacts, instants []time.Time) bool {
	r := f.r
	if r.Reopens == 0 {
		return false
	}
	for _, e := range instants {
		held := r.HeldFrom().Before(e) && (r.PassedOnAt.IsZero() || !r.PassedOnAt.Before(e))
		if held && !r.ResolutionStart.Before(e) {
			return true
		}
	}
	return false
}

// readHistoriesAt reads the history of each loaded request that openAt
// replays at one of its department's instants (needsHistory), in one
// read for all (hundreds in a quarter's report).
func readHistoriesAt(ctx context.Context, ro Rollups, d *digestData, instants map[string][]time.Time) error {
	var ids []string
	var need []*reqFacts
	for name, fs := range d.byDept {
		for _, f := range fs {
			if needsHistory(f, instants[name]) {
				ids, need = append(ids, f.r.ID), append(need, f)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	hs, err := ro.HistoriesOf(ctx, ids)
	if err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	for _, f := range need {
		if f.history = hs[f.r.ID]; f.history == nil {
			return fmt.Errorf("digest: %w", bot.E(bot.ENOTFOUND, "err.no_request", "ID", f.r.ID))
		}
	}
	return nil
}
