package slacktest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestMetadata: message metadata posted with chat.postMessage comes back
// from conversations.history and conversations.replies in full with
// include_all_metadata, as its event_type alone without.
func TestMetadata(t *testing.T) {
	s := MustStart(t)
	api := NewClient(s)
	md := slack.SlackMetadata{EventType: "askdesk_outbox", EventPayload: map[string]any{"outbox_id": 42}}
	ch, ts, err := api.PostMessage("#finance", slack.MsgOptionText("card", false), slack.MsgOptionMetadata(md))
	if err != nil {
		t.Fatal(err)
	}
	_, rts, err := api.PostMessage(ch, slack.MsgOptionText("reply", false), slack.MsgOptionTS(ts),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "askdesk_outbox", EventPayload: map[string]any{"outbox_id": 43}}))
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, what string, m slack.Message, all bool, id float64) {
		t.Helper()
		if m.Metadata.EventType != "askdesk_outbox" {
			t.Errorf("%s: event_type %q, want askdesk_outbox", what, m.Metadata.EventType)
		}
		got, ok := m.Metadata.EventPayload["outbox_id"]
		switch {
		case all && (!ok || got != id):
			t.Errorf("%s: event_payload %v, want outbox_id %v", what, m.Metadata.EventPayload, id)
		case !all && m.Metadata.EventPayload != nil:
			t.Errorf("%s: event_payload %v without include_all_metadata, want none", what, m.Metadata.EventPayload)
		}
	}
	for _, all := range []bool{true, false} {
		h, err := api.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: ch, IncludeAllMetadata: all})
		if err != nil || len(h.Messages) != 1 {
			t.Fatalf("history: %+v, %v", h, err)
		}
		check(t, "history", h.Messages[0], all, 42)
		msgs, _, _, err := api.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: ch, Timestamp: ts, IncludeAllMetadata: all})
		if err != nil || len(msgs) != 2 || msgs[1].Timestamp != rts {
			t.Fatalf("replies: %+v, %v", msgs, err)
		}
		check(t, "replies", msgs[1], all, 43)
	}

	t.Run("ErrInvalidMetadata", func(t *testing.T) {
		for _, tc := range []struct{ metadata, want string }{
			{`{"event_type":`, "invalid_metadata_format"},
			{`{"event_payload":{"a":1}}`, "invalid_metadata_schema"},
			{`{"event_type":"x","event_payload":[1]}`, "invalid_metadata_schema"},
		} {
			res, err := http.PostForm(s.URL+"chat.postMessage", url.Values{
				"token": {botToken}, "channel": {ch}, "text": {"x"}, "metadata": {tc.metadata}})
			if err != nil {
				t.Fatal(err)
			}
			var body struct {
				OK    bool   `json:"ok"`
				Error string `json:"error"`
			}
			err = json.NewDecoder(res.Body).Decode(&body)
			res.Body.Close()
			if err != nil || body.OK || body.Error != tc.want {
				t.Errorf("metadata %s: %+v, %v; want error %s", tc.metadata, body, err, tc.want)
			}
		}
	})
}

// TestWithClock: posts take their ts from the clock given, unique and
// increasing even when it stands still.
func TestWithClock(t *testing.T) {
	at := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	s := MustStart(t, slacktest.WithClock(func() time.Time { return at }))
	api := NewClient(s)
	var got []string
	for range 2 {
		_, ts, err := api.PostMessage("#finance", slack.MsgOptionText("x", false))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ts)
	}
	if want := []string{"1795532400.000000", "1795532400.000100"}; !slices.Equal(got, want) {
		t.Errorf("ts %v, want %v", got, want)
	}
}
