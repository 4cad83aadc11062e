package report

import (
	"github.com/askdesk/askdesk/bot"

	"fmt"
	"strings"
	"time"
)

// maxPeriodDays bounds a report's period, so that a mistyped year does not
// read a decade of history.
const maxPeriodDays = 3 * 366

// Period is a run of whole days that a report or the relationship map
// covers: from the first date's midnight to the midnight after the last,
// read in each department's own time zone (the company's in the org zone),
// as digest weeks are. A quarter is a period that knows it is one.
type Period struct {
	// First and Last are civil dates, held as midnight UTC; both included.
	First, Last time.Time
	// Quarter is set when the period is exactly that quarter.
	Quarter *bot.Quarter
}

// QuarterPeriod returns the period of a calendar quarter.
func QuarterPeriod(q bot.Quarter) Period {
	from, to := q.Range(time.UTC)
	return Period{First: from, Last: to.AddDate(0, 0, -1), Quarter: &q}
}

// DatePeriod returns the period from first to last, both included (only
// their dates count). It returns EINVALID when last comes before first or
// the period is longer than three years. A period that is exactly a
// quarter is that quarter.
func DatePeriod(first, last time.Time) (Period, error) {
	p := Period{First: civil(first), Last: civil(last)}
	if p.Last.Before(p.First) {
		return Period{}, bot.Errorf(bot.EINVALID, "The period ends (%s) before it starts (%s).", dateText(p.Last), dateText(p.First))
	}
	if p.Days() > maxPeriodDays {
		return Period{}, bot.Errorf(bot.EINVALID, "%s is %d days; a report covers at most %d (three years).", p, p.Days(), maxPeriodDays)
	}
	if q := bot.QuarterOf(p.First, time.UTC); QuarterPeriod(q).Last.Equal(p.Last) && QuarterPeriod(q).First.Equal(p.First) {
		p.Quarter = &q
	}
	return p, nil
}

// ParseDate reads a date written 2026-07-01; EINVALID otherwise.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, bot.Errorf(bot.EINVALID, "“%s” is not a date; write it like 2026-07-01", bot.Escape(s))
	}
	return t, nil
}

func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func dateText(t time.Time) string { return t.Format(time.DateOnly) }

// Days returns how many days the period holds.
func (p Period) Days() int { return int(p.Last.Sub(p.First).Hours()/24) + 1 }

// String names the period: "2026-Q3", or "2026-07-01 to 2026-08-15".
func (p Period) String() string {
	if p.Quarter != nil {
		return p.Quarter.String()
	}
	return dateText(p.First) + " to " + dateText(p.Last)
}

// Dates is the period for people: "1 Jul – 30 Sep 2026".
func (p Period) Dates() string {
	first := "2 Jan"
	if p.First.Year() != p.Last.Year() {
		first = "2 Jan 2006"
	}
	return p.First.Format(first) + " – " + p.Last.Format("2 Jan 2006")
}

// Range returns the period in loc: from the first date's midnight to the
// midnight after the last.
func (p Period) Range(loc *time.Location) (from, to time.Time) {
	y, m, d := p.First.Date()
	ly, lm, ld := p.Last.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc), time.Date(ly, lm, ld+1, 0, 0, 0, 0, loc)
}

// Prev returns the period a report compares with: the quarter before a
// quarter, otherwise as many days just before.
func (p Period) Prev() Period {
	if p.Quarter != nil {
		return QuarterPeriod(p.Quarter.Prev())
	}
	n := p.Days()
	return Period{First: p.First.AddDate(0, 0, -n), Last: p.First.AddDate(0, 0, -1)}
}

// Quarters returns the quarters lying wholly within the period, oldest
// first: those whose survey speaks of it.
func (p Period) Quarters() []bot.Quarter {
	var out []bot.Quarter
	for q := bot.QuarterOf(p.First, time.UTC); ; q = nextQuarter(q) {
		qp := QuarterPeriod(q)
		if qp.Last.After(p.Last) {
			return out
		}
		if !qp.First.Before(p.First) {
			out = append(out, q)
		}
	}
}

// nextQuarter is the quarter after q (bot.Quarter has Prev).
func nextQuarter(q bot.Quarter) bot.Quarter {
	if q.Q == 4 {
		return bot.Quarter{Year: q.Year + 1, Q: 1}
	}
	return bot.Quarter{Year: q.Year, Q: q.Q + 1}
}

// span is the period in loc as the digest's counting sees it; a period not
// over counts up to now.
func (p Period) span(loc *time.Location, now time.Time) span {
	from, to := p.Range(loc)
	return span{from: from, to: to, at: minTime(to, now)}
}

// LastCompleteQuarter returns the latest quarter that has ended at now in
// every one of zones (UTC when none are given): on the morning of 1 July in
// Shanghai, New York's second quarter is not over yet, so it is the first.
func LastCompleteQuarter(now time.Time, zones ...*time.Location) bot.Quarter {
	if len(zones) == 0 {
		zones = []*time.Location{time.UTC}
	}
	var last bot.Quarter
	for i, z := range zones {
		q := bot.QuarterOf(now, z).Prev()
		if i == 0 || q.Year < last.Year || (q.Year == last.Year && q.Q < last.Q) {
			last = q
		}
	}
	return last
}

// ParsePeriod reads the period flags of askdesk report and map: a quarter
// ("2026-Q3"), or a first and a last date (both included). With none, it is
// the last quarter complete in every one of zones at now. It returns
// EINVALID for anything else, saying what to write.
func ParsePeriod(quarter, from, to string, now time.Time, zones ...*time.Location) (Period, error) {
	switch {
	case quarter != "" && (from != "" || to != ""):
		return Period{}, bot.Errorf(bot.EINVALID, "Give either a quarter or dates (from and to), not both.")
	case quarter != "":
		q, err := bot.ParseQuarter(quarter)
		if err != nil {
			return Period{}, err
		}
		return QuarterPeriod(q), nil
	case from == "" && to == "":
		return QuarterPeriod(LastCompleteQuarter(now, zones...)), nil
	case from == "" || to == "":
		return Period{}, bot.Errorf(bot.EINVALID, "Give both dates of the period, from and to (both included), like 2026-07-01 and 2026-09-30.")
	}
	first, err := ParseDate(from)
	if err != nil {
		return Period{}, err
	}
	last, err := ParseDate(to)
	if err != nil {
		return Period{}, err
	}
	return DatePeriod(first, last)
}

// begun reports whether any of spans (one period in several zones) has
// begun at now.
func begun(now time.Time, spans []span) bool {
	for _, s := range spans {
		if !now.Before(s.from) {
			return true
		}
	}
	return false
}

// spanBounds returns the earliest start and the latest end of spans.
func spanBounds(spans []span) (from, to time.Time) {
	for i, s := range spans {
		if i == 0 {
			from, to = s.from, s.to
		}
		from, to = minTime(from, s.from), maxTime(to, s.to)
	}
	return from, to
}

// notBegun is the error for a period that lies wholly in the future.
func notBegun(p Period) error {
	return bot.Errorf(bot.EINVALID, "%s has not begun yet.", p)
}

// periodNote says, for a period not over at at, that figures are so far.
func periodNote(to, at time.Time, loc *time.Location) string {
	if !at.Before(to) {
		return ""
	}
	return fmt.Sprintf("The period is not over: figures so far, open and overdue as of %s.", at.In(loc).Format("Mon 2 Jan 15:04"))
}

// minTime and maxTime are bot's, for the spans here.
func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
