package slacktest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
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
	view, err := viewWithState(v, values)
	if err != nil {
		return nil, err
	}
	return mustJSON(map[string]any{
		"type":       "view_submission",
		"team":       map[string]any{"id": TeamID, "domain": "askdesk-fake"},
		"user":       map[string]any{"id": user, "username": strings.ToLower(user), "name": strings.ToLower(user), "team_id": TeamID},
		"api_app_id": AppID, "token": "verification-token", "trigger_id": "1764000000.2.fake-" + v.ID,
		"view": view, "response_urls": []any{},
	}), nil
}

// viewWithState is v as Slack sends it back in an interaction: the view
// as last sent, its ID, hash and owners, and the state of its inputs with
// values (see ViewSubmission) entered.
func viewWithState(v View, values map[string]string) (map[string]any, error) {
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
		case "number_input":
			text, _ := el["initial_value"].(string)
			if ok {
				text = given
			}
			val = map[string]any{"type": typ, "value": text}
		case "datepicker":
			date, _ := el["initial_date"].(string)
			if ok {
				if _, err := time.Parse("2006-01-02", given); err != nil {
					return nil, fmt.Errorf("view %s: block %s is a date picker; %q is no date (YYYY-MM-DD)", v.ID, id, given)
				}
				date = given
			}
			val = map[string]any{"type": typ, "selected_date": nilIfEmpty(date)}
		case "users_select":
			user, _ := el["initial_user"].(string)
			if ok {
				user = given
			}
			val = map[string]any{"type": typ, "selected_user": nilIfEmpty(user)}
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
	return view, nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// View returns the view with that ID as the fake holds it now (after any
// views.update), and whether there is one.
func (s *Server) View(id string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.views[id]
	if !ok {
		return View{}, false
	}
	return *v, true
}

// PressInView returns the block_actions payload Slack sends when user
// chooses option in the menu of the input block blockID of modal v (as
// the fake holds it now), shaped like interactive_block_actions_home_real.json:
// container type "view" with the view's ID, and the whole view with its
// hash and the state of its inputs, values (as for ViewSubmission) entered
// first. Slack sends block_actions from an input block only when it has
// dispatch_action set, so PressInView refuses one without, as it refuses
// an option the menu does not offer.
func (s *Server) PressInView(user string, v View, blockID, option string, values map[string]string) (json.RawMessage, error) {
	now, ok := s.View(v.ID)
	if !ok {
		return nil, fmt.Errorf("slacktest: no view %s", v.ID)
	}
	var raw struct {
		Blocks []struct {
			Type           string         `json:"type"`
			BlockID        string         `json:"block_id"`
			DispatchAction bool           `json:"dispatch_action"`
			Element        map[string]any `json:"element"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(now.View, &raw); err != nil {
		return nil, fmt.Errorf("view %s: %w", v.ID, err)
	}
	var el map[string]any
	for _, b := range raw.Blocks {
		if b.Type == "input" && b.BlockID == blockID {
			if !b.DispatchAction {
				return nil, fmt.Errorf("slacktest: input %s of view %s has no dispatch_action; Slack sends nothing when it changes", blockID, v.ID)
			}
			el = b.Element
		}
	}
	if el == nil {
		return nil, fmt.Errorf("slacktest: view %s has no input block %q", v.ID, blockID)
	}
	if el["type"] != "static_select" {
		return nil, fmt.Errorf("slacktest: PressInView chooses in a static_select; %s is a %v", blockID, el["type"])
	}
	opt := findOption(el, option)
	if opt == nil {
		return nil, fmt.Errorf("slacktest: menu %s of view %s offers no option %q", blockID, v.ID, option)
	}
	vals := map[string]string{blockID: option}
	for k, val := range values {
		vals[k] = val
	}
	view, err := viewWithState(now, vals)
	if err != nil {
		return nil, err
	}
	actionID, _ := el["action_id"].(string)
	s.mu.Lock()
	s.pressSeq++
	seq := s.pressSeq
	at := time.Now()
	if s.now != nil {
		at = s.now()
	}
	s.mu.Unlock()
	optJSON := mustJSON(opt)
	placeholder := mustJSON(el["placeholder"])
	return mustJSON(map[string]any{
		"type":       "block_actions",
		"team":       map[string]any{"id": TeamID, "domain": "askdesk-fake"},
		"user":       map[string]any{"id": user, "username": strings.ToLower(user), "name": strings.ToLower(user), "team_id": TeamID},
		"api_app_id": AppID, "token": "verification-token",
		"container":  map[string]any{"type": "view", "view_id": v.ID},
		"trigger_id": fmt.Sprintf("%d.1.fake-press-%d", tsBase, seq),
		"view":       view,
		"actions": []any{map[string]any{
			"type": "static_select", "action_id": actionID, "block_id": blockID,
			"selected_option": json.RawMessage(optJSON), "placeholder": json.RawMessage(placeholder),
			"action_ts": tsOf(at),
		}},
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
