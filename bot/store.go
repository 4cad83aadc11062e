package bot

import (
	"context"
	"time"
)

// Store is what the desk needs from storage. The store package implements it
// on SQLite and PostgreSQL; every method is safe for concurrent use.
type Store interface {
	Outbox

	// CreateRequest numbers r within prefix (FIN-1, FIN-2, …, never reused,
	// unique under concurrent calls), sets r.ID, r.Prefix, r.Num and
	// ev.RequestID, and stores r, ev and the messages announce returns for
	// the numbered request, in one transaction. When it returns nil the
	// request and its announcements are durable.
	CreateRequest(ctx context.Context, prefix string, r *Request, ev *Event, announce func(*Request) []Message) error

	// Append stores ev, r (the state after ev) and msgs in one transaction.
	// It returns ECONFLICT if the stored request is no longer at ev.Seq-1,
	// i.e. somebody else changed it first.
	Append(ctx context.Context, r *Request, ev Event, msgs []Message) error

	// Request returns the current state of a request, or ENOTFOUND.
	Request(ctx context.Context, id string) (*Request, error)

	// Events returns a request's history in order, or ENOTFOUND.
	Events(ctx context.Context, id string) ([]Event, error)

	// Requests lists requests matching f, most urgent first (earliest
	// deadline, then priority, then age) for active ones, newest first
	// otherwise.
	Requests(ctx context.Context, f Filter) ([]*Request, error)

	// RemindersDue returns requests whose next reminder time is at or before
	// now, ordered by ID after afterID, at most limit of them, without their
	// text and fields (Text and Fields empty), which reminders do not show.
	RemindersDue(ctx context.Context, now time.Time, afterID string, limit int) ([]*Request, error)

	// RecordReminders, in one transaction: records each reminder not sent
	// before (by request and key), writes the messages compose makes of the
	// newly recorded ones, and sets each request's next reminder time. A
	// reminder already recorded, by an overlapping sweep say, is dropped.
	// next is set only where the request is still at the version the sweep
	// read, so a change made meanwhile keeps the reminder time it computed.
	RecordReminders(ctx context.Context, items []Reminder, next []NextReminder, now time.Time, compose func(sent []Reminder) []Message) error

	// PostOnce writes msgs to the outbox unless key was posted before, in
	// one transaction; it reports whether it wrote them.
	PostOnce(ctx context.Context, key string, msgs []Message, now time.Time) (bool, error)

	// Ratings: prompts, scores, comments and their reminders (see
	// store/ratings.go for each method's contract).
	RecordAsk(ctx context.Context, r Rating) error
	LastAsked(ctx context.Context, user string) (time.Time, error)
	RatingOf(ctx context.Context, id string, round int) (Rating, bool, error)
	EverRated(ctx context.Context, id string) (bool, error)
	SetScore(ctx context.Context, r Rating) (prev int, err error)
	SetRatingComment(ctx context.Context, id string, round int, comment string) (bool, error)
	RatingsToRemind(ctx context.Context, askedBefore, notBefore time.Time, limit int) ([]Rating, error)
	RemindRating(ctx context.Context, r Rating, at time.Time, msgs []Message) (bool, error)

	// DueBefore returns active requests with a running deadline at or before
	// t, earliest first, at most limit of them.
	DueBefore(ctx context.Context, t time.Time, limit int) ([]*Request, error)
}

// Outbox holds messages between the change that made them and their
// delivery. Messages to one destination are delivered in the order written.
type Outbox interface {
	// PendingMessages returns, for each destination, its oldest undelivered
	// message if that is ready (not waiting out a retry) at now; at most
	// limit of them, oldest first.
	PendingMessages(ctx context.Context, now time.Time, limit int) ([]OutboxItem, error)
	// ClaimMessage reserves a pending item for this process to send, so
	// that replicas sharing the outbox never send one twice. mine is false
	// when another has it or it changed since it was read; the item is then
	// left alone. The claim is written before it returns, so that it
	// outlives a crash. inDoubt is true when an earlier claim of the item
	// ended with no outcome recorded (its claimant was killed, or lost the
	// database mid-send; with replicas, once its lease ran out): the item
	// may have reached the chat already, so the chat is asked to look
	// before sending it again (Message.MaybeSent). Every store reports it,
	// a single process's too: its earlier claim is its last run's.
	ClaimMessage(ctx context.Context, item OutboxItem, now time.Time) (mine, inDoubt bool, err error)
	// ReleaseMessage gives a claimed item back unsent, to be tried again
	// from at (its destination is paced). An item claimed in doubt
	// (item.InDoubt) stays in doubt: this attempt did not settle whether
	// the earlier one reached the chat.
	ReleaseMessage(ctx context.Context, item OutboxItem, at time.Time) error
	// MessageSent marks an item delivered, unless it was rewritten (a card
	// update folded into it) since it was read; then it stays pending and
	// MessageSent returns false.
	MessageSent(ctx context.Context, item OutboxItem, at time.Time) (bool, error)
	// MessageFailed records a failed attempt: retry at next, or never when
	// permanent (the item is then set aside so later ones can go). An item
	// in doubt (item.InDoubt: claimed in doubt, or this attempt may have
	// reached the chat all the same, see UnsureError) stays in doubt.
	MessageFailed(ctx context.Context, item OutboxItem, next time.Time, permanent bool, reason string) error
}

// OutboxItem is a stored message awaiting delivery.
type OutboxItem struct {
	ID        int64
	Dest      string // ordering key: one channel, or one person's DMs
	Rev       int    // bumped when a later card change is folded in
	Message   Message
	Attempts  int
	CreatedAt time.Time
	// InDoubt is set by the delivery from its claim (see ClaimMessage);
	// never stored.
	InDoubt bool
}

// NextReminder is when the sweep should next look at a request.
type NextReminder struct {
	RequestID string
	Version   int // the version the sweep computed it from
	At        time.Time
}

// Filter selects requests for a list.
type Filter struct {
	Requester  string // only this requester's
	Dept       string // only this department's
	Assignee   string // only those claimed by this person
	ActiveOnly bool   // only open, acknowledged, waiting or reopened
	Limit      int    // at most this many (0: a default of 50)

	// Depts, when set, keeps only these departments' requests (beside Dept).
	Depts []string
	// States, when set, keeps only requests in these states.
	States []State
	// Priority and Type, when set, keep only that priority or request type.
	Priority Priority
	Type     string
	// UnclaimedOr keeps only requests nobody has claimed or claimed by this
	// person (the Home's queue); "" does not filter.
	UnclaimedOr string
	// Closed keeps only requests no longer active, newest change first.
	Closed bool
	// Offset skips this many in the list's order (paging).
	Offset int
}
