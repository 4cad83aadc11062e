package slacktest

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// BlockProblems lists where blocks (a JSON array, as sent) break Block
// Kit's documented limits (https://api.slack.com/reference/block-kit/blocks):
// at most maxBlocks blocks (50 in a message, 100 in a modal or Home tab),
// block_ids unique and at most 255 characters, section text up to 3,000
// characters and fields up to 2,000 (at most 10), headers up to 150,
// context elements 1 to 10, actions elements 1 to 25 with unique
// action_ids, button text up to 75 and value up to 2,000, static menus 1
// to 100 options with text up to 75 and values up to 150. Nil means none.
func BlockProblems(blocks json.RawMessage, maxBlocks int) []string {
	type text struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	type element struct {
		Type     string `json:"type"`
		ActionID string `json:"action_id"`
		Text     *text  `json:"text"`
		Value    string `json:"value"`
		Options  []struct {
			Text  text   `json:"text"`
			Value string `json:"value"`
		} `json:"options"`
	}
	var bs []struct {
		Type     string            `json:"type"`
		BlockID  string            `json:"block_id"`
		Text     *text             `json:"text"`
		Fields   []text            `json:"fields"`
		Elements []json.RawMessage `json:"elements"`
	}
	if err := json.Unmarshal(blocks, &bs); err != nil {
		return []string{"blocks: " + err.Error()}
	}
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if len(bs) == 0 || len(bs) > maxBlocks {
		bad("%d blocks, want 1 to %d", len(bs), maxBlocks)
	}
	within := func(what, s string, lo, hi int) {
		if n := utf8.RuneCountInString(s); n < lo || n > hi {
			bad("%s: %d characters, want %d to %d", what, n, lo, hi)
		}
	}
	ids := map[string]bool{}
	for i, b := range bs {
		what := fmt.Sprintf("block %d (%s)", i, b.Type)
		if b.BlockID != "" {
			within(what+" block_id", b.BlockID, 1, 255)
			if ids[b.BlockID] {
				bad("%s: block_id %q repeated", what, b.BlockID)
			}
			ids[b.BlockID] = true
		}
		switch b.Type {
		case "header":
			if b.Text == nil {
				bad("%s: no text", what)
			} else {
				within(what, b.Text.Text, 1, 150)
			}
		case "section":
			if b.Text == nil && len(b.Fields) == 0 {
				bad("%s: neither text nor fields", what)
			}
			if b.Text != nil {
				within(what, b.Text.Text, 1, 3000)
			}
			if len(b.Fields) > 10 {
				bad("%s: %d fields", what, len(b.Fields))
			}
			for _, f := range b.Fields {
				within(what+" field", f.Text, 1, 2000)
			}
		case "context":
			if n := len(b.Elements); n < 1 || n > 10 {
				bad("%s: %d elements", what, n)
			}
			for _, raw := range b.Elements {
				var t text
				if json.Unmarshal(raw, &t) == nil && (t.Type == "mrkdwn" || t.Type == "plain_text") {
					within(what, t.Text, 1, 3000)
				}
			}
		case "actions":
			if n := len(b.Elements); n < 1 || n > 25 {
				bad("%s: %d elements, want 1 to 25", what, n)
			}
			aids := map[string]bool{}
			for _, raw := range b.Elements {
				var e element
				if err := json.Unmarshal(raw, &e); err != nil {
					bad("%s: %v", what, err)
					continue
				}
				if e.ActionID != "" {
					if aids[e.ActionID] {
						bad("%s: action_id %q repeated", what, e.ActionID)
					}
					aids[e.ActionID] = true
				}
				switch e.Type {
				case "button":
					if e.Text == nil {
						bad("%s: button without text", what)
					} else {
						within(what+" button", e.Text.Text, 1, 75)
					}
					within(what+" button value", e.Value, 0, 2000)
				case "static_select":
					if n := len(e.Options); n < 1 || n > 100 {
						bad("%s: menu %s has %d options", what, e.ActionID, n)
					}
					for _, o := range e.Options {
						within(what+" option", o.Text.Text, 1, 75)
						within(what+" option value", o.Value, 1, 150)
					}
				}
			}
		}
	}
	return out
}
