package slacktest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ResponseURLMethod is the Call.Method recorded for a POST to a URL from
// Server.ResponseURL.
const ResponseURLMethod = "response_url"

// Envelope is a Socket Mode message from Slack to the app, shaped like
// socketmode_envelope_template_docs.txt. The app acks it by sending back
// its envelope_id (see WaitAck).
type Envelope struct {
	Payload                json.RawMessage
	EnvelopeID             string
	Type                   string // "events_api", "slash_commands", "interactive"
	AcceptsResponsePayload bool
	// RetryAttempt and RetryReason are sent for events_api only, as Slack
	// does (0 and "" on a first delivery).
	RetryAttempt int
	RetryReason  string
}

// MarshalJSON writes the fields in Slack's order.
func (e Envelope) MarshalJSON() ([]byte, error) {
	type base struct {
		Payload                json.RawMessage `json:"payload"`
		EnvelopeID             string          `json:"envelope_id"`
		Type                   string          `json:"type"`
		AcceptsResponsePayload bool            `json:"accepts_response_payload"`
	}
	b := base{e.Payload, e.EnvelopeID, e.Type, e.AcceptsResponsePayload}
	if e.Type != "events_api" {
		return json.Marshal(b)
	}
	return json.Marshal(struct {
		base
		RetryAttempt int    `json:"retry_attempt"`
		RetryReason  string `json:"retry_reason"`
	}{b, e.RetryAttempt, e.RetryReason})
}

// SlashCommandEnvelope wraps a slash command, given as the form fields Slack
// would POST over HTTP (command, text, user_id, channel_id, …), in a
// slash_commands envelope like socketmode_slash_commands.json. Every field
// is a JSON string, as Slack sends them (is_enterprise_install "false"
// included). team_id, team_domain, api_app_id, token and trigger_id get
// the fake's values when missing; response_url only if given (see
// Server.ResponseURL).
func SlashCommandEnvelope(id string, form url.Values) Envelope {
	p := map[string]string{
		"token": "verification-token", "team_id": TeamID, "team_domain": "askdesk-fake",
		"api_app_id": AppID, "trigger_id": "1764000000.1.fake-" + id,
	}
	for k, v := range form {
		if len(v) > 0 {
			p[k] = v[0]
		}
	}
	return Envelope{Payload: mustJSON(p), EnvelopeID: id, Type: "slash_commands", AcceptsResponsePayload: true}
}

// EventsAPIEnvelope wraps an Events API inner event (the "event" object,
// like events_app_mention_inner_docs.json) in an event_callback and an
// events_api envelope like socketmode_events_api_app_mention.json.
// event_id is "Ev"+id; event_time is the event's event_ts, if any.
func EventsAPIEnvelope(id string, event json.RawMessage) Envelope {
	var inner struct {
		Type    string `json:"type"`
		Channel string `json:"channel"`
		EventTS string `json:"event_ts"`
	}
	_ = json.Unmarshal(event, &inner)
	eventTime := int64(tsBase)
	if sec, _, _ := strings.Cut(inner.EventTS, "."); sec != "" {
		if n, err := strconv.ParseInt(sec, 10, 64); err == nil {
			eventTime = n
		}
	}
	payload := map[string]any{
		"token": "verification-token", "team_id": TeamID, "api_app_id": AppID,
		"event": event, "type": "event_callback", "event_id": "Ev" + id, "event_time": eventTime,
		"authorizations": []map[string]any{{
			"enterprise_id": nil, "team_id": TeamID, "user_id": BotUserID,
			"is_bot": true, "is_enterprise_install": false,
		}},
		"is_ext_shared_channel": false,
		"event_context":         "1-" + inner.Type + "-" + TeamID + "-" + inner.Channel,
	}
	return Envelope{Payload: mustJSON(payload), EnvelopeID: id, Type: "events_api"}
}

// InteractiveEnvelope wraps an interaction payload (block_actions,
// view_submission, shortcut, …, as in interactive_*.json) in an
// interactive envelope. accepts_response_payload is true for
// block_actions, block_suggestion and view_submission, as in the docs'
// samples, false otherwise (as for socketmode_interactive_global_shortcut.json).
func InteractiveEnvelope(id string, payload json.RawMessage) Envelope {
	var p struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(payload, &p)
	accepts := p.Type == "block_actions" || p.Type == "block_suggestion" || p.Type == "view_submission"
	return Envelope{Payload: payload, EnvelopeID: id, Type: "interactive", AcceptsResponsePayload: accepts}
}

// ResponseURL returns a response_url on this server for slash commands and
// interactions. POSTs to it are recorded as calls to ResponseURLMethod,
// with Params {"id": id} plus the JSON body's top-level keys, and answered
// {"ok":true}.
func (s *Server) ResponseURL(id string) string {
	return s.base + "/response/" + url.PathEscape(id)
}

func (s *Server) serveResponseURL(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.hold(r.Context(), ResponseURLMethod)
	c := Call{Method: ResponseURLMethod, Body: body, At: time.Now(), Status: http.StatusOK, Token: bearer(r)}
	c.Params, _ = flattenJSON(body)
	if c.Params == nil {
		c.Params = url.Values{}
	}
	c.Params.Set("id", strings.TrimPrefix(r.URL.Path, "/response/"))

	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.broadcastLocked()
	s.mu.Unlock()

	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = io.WriteString(w, `{"ok":true}`)
}
