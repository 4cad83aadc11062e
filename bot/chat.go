package bot

import (
	"context"
	"time"
)

// Chat is how the desk speaks: the Slack adapter and the console both
// implement it. The desk calls Send only from its outbox delivery, in order
// per destination; an error makes it retry the message later (see
// RetryAfter and Permanent).
type Chat interface {
	Send(ctx context.Context, m Message) error
}

// Message is something the desk says to a channel or a person. Messages are
// written to the outbox in the same transaction as the change they announce,
// and delivered from there, so none is lost to a crash or a chat outage.
type Message struct {
	// To is a channel (ID or #name) or, when DM is set, a user ID.
	To string `json:"to"`
	DM bool   `json:"dm,omitempty"`
	// ThreadOf, when set, is the ID of the request whose conversation this
	// belongs to: the card's thread in a channel, the request's thread in a
	// DM. (Stored as "thread": outbox rows written before the rename still
	// decode.)
	ThreadOf string `json:"thread,omitempty"`
	// CardFor, when set, makes this message that request's card in channel
	// To. It is drawn at delivery from the request's state then, so adapters
	// keep one card per request and channel and update it in place.
	CardFor string `json:"card_for,omitempty"`
	// Change says who did what last, for cards: "claimed by " + Mention(user).
	Change string `json:"change,omitempty"`
	// ReplyTo, when set, is the adapter's reference to a message in channel
	// To that this one answers in its thread (the message a reaction filed).
	ReplyTo string `json:"reply_to,omitempty"`
	// Text is the desk's text (see richtext.go), which each adapter
	// renders; every piece of user text in it went through Escape. For
	// cards it is filled at delivery.
	Text    string   `json:"text,omitempty"`
	Buttons []Button `json:"buttons,omitempty"`
	// Reactions are emoji (Slack names) the adapter adds to the message
	// itself, so one click answers (a rating prompt).
	Reactions []string `json:"reactions,omitempty"`
	// RatingFor, when set, marks this message as the rating prompt of that
	// request: reactions to it rate.
	RatingFor string `json:"rating_for,omitempty"`
	// File, when set, goes with the message (a digest's chart); adapters
	// that cannot show it still deliver the text.
	File *File `json:"file,omitempty"`
	// Lang is the language the message was written in ("zh-Hans"), so the
	// adapter says its own words (card labels, button confirmations) in
	// it too; "" (and every message stored before languages) is the
	// channel's or company's default.
	Lang string `json:"lang,omitempty"`
	// Card is the drawn card, filled at delivery; never stored.
	Card *Card `json:"-"`
	// OutboxID is the outbox item being delivered, set at delivery (never
	// stored). Adapters tag what they post with it, so that a delivery in
	// doubt can find what an earlier attempt posted.
	OutboxID int64 `json:"-"`
	// QueuedAt is when the item was written to the outbox: nothing of it
	// was posted before then. Set at delivery.
	QueuedAt time.Time `json:"-"`
	// MaybeSent is set at delivery when an earlier attempt may have
	// posted this message without its outcome being recorded (see
	// Outbox.ClaimMessage). An adapter that can should look for that post,
	// tagged with OutboxID, and finish it instead of posting again; when it
	// cannot tell, it sends (a repeat is better than a loss).
	MaybeSent bool `json:"-"`
}

// File is an attachment: a name, a title and the bytes.
type File struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	Data  []byte `json:"data"`
}

// Button is an action offered with a message. Adapters render it as a Block
// Kit button, the console as a command one can type.
type Button struct {
	Label     string `json:"label"`
	Action    Action `json:"action"`
	RequestID string `json:"request_id"`
	// Arg says what else the action needs: "text", "user" or "dept".
	Arg string `json:"arg,omitempty"`
}

// Card is everything a request card shows.
type Card struct {
	Request    *Request
	Dept       *Department
	First      ClockStatus
	Resolution ClockStatus
	// LastChange says who did what last: "claimed by " + Mention(user).
	LastChange string
	// Journey is JourneyLine: for a transferred request, the time since it
	// was filed and since when its department has had it; else empty.
	Journey string
	// Type is the request type's display name ("" for none); Fields its
	// intake fields as "Label: value" lines in the desk's text, empty for a
	// private request, whose Request is redacted (Directory.Redacted).
	Type    string
	Fields  []string
	Private bool
}

// Discard is a Chat that says nothing, for tools that only read.
type Discard struct{}

// Send drops m.
func (Discard) Send(context.Context, Message) error { return nil }
