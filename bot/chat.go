package bot

import (
	"context"
	"strings"
)

// Chat is how the desk speaks: the Slack adapter and the console both
// implement it. Send must not block on the network for long; the Slack
// adapter queues messages in a durable outbox.
type Chat interface {
	Send(ctx context.Context, m Message) error
}

// Message is something the desk says to a channel or a person.
type Message struct {
	// To is a channel (ID or #name) or, when DM is set, a user ID.
	To string
	DM bool
	// Thread, when set, is the request whose conversation this belongs to:
	// the card's thread in a channel, the request's thread in a DM.
	Thread string
	// Card, when set, makes this message the request's card: adapters keep
	// one card per request and channel and update it in place.
	Card *Card
	// Text is mrkdwn; every piece of user text in it is escaped.
	Text    string
	Buttons []Button
}

// Button is an action offered with a message. Adapters render it as a Block
// Kit button, the console as a command one can type.
type Button struct {
	Label     string
	Action    Action
	RequestID string
	// Arg says what else the action needs: "text", "user" or "dept".
	Arg string
}

// Card is everything a request card shows.
type Card struct {
	Request    *Request
	Dept       *Department
	First      ClockStatus
	Resolution ClockStatus
	// LastChange says who did what last: "claimed by <@U…>".
	LastChange string
}

// Escape makes user text safe inside mrkdwn: no <!channel>, no <@U…>
// mentions and no disguised <http://…|links> can come through.
func Escape(s string) string {
	return mrkdwnEscaper.Replace(s)
}

var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Mention renders a user reference in mrkdwn.
func Mention(user string) string { return "<@" + user + ">" }

// Discard is a Chat that says nothing, for tools that only read.
type Discard struct{}

// Send drops m.
func (Discard) Send(context.Context, Message) error { return nil }
