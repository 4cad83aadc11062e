package report_test

import (
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/bot/slackapp"
)

// Finance in the test company works 09:00–12:00 and 13:00–18:00 on
// weekdays in New York (8 business hours a day), with Thanksgiving off;
// normal requests: first response 4h, resolution 2d (16h); urgent: 30m, 4h.

func (f *fixture) fileAt(tb testing.TB, when time.Time, user, dept string, p bot.Priority, text string) *bot.Request {
	tb.Helper()
	f.Clock.Set(when)
	r, err := f.Desk.File(f.Ctx, bot.Filing{Requester: user, Dept: dept, Priority: p, Text: text, Source: "test"})
	if err != nil {
		tb.Fatalf("file: %v", err)
	}
	return r
}

func (f *fixture) doAt(tb testing.TB, when time.Time, user string, a bot.Action, id string, args ...string) {
	tb.Helper()
	f.Clock.Set(when)
	f.Do(tb, user, a, id, args...)
}

func (f *fixture) digest(tb testing.TB, dept string, week string, now time.Time) *report.Digest {
	tb.Helper()
	y, w, err := report.ParseISOWeek(week)
	if err != nil {
		tb.Fatal(err)
	}
	var dep *bot.Department
	if dept != "" {
		dep = f.Desk.Dir().ByName(dept)
	}
	d, err := report.ComputeDigest(f.Ctx, f.DB, f.Desk.Dir(), dep, report.ISOWeek{Year: y, Week: w}, mustZone(tb, "America/New_York"), now)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func checkFigures(tb testing.TB, name string, got, want report.Figures) {
	tb.Helper()
	if got != want {
		tb.Errorf("%s figures:\n got %+v\nwant %+v", name, got, want)
	}
}

func h(hours float64) time.Duration { return time.Duration(hours * float64(time.Hour)) }

// seedWeek47 files and works Finance's requests of 2026-W46 and W47 (and
// one of IT's), each at a known time; its comments work out the figures.
func seedWeek47(t *testing.T) (*fixture, func(string) time.Time) {
	t.Helper()
	f := newFixture(t)
	ny := mustZone(t, "America/New_York")
	n := func(s string) time.Time { return at(t, ny, s) }
	// 2026-W46. FIN-1: answered in 1h, resolved in 9h of 16h.
	f.fileAt(t, n("2026-11-10 09:00"), sam, "finance", "", "budget numbers")
	f.doAt(t, n("2026-11-10 10:00"), frank, bot.ActClaim, "FIN-1")
	f.doAt(t, n("2026-11-11 10:00"), frank, bot.ActResolve, "FIN-1")
	// FIN-2, Friday 17:00: answered Monday 11:00 (1h+2h = 3h, met, counts
	// in W47), resolved Tuesday 17:30 (1h+8h+7.5h = 16h30m of 16h: missed),
	// never claimed, so nobody is credited.
	f.fileAt(t, n("2026-11-13 17:00"), sam, "finance", "", "expense claim")
	// 2026-W47. FIN-3: answered in 1h, resolved in 5h.
	f.fileAt(t, n("2026-11-16 09:00"), sam, "finance", "", "invoice <!channel> & co")
	// FIN-4: answered after 8h (due Monday 14:30: missed), resolved after
	// 7.5h+8h+8h+3h = 26h30m (missed).
	f.fileAt(t, n("2026-11-16 09:30"), tina, "finance", "", "purchase order")
	f.doAt(t, n("2026-11-16 10:00"), frank, bot.ActClaim, "FIN-3")
	f.doAt(t, n("2026-11-16 11:00"), frank, bot.ActReply, "FIN-2", "on it")
	f.doAt(t, n("2026-11-16 15:00"), frank, bot.ActResolve, "FIN-3")
	f.doAt(t, n("2026-11-17 09:30"), frank, bot.ActClaim, "FIN-4")
	f.doAt(t, n("2026-11-17 17:30"), frank, bot.ActResolve, "FIN-2")
	// FIN-5, urgent, never answered: first response missed at Wednesday
	// 13:30; at the week's end 5h+8h+8h = 21h counted: 20h30m past the
	// first response's 30m, 17h past the resolution's 4h.
	f.fileAt(t, n("2026-11-18 13:00"), tina, "finance", bot.Urgent, "payroll is wrong")
	// FIN-6: withdrawn after 1h, before its first response was due: not
	// counted for attainment.
	f.fileAt(t, n("2026-11-19 10:00"), sam, "finance", "", "never mind")
	f.doAt(t, n("2026-11-19 11:00"), sam, bot.ActCancel, "FIN-6")
	f.doAt(t, n("2026-11-19 12:00"), frank, bot.ActResolve, "FIN-4")
	// FIN-7: answered in 30m, then waiting on the requester: open, on time.
	f.fileAt(t, n("2026-11-20 17:00"), sam, "finance", "", "card limit")
	f.doAt(t, n("2026-11-20 17:30"), fiona, bot.ActClaim, "FIN-7")
	f.doAt(t, n("2026-11-20 17:45"), fiona, bot.ActWait, "FIN-7", "which card?")
	// An IT request, to check the department digest leaves it out.
	f.fileAt(t, n("2026-11-18 09:00"), sam, "it", "", "laptop")

	return f, n
}

// TestDigestFigures checks a week of Finance against figures worked out by
// hand (see each request's comment), the week before for the change, and
// the text.
func TestDigestFigures(t *testing.T) {
	f, n := seedWeek47(t)
	ny := mustZone(t, "America/New_York")
	now := n("2026-11-23 09:00")
	if got := report.LastCompleteWeek(now, ny).String(); got != "2026-W47" {
		t.Fatalf("last complete week %s", got)
	}
	d := f.digest(t, "finance", "2026-W47", now)
	if !d.From.Equal(n("2026-11-16 00:00")) || !d.To.Equal(n("2026-11-23 00:00")) || !d.At.Equal(d.To) {
		t.Errorf("week %s to %s at %s", d.From, d.To, d.At)
	}
	checkFigures(t, "W47", d.Figures, report.Figures{
		New: 5, Resolved: 3, Open: 2, Overdue: 1,
		FirstResponses: 5, FirstResponsesMet: 3, ResolutionsMet: 1,
		RightFirstTime:    3,                                                  // none reopened or rated
		FirstResponseTime: report.Spread{N: 4, Median: h(1), P90: h(8)},       // 30m 1h 3h 8h
		ResolutionTime:    report.Spread{N: 3, Median: h(16.5), P90: h(26.5)}, // 5h 16h30m 26h30m
	})
	checkFigures(t, "W46", d.Prev, report.Figures{
		New: 2, Resolved: 1, Open: 1, Overdue: 0,
		FirstResponses: 1, FirstResponsesMet: 1, ResolutionsMet: 1, RightFirstTime: 1,
		FirstResponseTime: report.Spread{N: 1, Median: h(1), P90: h(1)},
		ResolutionTime:    report.Spread{N: 1, Median: h(9), P90: h(9)},
	})
	if len(d.Worst) != 1 || d.Worst[0] != (report.Breach{ID: "FIN-5", Title: "payroll is wrong", Dept: "finance", Clock: "first response", Overdue: h(20.5)}) {
		t.Errorf("worst %+v", d.Worst)
	}
	if len(d.People) != 0 {
		t.Errorf("people %+v: nobody resolved 5", d.People)
	}
	want := `*Weekly digest · Finance · 2026-W47*
_Mon 16 Nov – Sun 22 Nov 2026 (America/New_York), compared with 2026-W46_
• *Volume*: 5 new (▲150%) · 3 resolved (▲200%) · 2 open at the week's end (▲100%) · 1 overdue (▲ from 0)
• *First response*: 60% met (3 of 5, ▼40 pts) · median 1h (=), p90 8h
• *Resolution*: 33% met (1 of 3, ▼67 pts) · median 16h 30m (▲83%), p90 26h 30m
• *Right first time*: 100% (3 of 3) · the same as last week _(right first time is the share of resolved requests that were closed without a reopen and not rated 1 or 2)_
• *Worst open breaches*:
   ◦ *FIN-5* payroll is wrong: first response overdue by 20h 30m
• *Satisfaction*: no ratings yet
• *Served best*: nobody qualifies _(it takes at least 5 resolutions in the week as the assignee, at least 80% of them in time; ranked by the mean of the share in time and the share right first time, then by resolutions)_
_Times are business time in each department's calendar; p90: nine in ten took at most this long._`
	if got := d.Text(); got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}

	t.Run("WeekNotOver", func(t *testing.T) {
		// Wednesday 14:30 of W47, what happened later unseen: FIN-3 and
		// FIN-2 resolved; FIN-4 (20h of 16h) and FIN-5 (1h30m of 30m) open
		// and overdue; first responses of FIN-2 and FIN-3 met, of FIN-4
		// and FIN-5 missed.
		d := f.digest(t, "finance", "2026-W47", n("2026-11-18 14:30"))
		if d.Figures.New != 3 || d.Figures.Resolved != 2 || d.Figures.Open != 2 || d.Figures.Overdue != 2 ||
			d.Figures.FirstResponses != 4 || d.Figures.FirstResponsesMet != 2 || !d.At.Equal(n("2026-11-18 14:30")) {
			t.Errorf("%+v at %s", d.Figures, d.At)
		}
		if !strings.Contains(d.Text(), "The week is not over: figures so far, open and overdue as of Wed 14:30.") {
			t.Errorf("text:\n%s", d.Text())
		}
	})
	t.Run("EmptyWeek", func(t *testing.T) {
		d := f.digest(t, "finance", "2026-W30", now)
		checkFigures(t, "W30", d.Figures, report.Figures{})
		if got := d.Text(); !strings.Contains(got, "No requests were filed, answered, resolved or open this week.") {
			t.Errorf("text:\n%s", got)
		}
	})
	t.Run("NotBegun", func(t *testing.T) {
		_, err := report.ComputeDigest(f.Ctx, f.DB, f.Desk.Dir(), nil, report.ISOWeek{Year: 2026, Week: 49}, ny, now)
		if bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("W49 on %s: %v", now, err)
		}
	})
	t.Run("EscapesTitles", func(t *testing.T) {
		f.doAt(t, n("2026-11-23 09:30"), frank, bot.ActClaim, "FIN-5")
		f.fileAt(t, n("2026-11-23 09:40"), sam, "finance", bot.Urgent, "<!channel> <@U0ADA> & <http://evil|x>")
		d := f.digest(t, "finance", "2026-W48", n("2026-11-23 11:00"))
		text := slackapp.Mrkdwn(d.Text()) // as Slack gets it
		if strings.Contains(text, "<!channel>") || strings.Contains(text, "<@U0ADA>") || !strings.Contains(text, "&lt;!channel&gt;") {
			t.Errorf("title not escaped:\n%s", text)
		}
	})
}
