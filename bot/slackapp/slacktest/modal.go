package slacktest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Modals after their submission. Slack applies the app's answer to a
// view_submission itself, from the acknowledgement; the fake never sees
// the acknowledgement, so a test hands it over (Submitted), and presses
// what the modal then shows (PressInModal).

// Submitted applies app's answer to a view_submission of modal v, as
// Slack does when the acknowledgement arrives: ack is its JSON (the HTTP
// response body or a Socket Mode ack's payload; empty for none).
// response_action "update" replaces v's content with the view given (a
// new hash), which must be a modal within Slack's limits (title, submit
// and close up to 24 characters, submit present when there is an input,
// private_metadata up to 3,000, blocks as BlockProblems checks, up to
// 100); "errors" leaves v open as it was; "clear", "push" (which the fake
// does not hold) and no answer close it, and the fake holds it no more.
// It returns v as it is now, and whether it is still open.
func (s *Server) Submitted(v View, ack []byte) (View, bool, error) {
	var answer struct {
		ResponseAction string          `json:"response_action"`
		View           json.RawMessage `json:"view"`
	}
	if len(strings.TrimSpace(string(ack))) > 0 {
		if err := json.Unmarshal(ack, &answer); err != nil {
			return View{}, false, fmt.Errorf("slacktest: answer to the submission of %s: %w", v.ID, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	held, ok := s.views[v.ID]
	if !ok || held.Type != "modal" {
		return View{}, false, fmt.Errorf("slacktest: no modal %s open", v.ID)
	}
	switch answer.ResponseAction {
	case "errors":
		return *held, true, nil
	case "update":
		var body map[string]any
		if err := json.Unmarshal(answer.View, &body); err != nil || body == nil {
			return View{}, false, fmt.Errorf("slacktest: update of %s without a view: %v", v.ID, err)
		}
		if problems := modalProblems(body); len(problems) > 0 {
			return View{}, false, fmt.Errorf("slacktest: Slack refuses the update of %s: %s", v.ID, strings.Join(problems, "; "))
		}
		held.Updated++
		s.setViewLocked(held, body)
		return *held, true, nil
	}
	delete(s.views, v.ID)
	return View{}, false, nil
}

// modalProblems lists where a modal view breaks Slack's limits
// (https://api.slack.com/reference/surfaces/views).
func modalProblems(body map[string]any) []string {
	var out []string
	if body["type"] != "modal" {
		out = append(out, fmt.Sprintf("type %v, want modal", body["type"]))
	}
	text := func(key string, required bool) {
		o, _ := body[key].(map[string]any)
		t, _ := o["text"].(string)
		switch {
		case o == nil && required:
			out = append(out, key+" missing")
		case o != nil && (o["type"] != "plain_text" || t == "" || utf8.RuneCountInString(t) > 24):
			out = append(out, fmt.Sprintf("%s %q: want plain_text of 1 to 24 characters", key, t))
		}
	}
	blocks, _ := json.Marshal(body["blocks"])
	hasInput := strings.Contains(string(blocks), `"type":"input"`)
	text("title", true)
	text("submit", hasInput)
	text("close", false)
	if meta, _ := body["private_metadata"].(string); utf8.RuneCountInString(meta) > 3000 {
		out = append(out, "private_metadata over 3,000 characters")
	}
	return append(out, BlockProblems(blocks, 100)...)
}

// PressInModal returns the block_actions payload Slack sends when user
// presses the element pick names (a button, or a choice in a static menu
// outside an input) in modal v as the fake holds it now: container type
// "view", the whole view with its hash, private_metadata and the state of
// its inputs, as in interactive_block_actions_home_real.json. A closed
// modal, or an element it does not show, cannot be pressed. The fake does
// not know whose a modal is: that only its opener sees it is for the test
// to keep.
func (s *Server) PressInModal(user string, v View, pick Pick) (json.RawMessage, error) {
	now, ok := s.View(v.ID)
	if !ok || now.Type != "modal" {
		return nil, errors.New("slacktest: no modal " + v.ID + " open")
	}
	view, err := viewWithState(now, nil)
	if err != nil {
		return nil, err
	}
	return s.pressView(user, now, view, pick)
}
