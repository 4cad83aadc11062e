package slackapp

import (
	"context"
	"strings"
	"time"

	"github.com/slack-go/slack"

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
	if err := a.checkUser(ctx, "slash command", cmd.UserID); err != nil {
		return a.replyTo(bot.Message{Text: bot.ErrorMessage(err)})
	}
	text := unescape(strings.TrimSpace(cmd.Text))
	if text == "" {
		a.goFrom(ctx, func(ctx context.Context) {
			if err := a.openFileModal(ctx, cmd.UserID, cmd.TriggerID, "", modalMeta{}); err != nil {
				a.log.WarnContext(ctx, "open modal", "user", cmd.UserID, "err", err)
				help := a.desk.Command(ctx, cmd.UserID, "help")
				p := a.printer(cmd.UserID)
				a.respondCommand(ctx, cmd, a.replyTo(bot.Message{Text: p.T("slack.handlers.form_failed_help") + "\n" + help.Text, Lang: p.Lang()}))
			}
		})
		return nil
	}
	if dept, ok := manageTarget(text); ok && a.desk.Catalogue != nil {
		return a.openManageModal(ctx, cmd, dept)
	}
	r := a.desk.Command(ctx, cmd.UserID, text)
	return a.replyTo(r.Message())
}

// replyTo renders m as an ephemeral reply.
func (a *App) replyTo(m bot.Message) *reply {
	return &reply{ResponseType: slack.ResponseTypeEphemeral, Text: fallback(Mrkdwn(m.Text)), Blocks: MessageBlocks(m, a.directory())}
}

// HandleInteraction handles buttons, selects, the message shortcut and the
// modal's submission. It returns what to put in the acknowledgement: a
// view_submission response, or nil.
func (a *App) HandleInteraction(ctx context.Context, cb slack.InteractionCallback) any {
	if a.checkUser(ctx, "interaction", cb.User.ID) != nil {
		return nil
	}
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		if cb.View.CallbackID == FileModalCallbackID { // a menu of the intake form
			for _, act := range cb.ActionCallback.BlockActions {
				a.updateFileModal(ctx, cb, act)
			}
			return nil
		}
		if cb.View.CallbackID == DeflectModalCallbackID { // "This answered it" beside an earlier answer
			for _, act := range cb.ActionCallback.BlockActions {
				a.answeredInModal(ctx, cb, act)
			}
			return nil
		}
		if cb.View.Type == slack.VTHomeTab {
			a.handleHomeActions(ctx, cb)
			return nil
		}
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
		case DeflectModalCallbackID:
			return a.submitDeflectModal(ctx, cb)
		case commentModalCallbackID:
			return a.submitCommentModal(ctx, cb)
		case surveyModalCallbackID:
			return a.submitSurveyModal(ctx, cb)
		case ManageModalCallbackID:
			return a.submitManageModal(ctx, cb)
		case homeReplyCallbackID:
			return a.submitHomeReply(ctx, cb)
		case homeSearchCallbackID:
			return a.submitHomeSearch(ctx, cb)
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
		p := a.printer(cb.User.ID)
		text := bot.ErrorText(p, err)
		if err == nil {
			text = p.T("slack.handlers.rated", "ID", res.Request.ID, "Score", res.Score) //i18n:ok placeholder names
		}
		a.answerClick(ctx, cb, text)
		return
	case bot.ActSurvey:
		a.goFrom(ctx, func(ctx context.Context) {
			if err := a.openSurveyModal(ctx, cb.TriggerID, cb.User.ID, arg); err != nil {
				a.log.WarnContext(ctx, "open survey", "user", cb.User.ID, "err", err)
				a.tellLater(ctx, cb.Channel.ID, cb.User.ID, "", a.printer(cb.User.ID).T("slack.handlers.survey_failed"))
			}
		})
		return
	case bot.ActRoute:
		a.fileRouted(ctx, cb, id, arg)
		return
	case bot.ActAnswered:
		a.answered(ctx, cb, id, arg)
		return
	case bot.ActSaveAnswer, bot.ActUnsaveAnswer:
		save := a.desk.SaveAnswer
		if action == bot.ActUnsaveAnswer {
			save = a.desk.UnsaveAnswer
		}
		r, err := save(ctx, cb.User.ID, id)
		if err != nil {
			if bot.ErrorCode(err) == bot.EINTERNAL {
				a.log.ErrorContext(ctx, "saved answer failed", "request", id, "user", cb.User.ID, "action", action, "err", err)
			}
			p := a.printer(cb.User.ID)
			r = bot.Reply{Text: bot.ErrorText(p, err), Lang: p.Lang()}
		}
		a.tellMsgLater(ctx, cb.Channel.ID, cb.User.ID, "", r.Message())
		return
	case bot.ActSearch:
		// The next page replaces the one the button was under.
		a.goFrom(ctx, func(ctx context.Context) {
			r := a.desk.Command(ctx, cb.User.ID, "search "+arg) //i18n:ok command syntax
			rep := a.replyTo(r.Message())
			rep.ReplaceOriginal = true
			if err := a.respond(ctx, cb.ResponseURL, rep); err != nil {
				a.log.WarnContext(ctx, "search page through response_url", "user", cb.User.ID, "err", err)
				a.tellMsgLater(ctx, cb.Channel.ID, cb.User.ID, "", bot.Message{Text: r.Text, Lang: r.Lang})
			}
		})
		return
	case bot.ActComment:
		a.goFrom(ctx, func(ctx context.Context) {
			if err := a.openCommentModal(ctx, cb.User.ID, cb.TriggerID, id); err != nil {
				a.log.WarnContext(ctx, "open comment form", "user", cb.User.ID, "request", id, "err", err)
				a.tellLater(ctx, cb.Channel.ID, cb.User.ID, "", a.printer(cb.User.ID).T("slack.handlers.comment_failed"))
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

// fileRouted files the pending filing ref with the department the
// requester pressed or picked, and replaces the routing reply (an
// ephemeral message) with the filing's acknowledgement through the
// interaction's response_url, so its buttons cannot be pressed again.
func (a *App) fileRouted(ctx context.Context, cb slack.InteractionCallback, ref, dept string) {
	r, err := a.desk.FileRouted(ctx, cb.User.ID, ref, dept)
	if err != nil {
		if bot.ErrorCode(err) == bot.EINTERNAL {
			a.log.ErrorContext(ctx, "routed filing failed", "user", cb.User.ID, "dept", dept, "err", err)
		}
		a.tellLater(ctx, cb.Channel.ID, cb.User.ID, "", bot.ErrorMessage(err))
		return
	}
	a.replaceReply(ctx, cb, r, "acknowledge routed filing") //i18n:ok log key
}

// replaceReply replaces the ephemeral message pressed (a routing reply, a
// deflection) with r through the interaction's response_url: the
// acknowledgement of a filing, or the earlier answers shown before one.
func (a *App) replaceReply(ctx context.Context, cb slack.InteractionCallback, r bot.Reply, what string) {
	rep := a.replyTo(r.Message())
	rep.ReplaceOriginal = true
	a.goFrom(ctx, func(ctx context.Context) {
		if err := a.respond(ctx, cb.ResponseURL, rep); err != nil {
			a.log.WarnContext(ctx, what, "user", cb.User.ID, "err", err)
			a.tellMsgLater(ctx, cb.Channel.ID, cb.User.ID, "", bot.Message{Text: r.Text, Lang: r.Lang})
		}
	})
}

// answered settles a pending filing with an earlier answer (a
// deflection's "This answered it") and replaces the deflection with the
// outcome.
func (a *App) answered(ctx context.Context, cb slack.InteractionCallback, ref, arg string) {
	r, err := a.desk.Answered(ctx, cb.User.ID, ref, arg)
	if err != nil {
		if bot.ErrorCode(err) == bot.EINTERNAL {
			a.log.ErrorContext(ctx, "self-served failed", "user", cb.User.ID, "err", err)
		}
		a.tellLater(ctx, cb.Channel.ID, cb.User.ID, "", bot.ErrorText(a.printer(cb.User.ID), err))
		return
	}
	a.replaceReply(ctx, cb, r, "acknowledge self-served") //i18n:ok log key
}

// answerClick tells the person who clicked, and only them, through the
// click's response_url (a new ephemeral message beside the one clicked,
// which stays as it was): no Web API call, so none of chat.postEphemeral's
// tier. Should that fail, chat.postEphemeral tells them.
func (a *App) answerClick(ctx context.Context, cb slack.InteractionCallback, text string) {
	rep := a.replyTo(bot.Message{Text: text})
	a.goFrom(ctx, func(ctx context.Context) {
		if err := a.respond(ctx, cb.ResponseURL, rep); err != nil {
			a.log.WarnContext(ctx, "answer a click through response_url; sending it as an ephemeral message", "user", cb.User.ID, "err", err)
			a.tellLater(ctx, cb.Channel.ID, cb.User.ID, "", text)
		}
	})
}

// tellLater sends an ephemeral note, in thread when given, without holding
// up the acknowledgement.
func (a *App) tellLater(reqCtx context.Context, channel, user, thread, text string) {
	a.tellMsgLater(reqCtx, channel, user, thread, bot.Message{Text: text})
}

// tellMsgLater is tellLater with the message's buttons too.
func (a *App) tellMsgLater(reqCtx context.Context, channel, user, thread string, msg bot.Message) {
	if channel == "" {
		return
	}
	a.Go(func(ctx context.Context) {
		ctx = logctx.Carry(ctx, reqCtx) // the request's slack_id on these lines
		ctx, cancel := context.WithTimeout(ctx, sideCallTimeout)
		defer cancel()
		if err := a.paced("chat.postEphemeral", ""); err != nil {
			a.log.WarnContext(ctx, "ephemeral dropped under pacing", "user", user)
			return
		}
		m := a.replyTo(msg)
		opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...)}
		if thread != "" {
			opts = append(opts, slack.MsgOptionTS(thread))
		}
		if _, err := a.api.PostEphemeralContext(ctx, channel, user, opts...); err != nil {
			a.log.WarnContext(ctx, "ephemeral", "user", user, "err", err)
		}
	})
}

// checkUser returns bot.CheckUser's refusal, logged, when a payload's user
// is not a Slack user ID. Slack never sends one; a payload that does is
// forged or broken, and nothing of it is stored. The log gives the length,
// not the value, which may be anything (100,000 characters, a NUL).
func (a *App) checkUser(ctx context.Context, what, user string) error {
	err := bot.CheckUser(user)
	if err != nil {
		a.log.WarnContext(ctx, what+" refused: its user is not a Slack user ID", "user_id_bytes", len(user))
	}
	return err
}
