package slackapp_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
)

// TestSearchMoreButtonRoundTrip: the More button under search results
// carries the search for the next page, and pressing it gives it back; a
// search too long for a button's value gets no button (the reply's text
// says how to ask for the next page).
func TestSearchMoreButtonRoundTrip(t *testing.T) {
	dir := MustExampleDirectory(t)
	next := "laptop dept:it status:open page:2"
	m := bot.Message{Text: "results", Buttons: []bot.Button{{Label: "More", Action: bot.ActSearch, Arg: next}}}
	got := clicks(slackapp.MessageBlocks(m, dir))
	if len(got) != 1 {
		t.Fatalf("%d buttons, want More", len(got))
	}
	action, id, arg, ok := slackapp.ParseAction(blockActionsPayload(t, got[0]))
	if !ok || action != bot.ActSearch || id != "" || arg != next {
		t.Errorf("pressed More: (%q, %q, %q, %v), want (search, \"\", %q, true)", action, id, arg, ok, next)
	}
	m.Buttons[0].Arg = strings.Repeat("x ", 1001)
	if got := clicks(slackapp.MessageBlocks(m, dir)); len(got) != 0 {
		t.Errorf("a search longer than a button's value still has a button")
	}
}
