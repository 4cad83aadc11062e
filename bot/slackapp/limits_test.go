package slackapp_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
)

// legitMention is a mention the desk writes itself, of someone it knows.
var legitMention = regexp.MustCompile(`<@(U0[A-Z0-9]+)>`)

// assertNoInjection fails when mrkdwn s holds any <…> reference other than
// mentions of people in dir.
func assertNoInjection(tb testing.TB, dir *bot.Directory, s string) {
	tb.Helper()
	rest := legitMention.ReplaceAllStringFunc(s, func(m string) string {
		if _, ok := dir.People[legitMention.FindStringSubmatch(m)[1]]; ok {
			return ""
		}
		return m
	})
	for _, bad := range []string{"<!", "<@", "<#", "<http", "<mailto"} {
		if strings.Contains(rest, bad) {
			tb.Errorf("mrkdwn text lets %q through: %q", bad, s)
			return
		}
	}
	if strings.Contains(rest, "<") {
		tb.Errorf("mrkdwn text has an unescaped '<': %q", s)
	}
}

// checkLimits fails when blocks break one of Slack's documented limits
// (Block Kit's reference, https://api.slack.com/reference/block-kit).
func checkLimits(tb testing.TB, blocks []slack.Block) {
	tb.Helper()
	checkLimitsOf(tb, blocks, 50)
}

// checkLimitsOf is checkLimits for a surface holding maxBlocks blocks (a
// message 50, a modal or Home tab 100).
func checkLimitsOf(tb testing.TB, blocks []slack.Block, maxBlocks int) {
	tb.Helper()
	if len(blocks) == 0 || len(blocks) > maxBlocks {
		tb.Errorf("%d blocks, want 1 to %d", len(blocks), maxBlocks)
	}
	text := func(what string, o *slack.TextBlockObject, limit int) {
		tb.Helper()
		if o == nil {
			tb.Errorf("%s: no text", what)
			return
		}
		if n := utf8.RuneCountInString(o.Text); n < 1 || n > limit {
			tb.Errorf("%s: %d characters, want 1 to %d", what, n, limit)
		}
	}
	under := func(what, s string, limit int) {
		tb.Helper()
		if n := utf8.RuneCountInString(s); n > limit {
			tb.Errorf("%s: %d characters, over %d", what, n, limit)
		}
	}
	options := func(what string, opts []*slack.OptionBlockObject) {
		tb.Helper()
		if len(opts) == 0 || len(opts) > 100 {
			tb.Errorf("%s: %d options, want 1 to 100", what, len(opts))
		}
		for _, o := range opts {
			text(what+" option", o.Text, 75)
			under(what+" option value", o.Value, 150)
			if o.Description != nil {
				text(what+" option description", o.Description, 75)
			}
		}
	}
	blockIDs := map[string]bool{}
	for i, b := range blocks {
		what := fmt.Sprintf("block %d (%s)", i, b.BlockType())
		if id := b.ID(); id != "" {
			under(what+" block_id", id, 255)
			if blockIDs[id] {
				tb.Errorf("%s: block_id %q repeated", what, id)
			}
			blockIDs[id] = true
		}
		switch b := b.(type) {
		case *slack.HeaderBlock:
			text(what, b.Text, 150)
		case *slack.SectionBlock:
			if b.Text != nil {
				text(what, b.Text, 3000)
			}
			if len(b.Fields) > 10 || b.Text == nil && len(b.Fields) == 0 {
				tb.Errorf("%s: %d fields", what, len(b.Fields))
			}
			for _, f := range b.Fields {
				text(what+" field", f, 2000)
			}
		case *slack.ContextBlock:
			if n := len(b.ContextElements.Elements); n < 1 || n > 10 {
				tb.Errorf("%s: %d elements", what, n)
			}
			for _, e := range b.ContextElements.Elements {
				if o, ok := e.(*slack.TextBlockObject); ok {
					text(what, o, 3000)
				}
			}
		case *slack.ActionBlock:
			els := b.Elements.ElementSet
			if len(els) < 1 || len(els) > 25 {
				tb.Errorf("%s: %d elements, want 1 to 25", what, len(els))
			}
			actionIDs := map[string]bool{}
			for _, e := range els {
				var id string
				switch e := e.(type) {
				case *slack.ButtonBlockElement:
					id = e.ActionID
					text(what+" button", e.Text, 75)
					under(what+" button value", e.Value, 2000)
					if c := e.Confirm; c != nil {
						text(what+" confirm title", c.Title, 100)
						text(what+" confirm text", c.Text, 300)
						text(what+" confirm", c.Confirm, 30)
						text(what+" deny", c.Deny, 30)
					}
				case *slack.SelectBlockElement:
					id = e.ActionID
					text(what+" placeholder", e.Placeholder, 150)
					if e.Type == slack.OptTypeStatic {
						options(what, e.Options)
					}
				default:
					tb.Errorf("%s: unexpected element %T", what, e)
				}
				under(what+" action_id", id, 255)
				if actionIDs[id] {
					tb.Errorf("%s: action_id %q repeated in the block", what, id)
				}
				actionIDs[id] = true
			}
		case *slack.InputBlock:
			text(what+" label", b.Label, 2000)
			switch e := b.Element.(type) {
			case *slack.SelectBlockElement:
				if e.Type == slack.OptTypeStatic { // a people menu lists Slack's own
					options(what, e.Options)
				}
			case *slack.RadioButtonsBlockElement:
				options(what, e.Options)
			case *slack.PlainTextInputBlockElement:
				under(what+" initial value", e.InitialValue, e.MaxLength)
			}
		case *slack.DividerBlock:
		default:
			tb.Errorf("%s: unexpected block %T", what, b)
		}
	}
}

// mrkdwnTexts returns the text of every mrkdwn object in blocks.
func mrkdwnTexts(blocks []slack.Block) []string {
	var out []string
	add := func(o *slack.TextBlockObject) {
		if o != nil && o.Type == slack.MarkdownType {
			out = append(out, o.Text)
		}
	}
	for _, b := range blocks {
		switch b := b.(type) {
		case *slack.SectionBlock:
			add(b.Text)
			for _, f := range b.Fields {
				add(f)
			}
		case *slack.ContextBlock:
			for _, e := range b.ContextElements.Elements {
				if o, ok := e.(*slack.TextBlockObject); ok {
					add(o)
				}
			}
		case *slack.HeaderBlock:
			add(b.Text)
		}
	}
	return out
}

// elements returns the interactive elements of blocks' actions blocks.
func elements(blocks []slack.Block) []slack.BlockElement {
	var out []slack.BlockElement
	for _, b := range blocks {
		if a, ok := b.(*slack.ActionBlock); ok {
			out = append(out, a.Elements.ElementSet...)
		}
	}
	return out
}

func randomText(rng *rand.Rand, alphabet string, n int) string {
	rs := []rune(alphabet)
	var b strings.Builder
	for range n {
		b.WriteRune(rs[rng.IntN(len(rs))])
	}
	return b.String()
}

// stripSpace drops whitespace, which splitting may move or trim.
func stripSpace(s string) string {
	return strings.Join(strings.Fields(s), "")
}
