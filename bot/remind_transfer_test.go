package bot_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// TestRemindersAfterTransferReachNewDepartment: finance breaches FIN-1's
// first response and escalates; the request moves to IT, whose own
// first-response clock starts at the transfer and whose deadline (Wed
// 11:00 Shanghai) then passes. IT's queue hears of IT's breach: the levels
// finance used do not count for IT.
func TestRemindersAfterTransferReachNewDepartment(t *testing.T) {
	f := newFixture(t) // Tue 24 Nov 10:00 New York
	f.File(t, sam, "finance", "numbers")
	f.Sent(t)
	f.at(t, "2026-11-24 16:00") // finance: breach 15:00, escalation 16:00
	f.sweep(t)
	if got := texts(f.Sent(t)); !strings.Contains(got, "Escalation") {
		t.Fatalf("finance did not escalate:\n%s", got)
	}
	f.Do(t, fiona, bot.ActTransfer, "FIN-1", "it")
	f.Sent(t)
	// IT: transferred Tue 16:00 New York = Wed 05:00 Shanghai, opens Wed
	// 09:00, 2h target: due Wed 11:00.
	sh := mustZone(t, "Asia/Shanghai")
	f.Clock.Set(at(t, sh, "2026-11-25 11:30"))
	f.sweep(t)
	if got := texts(f.Sent(t)); !strings.Contains(got, "#it") || !strings.Contains(got, "first response overdue") {
		t.Fatalf("IT's queue did not hear of IT's own breach after the transfer; sent at its breach + 30m:\n%s", got)
	}
}
