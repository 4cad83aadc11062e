package slackapp

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/logctx"
)

// ShortcutCallbackID is the message shortcut "Send to a department".
const ShortcutCallbackID = "askdesk:shortcut"

// sideCallTimeout bounds Web API calls made outside the outbox (an
// ephemeral error, fetching a message); modalTimeout bounds views.open,
// whose trigger expires three seconds after Slack sent it anyway.
const (
	sideCallTimeout = 5 * time.Second
	modalTimeout    = 2500 * time.Millisecond
	// quoteTimeout bounds what filing from a shortcut may still ask of
	// Slack (the author's name, a link) when opening the form did not find it.
	quoteTimeout = 500 * time.Millisecond
)

// HandleCommand runs a /ask slash command and returns the ephemeral reply to
// send in the acknowledgement, or nil when there is none: "/ask" alone opens
// the intake form, after the acknowledgement (views.open can be slow, and
// its trigger lasts three seconds whatever the ack). The request is stored
// before this returns; cards and DMs follow through the outbox.
func (a *App) HandleCommand(ctx context.Context, cmd slack.SlashCommand) *reply {
	text := unescape(strings.TrimSpace(cmd.Text))
	if text == "" {
		a.goFrom(ctx, func(ctx context.Context) {
			if err := a.openFileModal(ctx, cmd.TriggerID, "", modalMeta{}); err != nil {
				a.log.WarnContext(ctx, "open modal", "user", cmd.UserID, "err", err)
				help := a.desk.Command(ctx, cmd.UserID, "help")
				a.respondCommand(ctx, cmd, a.replyTo(bot.Message{Text: "I couldn't open the form just now, so here is how to ask by typing:\n" + help.Text}))
			}
		})
		return nil
	}
	r := a.desk.Command(ctx, cmd.UserID, text)
	return a.replyTo(bot.Message{Text: r.Text, Buttons: r.Buttons})
}

// replyTo renders m as an ephemeral reply.
func (a *App) replyTo(m bot.Message) *reply {
	return &reply{ResponseType: slack.ResponseTypeEphemeral, Text: fallback(m.Text), Blocks: MessageBlocks(m, a.dir)}
}

// HandleInteraction handles buttons, selects, the message shortcut and the
// modal's submission. It returns what to put in the acknowledgement: a
// view_submission response, or nil.
func (a *App) HandleInteraction(ctx context.Context, cb slack.InteractionCallback) any {
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		for _, act := range cb.ActionCallback.BlockActions {
			a.handleAction(ctx, cb, act)
		}
	case slack.InteractionTypeMessageAction:
		if cb.CallbackID == ShortcutCallbackID {
			a.openShortcutModal(ctx, cb)
		}
	case slack.InteractionTypeViewSubmission:
		switch cb.View.CallbackID {
		case FileModalCallbackID:
			return a.submitFileModal(ctx, cb)
		case commentModalCallbackID:
			return a.submitCommentModal(ctx, cb)
		case surveyModalCallbackID:
			return a.submitSurveyModal(ctx, cb)
		}
	}
	return nil
}

// handleAction turns one button or select into a desk act. A refusal or a
// conflict is told to the person who clicked, and only to them.
func (a *App) handleAction(ctx context.Context, cb slack.InteractionCallback, ba *slack.BlockAction) {
	action, id, arg, ok := ParseAction(ba)
	if !ok {
		return
	}
	switch action {
	case bot.ActRate:
		res, err := a.desk.Rate(ctx, cb.User.ID, id, arg)
		if err != nil {
			a.tellLater(ctx, cb.Channel.ID, cb.User.ID, "", bot.ErrorMessage(err))
		} else {
			a.tellLater(ctx, cb.Channel.ID, cb.User.ID, "", fmt.Sprintf("Thanks: you rated %s %d of 5. You can change it for a while.", res.Request.ID, res.Score))
		}
		return
	case bot.ActSurvey:
		a.goFrom(ctx, func(ctx context.Context) {
			if err := a.openSurveyModal(ctx, cb.TriggerID, cb.User.ID, arg); err != nil {
				a.log.WarnContext(ctx, "open survey", "user", cb.User.ID, "err", err)
				a.tellLater(ctx, cb.Channel.ID, cb.User.ID, "", "I couldn't open the survey just now; please try the button again in a moment.")
			}
		})
		return
	case bot.ActComment:
		a.goFrom(ctx, func(ctx context.Context) {
			if err := a.openCommentModal(ctx, cb.TriggerID, id); err != nil {
				a.log.WarnContext(ctx, "open comment form", "user", cb.User.ID, "request", id, "err", err)
				a.tellLater(ctx, cb.Channel.ID, cb.User.ID, "", "I couldn't open the form; reply in this thread instead and it is added to your rating.")
			}
		})
		return
	}
	act := bot.Act{Actor: cb.User.ID, Action: action, ID: id}
	if action == bot.ActTransfer || action == bot.ActReassign {
		act.Target = arg
	}
	if _, err := a.desk.Do(ctx, act); err != nil {
		if bot.ErrorCode(err) == bot.EINTERNAL {
			a.log.ErrorContext(ctx, "action failed", "request", id, "user", cb.User.ID, "action", action, "err", err)
		}
		a.tellLater(ctx, cb.Channel.ID, cb.User.ID, "", bot.ErrorMessage(err))
	}
}

// tellLater sends an ephemeral note, in thread when given, without holding
// up the acknowledgement.
func (a *App) tellLater(reqCtx context.Context, channel, user, thread, text string) {
	if channel == "" {
		return
	}
	a.Go(func(ctx context.Context) {
		ctx = logctx.Carry(ctx, reqCtx) // the request's request_id on these lines
		ctx, cancel := context.WithTimeout(ctx, sideCallTimeout)
		defer cancel()
		if err := a.paced("chat.postEphemeral", ""); err != nil {
			a.log.WarnContext(ctx, "ephemeral dropped under pacing", "user", user)
			return
		}
		m := a.replyTo(bot.Message{Text: text})
		opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...)}
		if thread != "" {
			opts = append(opts, slack.MsgOptionTS(thread))
		}
		if _, err := a.api.PostEphemeralContext(ctx, channel, user, opts...); err != nil {
			a.log.WarnContext(ctx, "ephemeral", "user", user, "err", err)
		}
	})
}

// modalMeta rides in the modal's private_metadata: the message a shortcut
// was used on, and the thread it is in (its own ts when it is not a reply).
type modalMeta struct {
	Channel string `json:"c,omitempty"`
	TS      string `json:"t,omitempty"`
	Thread  string `json:"r,omitempty"`
	Author  string `json:"a,omitempty"`
}

func (a *App) openFileModal(ctx context.Context, trigger, prefill string, meta modalMeta) error {
	b, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, modalTimeout)
	defer cancel()
	_, err = a.api.OpenViewContext(ctx, trigger, FileModal(a.dir, prefill, string(b)))
	return err
}

// openShortcutModal opens the intake form on the message the "Send to a
// department" shortcut was used on, after the acknowledgement, and looks up
// what the submission will quote (the author's name, the workspace's URL
// for the link) meanwhile, so that filing needs no Slack call.
func (a *App) openShortcutModal(ctx context.Context, cb slack.InteractionCallback) {
	meta := modalMeta{Channel: cb.Channel.ID, TS: cb.Message.Timestamp, Thread: cb.Message.ThreadTimestamp, Author: cb.Message.User}
	if meta.TS == "" {
		meta.TS = cb.MessageTs
	}
	prefill := unescape(cb.Message.Text)
	a.goFrom(ctx, func(ctx context.Context) {
		if meta.Author != "" {
			a.lookupLater(meta.Author)
		}
		if err := a.openFileModal(ctx, cb.TriggerID, prefill, meta); err != nil {
			a.log.WarnContext(ctx, "open modal", "user", cb.User.ID, "err", err)
			const sorry = "I couldn't open the form just now; please try again, or use `/ask <dept> <text>`."
			if rerr := a.respond(ctx, cb.ResponseURL, a.replyTo(bot.Message{Text: sorry})); rerr != nil {
				a.tellLater(ctx, cb.Channel.ID, cb.User.ID, "", sorry)
			}
			return
		}
		a.workspaceURL(ctx)
	})
}

// submitFileModal files the request from the modal, or returns the field
// errors for Slack to show in it.
func (a *App) submitFileModal(ctx context.Context, cb slack.InteractionCallback) any {
	dept, priority, text, errs := ParseFileModal(cb.View)
	if len(errs) > 0 {
		return slack.NewErrorsViewSubmissionResponse(errs)
	}
	var meta modalMeta
	if cb.View.PrivateMetadata != "" {
		if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta); err != nil {
			// Not a form askdesk opened as it is now: file it without a source.
			a.log.WarnContext(ctx, "intake form metadata unreadable", "user", cb.User.ID, "err", err)
			meta = modalMeta{}
		}
	}
	f := bot.Filing{Requester: cb.User.ID, Dept: dept, Priority: priority, Text: text, Source: "modal"}
	if meta.Channel != "" && meta.TS != "" {
		f.Source, f.OriginChannel, f.OriginMessage, f.OriginThread = "shortcut", meta.Channel, meta.TS, meta.Thread
		f.Text = text + "\n\n" + a.quoteSource(ctx, meta)
		if err := bot.CheckText(f.Text); err != nil {
			f.Text = text // the quote would not fit; the link is in the thread reply
		}
	}
	if _, err := a.desk.File(ctx, f); err != nil {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{textBlockID: bot.ErrorMessage(err)})
	}
	return nil
}

// quoteSource names where a shortcut's message came from, with a link back.
// The request text is user text, escaped wherever it is shown, so the
// author is named in words, not as a mention. Both come from what opening
// the form looked up; only what is still missing is asked of Slack, briefly.
func (a *App) quoteSource(ctx context.Context, meta modalMeta) string {
	src := "From a message"
	ctx, cancel := context.WithTimeout(ctx, quoteTimeout)
	defer cancel()
	if meta.Author != "" {
		if u, err := a.user(ctx, meta.Author); err == nil && u.name != "" {
			src += " by " + u.name
		} else {
			src += " by @" + meta.Author
		}
	}
	if link := a.messageLink(ctx, meta); link != "" {
		src += ": " + link
	}
	return src
}

// messageLink is a permalink to a shortcut's message: built from the
// workspace's URL when it is known, as Slack builds them, else asked of
// chat.getPermalink; "" if neither works.
func (a *App) messageLink(ctx context.Context, meta modalMeta) string {
	if base, ok := a.teamURL.Load().(string); ok && base != "" {
		link := strings.TrimSuffix(base, "/") + "/archives/" + meta.Channel + "/p" + strings.Replace(meta.TS, ".", "", 1)
		if meta.Thread != "" && meta.Thread != meta.TS {
			link += "?thread_ts=" + meta.Thread + "&cid=" + meta.Channel
		}
		return link
	}
	link, err := a.api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: meta.Channel, Ts: meta.TS})
	if err != nil {
		a.log.InfoContext(ctx, "no link to the shortcut's message", "channel", meta.Channel, "err", err)
		return ""
	}
	return link
}

// lateInteraction tells the person what an interaction's answer would have
// shown after its acknowledgement went without it: a modal's field errors
// (the modal has closed) go to their DM, with what they typed so that
// nothing is lost.
func (a *App) lateInteraction(ctx context.Context, cb slack.InteractionCallback, v any) {
	resp, ok := v.(*slack.ViewSubmissionResponse)
	if !ok || resp == nil || len(resp.Errors) == 0 {
		return
	}
	var problems []string
	for _, msg := range resp.Errors {
		problems = append(problems, msg)
	}
	sort.Strings(problems)
	text := "I couldn't take what you sent in the form: " + strings.Join(problems, " ")
	if typed := typedText(cb.View); typed != "" {
		text += "\nHere is what you wrote, to send again:\n" + quoteClipped(typed, 2*bot.MaxTextLen, messageTextClipped)
	}
	a.dmLater(ctx, cb.User.ID, text)
}

// typedText is the text a person typed in a submitted askdesk form, "" if
// none.
func typedText(v slack.View) string {
	if v.State == nil {
		return ""
	}
	return strings.TrimSpace(v.State.Values[textBlockID][textBlockID].Value)
}

// HandleEvent acts on one Events API event (already deduplicated): replies
// in a card's thread or a request's DM thread, and intake reactions.
func (a *App) HandleEvent(ctx context.Context, ev slackevents.EventsAPIEvent) {
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.MessageEvent:
		a.handleMessage(ctx, e)
	case *slackevents.ReactionAddedEvent:
		a.handleReaction(ctx, e)
	case *slackevents.ReactionRemovedEvent:
		if e.Item.Type == "message" {
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
		a.log.ErrorContext(ctx, "thread lookup", "channel", e.Channel, "err", err)
		return
	}
	if !ok {
		return
	}
	text := unescape(e.Text)
	if e.SubType == "file_share" {
		text = strings.TrimSpace(text + "\n(shared a file in the thread)")
	}
	act := bot.Act{Actor: e.User, Action: bot.ActReply, ID: id, Text: text}
	if kind == postCard {
		act.Via = "thread"
	}
	if _, err := a.desk.Do(ctx, act); err != nil {
		a.log.InfoContext(ctx, "thread reply not taken", "request", id, "user", e.User, "err", err)
		a.tellLater(ctx, e.Channel, e.User, e.ThreadTimeStamp, bot.ErrorMessage(err)+" (Your message stays in this thread, but the requester won't see it.)")
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
		a.tellLater(ctx, e.Item.Channel, e.User, "", "I couldn't read that message to file it just now; please react again in a minute.")
		return
	}
	author := msg.User
	if author == "" {
		author = e.ItemUser
	}
	if author == "" || msg.BotID != "" {
		a.tellLater(ctx, e.Item.Channel, e.User, "", "That message is from an app, so there is nobody to credit as the requester; use `/ask` or the shortcut instead.")
		return
	}
	// Marked only now, so a failed read can be retried by reacting again;
	// two people reacting at once still file it once.
	first, err := a.store.FirstSeen(ctx, "intake:"+e.Item.Channel+":"+e.Item.Timestamp, a.clock.Now())
	if err != nil {
		a.log.ErrorContext(ctx, "intake: record the reaction", "channel", e.Item.Channel, "user", e.User, "err", err)
		a.tellLater(ctx, e.Item.Channel, e.User, "", "I couldn't file that message just now; please take your reaction off and react again in a minute.")
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
		a.tellLater(ctx, e.Item.Channel, e.User, "", fmt.Sprintf("I couldn't file that message with %s: %s", dep.DisplayName, bot.ErrorMessage(err)))
	}
}

// intakeDept returns the department that lists channel as an intake
// channel, by ID (names cannot be matched without a lookup).
func (a *App) intakeDept(channel string) *bot.Department {
	for _, dep := range a.dir.Departments {
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
			a.tellLater(ctx, channel, user, "", "I couldn't record that reaction just now; please pick a rating with the buttons, or react again in a minute.")
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
		a.tellLater(ctx, channel, user, "", bot.ErrorMessage(err))
	}
}

const commentModalCallbackID = "askdesk:comment"

func (a *App) openCommentModal(ctx context.Context, trigger, id string) error {
	input := slack.NewPlainTextInputBlockElement(plainText("What went well, or what didn't?"), textBlockID)
	input.Multiline = true
	input.MaxLength = bot.MaxTextLen
	view := slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: commentModalCallbackID, PrivateMetadata: id,
		Title: plainText("Your comment"), Submit: plainText("Add"), Close: plainText("Cancel"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewInputBlock(textBlockID, plainText("Comment on "+id), nil, input)}},
	}
	ctx, cancel := context.WithTimeout(ctx, modalTimeout)
	defer cancel()
	_, err := a.api.OpenViewContext(ctx, trigger, view)
	return err
}

func (a *App) submitCommentModal(ctx context.Context, cb slack.InteractionCallback) any {
	var text string
	if cb.View.State != nil {
		text = cb.View.State.Values[textBlockID][textBlockID].Value
	}
	ok, err := a.desk.CommentRating(ctx, cb.User.ID, cb.View.PrivateMetadata, text)
	if err != nil {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{textBlockID: bot.ErrorMessage(err)})
	}
	if !ok {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{textBlockID: "Rate it first (one of the emoji), then add a comment."})
	}
	return nil
}
