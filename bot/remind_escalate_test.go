package bot_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// TestEscalateAfterOffNeverEscalates: escalate_after = "off" (a zero
// duration) means leads are never sent an escalation, not one at the
// breach itself.
func TestEscalateAfterOffNeverEscalates(t *testing.T) {
	f := newFixture(t)
	dep := f.Desk.Dir().ByName("finance")
	p := bot.DefaultPolicy
	p.EscalateAfter = bot.BusinessDuration{} // what "off" produces
	dep.Reminders = &p
	f.File(t, sam, "finance", "numbers")
	f.Sent(t)
	f.at(t, "2026-11-24 15:00") // the breach
	f.sweep(t)
	if got := texts(f.Sent(t)); strings.Contains(got, "Escalation") {
		t.Fatalf("escalate_after = \"off\" escalated at the breach:\n%s", got)
	}
}
