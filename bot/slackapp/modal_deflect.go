package slackapp

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// Deflection in the intake form. A form sent with earlier answers like it
// is not filed: its filing waits as a pending filing (bot.FileOrDeflect)
// and the acknowledgement replaces the form (response_action "update")
// with those answers, each with "This answered it" (block_actions in the
// view, the same action_id as a deflection in a message), and "File
// anyway" as the view's submit button. Both finish in the store, so any
// replica can take either.

// DeflectModalCallbackID is the callback_id of the earlier answers shown
// instead of the intake form; its private_metadata is the pending filing
// ("P42").
const DeflectModalCallbackID = "askdesk:file:deflect"

// deflectBlockPrefix starts the block_id of an earlier answer's section
// (+ its request ID).
const deflectBlockPrefix = "askdesk:deflect:"

// Modal limits (https://api.slack.com/reference/surfaces/views): blocks,
// and the title, submit and close texts.
const (
	limModalBlocks = 100
	limModalTitle  = 24
)

// DeflectModal is the view that replaces a sent intake form with the
// earlier answers of x: an introduction, each answer in a section of its
// own (ID, title, "saved answer", resolution note, clipped) with "This
// answered it" beside it, and the advice; "File anyway" submits, Cancel
// closes and files nothing (the filing expires with
// bot.PendingFilingTTL).
func DeflectModal(x *bot.Deflected) slack.ModalViewRequest { return DeflectModalIn(nil, x) }

// DeflectModalIn is DeflectModal in p's language (nil: English); the
// answers and advice are the desk's words, in p's language too.
func DeflectModalIn(p *i18n.Printer, x *bot.Deflected) slack.ModalViewRequest {
	intro, items, outro := bot.DeflectWordsIn(p, x.Dept, x.Answers)
	ref := x.Pending.Ref()
	blocks := sections(intro)
	for i, a := range x.Answers {
		if len(blocks) >= limModalBlocks-2 {
			break
		}
		btn := slack.NewButtonBlockElement(answeredIDPrefix+a.Request.ID+":"+x.Dept.Name, ref,
			plainText(clipRunes(p.T("slack.deflect.answered_button"), limButtonText))).WithStyle(slack.StylePrimary)
		text := splitMrkdwn(Mrkdwn(items[i]), limSectionText, 1)
		if len(text) == 0 {
			continue
		}
		blocks = append(blocks, slack.NewSectionBlock(mrkdwnText(text[0]), nil, slack.NewAccessory(btn),
			slack.SectionBlockOptionBlockID(deflectBlockPrefix+a.Request.ID)))
	}
	if s := splitMrkdwn(Mrkdwn(outro), limSectionText, 1); len(s) > 0 {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwnText(s[0])))
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      DeflectModalCallbackID,
		Title:           plainText(clipRunes(p.T("slack.deflect.title"), limModalTitle)),
		Submit:          plainText(p.T("slack.deflect.file_anyway")),
		Close:           plainText(p.T("slack.deflect.cancel")),
		Blocks:          slack.Blocks{BlockSet: blocks},
		PrivateMetadata: ref,
	}
}

// noticeModal is a view that only says text (the desk's), with title and
// a close button: what a form becomes once settled or filed.
func noticeModal(p *i18n.Printer, title, text string) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:   slack.VTModal,
		Title:  plainText(clipRunes(title, limModalTitle)),
		Close:  plainText(p.T("slack.deflect.done")),
		Blocks: slack.Blocks{BlockSet: sections(text)},
	}
}

// sections renders the desk's text as mrkdwn sections, at most three.
func sections(text string) []slack.Block {
	var out []slack.Block
	for _, s := range splitMrkdwn(Mrkdwn(text), limSectionText, 3) {
		out = append(out, slack.NewSectionBlock(mrkdwnText(s), nil, nil))
	}
	return out
}

// fileOrDeflect files a sent intake form, or keeps it and answers the
// submission with its earlier answers (response_action "update"). ask is
// what the person typed, which the answers are matched against.
func (a *App) fileOrDeflect(ctx context.Context, f bot.Filing, ask string) any {
	_, x, err := a.desk.FileOrDeflect(ctx, f, ask)
	if err != nil {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{textBlockID: Mrkdwn(bot.ErrorText(a.printer(f.Requester), err))})
	}
	if x != nil {
		view := DeflectModalIn(a.printer(f.Requester), x)
		return slack.NewUpdateViewSubmissionResponse(&view)
	}
	// Filed and announced by the desk: the card, and the acknowledgement
	// to the requester; the form closes.
	return nil
}

// lateDeflection files a kept form whose earlier answers were never shown
// (the acknowledgement that carried them went too late, and the form has
// closed), as sent: the person was told nothing, so the request must not
// wait unseen. It reports whether v was such an answer.
func (a *App) lateDeflection(ctx context.Context, cb slack.InteractionCallback, v any) bool {
	resp, ok := v.(*slack.ViewSubmissionResponse)
	if !ok || resp == nil || resp.ResponseAction != slack.RAUpdate || resp.View == nil || resp.View.CallbackID != DeflectModalCallbackID {
		return false
	}
	if _, err := a.desk.FileKept(ctx, cb.User.ID, resp.View.PrivateMetadata); err != nil {
		a.log.ErrorContext(ctx, "file a form whose earlier answers went unseen", "user", cb.User.ID, "err", err)
	}
	return true
}

// submitDeflectModal is "File anyway": it files the kept form as it was
// sent, and the view becomes the acknowledgement (or says why not).
func (a *App) submitDeflectModal(ctx context.Context, cb slack.InteractionCallback) any {
	r, err := a.desk.FileKept(ctx, cb.User.ID, cb.View.PrivateMetadata)
	if err != nil {
		if bot.ErrorCode(err) == bot.EINTERNAL {
			a.log.ErrorContext(ctx, "file kept form failed", "user", cb.User.ID, "err", err)
		}
		p := a.printer(cb.User.ID)
		view := noticeModal(p, p.T("slack.deflect.not_filed"), bot.ErrorText(p, err))
		return slack.NewUpdateViewSubmissionResponse(&view)
	}
	p := a.printer(cb.User.ID)
	view := noticeModal(p, p.T("slack.deflect.filed"), r.Text)
	return slack.NewUpdateViewSubmissionResponse(&view)
}

// answeredInModal is "This answered it" beside an earlier answer: the
// question is settled as self-served, and the view (after the
// acknowledgement, named by its hash) says so. A refusal of someone other
// than the requester leaves the view alone: it is the requester's.
func (a *App) answeredInModal(ctx context.Context, cb slack.InteractionCallback, act *slack.BlockAction) {
	action, ref, arg, ok := ParseAction(act)
	if !ok || action != bot.ActAnswered {
		return
	}
	r, err := a.desk.Answered(ctx, cb.User.ID, ref, arg)
	p := a.printer(cb.User.ID)
	title, text := p.T("slack.deflect.settled"), r.Text
	if err != nil {
		switch bot.ErrorCode(err) {
		case bot.EINTERNAL:
			a.log.ErrorContext(ctx, "self-served failed", "user", cb.User.ID, "err", err)
		case bot.EFORBIDDEN:
			// Slack shows a form to its opener alone; the view stays as
			// it is, and File anyway still works.
			a.log.WarnContext(ctx, "earlier answer refused", "user", cb.User.ID, "pending", ref, "err", err)
			return
		}
		title, text = p.T("slack.deflect.not_settled"), bot.ErrorText(p, err)
	}
	view := noticeModal(p, title, strings.TrimSpace(text))
	a.goFrom(ctx, func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, modalTimeout)
		defer cancel()
		if _, err := a.api.UpdateViewContext(ctx, view, "", cb.View.Hash, cb.View.ID); err != nil {
			a.log.WarnContext(ctx, "update form after earlier answer", "user", cb.User.ID, "err", err)
		}
	})
}
