package bot

import (
	"strings"
	"unicode/utf8"
)

// The desk writes text in one small form of its own, which each chat
// adapter renders (Slack mrkdwn in bot/slackapp, terminal text in
// bot/console):
//
//   - Plain characters mean themselves: a '<', '>' or '&' typed by a user
//     is text, never markup. Escaping them is the adapter's job.
//   - Bold is *text* and a quoted line starts with '>'; code is `text`.
//     Slack and a terminal show these characters alike, so they stay as
//     they are. (A user's '>' at the start of a line of their text is kept
//     too; Slack shows its escaped form there as a quote all the same.)
//   - What an adapter must draw in its own way (a person, a channel, a
//     link) is a token: a private-use rune, the token's fields and an end
//     rune. Write them with Mention, ChannelRef and Link; read them with
//     Render.
//
// User text cannot forge a token: Escape drops the token runes, and every
// piece of user text the desk writes goes through Escape.
const (
	mentionRune = '\uE000' // mentionRune user tokenEnd
	channelRune = '\uE001' // channelRune id tokenEnd
	linkRune    = '\uE002' // linkRune url linkSep text tokenEnd
	linkSep     = '\uE003'
	tokenEnd    = '\uE004'
)

// isTokenRune reports the runes reserved for tokens.
func isTokenRune(r rune) bool { return r >= mentionRune && r <= tokenEnd }

// Escape makes user text safe to put in the desk's text: it can hold no
// token (no mention, channel or link), so what a user typed is only ever
// shown as typed.
func Escape(s string) string {
	if strings.IndexFunc(s, isTokenRune) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isTokenRune(r) {
			return -1
		}
		return r
	}, s)
}

// Mention refers to a person by user ID; the system actor is "askdesk".
func Mention(user string) string {
	if user == SystemActor {
		return "askdesk"
	}
	return string(mentionRune) + Escape(user) + string(tokenEnd)
}

// ChannelRef refers to a channel: a channel ID (C…, G…) becomes a reference
// the adapter draws; a name such as #finance is written as is.
func ChannelRef(ch string) string {
	if ch != "" && (ch[0] == 'C' || ch[0] == 'G') && !strings.HasPrefix(ch, "#") {
		return string(channelRune) + Escape(ch) + string(tokenEnd)
	}
	return Escape(ch)
}

// Link shows text that leads to url.
func Link(url, text string) string {
	return string(linkRune) + Escape(url) + string(linkSep) + Escape(text) + string(tokenEnd)
}

// Renderer says how an adapter shows each part of the desk's text. Text
// gets the plain runs between tokens, with lineStart true for the first
// (a run after a token does not start a line, which matters to a '>');
// the others get a token's fields as they were written (Link's text is
// plain text, for the adapter to escape as it escapes Text).
type Renderer struct {
	Text    func(s string, lineStart bool) string
	Mention func(user string) string
	Channel func(id string) string
	Link    func(url, text string) string
}

// Render turns the desk's text s into the adapter's. A token cut short
// (clipped text) is dropped rather than shown half.
func (rd Renderer) Render(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	lineStart := true
	for ; s != ""; lineStart = false {
		i := strings.IndexFunc(s, isTokenRune)
		if i < 0 {
			b.WriteString(rd.Text(s, lineStart))
			break
		}
		b.WriteString(rd.Text(s[:i], lineStart))
		kind, size := utf8.DecodeRuneInString(s[i:])
		s = s[i+size:]
		if kind != mentionRune && kind != channelRune && kind != linkRune {
			continue // a stray separator or end
		}
		end := strings.IndexRune(s, tokenEnd)
		if end < 0 {
			break
		}
		body := s[:end]
		s = s[end+len(string(tokenEnd)):]
		switch kind {
		case mentionRune:
			b.WriteString(rd.Mention(body))
		case channelRune:
			b.WriteString(rd.Channel(body))
		case linkRune:
			url, text, _ := strings.Cut(body, string(linkSep))
			b.WriteString(rd.Link(url, text))
		}
	}
	return b.String()
}
