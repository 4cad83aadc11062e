package bot_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// TestCoalescedLineIsMostPressing: an unclaimed urgent request whose first
// response breached at 10:30 and whose resolution clock reached 50% at
// 12:00; a sweep at 12:00 tells the queue of the breach, the most pressing
// of its reminders, not only the latest ("50% used").
func TestCoalescedLineIsMostPressing(t *testing.T) {
	f := newFixture(t) // Tue 24 Nov 10:00
	if _, err := f.Desk.File(f.Ctx, bot.Filing{Requester: sam, Dept: "finance", Priority: bot.Urgent, Text: "pay the supplier"}); err != nil {
		t.Fatal(err)
	}
	f.Sent(t)
	f.at(t, "2026-11-24 12:00")
	f.sweep(t)
	var queue string
	for _, m := range f.Sent(t) {
		if m.To == "#finance" {
			queue = m.Text
		}
	}
	if !strings.Contains(queue, "first response overdue") {
		t.Fatalf("the queue's line is not the most pressing (the first-response breach):\n%s", queue)
	}
}

// TestCoalescedHeaderFitsEveryItem: fiona is finance's lead and FIN-2's
// assignee. One sweep owes her FIN-1's escalation and a 50% warning on
// FIN-2, in one DM whose header does not call both breached.
func TestCoalescedHeaderFitsEveryItem(t *testing.T) {
	g := newFixture(t)
	g.File(t, sam, "finance", "a")
	g.File(t, sam, "finance", "b")
	g.Do(t, fiona, bot.ActClaim, "FIN-2")
	g.Sent(t)
	g.at(t, "2026-11-25 10:00") // FIN-1: breach Tue 15:00, escalation Tue 16:00; FIN-2: 50% at Wed 10:00
	g.sweep(t)
	var dm string
	for _, m := range g.Sent(t) {
		if m.To == fiona {
			dm = m.Text
		}
	}
	if !strings.Contains(dm, "FIN-1") || !strings.Contains(dm, "FIN-2") {
		t.Fatalf("want one DM to fiona with both, got:\n%s", dm)
	}
	if strings.Contains(dm, "2 requests in your department have breached") {
		t.Fatalf("FIN-2, 50%% used, is announced as breached with FIN-1:\n%s", dm)
	}
}
