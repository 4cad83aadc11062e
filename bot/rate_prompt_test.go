package bot

import (
	"strings"
	"testing"
)

// TestRatingPromptRatesWithOrWithoutReactions: the prompt always carries
// the five ratings as buttons and says that reacting rates too; the bot's
// own five reactions are asked for only when the policy says so.
func TestRatingPromptRatesWithOrWithoutReactions(t *testing.T) {
	for _, reactions := range []bool{false, true} {
		p := DefaultRatingPolicy
		p.Reactions = reactions
		r := &Request{ID: "FIN-1", Requester: "U1"}
		msgs := []Message{{DM: true, To: "U1", ThreadOf: "FIN-1", Text: "Resolved."}}
		New(&Directory{Ratings: p}, nil, nil, nil, nil).addRatingPrompt(msgs, r)
		m := msgs[0]
		if got := len(m.Reactions) > 0; got != reactions {
			t.Errorf("reactions %v: the bot would add %v", reactions, m.Reactions)
		}
		rates := 0
		for _, b := range m.Buttons {
			if b.Action == ActRate {
				rates++
			}
		}
		if rates != 5 || m.RatingFor != "FIN-1" {
			t.Errorf("reactions %v: %d rating buttons, rating for %q", reactions, rates, m.RatingFor)
		}
		if !strings.Contains(m.Text, "Pick one below, or react with one of 😞 🙁 😐 🙂 😍") {
			t.Errorf("reactions %v: text %q", reactions, m.Text)
		}
	}
}
