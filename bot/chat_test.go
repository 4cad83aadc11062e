package bot_test

import (
	"encoding/json"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
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

// TestMessageQueuedAsMrkdwnRendersAsBefore: outbox rows queued before the
// desk had its own text form hold mrkdwn; delivered after the upgrade they
// reach Slack as they would have, not escaped twice, and user text queued
// in the new form is never read as mrkdwn.
func TestMessageQueuedAsMrkdwnRendersAsBefore(t *testing.T) {
	legacy := "<@U0FRANK> replied on *FIN-1* in <#C0FIN>:\n>&lt;!channel&gt; &amp;lt; <@U0EVIL> is &lt;@U0EVIL&gt;"
	b, err := json.Marshal(map[string]any{"to": "U0SAM", "dm": true, "text": legacy, "change": "claimed by <@U0FRANK> &amp; co"})
	if err != nil {
		t.Fatal(err)
	}
	var m bot.Message
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if got := slackapp.Mrkdwn(m.Text); got != legacy {
		t.Errorf("legacy text renders as %q, want %q", got, legacy)
	}
	if got, want := slackapp.Mrkdwn(m.Change), "claimed by <@U0FRANK> &amp; co"; got != want {
		t.Errorf("legacy change renders as %q, want %q", got, want)
	}

	typed := bot.Mention("U0FRANK") + " wrote: " + bot.Escape("<@U0EVIL> &lt;b&gt;")
	b, err = json.Marshal(bot.Message{To: "U0SAM", DM: true, Text: typed})
	if err != nil {
		t.Fatal(err)
	}
	var back bot.Message
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Text != typed {
		t.Errorf("new text came back as %q, want %q", back.Text, typed)
	}
	if got, want := slackapp.Mrkdwn(back.Text), "<@U0FRANK> wrote: &lt;@U0EVIL&gt; &amp;lt;b&amp;gt;"; got != want {
		t.Errorf("renders as %q, want %q", got, want)
	}
}
