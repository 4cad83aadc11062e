package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// payloads builds Slack's real request bodies from the published samples
// in testdata/slack, changing only the fields a scenario needs. The same
// body goes over HTTP and, wrapped in an envelope, over Socket Mode: Slack
// sends the same payloads both ways.
type payloads struct {
	slash      url.Values     // slash_docs_weather.txt
	click      map[string]any // interactive_block_actions_message.json
	shortcut   map[string]any // interactive_message_shortcut_real.json
	submission map[string]any // interactive_view_submission_real.json
	reaction   map[string]any // events_reaction_added.json
}

func loadPayloads(root string) (*payloads, error) {
	dir := filepath.Join(root, "testdata/slack")
	raw, err := os.ReadFile(filepath.Join(dir, "slash_docs_weather.txt"))
	if err != nil {
		return nil, err
	}
	p := &payloads{}
	if p.slash, err = url.ParseQuery(strings.TrimSpace(string(raw))); err != nil {
		return nil, fmt.Errorf("slash sample: %w", err)
	}
	for _, s := range []struct {
		file string
		dst  *map[string]any
		want []string // objects the builders replace, so the sample must have them
	}{
		{"interactive_block_actions_message.json", &p.click, []string{"user", "channel"}},
		{"interactive_message_shortcut_real.json", &p.shortcut, []string{"user", "channel", "message"}},
		{"interactive_view_submission_real.json", &p.submission, []string{"user", "view"}},
		{"events_reaction_added.json", &p.reaction, []string{"event"}},
	} {
		raw, err := os.ReadFile(filepath.Join(dir, s.file))
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, s.dst); err != nil {
			return nil, fmt.Errorf("%s: %w", s.file, err)
		}
		for _, k := range s.want {
			if _, ok := (*s.dst)[k].(map[string]any); !ok {
				return nil, fmt.Errorf("%s: no %s object", s.file, k)
			}
		}
	}
	return p, nil
}

// command is the form of "/ask text" typed by user (in the sample's
// channel).
func (p *payloads) command(user, text, trigger, responseURL string) url.Values {
	f := url.Values{}
	for k, v := range p.slash {
		f[k] = v
	}
	f.Set("command", "/ask")
	f.Set("user_id", user)
	f.Set("text", text)
	f.Set("trigger_id", trigger)
	f.Set("response_url", responseURL)
	return f
}

// button is a block_actions payload: user clicked actionID with value on a
// message in channel.
func (p *payloads) button(user, channel, actionID, value, trigger string) []byte {
	return mustJSON(p.buttonPayload(user, channel, actionID, value, trigger))
}

// buttonAnswered is button with the response_url the click's answer goes
// to (the fake Slack's), where button keeps the sample's.
func (p *payloads) buttonAnswered(user, channel, actionID, value, trigger, responseURL string) []byte {
	m := p.buttonPayload(user, channel, actionID, value, trigger)
	m["response_url"] = responseURL
	return mustJSON(m)
}

func (p *payloads) buttonPayload(user, channel, actionID, value, trigger string) map[string]any {
	m := maps.Clone(p.click)
	m["user"] = map[string]any{"id": user, "username": "load", "team_id": "T9TK3CUKW"}
	m["channel"] = map[string]any{"id": channel, "name": "load"}
	m["trigger_id"] = trigger
	m["actions"] = []any{map[string]any{
		"action_id": actionID, "block_id": "askdesk:req:" + value, "value": value, "type": "button",
		"text": map[string]any{"type": "plain_text", "text": "x"}, "action_ts": "1548426417.840180",
	}}
	return m
}

// message is a message someone wrote in a channel, which a shortcut or a
// reaction files.
type message struct {
	channel, ts, author, text string
}

// shortcutPayload is a message_action payload: user chose "Send to a
// department" (callback_id askdesk:shortcut) on msg.
func (p *payloads) shortcutPayload(user string, msg message, trigger, responseURL string) []byte {
	m := maps.Clone(p.shortcut)
	m["callback_id"] = "askdesk:shortcut"
	m["user"] = map[string]any{"id": user, "name": "load"}
	m["channel"] = map[string]any{"id": msg.channel, "name": "load"}
	m["trigger_id"] = trigger
	m["message_ts"] = msg.ts
	m["response_url"] = responseURL
	m["message"] = map[string]any{"type": "message", "text": msg.text, "user": msg.author, "ts": msg.ts, "team": "T123"}
	return mustJSON(m)
}

// submissionPayload is a view_submission of askdesk's intake modal
// (callback_id askdesk:file) as opened by the shortcut on msg: the chosen
// department and priority and the text, with the shortcut's message in
// private_metadata. The state is shaped as ParseFileModal reads it:
// view.state.values[blockID][blockID], block IDs doubling as action IDs.
func (p *payloads) submissionPayload(user, dept, priority, text string, msg message, trigger string) []byte {
	m := maps.Clone(p.submission)
	m["user"] = map[string]any{"id": user, "username": "load", "name": "load", "team_id": "T123"}
	m["trigger_id"] = trigger
	view := maps.Clone(m["view"].(map[string]any))
	view["callback_id"] = "askdesk:file"
	view["private_metadata"] = string(mustJSON(map[string]string{"c": msg.channel, "t": msg.ts, "a": msg.author}))
	selected := func(v string) map[string]any {
		return map[string]any{"value": v, "text": map[string]any{"type": "plain_text", "text": v, "emoji": true}}
	}
	view["state"] = map[string]any{"values": map[string]any{
		"askdesk:file:dept":     map[string]any{"askdesk:file:dept": map[string]any{"type": "static_select", "selected_option": selected(dept)}},
		"askdesk:file:priority": map[string]any{"askdesk:file:priority": map[string]any{"type": "radio_buttons", "selected_option": selected(priority)}},
		"askdesk:file:text":     map[string]any{"askdesk:file:text": map[string]any{"type": "plain_text_input", "value": text}},
	}}
	m["view"] = view
	return mustJSON(m)
}

// reactionCallback is the event_callback of user adding the reaction emoji
// to msg, with event ID eventID, as POSTed to /slack/events and carried in
// an events_api envelope.
func (p *payloads) reactionCallback(eventID, user, emoji string, msg message) []byte {
	m := maps.Clone(p.reaction)
	m["event_id"] = eventID
	m["event"] = map[string]any{
		"type": "reaction_added", "user": user, "reaction": emoji, "item_user": msg.author,
		"item":     map[string]any{"type": "message", "channel": msg.channel, "ts": msg.ts},
		"event_ts": "1465244570.336841",
	}
	return mustJSON(m)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // maps of strings and numbers always encode
	}
	return b
}
