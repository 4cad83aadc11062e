package console_test

import (
	"context"
	"testing"
)

// TestConsoleAway: the console takes /ask away and /ask back as Slack
// does: the lead hears of the claimed request, and while frank is away
// the sweep's reminder goes to the queue; once he is back, to him.
func TestConsoleAway(t *testing.T) {
	f := MustOpenConsole(t, sam)
	f.con.Tick = func(ctx context.Context) error {
		_, err := f.con.Desk.Sweep(ctx)
		return err
	}
	f.run("/ask finance the Q4 numbers\n:as frank\n:claim FIN-1\n")
	out := f.run("/ask away\n")
	mustContain(t, out, "You're away until you say `/ask back`; reminders skip you and your leads see your claimed requests.",
		"DM to fiona", "@frank is away until they are back", "*FIN-1* (the Q4 numbers)")
	out = f.run(":advance 30h\n")
	mustContain(t, out, "#finance-requests", "assigned to @frank, who is away")
	mustNotContain(t, out, "DM to frank")
	out = f.run("/ask back\n:advance 5d\n") // Thursday and Friday are holidays
	mustContain(t, out, "Welcome back: reminders reach you again.", "DM to frank")
}
