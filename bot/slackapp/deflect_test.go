package slackapp_test

import (
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
)

// TestDeflectButtonsRoundTrip: a deflection's "This answered it" carries
// the pending filing, the answering request and the department; "File
// anyway" is a routing button marked to file without looking again.
func TestDeflectButtonsRoundTrip(t *testing.T) {
	dir := MustExampleDirectory(t)
	m := bot.Message{Text: "earlier answers", Buttons: []bot.Button{
		{Label: "This answered it", Action: bot.ActAnswered, RequestID: "P7", Arg: "FIN-12:finance/budget"},
		{Label: "File anyway", Action: bot.ActRoute, RequestID: "P7", Arg: "!finance/budget"},
	}}
	got := clicks(slackapp.MessageBlocks(m, dir))
	if len(got) != 2 {
		t.Fatalf("%d buttons, want 2", len(got))
	}
	for i, want := range []struct {
		action   bot.Action
		ref, arg string
	}{{bot.ActAnswered, "P7", "FIN-12:finance/budget"}, {bot.ActRoute, "P7", "!finance/budget"}} {
		action, ref, arg, ok := slackapp.ParseAction(blockActionsPayload(t, got[i]))
		if !ok || action != want.action || ref != want.ref || arg != want.arg {
			t.Errorf("button %d: (%q, %q, %q, %v), want (%q, %q, %q, true)", i, action, ref, arg, ok, want.action, want.ref, want.arg)
		}
	}
}
