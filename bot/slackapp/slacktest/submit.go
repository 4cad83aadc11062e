package slacktest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ViewSubmission returns the view_submission payload Slack sends when user
// submits v, a modal the app opened (see Views), shaped like
// interactive_view_submission_real.json. values gives what the person
// entered, by input block_id: the text of a plain_text_input, or the value
// of the option chosen in a static_select or radio_buttons, which must be
// one the element offers, or the user IDs picked in a multi_users_select
// (comma-separated). Inputs not in values keep their initial value or
// option, as Slack's state does. It fails for a block the view does not
// have, or an option it does not offer: a test can only submit what a
// person could.
func ViewSubmission(v View, user string, values map[string]string) (json.RawMessage, error) {
	var view map[string]any
	if err := json.Unmarshal(v.View, &view); err != nil {
		return nil, fmt.Errorf("view %s: %w", v.ID, err)
	}
	blocks, _ := view["blocks"].([]any)
	state := map[string]any{}
	used := map[string]bool{}
	for _, b := range blocks {
		block, _ := b.(map[string]any)
		if block["type"] != "input" {
			continue
		}
		id, _ := block["block_id"].(string)
		el, _ := block["element"].(map[string]any)
		actionID, _ := el["action_id"].(string)
		typ, _ := el["type"].(string)
		given, ok := values[id]
		used[id] = ok
		var val map[string]any
		switch typ {
		case "plain_text_input":
			text, _ := el["initial_value"].(string)
			if ok {
				text = given
			}
			val = map[string]any{"type": typ, "value": text}
		case "static_select", "radio_buttons":
			opt := el["initial_option"]
			if ok {
				if opt = findOption(el, given); opt == nil {
					return nil, fmt.Errorf("view %s: block %s offers no option %q", v.ID, id, given)
				}
			}
			val = map[string]any{"type": typ, "selected_option": opt}
		case "multi_users_select":
			users, _ := el["initial_users"].([]any)
			if ok {
				users = nil
				for _, u := range strings.FieldsFunc(given, func(r rune) bool { return r == ',' || r == ' ' }) {
					users = append(users, u)
				}
			}
			if users == nil {
				users = []any{}
			}
			val = map[string]any{"type": typ, "selected_users": users}
		default:
			if ok {
				return nil, fmt.Errorf("view %s: block %s is a %s, which ViewSubmission cannot fill", v.ID, id, typ)
			}
			continue
		}
		state[id] = map[string]any{actionID: val}
	}
	for id := range values {
		if !used[id] {
			return nil, fmt.Errorf("view %s has no input block %q", v.ID, id)
		}
	}
	view["id"], view["team_id"], view["hash"] = v.ID, TeamID, v.Hash
	view["root_view_id"], view["app_id"], view["bot_id"] = v.ID, AppID, BotID
	view["state"] = map[string]any{"values": state}
	return mustJSON(map[string]any{
		"type":       "view_submission",
		"team":       map[string]any{"id": TeamID, "domain": "askdesk-fake"},
		"user":       map[string]any{"id": user, "username": strings.ToLower(user), "name": strings.ToLower(user), "team_id": TeamID},
		"api_app_id": AppID, "token": "verification-token", "trigger_id": "1764000000.2.fake-" + v.ID,
		"view": view, "response_urls": []any{},
	}), nil
}

// findOption returns the option of a select or radio element whose value
// is value, or nil.
func findOption(el map[string]any, value string) any {
	opts, _ := el["options"].([]any)
	if groups, ok := el["option_groups"].([]any); ok {
		for _, g := range groups {
			if gm, ok := g.(map[string]any); ok {
				more, _ := gm["options"].([]any)
				opts = append(opts, more...)
			}
		}
	}
	for _, o := range opts {
		if om, ok := o.(map[string]any); ok && om["value"] == value {
			return om
		}
	}
	return nil
}

// MessageShortcut returns the message_action payload Slack sends when user
// uses the message shortcut callbackID on m (a message in the fake, see
// AddMessage and AddReply), shaped like interactive_message_shortcut_real.json.
// A reply in a thread carries its thread_ts, as Slack's does. responseURL
// is the response_url to give (see ResponseURL), "" for none.
func MessageShortcut(m Message, callbackID, user, responseURL string) json.RawMessage {
	msg := map[string]any{"type": "message", "text": m.Text, "user": m.User, "ts": m.TS, "team": TeamID}
	if m.ThreadTS != "" {
		msg["thread_ts"] = m.ThreadTS
	}
	return mustJSON(map[string]any{
		"type": "message_action", "token": "verification-token", "action_ts": m.TS,
		"team":        map[string]any{"id": TeamID, "domain": "askdesk-fake"},
		"user":        map[string]any{"id": user, "name": strings.ToLower(user)},
		"channel":     map[string]any{"id": m.Channel, "name": "channel"},
		"callback_id": callbackID, "trigger_id": "1764000000.3.fake-" + m.TS,
		"message_ts": m.TS, "message": msg, "response_url": responseURL,
	})
}

// Message returns the message at ts in channel (ID or name), whoever
// posted it, and whether there is one.
func (s *Server) Message(channel, ts string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.msgs[s.channelLocked(channel)][ts]
	if !ok {
		return Message{}, false
	}
	return m.Message, true
}
