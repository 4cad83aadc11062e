package bot_test

import (
	"encoding/json"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// TestMessageThreadOfKeepsStoredName: outbox rows hold messages as JSON, and
// rows written before Message.Thread became ThreadOf must still decode.
func TestMessageThreadOfKeepsStoredName(t *testing.T) {
	stored := `{"to":"U0SAM","dm":true,"thread":"FIN-1","text":"hi"}`
	var m bot.Message
	if err := json.Unmarshal([]byte(stored), &m); err != nil {
		t.Fatal(err)
	}
	if m.ThreadOf != "FIN-1" {
		t.Errorf("ThreadOf = %q, want FIN-1", m.ThreadOf)
	}
	got, err := json.Marshal(bot.Message{To: "U0SAM", DM: true, ThreadOf: "FIN-1", Text: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != stored {
		t.Errorf("encoded %s, want %s", got, stored)
	}
}
