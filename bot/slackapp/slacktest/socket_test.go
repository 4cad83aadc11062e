package slacktest_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// StartSocketClient runs slack-go's socketmode client against s until the
// test ends. It acks every request, slash commands with {"text":"ack
// COMMAND"}, and passes each request event on to the returned channel.
func StartSocketClient(t *testing.T, s *slacktest.Server, opts ...socketmode.Option) <-chan socketmode.Event {
	t.Helper()
	client := socketmode.New(NewClient(s), opts...)
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan socketmode.Event, 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = client.RunContext(ctx)
	}()
	go func() {
		for {
			var evt socketmode.Event
			select {
			case <-ctx.Done():
				return
			case evt = <-client.Events:
			}
			if evt.Request == nil || evt.Request.EnvelopeID == "" {
				continue
			}
			var payload any
			if cmd, ok := evt.Data.(slack.SlashCommand); ok {
				payload = map[string]string{"text": "ack " + cmd.Command}
			}
			if err := client.Ack(*evt.Request, payload); err != nil {
				t.Errorf("ack: %v", err)
			}
			select {
			case got <- evt:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("socketmode client did not stop")
		}
	})
	return got
}

// next returns the next event the client handled.
func next(t *testing.T, ctx context.Context, got <-chan socketmode.Event) socketmode.Event {
	t.Helper()
	select {
	case evt := <-got:
		return evt
	case <-ctx.Done():
		t.Fatal("no event from the socketmode client")
		return socketmode.Event{}
	}
}

// roundTrip sends env and waits for its ack.
func roundTrip(t *testing.T, ctx context.Context, s *slacktest.Server, env slacktest.Envelope) json.RawMessage {
	t.Helper()
	if err := s.SendEnvelope(ctx, env); err != nil {
		t.Fatal(err)
	}
	payload, err := s.WaitAck(ctx, env.EnvelopeID)
	if err != nil {
		t.Fatal(err)
	}
	return payload
}

func TestSocketSlashCommand(t *testing.T) {
	s := MustStart(t)
	got := StartSocketClient(t, s)
	ctx := Context(t)

	env := slacktest.SlashCommandEnvelope("env-1", url.Values{
		"command": {"/ask"}, "text": {"finance need the Q3 numbers"},
		"user_id": {"U0ASKER"}, "channel_id": {"C0SALES"}, "is_enterprise_install": {"false"},
	})
	payload := roundTrip(t, ctx, s, env)
	if got, want := string(payload), `{"text":"ack /ask"}`; got != want {
		t.Errorf("ack payload = %s, want %s", got, want)
	}
	evt := next(t, ctx, got)
	cmd, ok := evt.Data.(slack.SlashCommand)
	if !ok || cmd.Text != "finance need the Q3 numbers" || cmd.UserID != "U0ASKER" || cmd.TeamID != slacktest.TeamID {
		t.Errorf("client saw %T %+v", evt.Data, evt.Data)
	}
	if calls := s.CallsTo("apps.connections.open"); len(calls) != 1 || calls[0].Token != appToken {
		t.Errorf("apps.connections.open calls = %+v", calls)
	}
}

func TestSocketEnvelopes(t *testing.T) {
	s := MustStart(t)
	got := StartSocketClient(t, s)
	ctx := Context(t)

	t.Run("Samples", func(t *testing.T) {
		for _, name := range []string{
			"socketmode_slash_commands.json",
			"socketmode_events_api_app_mention.json",
			"socketmode_interactive_global_shortcut.json",
		} {
			raw := ReadTestdata(t, name)
			var env struct {
				EnvelopeID string `json:"envelope_id"`
			}
			if err := json.Unmarshal(raw, &env); err != nil {
				t.Fatal(err)
			}
			if err := s.SendEnvelope(ctx, raw); err != nil {
				t.Fatal(err)
			}
			if _, err := s.WaitAck(ctx, env.EnvelopeID); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			next(t, ctx, got)
		}
	})

	t.Run("EventsAPI", func(t *testing.T) {
		roundTrip(t, ctx, s, slacktest.EventsAPIEnvelope("env-ev", ReadTestdata(t, "events_app_mention_inner_docs.json")))
		evt := next(t, ctx, got)
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok {
			t.Fatalf("client saw %T", evt.Data)
		}
		if _, ok := ev.InnerEvent.Data.(*slackevents.AppMentionEvent); !ok || ev.TeamID != slacktest.TeamID {
			t.Errorf("inner event %T, team %q", ev.InnerEvent.Data, ev.TeamID)
		}
	})

	t.Run("Interactive", func(t *testing.T) {
		roundTrip(t, ctx, s, slacktest.InteractiveEnvelope("env-ia", ReadTestdata(t, "interactive_block_actions_message_thread.json")))
		evt := next(t, ctx, got)
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok || cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) == 0 {
			t.Errorf("client saw %T %+v", evt.Data, evt.Data)
		}
	})
}

func TestSocketReconnect(t *testing.T) {
	cases := []struct {
		name  string
		opts  []socketmode.Option
		cause func(*slacktest.Server)
	}{
		{name: "Disconnect", cause: func(s *slacktest.Server) { s.Disconnect("refresh_requested") }},
		{name: "DropConnection", cause: (*slacktest.Server).DropConnection},
		{
			name:  "StallConnection",
			opts:  []socketmode.Option{socketmode.OptionPingInterval(300 * time.Millisecond)},
			cause: (*slacktest.Server).StallConnection,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := MustStart(t, slacktest.WithPingInterval(20*time.Millisecond))
			StartSocketClient(t, s, tc.opts...)
			ctx := Context(t)
			if err := s.WaitSocketConnections(ctx, 1); err != nil {
				t.Fatal(err)
			}
			roundTrip(t, ctx, s, slacktest.SlashCommandEnvelope("before", url.Values{"command": {"/ask"}}))

			tc.cause(s)
			if err := s.WaitSocketConnections(ctx, 2); err != nil {
				t.Fatal(err)
			}
			if got := len(s.CallsTo("apps.connections.open")); got != 2 {
				t.Errorf("apps.connections.open calls = %d, want 2", got)
			}
			// The new connection carries envelopes.
			roundTrip(t, ctx, s, slacktest.SlashCommandEnvelope("after", url.Values{"command": {"/ask"}}))
		})
	}
}

func TestSendEnvelopeNoConnection(t *testing.T) {
	s := MustStart(t)
	ctx, cancel := context.WithTimeout(Context(t), 50*time.Millisecond)
	defer cancel()
	if err := s.SendEnvelope(ctx, slacktest.SlashCommandEnvelope("x", nil)); err == nil {
		t.Error("SendEnvelope with no client succeeded")
	}
}

func TestSocketRequiresTicket(t *testing.T) {
	s := MustStart(t)
	api := NewClient(s)
	_, wsURL, err := api.StartSocketModeContext(Context(t))
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(wsURL)
	if err != nil || u.Query().Get("ticket") == "" || (u.Scheme != "ws" && u.Scheme != "wss") {
		t.Errorf("socket URL = %q, %v", wsURL, err)
	}
	ctx := Context(t)
	ws, _, err := websocket.DefaultDialer.DialContext(ctx, wsURL, nil)
	if err != nil {
		t.Fatalf("first dial: %v", err)
	}
	ws.Close()
	if _, resp, err := websocket.DefaultDialer.DialContext(ctx, wsURL, nil); err == nil || resp == nil || resp.StatusCode != 401 {
		t.Errorf("second dial with the same ticket: %v, want HTTP 401", err)
	}

	noAppToken := slack.New(botToken, slack.OptionAPIURL(s.URL))
	if _, _, err := noAppToken.StartSocketModeContext(Context(t)); SlackError(err) != "not_authed" {
		t.Errorf("without app token: %v, want not_authed", err)
	}
}

func TestSocketInvalidAuthStopsClient(t *testing.T) {
	s := MustStart(t)
	s.FailWith("apps.connections.open", -1, "invalid_auth")
	// slack-go gives up on invalid_auth, not_authed, account_inactive and
	// token_revoked; any other error it retries with backoff.
	err := socketmode.New(NewClient(s)).RunContext(Context(t))
	if SlackError(err) != "invalid_auth" {
		t.Errorf("RunContext = %v, want invalid_auth", err)
	}
}
