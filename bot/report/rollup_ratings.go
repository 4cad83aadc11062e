package report

import (
	"github.com/askdesk/askdesk/bot"

	"context"
	"fmt"
	"time"
)

// quarterAligned says whether every span starts on a quarter-hour, as
// cells need.
func quarterAligned(spans []span) bool {
	for _, s := range spans {
		if s.from.UnixMilli()%levelSpan[levelQuarter] != 0 {
			return false
		}
	}
	return true
}

// countRatingCells is countRatings from the ratings' cells: each
// section's departments' whole quarter-hours of each period summed by the
// store, and the prompts of the last, unfinished quarter-hour read.
func countRatingCells(ctx context.Context, ro Rollups, reports Reports, rr RatingRows, jobs []*reportJob, spans []span) error {
	var tailFrom, tailTo time.Time
	for _, j := range jobs {
		for i, s := range []span{j.cur, j.prev} {
			into := &j.dr.CSAT
			if i == 1 {
				into = &j.dr.PrevCSAT
			}
			end := coverEnd(s)
			for _, dep := range j.deps {
				sc, err := ratingScores(ctx, ro, dep.Name, s.from, end)
				if err != nil {
					return fmt.Errorf("report ratings: %w", err)
				}
				into.merge(sc)
			}
			if end.Before(s.at) {
				if tailFrom.IsZero() || end.Before(tailFrom) {
					tailFrom = end
				}
				tailTo = maxTime(tailTo, s.at)
			}
		}
	}
	if tailFrom.IsZero() {
		return nil
	}
	err := eachRatingFigure(ctx, reports, rr, tailFrom, tailTo, func(r bot.Rating) error {
		for _, j := range jobs {
			if !servedBy(j.deps, r.Dept) {
				continue
			}
			if cur := (span{from: coverEnd(j.cur), at: j.cur.at}); cur.holds(r.AskedAt) {
				j.dr.CSAT.addRating(r)
			} else if prev := (span{from: coverEnd(j.prev), at: j.prev.at}); prev.holds(r.AskedAt) {
				j.dr.PrevCSAT.addRating(r)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("report ratings: %w", err)
	}
	return nil
}

// ratingScores sums the ratings' cells of dept over [from, to): whole UTC
// days from the day cells, the rest from quarter-hours.
func ratingScores(ctx context.Context, ro Rollups, dept string, from, to time.Time) (Scores, error) {
	var out Scores
	if !from.Before(to) {
		return out, nil
	}
	day := levelSpan[levelDay]
	d0 := time.UnixMilli(-floorDiv(-from.UnixMilli(), day) * day).UTC()
	d1 := time.UnixMilli(floorDiv(to.UnixMilli(), day) * day).UTC()
	type run struct {
		level    int
		from, to time.Time
	}
	runs := []run{{levelQuarter, from, to}}
	if d0.Before(d1) {
		runs = []run{{levelQuarter, from, d0}, {levelDay, d0, d1}, {levelQuarter, d1, to}}
	}
	for _, p := range runs {
		sc, err := ro.RatingScores(ctx, dept, p.level, p.from, p.to)
		if err != nil {
			return out, err
		}
		out.merge(sc)
	}
	return out, nil
}

// merge adds u's counts to s.
func (s *Scores) merge(u Scores) {
	s.Asked += u.Asked
	s.Answered += u.Answered
	for i := range s.Dist {
		s.Dist[i] += u.Dist[i]
	}
}
