package slackapp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
)

// maxFallbackText keeps the notification text under chat.update's limit.
const maxFallbackText = 3900

// Send delivers one message from the outbox: a card is posted once and then
// updated in place; a thread line goes under the request's card; a DM goes
// into the request's thread in the person's DM with the bot. It implements
// bot.Chat; errors say whether to retry (see classify).
func (a *App) Send(ctx context.Context, m bot.Message) error {
	switch {
	case m.CardFor != "":
		return a.sendCard(ctx, m)
	case m.DM:
		return a.sendDM(ctx, m)
	default:
		return a.sendChannel(ctx, m)
	}
}

func (a *App) sendCard(ctx context.Context, m bot.Message) error {
	opts := []slack.MsgOption{
		slack.MsgOptionText(fallback(Mrkdwn(m.Text)), false),
		slack.MsgOptionBlocks(CardBlocks(m, a.directory(), a.clock.Now())...),
	}
	channel, ts, ok, err := a.store.SlackPost(ctx, m.CardFor, postCard, m.To)
	if err != nil {
		return err
	}
	if ok {
		if err := a.paced("chat.update", m.To); err != nil {
			return err
		}
		_, _, _, err := a.api.UpdateMessageContext(ctx, channel, ts, opts...)
		if !isSlackError(err, "message_not_found") {
			return classify(err)
		}
		// Someone deleted the card: post it again below.
	}
	_, err = a.post(ctx, m, m.To, m.To, "", opts, func(ctx context.Context, ch, ts string) error {
		return a.store.SaveSlackPost(ctx, m.CardFor, postCard, m.To, ch, ts)
	})
	return err
}

func (a *App) sendChannel(ctx context.Context, m bot.Message) error {
	channel, thread := m.To, m.ReplyTo
	if thread == "" && m.ThreadOf != "" {
		ch, ts, ok, err := a.store.SlackPost(ctx, m.ThreadOf, postCard, m.To)
		if err != nil {
			return err
		}
		if ok {
			channel, thread = ch, ts
		}
	}
	if m.File == nil {
		_, err := a.post(ctx, m, m.To, channel, thread, a.messageOptions(m), nil)
		if m.ReplyTo != "" && isNotMember(err) {
			// An answer in the thread of a message askdesk was shown (a
			// shortcut used where it is not a member, a DM between two
			// people): it cannot post there, and the requester has the
			// same news in their DM with askdesk.
			a.log.InfoContext(ctx, "not a member where the request came from: the requester's DM tells them instead", "channel", channel)
			return nil
		}
		return err
	}
	var ch, ts string
	earlier, err := a.post(ctx, m, m.To, channel, thread, a.messageOptions(m), func(_ context.Context, c, t string) error { ch, ts = c, t; return nil })
	if err != nil {
		return err
	}
	if earlier != nil && earlier.ReplyCount > 0 {
		// Posted by an earlier attempt, whose file went into the
		// message's thread: the only replies askdesk makes there.
		return nil
	}
	// The file goes in the message's thread (files upload v2 wants the
	// channel ID, which the post returned). Its failure is logged, not
	// retried: the text, which reads fine alone, is delivered.
	if _, err := a.api.UploadFileContext(ctx, slack.UploadFileParameters{
		Reader: bytes.NewReader(m.File.Data), FileSize: len(m.File.Data), Filename: m.File.Name,
		Title: m.File.Title, Channel: ch, ThreadTimestamp: ts,
	}); err != nil {
		a.log.WarnContext(ctx, "file upload", "channel", ch, "file", m.File.Name, "err", err)
	}
	return nil
}

func (a *App) sendDM(ctx context.Context, m bot.Message) error {
	channel, err := a.dmChannel(ctx, m.To)
	if err != nil {
		return err
	}
	if link := a.cardLink(ctx, m.ThreadOf); link != "" {
		m.Text += "\n" + bot.Link(link, messagePrinter(m, a.directory(), nil).T("slack.dm.open_card", "ID", m.ThreadOf))
	}
	if m.ThreadOf == "" {
		_, err := a.post(ctx, m, channel, channel, "", a.messageOptions(m), nil)
		return err
	}
	_, root, ok, err := a.store.SlackPost(ctx, m.ThreadOf, postDM, m.To)
	if err != nil {
		return err
	}
	if ok {
		_, err := a.post(ctx, m, channel, channel, root, a.messageOptions(m), func(ctx context.Context, ch, ts string) error {
			return a.afterPost(ctx, m, ch, ts)
		})
		return err
	}
	// The first DM about a request starts its thread; replies there reach
	// the department.
	_, err = a.post(ctx, m, channel, channel, "", a.messageOptions(m), func(ctx context.Context, ch, ts string) error {
		if err := a.store.SaveSlackPost(ctx, m.ThreadOf, postDM, m.To, ch, ts); err != nil {
			return err
		}
		return a.afterPost(ctx, m, ch, ts)
	})
	return err
}

func (a *App) messageOptions(m bot.Message) []slack.MsgOption {
	return []slack.MsgOption{
		slack.MsgOptionText(fallback(Mrkdwn(m.Text)), false),
		slack.MsgOptionBlocks(MessageBlocks(m, a.directory())...),
	}
}

// post sends chat.postMessage for m and, on success, records where it went
// (saved) before the outbox marks the message sent. When saved fails (the
// database refuses writes), the error is a bot.UnrecordedError that
// records it later, so the desk need not post again. The post carries m's
// outbox ID in its metadata, so that when a crash comes in between and m
// is delivered again in doubt (m.MaybeSent), post first looks for it: if
// found, it records that one (earlier, with its replies counted) and posts
// nothing. If it cannot look, it posts again: a repeat is better than a
// loss. paceKey is the destination as the desk names it, so a channel given
// by name and by ID shares one bucket.
func (a *App) post(ctx context.Context, m bot.Message, paceKey, channel, thread string, opts []slack.MsgOption, saved func(ctx context.Context, ch, ts string) error) (earlier *slack.Message, err error) {
	if m.MaybeSent && m.OutboxID != 0 {
		ch, found, err := a.findPost(ctx, m, channel, thread)
		var paced *pacedError
		var limited *slack.RateLimitedError
		switch {
		case errors.As(err, &paced) || errors.As(err, &limited):
			// Not now, says Slack: the message stays in doubt, and is
			// looked for again at its next try.
			return nil, classify(err)
		case err != nil:
			a.log.WarnContext(ctx, "look for an earlier post: posting again, which may repeat it",
				"outbox_id", m.OutboxID, "channel", channel, "err", err)
		case found != nil:
			a.log.InfoContext(ctx, "earlier post found: not posting again", "outbox_id", m.OutboxID, "channel", ch, "ts", found.Timestamp)
			return found, record(ctx, saved, ch, found.Timestamp)
		}
	}
	if err := a.paced("chat.postMessage", paceKey); err != nil {
		return nil, err
	}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	if m.OutboxID != 0 {
		opts = append(opts, outboxMetadata(m.OutboxID))
	}
	ch, ts, err := a.api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		if answered(err) {
			return nil, classify(err)
		}
		return nil, &bot.UnsureError{Err: classify(err)}
	}
	if channel != ch {
		a.channelIDs.Store(channel, ch)
	}
	return nil, record(ctx, saved, ch, ts)
}

// record runs saved, if any, for the post at (ch, ts). Should it fail, the
// post is known and its record is not: the error says both (see
// bot.UnrecordedError), and is unsure, so that if the record is never made
// the next try looks for the post.
func record(ctx context.Context, saved func(ctx context.Context, ch, ts string) error, ch, ts string) error {
	if saved == nil {
		return nil
	}
	if err := saved(ctx, ch, ts); err != nil {
		return &bot.UnsureError{Err: &bot.UnrecordedError{Err: err, Record: func(ctx context.Context) error {
			return saved(ctx, ch, ts)
		}}}
	}
	return nil
}

// answered reports whether err is Slack's own answer to a call (an error
// code, a 429), after which nothing was done; any other error (a timeout,
// a dropped connection, a 5xx) may have come after Slack carried it out.
func answered(err error) bool {
	var se slack.SlackErrorResponse
	var rl *slack.RateLimitedError
	return errors.As(err, &se) || errors.As(err, &rl)
}

// afterPost finishes a rating prompt once posted: it records where the
// prompt is, so reactions to it rate, and has the bot's emoji added beside
// the outbox when the policy asks for them and Slack's tier has room
// (reactions.go).
func (a *App) afterPost(ctx context.Context, m bot.Message, ch, ts string) error {
	if m.RatingFor == "" {
		return nil
	}
	if err := a.store.SaveSlackPost(ctx, m.RatingFor, postRating, m.To, ch, ts); err != nil {
		return err
	}
	a.addReactions(ctx, m, ch, ts)
	return nil
}

// cardLink returns a permalink to a request's card in its department's
// queue channel, built from the workspace URL (auth.test, asked once) and
// the card's ts, or "" when either is unknown.
func (a *App) cardLink(ctx context.Context, id string) string {
	if id == "" || a.desk == nil {
		return ""
	}
	r, err := a.desk.Request(ctx, id)
	if err != nil {
		return ""
	}
	dep := a.directory().ByName(r.Dept)
	if dep == nil {
		return ""
	}
	ch, ts, ok, err := a.store.SlackPost(ctx, id, postCard, dep.Channel)
	if err != nil || !ok {
		return ""
	}
	base := a.workspaceURL(ctx) // auth.test: once per process
	if base == "" {
		return ""
	}
	return strings.TrimSuffix(base, "/") + "/archives/" + ch + "/p" + strings.Replace(ts, ".", "", 1)
}

// workspaceURL asks auth.test for the workspace's URL once it succeeds.
func (a *App) workspaceURL(ctx context.Context) string {
	if u, ok := a.teamURL.Load().(string); ok {
		return u
	}
	res, err := a.api.AuthTestContext(ctx)
	if err != nil || res.URL == "" {
		return ""
	}
	a.teamURL.Store(res.URL)
	return res.URL
}

// dmChannel returns the DM channel with user: from memory, else from the
// store (kept there once known, so conversations.open is called once per
// person, not once per process), else opened and kept.
func (a *App) dmChannel(ctx context.Context, user string) (string, error) {
	ch, opened, err := a.openDM(ctx, user)
	if err == nil && opened {
		a.keepDM(ctx, user, ch)
	}
	return ch, err
}

// openDM is dmChannel without keeping a channel it opened in the store;
// opened says it did, and the caller keeps it (keepDM).
func (a *App) openDM(ctx context.Context, user string) (ch string, opened bool, err error) {
	if ch, ok := a.dmChannels.Load(user); ok {
		return ch.(string), false, nil
	}
	ch, _, ok, err := a.store.SlackPost(ctx, "", postIM, user)
	if err != nil {
		return "", false, err
	}
	if ok {
		a.dmChannels.Store(user, ch)
		return ch, false, nil
	}
	if err := a.paced("conversations.open", ""); err != nil {
		return "", false, err
	}
	im, _, _, err := a.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		return "", false, classify(err)
	}
	a.dmChannels.Store(user, im.ID)
	return im.ID, true, nil
}

// keepDM keeps user's DM channel ch in the store; in memory it is kept
// all the same, so this process opens it once whatever happens here.
func (a *App) keepDM(ctx context.Context, user, ch string) {
	if err := a.store.SaveSlackPost(ctx, "", postIM, user, ch, ""); err != nil {
		a.log.WarnContext(ctx, "keep a DM channel", "user", user, "err", err)
	}
}

func (a *App) paced(method, channel string) error {
	if wait := a.pace.reserve(a.clock.Now(), method, channel); wait > 0 {
		return &pacedError{method: method, wait: wait}
	}
	return nil
}

// fallback is the plain text Slack shows in notifications and to clients
// that cannot draw blocks.
func fallback(s string) string {
	if len(s) <= maxFallbackText {
		return s
	}
	cut := maxFallbackText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// permanentErrors are Slack errors that retrying cannot fix.
var permanentErrors = map[string]bool{
	"channel_not_found": true, "not_in_channel": true, "is_archived": true, "no_permission": true,
	"missing_scope": true, "msg_too_long": true, "invalid_blocks": true, "user_not_found": true,
	"cannot_dm_bot": true, "restricted_action": true, "user_disabled": true, "invalid_arguments": true,
	"restricted_action_read_only_channel": true, "restricted_action_thread_only_channel": true,
	"restricted_action_non_threadable_channel": true, "messages_tab_disabled": true,
	"cant_update_message": true, "edit_window_closed": true, "too_many_attachments": true,
	"invalid_blocks_format": true, "no_text": true, "team_access_not_granted": true,
}

// authErrors mean askdesk itself cannot talk to Slack (a revoked or wrong
// token): no message is at fault, so delivery pauses, keeping them all.
var authErrors = map[string]bool{
	"invalid_auth": true, "not_authed": true, "token_revoked": true, "account_inactive": true,
	"token_expired": true, "team_is_restricted": true,
}

// classify turns a Web API error into what the outbox acts on: a rate limit
// says when to retry, a permanent error is set aside, anything else (5xx,
// network) is retried with backoff.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return &rateLimited{err: rl}
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) && permanentErrors[se.Err] {
		return &bot.PermanentError{Err: err}
	}
	if errors.As(err, &se) && authErrors[se.Err] {
		return &bot.OutageError{Err: fmt.Errorf("Slack refuses askdesk's token (%s): check SLACK_BOT_TOKEN; delivery is paused, nothing is lost: %w", se.Err, err)}
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return fmt.Errorf("slack unreachable: %w", err)
	}
	return err
}

func isSlackError(err error, code string) bool {
	var se slack.SlackErrorResponse
	return errors.As(err, &se) && se.Err == code
}

// rateLimited is a 429 from Slack, with its Retry-After.
type rateLimited struct{ err *slack.RateLimitedError }

func (e *rateLimited) Error() string             { return e.err.Error() }
func (e *rateLimited) Unwrap() error             { return e.err }
func (e *rateLimited) RetryAfter() time.Duration { return e.err.RetryAfter }
