package slacktest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Home returns user's Home tab as the bot last published it, and whether
// it published one.
func (s *Server) Home(user string) (View, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.views[s.homes[user]]
	if !ok {
		return View{}, false
	}
	return *v, true
}

// HomeBlocks returns the blocks of a view as published.
func HomeBlocks(v View) (json.RawMessage, error) {
	var body struct {
		Blocks json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(v.View, &body); err != nil {
		return nil, fmt.Errorf("view %s: %w", v.ID, err)
	}
	return body.Blocks, nil
}

// PressInHome returns the block_actions payload Slack sends when user
// presses the element pick names on their Home tab as the fake holds it
// now (a button, or a choice in a static menu), shaped like
// interactive_block_actions_home_real.json: container type "view", the
// whole view with its hash and private_metadata, no channel. Only the
// Home's owner sees it, so anyone else's press is refused, as is an
// element that is not there.
func (s *Server) PressInHome(user string, pick Pick) (json.RawMessage, error) {
	v, ok := s.Home(user)
	if !ok {
		return nil, fmt.Errorf("slacktest: %s has no Home tab published", user)
	}
	var view map[string]any
	if err := json.Unmarshal(v.View, &view); err != nil {
		return nil, err
	}
	view["id"], view["hash"], view["team_id"], view["app_id"], view["bot_id"] = v.ID, v.Hash, TeamID, AppID, BotID
	view["root_view_id"], view["app_installed_team_id"] = v.ID, TeamID
	view["state"] = map[string]any{"values": map[string]any{}}
	return s.pressView(user, v, view, pick)
}

// pressView is the block_actions payload of user pressing pick in v, sent
// with view (v as a payload carries it).
func (s *Server) pressView(user string, v View, view map[string]any, pick Pick) (json.RawMessage, error) {
	blocks, err := HomeBlocks(v)
	if err != nil {
		return nil, err
	}
	els, err := Elements(blocks)
	if err != nil {
		return nil, err
	}
	el, err := pick.find(els)
	if err != nil {
		return nil, err
	}
	if _, ok := view["private_metadata"]; !ok {
		view["private_metadata"] = ""
	}
	s.mu.Lock()
	s.pressSeq++
	seq := s.pressSeq
	now := time.Now()
	if s.now != nil {
		now = s.now()
	}
	s.mu.Unlock()
	act := map[string]any{"action_id": el.ActionID, "block_id": el.BlockID, "type": el.Type, "action_ts": tsOf(now)}
	switch el.Type {
	case "button":
		if pick.Option != "" {
			return nil, fmt.Errorf("slacktest: %s is a button; there is nothing to choose", pick)
		}
		act["text"], act["value"] = el.raw.Text, el.Value
		if el.raw.Style != "" {
			act["style"] = el.raw.Style
		}
	case "static_select":
		i := slices.IndexFunc(el.Options, func(o MenuOption) bool { return o.Value == pick.Option || o.Text == pick.Option })
		if pick.Option == "" || i < 0 {
			return nil, fmt.Errorf("slacktest: menu %s offers no option %q", pick, pick.Option)
		}
		act["selected_option"], act["placeholder"] = el.Options[i].raw, el.raw.Placeholder
	default:
		return nil, errors.New("slacktest: pressing a " + el.Type + " in a view is not supported")
	}
	return mustJSON(map[string]any{
		"type":       "block_actions",
		"team":       map[string]any{"id": TeamID, "domain": "askdesk-fake"},
		"user":       map[string]any{"id": user, "username": strings.ToLower(user), "name": strings.ToLower(user), "team_id": TeamID},
		"api_app_id": AppID, "token": "verification-token",
		"container":  map[string]any{"type": "view", "view_id": v.ID},
		"trigger_id": fmt.Sprintf("%d.1.fake-press-%d", tsBase, seq),
		"view":       view,
		"actions":    []any{act},
	}), nil
}
