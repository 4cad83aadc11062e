package bot_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// claimedByFrank files a request from sam that frank claims, delivered.
func claimedByFrank(t *testing.T, f *fixture, text string) *bot.Request {
	t.Helper()
	r := f.File(t, sam, "finance", text)
	f.Do(t, frank, bot.ActClaim, r.ID)
	f.Sent(t)
	return r
}

func (f *fixture) command(t *testing.T, user, line string) string {
	t.Helper()
	return f.Desk.Command(f.Ctx, user, line).Text
}

// TestAway: reminders for an assignee who is away go to the queue, naming
// them; after /ask back, or once the day they named has come, they go to
// the assignee again. The resolution clock (2 business days) of a request
// claimed on Tue 24 Nov at 10:00 warns at 50% on Wed 25 at 10:00.
func TestAway(t *testing.T) {
	t.Run("SkipsTheAssignee", func(t *testing.T) {
		f := newFixture(t)
		claimedByFrank(t, f, "numbers")
		if got, want := f.command(t, frank, "/ask away"), "You're away until you say `/ask back`; reminders skip you and your leads see your claimed requests."; got != want {
			t.Fatalf("reply %q, want %q", got, want)
		}
		f.Sent(t)
		f.at(t, "2026-11-25 10:00")
		f.sweep(t)
		got := texts(f.Sent(t))
		if !strings.Contains(got, "#finance: :alarm_clock:") || !strings.Contains(got, "assigned to <@U0FRANK>, who is away") || strings.Contains(got, frank+":") {
			t.Fatalf("the 50%% warning while frank is away went:\n%s", got)
		}
	})
	t.Run("BackResumes", func(t *testing.T) {
		f := newFixture(t)
		claimedByFrank(t, f, "numbers")
		f.command(t, frank, "away")
		f.at(t, "2026-11-25 09:00")
		if got := f.command(t, frank, "/ask back"); got != "Welcome back: reminders reach you again." {
			t.Fatalf("back: %q", got)
		}
		f.Sent(t)
		f.at(t, "2026-11-25 10:00")
		f.sweep(t)
		if got := texts(f.Sent(t)); !strings.HasPrefix(got, frank+": :alarm_clock:") || strings.Contains(got, "who is away") {
			t.Fatalf("the warning after frank is back went:\n%s", got)
		}
		if got := f.command(t, frank, "back"); !strings.Contains(got, "not marked away") {
			t.Errorf("back twice: %q", got)
		}
	})
	t.Run("EndsOnTheDayNamed", func(t *testing.T) {
		f := newFixture(t)
		claimedByFrank(t, f, "numbers")
		if got, want := f.command(t, frank, "away until 2026-11-25"), "You're away until Wed 25 Nov;"; !strings.HasPrefix(got, want) {
			t.Fatalf("reply %q, want it to begin %q", got, want)
		}
		f.Sent(t)
		f.at(t, "2026-11-24 23:59") // still away: nothing due yet, and the sweep runs
		f.sweep(t)
		f.at(t, "2026-11-25 10:00")
		f.sweep(t)
		if got := texts(f.Sent(t)); !strings.HasPrefix(got, frank+": :alarm_clock:") {
			t.Fatalf("the warning on the day frank is back went:\n%s", got)
		}
	})
	t.Run("LeadsToldOnceOfClaimed", func(t *testing.T) {
		f := newFixture(t)
		claimedByFrank(t, f, "numbers")
		claimedByFrank(t, f, "actuals")
		f.command(t, frank, "away until 2026-12-01")
		msgs := f.Sent(t)
		if len(msgs) != 1 || msgs[0].To != fiona || !msgs[0].DM {
			t.Fatalf("sent %+v, want one DM to fiona", msgs)
		}
		for _, want := range []string{"<@U0FRANK> is away until Tue 1 Dec", "2 open requests", "*FIN-1* (numbers)", "*FIN-2* (actuals)"} {
			if !strings.Contains(msgs[0].Text, want) {
				t.Errorf("fiona's DM lacks %q:\n%s", want, msgs[0].Text)
			}
		}
		f.sweep(t)
		if msgs := f.Sent(t); len(msgs) != 0 {
			t.Errorf("after the note, the sweep sent %+v", msgs)
		}
	})
	t.Run("AdminsToldWhenTheLeadIsAway", func(t *testing.T) {
		f := newFixture(t)
		claimedByFrank(t, f, "numbers")
		f.command(t, fiona, "away")
		f.command(t, frank, "away")
		msgs := f.Sent(t)
		if len(msgs) != 1 || msgs[0].To != ada || !strings.Contains(msgs[0].Text, "*FIN-1* (numbers)") {
			t.Fatalf("sent %+v, want one DM to ada, the admin", msgs)
		}
	})
	t.Run("LeadAwayEscalatesToAdmins", func(t *testing.T) {
		f := newFixture(t)
		f.File(t, sam, "finance", "numbers") // nobody claims it
		f.command(t, fiona, "away")          // finance's only lead
		f.Sent(t)
		f.at(t, "2026-11-24 16:00") // the escalation of the first-response breach
		f.sweep(t)
		got := texts(f.Sent(t))
		if !strings.Contains(got, ada+": :rotating_light: *Escalation*") || strings.Contains(got, fiona+":") {
			t.Fatalf("the escalation while fiona is away went:\n%s", got)
		}
	})
	t.Run("BadDates", func(t *testing.T) {
		f := newFixture(t)
		for line, want := range map[string]string{
			"away until friday":     "is not a date I can read",
			"away until 2026-11-24": "is not in the future",
			"away 2028-01-01":       "more than a year",
		} {
			if got := f.command(t, frank, line); !strings.Contains(got, want) {
				t.Errorf("%s: %q, want %q", line, got, want)
			}
		}
	})
}
