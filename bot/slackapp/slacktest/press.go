package slacktest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Shown is something Slack shows with blocks, whose elements a person can
// press: a message in a conversation (Message.Shown), an ephemeral message
// the bot sent (Server.Ephemerals), or the reply to a slash command, which
// Slack shows as an ephemeral message (ReplyShown).
type Shown struct {
	Channel  string // conversation ID
	TS       string // the message's ts; "" for a slash command's reply
	ThreadTS string // the thread it is in, if any
	// Ephemeral is set for what only Viewer sees and Slack does not keep.
	Ephemeral bool
	// Viewer, when set, is the only person who sees it: the recipient of
	// an ephemeral message or a reply, or the person of a DM ("D"+user).
	Viewer string
	Text   string
	Blocks json.RawMessage
}

// Shown returns the message as Slack shows it. In a DM ("D"+user) only
// that user sees it; in a channel, anyone (the fake keeps no members).
func (m Message) Shown() Shown {
	return Shown{Channel: m.Channel, TS: m.TS, ThreadTS: m.ThreadTS, Viewer: dmUser(m.Channel), Text: m.Text, Blocks: m.Blocks}
}

// dmUser returns the user of a DM channel "D"+user, or "".
func dmUser(channel string) string {
	if u, ok := strings.CutPrefix(channel, "D"); ok && isID(u) && (u[0] == 'U' || u[0] == 'W') {
		return u
	}
	return ""
}

// ReplyShown returns the reply to a slash command that user typed in
// channel, as Slack shows it: reply is the JSON the app answered with, the
// HTTP response body or a Socket Mode ack's payload ({"response_type":
// "ephemeral", "text": …, "blocks": […]}). Slack shows an ephemeral reply
// (the default) to user alone and keeps it nowhere; an in_channel one
// becomes a message, which the fake does not post, so it is refused.
func ReplyShown(channel, user string, reply []byte) (Shown, error) {
	var r struct {
		ResponseType string          `json:"response_type"`
		Text         string          `json:"text"`
		Blocks       json.RawMessage `json:"blocks"`
		ThreadTS     string          `json:"thread_ts"`
	}
	if err := json.Unmarshal(reply, &r); err != nil {
		return Shown{}, fmt.Errorf("slacktest: reply is not a message: %w", err)
	}
	if r.ResponseType != "" && r.ResponseType != "ephemeral" {
		return Shown{}, fmt.Errorf("slacktest: a %q reply is posted as a message, which the fake does not do", r.ResponseType)
	}
	return Shown{Channel: channel, ThreadTS: r.ThreadTS, Ephemeral: true, Viewer: user, Text: r.Text, Blocks: r.Blocks}, nil
}

// Ephemerals returns the ephemeral messages the bot sent user with
// chat.postEphemeral, oldest first.
func (s *Server) Ephemerals(user string) []Shown {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Shown
	for _, e := range s.ephemerals {
		if e.Viewer == user {
			out = append(out, e)
		}
	}
	return out
}

// Element is an interactive element as posted: in an actions block, or a
// section's accessory.
type Element struct {
	BlockID  string
	ActionID string
	Type     string       // "button", "static_select", "users_select", …
	Text     string       // a button's label; a menu's placeholder
	Value    string       // a button's value
	Options  []MenuOption // a static menu's options, groups flattened
	// Confirm is the dialog Slack shows before it sends the press, if
	// the element asks for one.
	Confirm *Confirm
	raw     rawElement
}

// Confirm is an element's confirmation dialog, as Slack shows it.
type Confirm struct {
	Title, Text, Confirm, Deny string
}

// MenuOption is one choice of a static menu.
type MenuOption struct {
	Text  string
	Value string
	raw   json.RawMessage
}

type rawElement struct {
	Type         string          `json:"type"`
	ActionID     string          `json:"action_id"`
	Text         json.RawMessage `json:"text"`
	Placeholder  json.RawMessage `json:"placeholder"`
	Value        string          `json:"value"`
	Style        string          `json:"style"`
	Options      []rawOption     `json:"options"`
	OptionGroups []struct {
		Options []rawOption `json:"options"`
	} `json:"option_groups"`
	Confirm *struct {
		Title   textObject `json:"title"`
		Text    textObject `json:"text"`
		Confirm textObject `json:"confirm"`
		Deny    textObject `json:"deny"`
	} `json:"confirm"`
}

type rawOption struct {
	Text  textObject `json:"text"`
	Value string     `json:"value"`
	raw   json.RawMessage
}

func (o *rawOption) UnmarshalJSON(b []byte) error {
	type plain rawOption
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*o = rawOption(p)
	o.raw = append(json.RawMessage(nil), b...)
	return nil
}

type textObject struct {
	Text string `json:"text"`
}

// Elements lists the interactive elements of blocks, in order.
func Elements(blocks json.RawMessage) ([]Element, error) {
	if len(blocks) == 0 {
		return nil, nil
	}
	var bs []struct {
		Type      string          `json:"type"`
		BlockID   string          `json:"block_id"`
		Elements  []rawElement    `json:"elements"`
		Accessory json.RawMessage `json:"accessory"`
	}
	if err := json.Unmarshal(blocks, &bs); err != nil {
		return nil, fmt.Errorf("slacktest: blocks: %w", err)
	}
	var out []Element
	add := func(blockID string, r rawElement) {
		var label textObject
		_ = json.Unmarshal(r.Text, &label)
		if r.Type != "button" {
			_ = json.Unmarshal(r.Placeholder, &label)
		}
		el := Element{BlockID: blockID, ActionID: r.ActionID, Type: r.Type, Text: label.Text, Value: r.Value, raw: r}
		if c := r.Confirm; c != nil {
			el.Confirm = &Confirm{Title: c.Title.Text, Text: c.Text.Text, Confirm: c.Confirm.Text, Deny: c.Deny.Text}
		}
		opts := slices.Clone(r.Options)
		for _, g := range r.OptionGroups {
			opts = append(opts, g.Options...)
		}
		for _, o := range opts {
			el.Options = append(el.Options, MenuOption{Text: o.Text.Text, Value: o.Value, raw: o.raw})
		}
		out = append(out, el)
	}
	for _, b := range bs {
		switch b.Type {
		case "actions":
			for _, r := range b.Elements {
				add(b.BlockID, r)
			}
		case "section":
			var r rawElement
			if len(b.Accessory) > 0 && json.Unmarshal(b.Accessory, &r) == nil && r.ActionID != "" {
				add(b.BlockID, r)
			}
		}
	}
	return out, nil
}

// Pick names the element to press and, for a menu, what to choose in it.
// Give ActionID or Label.
type Pick struct {
	ActionID string // the element's action_id
	Label    string // or a button's text
	// BlockID names the block, when the same element is in several.
	BlockID string
	Option  string // static_select: the value (or text) of one of its options
	User    string // users_select: the user chosen
}

func (p Pick) String() string {
	s := p.ActionID
	if s == "" {
		s = fmt.Sprintf("button %q", p.Label)
	}
	if p.BlockID != "" {
		s += " in block " + p.BlockID
	}
	return s
}

// find returns the one element of els that p names.
func (p Pick) find(els []Element) (Element, error) {
	if p.ActionID == "" && p.Label == "" {
		return Element{}, errors.New("slacktest: pick an element by action_id or label")
	}
	var found []Element
	for _, el := range els {
		if (p.ActionID == "" || el.ActionID == p.ActionID) && (p.Label == "" || el.Type == "button" && el.Text == p.Label) &&
			(p.BlockID == "" || el.BlockID == p.BlockID) {
			found = append(found, el)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		var offered []string
		for _, el := range els {
			offered = append(offered, fmt.Sprintf("%s %q (%s)", el.ActionID, el.Text, el.Type))
		}
		return Element{}, fmt.Errorf("slacktest: no %s to press; offered: %s", p, strings.Join(offered, ", "))
	}
	return Element{}, fmt.Errorf("slacktest: %d elements match %s; give the BlockID", len(found), p)
}

// blockActions is a block_actions payload, fields in the order of Slack's
// samples (interactive_block_actions_message.json and its thread sibling).
type blockActions struct {
	Type                string         `json:"type"`
	User                payloadUser    `json:"user"`
	APIAppID            string         `json:"api_app_id"`
	Token               string         `json:"token"`
	Container           container      `json:"container"`
	TriggerID           string         `json:"trigger_id"`
	Team                payloadTeam    `json:"team"`
	Enterprise          *struct{}      `json:"enterprise"`
	IsEnterpriseInstall bool           `json:"is_enterprise_install"`
	Channel             payloadChannel `json:"channel"`
	Message             map[string]any `json:"message,omitempty"`
	State               *state         `json:"state,omitempty"`
	ResponseURL         string         `json:"response_url"`
	Actions             []action       `json:"actions"`
}

type payloadUser struct {
	ID       string `json:"id"`
	Username string `json:"username,omitempty"`
	Name     string `json:"name,omitempty"`
	TeamID   string `json:"team_id"`
}

type container struct {
	Type        string `json:"type"`
	MessageTS   string `json:"message_ts"`
	ThreadTS    string `json:"thread_ts,omitempty"`
	ChannelID   string `json:"channel_id"`
	IsEphemeral bool   `json:"is_ephemeral"`
}

type payloadTeam struct {
	ID     string `json:"id"`
	Domain string `json:"domain"`
}

type payloadChannel struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

type state struct {
	Values map[string]map[string]any `json:"values"`
}

type action struct {
	ActionID       string          `json:"action_id"`
	BlockID        string          `json:"block_id"`
	Text           json.RawMessage `json:"text,omitempty"`
	Value          string          `json:"value,omitempty"`
	Style          string          `json:"style,omitempty"`
	Type           string          `json:"type"`
	SelectedOption json.RawMessage `json:"selected_option,omitempty"`
	SelectedUser   string          `json:"selected_user,omitempty"`
	Placeholder    json.RawMessage `json:"placeholder,omitempty"`
	ActionTS       string          `json:"action_ts"`
}

// ErrChanged is wrapped by Press's error when what it was asked to press is
// not in the message as it is now because the message was updated after on
// was recorded: a caller racing an update may read the message again.
var ErrChanged = errors.New("slacktest: the message changed since it was shown")

// Press returns the block_actions payload Slack sends when user presses
// the element pick names in on and, for a menu, chooses pick.Option (a
// static menu) or pick.User (a users menu). A button with a confirm
// dialog is pressed and confirmed. The payload has Slack's shape
// (interactive_block_actions_message.json), container type "message";
// a message's current state rides in it as "message", an ephemeral one's
// does not (Slack keeps none). Its response_url is on this server (see
// ResponseURL).
//
// A message is pressed as the fake holds it now, not as on recorded it
// (Slack shows the current one): a message deleted since cannot be
// pressed. Press returns an error, and no payload, for what Slack would
// not let user do: press something shown only to someone else (another's
// DM or ephemeral message), press an element that is not there, choose
// an option the menu does not offer or a user the fake does not know.
func (s *Server) Press(user string, on Shown, pick Pick) (json.RawMessage, error) {
	if user == "" {
		return nil, errors.New("slacktest: who presses?")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, blocks, threadTS, viewer := on.Channel, on.Blocks, on.ThreadTS, on.Viewer
	var msg map[string]any
	if !on.Ephemeral {
		ch = s.channelLocked(on.Channel)
		m := s.msgs[ch][on.TS]
		if m == nil {
			return nil, fmt.Errorf("slacktest: no message %s in %s to press (deleted, or never posted)", on.TS, ch)
		}
		blocks, threadTS, viewer = m.Blocks, m.ThreadTS, dmUser(ch)
		msg = s.messageJSONLocked(m, false)
	}
	if viewer != "" && user != viewer {
		return nil, fmt.Errorf("slacktest: %s cannot press %s: only %s sees it", user, pick, viewer)
	}
	els, err := Elements(blocks)
	if err != nil {
		return nil, err
	}
	el, err := pick.find(els)
	if err != nil {
		if !on.Ephemeral && !bytes.Equal(on.Blocks, blocks) {
			return nil, fmt.Errorf("%w: %w", ErrChanged, err)
		}
		return nil, err
	}
	s.pressSeq++
	now := time.Now()
	if s.now != nil {
		now = s.now()
	}
	act := action{ActionID: el.ActionID, BlockID: el.BlockID, Type: el.Type, ActionTS: tsOf(now)}
	var st *state
	switch el.Type {
	case "button":
		if pick.Option != "" || pick.User != "" {
			return nil, fmt.Errorf("slacktest: %s is a button; there is nothing to choose", pick)
		}
		act.Text, act.Value, act.Style = el.raw.Text, el.Value, el.raw.Style
	case "static_select":
		i := slices.IndexFunc(el.Options, func(o MenuOption) bool { return o.Value == pick.Option })
		if i < 0 {
			i = slices.IndexFunc(el.Options, func(o MenuOption) bool { return o.Text == pick.Option })
		}
		if pick.Option == "" || i < 0 {
			return nil, fmt.Errorf("slacktest: menu %s offers no option %q", pick, pick.Option)
		}
		act.SelectedOption, act.Placeholder = el.Options[i].raw, el.raw.Placeholder
		st = &state{Values: map[string]map[string]any{el.BlockID: {el.ActionID: map[string]any{
			"type": el.Type, "selected_option": el.Options[i].raw}}}}
	case "users_select":
		if _, ok := s.users[pick.User]; !ok {
			return nil, fmt.Errorf("slacktest: menu %s offers the workspace's people; %q is not one (AddUser)", pick, pick.User)
		}
		act.SelectedUser = pick.User
		st = &state{Values: map[string]map[string]any{el.BlockID: {el.ActionID: map[string]any{
			"type": el.Type, "selected_user": pick.User}}}}
	default:
		return nil, fmt.Errorf("slacktest: pressing a %s is not supported", el.Type)
	}
	ts := on.TS
	if ts == "" {
		ts = tsOf(now) // Slack gives the reply a ts of its own, which the app never saw
	}
	u := payloadUser{ID: user, TeamID: TeamID}
	if known, ok := s.users[user]; ok {
		u.Username, u.Name = known.Name, known.Name
	}
	p := blockActions{
		Type: "block_actions", User: u, APIAppID: AppID, Token: "verification-token",
		Container: container{Type: "message", MessageTS: ts, ThreadTS: threadTS, ChannelID: ch, IsEphemeral: on.Ephemeral},
		TriggerID: fmt.Sprintf("%d.1.fake-press-%d", tsBase, s.pressSeq),
		Team:      payloadTeam{ID: TeamID, Domain: "askdesk-fake"},
		Channel:   payloadChannel{ID: ch, Name: s.channelNameLocked(ch)},
		Message:   msg, State: st,
		ResponseURL: s.ResponseURL(fmt.Sprintf("actions-%d", s.pressSeq)),
		Actions:     []action{act},
	}
	return json.Marshal(p)
}

// channelNameLocked is a channel's name as block_actions payloads give it:
// "directmessage" for a DM, else the (first) name it was added or posted
// to by, or "" when the fake knows none.
func (s *Server) channelNameLocked(id string) string {
	if strings.HasPrefix(id, "D") {
		return "directmessage"
	}
	var names []string
	for name, v := range s.names {
		if v == id {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return ""
	}
	return names[0]
}

// tsOf writes t as a Slack ts, "seconds.micros".
func tsOf(t time.Time) string {
	us := t.UnixMicro()
	return fmt.Sprintf("%d.%06d", us/1_000_000, us%1_000_000)
}

// InteractionBody returns the HTTP body Slack POSTs to an app's
// interactivity URL for payload: the form field payload, URL-encoded.
func InteractionBody(payload json.RawMessage) []byte {
	return []byte(url.Values{"payload": {string(payload)}}.Encode())
}
