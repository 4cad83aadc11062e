package bot

import (
	"strings"
	"testing"
)

// TestRatingPromptButtonsOnly: without reactions the prompt still rates in
// one click (the buttons) and asks Slack for nothing more.
func TestRatingPromptButtonsOnly(t *testing.T) {
	for _, buttonsOnly := range []bool{false, true} {
		p := DefaultRatingPolicy
		p.ButtonsOnly = buttonsOnly
		r := &Request{ID: "FIN-1", Requester: "U1"}
		msgs := []Message{{DM: true, To: "U1", ThreadOf: "FIN-1", Text: "Resolved."}}
		New(&Directory{Ratings: p}, nil, nil, nil, nil).addRatingPrompt(msgs, r)
		m := msgs[0]
		if got := len(m.Reactions) > 0; got == buttonsOnly {
			t.Errorf("buttons only %v: reactions %v", buttonsOnly, m.Reactions)
		}
		rates := 0
		for _, b := range m.Buttons {
			if b.Action == ActRate {
				rates++
			}
		}
		if rates != 5 || m.RatingFor != "FIN-1" {
			t.Errorf("buttons only %v: %d rating buttons, rating for %q", buttonsOnly, rates, m.RatingFor)
		}
		if strings.Contains(m.Text, "React with") == buttonsOnly {
			t.Errorf("buttons only %v: text %q", buttonsOnly, m.Text)
		}
	}
}
