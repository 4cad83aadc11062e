package report

import (
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"

	"context"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// ChartFunc draws a trend chart as PNG in lang with words; the desk is
// given one so that it need not depend on a plotting library.
type ChartFunc func(weeks []WeekFigures, words ChartWords, lang language.Tag) ([]byte, error)

// ChartWords are the words on a trend chart, in the chart's language: the
// caller gives them (from the catalogue) so the chart knows no language of
// its own. An empty field, or a nil func, is the chart's English word.
type ChartWords struct {
	Title string
	// The attainment lines' legend.
	FirstResponse, Resolution, RightFirstTime string
	// Target is the target line's legend for a target like "90%".
	Target func(pct string) string
	// The volume bars' legend.
	New, Resolved string
	// The axis labels: percent above, request counts below.
	Percent, Requests string
	// Week is an ISO week's tick label; nil: "W47" (the title says the year).
	Week func(year, week int) string
}

// trendWeeks is how many weeks a digest's chart shows.
const trendWeeks = 8

// PostDigest writes the weekly digest of week (the zero ISOWeek: the last
// complete one) for dep (nil: the whole company, to orgChannel in orgZone)
// to d's outbox, once per channel and week whatever restarts or replicas
// do, with the 8-week trend chart when chart is set. A department's quiet
// week (Digest.Quiet) is not posted unless the department asks for it
// (DigestWhenQuiet). It returns whether it posted, and the digest.
func PostDigest(ctx context.Context, d *bot.Desk, reports Reports, dep *bot.Department, week ISOWeek, orgChannel string, orgZone *time.Location, chart ChartFunc) (bool, *Digest, error) {
	now := d.Now()
	// Keys never collide: a department may be called anything, "company"
	// included.
	loc, channel, name, key := orgZone, orgChannel, "company", "digest:company:"
	if dep != nil {
		loc, channel, name, key = dep.Calendar.Location, dep.Channel, dep.Name, "digest:dept:"+dep.Name+":"
	}
	if loc == nil {
		loc = time.UTC
	}
	if channel == "" {
		return false, nil, nil
	}
	if week == (ISOWeek{}) {
		week = LastCompleteWeek(now, loc)
	}
	if _, end := week.Range(loc); end.After(now) {
		// Posting a week so far would take the week's once-only slot from
		// the complete digest.
		return false, nil, bot.E(bot.ECONFLICT, "digest.err.not_over", "Week", bot.S("fmt.week", "Year", week.Year, "Week", week.Week),
			"End", whenSub(end), "Zone", end.Format("MST"))
	}
	dg, err := ComputeDigest(ctx, reports, d.Dir(), dep, week, orgZone, now)
	if err != nil {
		return false, nil, fmt.Errorf("digest %s %s: %w", name, week, err)
	}
	if dep != nil && dg.Quiet() && !dep.DigestWhenQuiet {
		// Nothing to read: an empty digest every week teaches a channel to
		// skip them. The company digest still lists the department.
		return false, dg, nil
	}
	p := d.ChannelPrinter(dep)
	m := bot.Message{To: channel, Text: dg.TextIn(p), Lang: p.Lang()}
	if chart != nil {
		if weeks, err := Trend(ctx, reports, d.Dir(), dep, week, trendWeeks, orgZone, now); err != nil {
			d.Log.WarnContext(ctx, "digest chart: figures", "dept", name, "err", err)
		} else if png, err := chart(weeks, ChartWordsIn(p, p.T("chart.title", "Who", digestTitle(p, dep), "N", trendWeeks)), p.Tag()); err != nil {
			d.Log.WarnContext(ctx, "digest chart: drawing", "dept", name, "err", err)
		} else {
			m.File = &bot.File{Name: fmt.Sprintf("askdesk-%s-%s.png", name, week), Title: p.T("chart.file_title", "Who", digestTitle(p, dep), "Week", p.Week(week.Year, week.Week)), Data: png}
		}
	}
	posted, err := d.Store.PostOnce(ctx, key+week.String(), []bot.Message{m}, now)
	if err != nil {
		return false, dg, err
	}
	if posted {
		d.Notify()
	}
	return posted, dg, nil
}

// whenSub is t as fmt.when.date says it ("Mon 7 Dec 15:04", "12月7日 周一
// 15:04"), as an argument of a coded error, in the reader's language.
func whenSub(t time.Time) bot.Sub {
	return bot.S("fmt.when.date", "Weekday", bot.S("fmt.weekday."+strings.ToLower(t.Weekday().String()[:3])),
		"Day", t.Day(), "Month", bot.S("fmt.month."+strings.ToLower(t.Month().String()[:3])), "Clock", t.Format("15:04"))
}

// ChartWordsIn are a trend chart's words under title in p's language (nil:
// English), from the catalogue's chart.* keys.
func ChartWordsIn(p *i18n.Printer, title string) ChartWords {
	return ChartWords{
		Title:          title,
		FirstResponse:  p.T("chart.first_response"),
		Resolution:     p.T("chart.resolution"),
		RightFirstTime: p.T("chart.right_first_time"),
		Target:         func(pct string) string { return p.T("chart.target", "Percent", pct) },
		New:            p.T("chart.new"),
		Resolved:       p.T("chart.resolved"),
		Percent:        p.T("chart.percent"),
		Requests:       p.T("chart.requests"),
		Week:           func(_, week int) string { return p.T("chart.week", "Week", week) },
	}
}

func digestTitle(p *i18n.Printer, dep *bot.Department) string {
	if dep == nil {
		return p.T("chart.all_departments")
	}
	return dep.DisplayName
}

// Quiet reports whether nothing was filed with, passed to or from, open in
// or resolved by the digest's department in the week.
func (d *Digest) Quiet() bool {
	f := d.Figures
	return f.New == 0 && f.Received == 0 && f.PassedOn == 0 && f.Resolved == 0 && f.Open == 0
}
