package slackapp

import (
	"strings"

	"github.com/askdesk/askdesk/bot"
)

// Mrkdwn renders the desk's text (see bot/richtext.go) as Slack mrkdwn:
// every '&', '<' and '>' of its plain runs is escaped, so no user text can
// become a mention, a link or <!channel>, except a '>' that starts a line,
// which is the desk's quote as it is Slack's; a person becomes <@U…>, a
// channel <#C…> and a link <url|text>. Every piece of the desk's text that
// reaches Slack passes here once, before it is clipped to Slack's limits
// (escaping lengthens it).
func Mrkdwn(s string) string { return mrkdwnRenderer.Render(s) }

var mrkdwnRenderer = bot.Renderer{
	Text: func(s string, lineStart bool) string {
		if !strings.Contains(s, ">") {
			return escapeMrkdwn(s)
		}
		lines := strings.Split(s, "\n")
		for i, line := range lines {
			if (i > 0 || lineStart) && strings.HasPrefix(line, ">") {
				lines[i] = ">" + escapeMrkdwn(line[1:])
			} else {
				lines[i] = escapeMrkdwn(line)
			}
		}
		return strings.Join(lines, "\n")
	},
	Mention: func(user string) string { return "<@" + escapeMrkdwn(user) + ">" },
	Channel: func(id string) string { return "<#" + escapeMrkdwn(id) + ">" },
	// A URL keeps its '&' as Slack gave it; only what would end the
	// reference early is encoded.
	Link: func(url, text string) string {
		return "<" + urlEscaper.Replace(url) + "|" + escapeMrkdwn(text) + ">"
	},
}

var (
	mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	urlEscaper    = strings.NewReplacer("<", "%3C", ">", "%3E", "|", "%7C")
)

// escapeMrkdwn makes plain text safe inside mrkdwn: no <!channel>, no
// <@U…> mentions and no disguised <http://…|links> can come through.
func escapeMrkdwn(s string) string { return mrkdwnEscaper.Replace(s) }
