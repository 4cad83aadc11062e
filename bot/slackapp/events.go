package slackapp

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/askdesk/askdesk/bot"
)

// HandleEvent acts on one Events API event (already deduplicated): replies
// in a card's thread or a request's DM thread, and intake reactions.
func (a *App) HandleEvent(ctx context.Context, ev slackevents.EventsAPIEvent) {
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.MessageEvent:
		// Messages from apps and some system messages have no user;
		// handleMessage passes over them.
		if e.User == "" || a.checkUser(ctx, "message event", e.User) == nil {
			a.handleMessage(ctx, e)
		}
	case *slackevents.ReactionAddedEvent:
		if a.checkUser(ctx, "reaction event", e.User) == nil {
			a.handleReaction(ctx, e)
		}
	case *slackevents.AppHomeOpenedEvent:
		if e.Tab == "home" && a.checkUser(ctx, "app_home_opened event", e.User) == nil {
			a.handleHomeOpened(e.User, e.View)
		}
	case *slackevents.ReactionRemovedEvent:
		if e.Item.Type == "message" && a.checkUser(ctx, "reaction event", e.User) == nil {
			a.handleRatingReaction(ctx, e.User, e.Item.Channel, e.Item.Timestamp, e.Reaction, false)
		}
	}
}

// handleMessage routes a thread reply: in a card's thread, a department
// member's reply reaches the requester; in the requester's DM thread, their
// reply reaches the card's thread.
func (a *App) handleMessage(ctx context.Context, e *slackevents.MessageEvent) {
	switch e.SubType {
	case "", "thread_broadcast", "file_share": // a reply, also sent to the channel, or with a file
	default:
		return // an edit, a deletion, a join, a bot's message
	}
	if e.BotID != "" || e.User == "" || e.ThreadTimeStamp == "" || e.ThreadTimeStamp == e.TimeStamp {
		return // ours, or not a thread reply
	}
	id, kind, ok, err := a.store.RequestByThread(ctx, e.Channel, e.ThreadTimeStamp)
	if err != nil {
		a.log.ErrorContext(ctx, "thread reply: look up the thread", "channel", e.Channel, "user", e.User, "err", err)
		a.tellLater(ctx, e.Channel, e.User, e.ThreadTimeStamp, a.printer(e.User).T("slack.events.reply_failed"))
		return
	}
	if !ok {
		return
	}
	text := unescape(e.Text)
	if e.SubType == "file_share" {
		// Said in the writer's language: it stands for their words.
		text = strings.TrimSpace(text + "\n" + a.printer(e.User).T("slack.events.shared_file"))
	}
	act := bot.Act{Actor: e.User, Action: bot.ActReply, ID: id, Text: text}
	if kind == postCard {
		act.Via = "thread"
	}
	if _, err := a.desk.Do(ctx, act); err != nil {
		a.log.InfoContext(ctx, "thread reply not taken", "request", id, "user", e.User, "err", err)
		p := a.printer(e.User)
		a.tellLater(ctx, e.Channel, e.User, e.ThreadTimeStamp, p.T("slack.events.reply_refused", "Error", bot.ErrorText(p, err))) //i18n:ok placeholder names
	}
}

// handleReaction files a message as a request when someone reacts with the
// intake emoji in a department's intake channel, crediting its author.
func (a *App) handleReaction(ctx context.Context, e *slackevents.ReactionAddedEvent) {
	if e.Item.Type != "message" || e.Item.Channel == "" {
		return
	}
	if e.Reaction != a.cfg.IntakeEmoji {
		a.handleRatingReaction(ctx, e.User, e.Item.Channel, e.Item.Timestamp, e.Reaction, true)
		return
	}
	dep := a.intakeDept(e.Item.Channel)
	if dep == nil {
		return
	}
	msg, err := a.fetchMessage(ctx, e.Item.Channel, e.Item.Timestamp)
	if err != nil {
		a.log.WarnContext(ctx, "intake: fetch message", "channel", e.Item.Channel, "err", err)
		a.tellLater(ctx, e.Item.Channel, e.User, "", a.printer(e.User).T("slack.events.read_failed"))
		return
	}
	author := msg.User
	if author == "" {
		author = e.ItemUser
	}
	if author == "" || msg.BotID != "" {
		a.tellLater(ctx, e.Item.Channel, e.User, "", a.printer(e.User).T("slack.events.from_app"))
		return
	}
	// Marked only now, so a failed read can be retried by reacting again;
	// two people reacting at once still file it once.
	first, err := a.store.FirstSeen(ctx, "intake:"+e.Item.Channel+":"+e.Item.Timestamp, a.clock.Now())
	if err != nil {
		a.log.ErrorContext(ctx, "intake: record the reaction", "channel", e.Item.Channel, "user", e.User, "err", err)
		a.tellLater(ctx, e.Item.Channel, e.User, "", a.printer(e.User).T("slack.events.file_failed"))
		return
	}
	if !first {
		return // filed already
	}
	// Answers go in the message's thread: its parent's, if it is a reply.
	thread := msg.ThreadTimestamp
	if thread == "" {
		thread = e.Item.Timestamp
	}
	_, err = a.desk.File(ctx, bot.Filing{Requester: author, Dept: dep.Name, Text: unescape(msg.Text), Source: "reaction",
		OriginChannel: e.Item.Channel, OriginMessage: e.Item.Timestamp, OriginThread: thread})
	if err != nil {
		p := a.printer(e.User)
		a.tellLater(ctx, e.Item.Channel, e.User, "", p.T("slack.events.file_refused", "Dept", bot.Escape(dep.DisplayName), "Error", bot.ErrorText(p, err))) //i18n:ok placeholder names
	}
}

// intakeDept returns the department that lists channel as an intake
// channel, by ID (names cannot be matched without a lookup).
func (a *App) intakeDept(channel string) *bot.Department {
	for _, dep := range a.directory().Departments {
		for _, c := range dep.IntakeChannels {
			if c == channel {
				return dep
			}
		}
	}
	return nil
}

// fetchMessage reads one message, in a channel or in a thread.
func (a *App) fetchMessage(ctx context.Context, channel, ts string) (slack.Message, error) {
	ctx, cancel := context.WithTimeout(ctx, sideCallTimeout)
	defer cancel()
	h, err := a.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
		ChannelID: channel, Latest: ts, Inclusive: true, Limit: 1})
	if err == nil && len(h.Messages) > 0 && h.Messages[0].Timestamp == ts {
		return h.Messages[0], nil
	}
	// A reply inside a thread: its thread, read up to and including it.
	msgs, _, _, err := a.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
		ChannelID: channel, Timestamp: ts, Latest: ts, Inclusive: true})
	if err != nil {
		return slack.Message{}, err
	}
	for _, m := range msgs {
		if m.Timestamp == ts {
			return m, nil
		}
	}
	return slack.Message{}, fmt.Errorf("message %s not found in %s", ts, channel)
}

// unescape undoes Slack's escaping of &, < and > in message text: the desk
// escapes all user text itself when it echoes it, exactly once.
func unescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// handleRatingReaction rates (or withdraws a rating) when the requester
// reacts to a rating prompt. Reactions by anyone else, the bot's own
// included, and on other messages are ignored.
func (a *App) handleRatingReaction(ctx context.Context, user, channel, ts, emoji string, added bool) {
	id, ok, err := a.store.RequestByPost(ctx, channel, ts, postRating)
	if err != nil {
		a.log.ErrorContext(ctx, "rating by reaction: look up the prompt", "channel", channel, "user", user, "err", err)
		if added {
			a.tellLater(ctx, channel, user, "", a.printer(user).T("slack.events.reaction_failed"))
		}
		return
	}
	if !ok {
		return // not a rating prompt
	}
	var res bot.RateResult
	if added {
		res, err = a.desk.Rate(ctx, user, id, emoji)
	} else {
		res, err = a.desk.Unrate(ctx, user, id, emoji)
	}
	switch bot.ErrorCode(err) {
	case "":
		a.log.InfoContext(ctx, "rating by reaction", "request", id, "user", user, "score", res.Score)
	case bot.EFORBIDDEN, bot.EINVALID:
		// Someone else's reaction, or an emoji that is not a rating.
	default:
		a.tellLater(ctx, channel, user, "", bot.ErrorText(a.printer(user), err))
	}
}
