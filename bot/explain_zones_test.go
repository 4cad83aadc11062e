package bot_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// statusAs sets who's zone and returns their /ask status of id.
func statusAs(t *testing.T, f *fixture, who, zone, id string) string {
	t.Helper()
	p := f.Desk.Dir().People[who]
	if p == nil {
		p = &bot.Person{ID: who}
		f.Desk.Dir().People[who] = p
	}
	p.Timezone = zone
	return f.Desk.Command(f.Ctx, who, "/ask status "+id).Text
}

func wantAll(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

// TestStatusTimesInViewersZone: FIN-1 is filed Tue 24 Nov 10:00 New York
// (09:00 in Chicago); its 4 business hours run 10:00–12:00 and 13:00–15:00,
// so it is due Tue 15:00 New York, 14:00 in Chicago. A viewer in Chicago
// reads every time in their own zone, labelled, New York's beside it; a
// viewer in Toronto (New York's clock) reads one time; a viewer whose zone
// askdesk does not know reads Finance's, and is told so.
func TestStatusTimesInViewersZone(t *testing.T) {
	f := newFixture(t) // Tue 24 Nov 10:00 New York
	f.File(t, sam, "finance", "numbers")
	f.at(t, "2026-11-24 11:00")

	chicago := statusAs(t, f, sam, "America/Chicago", "FIN-1")
	wantAll(t, "Chicago's status", chicago,
		"Tue 09:00 (your time, America/Chicago; Tue 10:00 New York)\nBusiness hours",
		"Times are your time (America/Chicago), with New York's beside them where the clock differs.",
		"*First response due by Tue 14:00 (your time, America/Chicago; Tue 15:00 New York), in 3h of business time*",
		"Started Tue 09:00 (your time, America/Chicago; Tue 10:00 New York).",
		"✓ Tue 24 Nov 09:00–10:00 (Tue 24 Nov 10:00–11:00 New York)  counted 1h",
		"• Tue 09:00 (Tue 10:00 New York): filed by ",
		"Business hours: Mon–Fri 09:00–12:00, 13:00–18:00 (America/New_York)", // the department's own
	)

	toronto := statusAs(t, f, sam, "America/Toronto", "FIN-1")
	wantAll(t, "Toronto's status", toronto,
		"*First response due by Tue 15:00 (your time, America/Toronto), in 3h of business time*",
		"✓ Tue 24 Nov 10:00–11:00  counted 1h",
		"• Tue 10:00: filed by ",
	)
	if strings.Contains(toronto, " New York)") {
		t.Errorf("Toronto's status repeats New York's identical time:\n%s", toronto)
	}

	unknown := f.Desk.Command(f.Ctx, frank, "/ask status FIN-1").Text // frank has no zone
	wantAll(t, "the status for a viewer of unknown zone", unknown,
		"Times are Finance's (America/New_York): askdesk does not know your time zone.",
		"*First response due by Tue 15:00 (America/New_York), in 3h of business time*",
	)
}

// TestStatusResolvedBeforeOpeningIsMet: FIN-1, filed Mon 30 Nov 09:00
// New York, has 2 working days (16h of Finance's business time) to be
// resolved: Monday 09:00–18:00 less lunch, Tuesday the same, due Tuesday
// 18:00, the day's close. Resolved Wednesday 08:45, before the opening, it
// used 16h of its 16h: met, not "missed … 16h against a target of 2
// working days". Its first response, claimed Mon 09:30, was met too.
func TestStatusResolvedBeforeOpeningIsMet(t *testing.T) {
	f := newFixture(t)
	f.at(t, "2026-11-30 09:00")
	f.File(t, sam, "finance", "numbers")
	f.at(t, "2026-11-30 09:30")
	f.Do(t, frank, bot.ActClaim, "FIN-1")
	f.at(t, "2026-12-01 20:00") // after the close: the running clock is overdue
	wantAll(t, "the status after the close", statusAs(t, f, sam, "America/Chicago", "FIN-1"),
		"Resolution overdue since Tue 17:00 (your time, America/Chicago; Tue 18:00 New York) (no business hours have passed since)")
	f.at(t, "2026-12-02 08:45")
	f.Do(t, frank, bot.ActResolve, "FIN-1", "done")
	f.at(t, "2026-12-02 10:00")
	text := statusAs(t, f, sam, "America/Chicago", "FIN-1")
	wantAll(t, "the status", text,
		"*Resolution met in 16h of business time, within a target of 2 working days*",
		"Business time counted: 16h · paused: 0m · outside business hours:",
	)
	if strings.Contains(text, "missed") || strings.Contains(text, "breached") {
		t.Errorf("a request resolved before the opening shows a miss:\n%s", text)
	}
}
