package report

import (
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"

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
		return Period{}, bot.E(bot.EINVALID, "report.err.ends_before", "Last", dateText(p.Last), "First", dateText(p.First))
	}
	if p.Days() > maxPeriodDays {
		return Period{}, bot.E(bot.EINVALID, "report.err.too_long", "Period", p.sub(), "Days", p.Days(), "Max", maxPeriodDays)
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
		return time.Time{}, bot.E(bot.EINVALID, "report.err.bad_date", "Text", bot.Escape(s))
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

// String names the period as CSV and JSON write it, whatever the reader's
// language: "2026-Q3", or "2026-07-01 to 2026-08-15". NameIn says it for
// people.
func (p Period) String() string {
	if p.Quarter != nil {
		return p.Quarter.String()
	}
	return dateText(p.First) + " to " + dateText(p.Last) //i18n:ok the machine form of report CSV and JSON
}

// NameIn names the period in pr's language (nil: English): "2026-Q3",
// "2026年第3季度"; "2026-07-01 to 2026-08-15", "2026-07-01至2026-08-15".
func (p Period) NameIn(pr *i18n.Printer) string {
	if p.Quarter != nil {
		return pr.Quarter(p.Quarter.Year, p.Quarter.Q)
	}
	return pr.T("report.period.dates", "From", dateText(p.First), "To", dateText(p.Last))
}

// sub is the period's name as an argument of a coded error, said in the
// reader's language when it is shown.
func (p Period) sub() bot.Sub {
	if p.Quarter != nil {
		return bot.S("fmt.quarter", "Year", p.Quarter.Year, "Q", p.Quarter.Q)
	}
	return bot.S("report.period.dates", "From", dateText(p.First), "To", dateText(p.Last))
}

// Dates is the period for people: "1 Jul – 30 Sep 2026".
func (p Period) Dates() string { return p.DatesIn(nil) }

// DatesIn is Dates in pr's language: "2026年7月1日至9月30日".
func (p Period) DatesIn(pr *i18n.Printer) string { return pr.DateRange(p.First, p.Last) }

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
		return Period{}, bot.E(bot.EINVALID, "report.err.quarter_and_dates")
	case quarter != "":
		q, err := bot.ParseQuarter(quarter)
		if err != nil {
			return Period{}, err
		}
		return QuarterPeriod(q), nil
	case from == "" && to == "":
		return QuarterPeriod(LastCompleteQuarter(now, zones...)), nil
	case from == "" || to == "":
		return Period{}, bot.E(bot.EINVALID, "report.err.half_period")
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
	return bot.E(bot.EINVALID, "report.err.not_begun", "Period", p.sub())
}

// periodNote says, in p's language, for a period not over at at, that
// figures are so far.
func periodNote(p *i18n.Printer, to, at time.Time, loc *time.Location) string {
	if !at.Before(to) {
		return ""
	}
	at = at.In(loc)
	return p.T("report.so_far", "Date", p.Date(at), "Clock", at.Format("15:04"))
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
