package report

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// StandingCommand returns the desk's Standing hook (bot.Desk.Standing):
// a department's figures this week (from Monday) and this quarter so far,
// in its own zone, counted as the digests and scorecards count them.
// A quarter of a busy department is tens of thousands of requests (about
// 1.4 s to count at a million in the store), and a lead's Home is
// published again whenever their department's requests change: so each
// department's figures are kept for StandingFresh and counted again after.
func StandingCommand(d *bot.Desk) func(ctx context.Context, dir *bot.Directory, dept string) (*bot.Standing, error) {
	var mu sync.Mutex
	type kept struct {
		at  time.Time
		dep *bot.Department
		s   *bot.Standing
	}
	cache := map[string]kept{}
	return func(ctx context.Context, dir *bot.Directory, dept string) (*bot.Standing, error) {
		reports, ok := d.Store.(Reports)
		if !ok {
			return nil, bot.Errorf(bot.EINTERNAL, "the store cannot report") //i18n:ok internal: logged, the reader sees err.internal
		}
		dep := dir.ByName(dept)
		if dep == nil {
			return nil, bot.E(bot.ENOTFOUND, "report.err.no_dept", "Dept", bot.Escape(dept))
		}
		now := d.Now()
		mu.Lock()
		k, hit := cache[dept]
		mu.Unlock()
		// A changed standard (a new *Department) counts afresh.
		if hit && k.dep == dep && !now.Before(k.at) && now.Sub(k.at) < StandingFresh {
			return k.s, nil
		}
		s, err := ComputeStanding(ctx, reports, dir, dep, now)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		cache[dept] = kept{at: now, dep: dep, s: s}
		mu.Unlock()
		return s, nil
	}
}

// StandingFresh is how long a department's standing figures are reused.
const StandingFresh = 10 * time.Minute

// ComputeStanding counts dep's figures for the ISO week and the calendar
// quarter holding now, both up to now; dir is the directory dep is in.
func ComputeStanding(ctx context.Context, reports Reports, dir *bot.Directory, dep *bot.Department, now time.Time) (*bot.Standing, error) {
	loc := dep.Calendar.Location
	today := civil(now.In(loc))
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	q := bot.QuarterOf(now, loc)
	qFirst, _ := q.Range(time.UTC)
	periods := []Period{{First: monday, Last: today}, {First: qFirst, Last: today}}
	spans := []span{periods[0].span(loc, now), periods[1].span(loc, now)}
	data, err := loadDigestData(ctx, reports, dir, []*bot.Department{dep}, spans, false, now)
	if err != nil {
		return nil, fmt.Errorf("standing: %w", err)
	}
	tallies := data.count(dep, spans, false)
	var csat [2]Scores
	if rr, ok := reports.(RatingRows); ok {
		from, to := spanBounds(spans)
		err := rr.EachRating(ctx, from, to, func(r bot.Rating) error {
			for i, s := range spans {
				if r.Dept == dep.Name && s.holds(r.AskedAt) {
					csat[i].addRating(r)
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("standing ratings: %w", err)
		}
	}
	// The labels in English; the Home says them in its reader's language
	// from Since and Quarter.
	var en *i18n.Printer
	labels := []string{en.T("report.standing.week", "Date", en.Date(monday)),
		en.T("report.standing.quarter", "Quarter", en.Quarter(q.Year, q.Q))}
	quarters := []*bot.Quarter{nil, &q}
	var out [2]bot.StandingFigures
	for i := range out {
		f := tallies[i].figures()
		avg, _ := csat[i].Average()
		out[i] = bot.StandingFigures{Label: labels[i], Since: periods[i].First, Quarter: quarters[i], FirstResponses: f.FirstResponses, FirstResponsesMet: f.FirstResponsesMet,
			Resolved: f.Resolved, ResolutionsMet: f.ResolutionsMet, RightFirstTime: f.RightFirstTime,
			Ratings: csat[i].Answered, Average: avg}
	}
	return &bot.Standing{Week: out[0], Quarter: out[1]}, nil
}
