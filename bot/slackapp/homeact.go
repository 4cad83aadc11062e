package slackapp

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// Presses on the Home tab. The request buttons are the cards' and DMs'
// (handleAction does them); a press on the Home has no channel to answer
// in, so its outcome is told at the top of the republished Home.

const (
	homeReplyCallbackID  = "askdesk:homereply"
	homeSearchCallbackID = "askdesk:homesearch"
	homeSearchBlockID    = "askdesk:homesearch:words"
)

// handleHomeActions handles block_actions from a Home tab.
func (a *App) handleHomeActions(ctx context.Context, cb slack.InteractionCallback) {
	user := cb.User.ID
	var q bot.HomeQuery
	if cb.View.PrivateMetadata != "" {
		_ = json.Unmarshal([]byte(cb.View.PrivateMetadata), &q) // a bad one is the whole queue
	}
	for _, ba := range cb.ActionCallback.BlockActions {
		if nq, ok := homeQuery(q, ba); ok {
			q = nq
			a.homes.want(user, a.clock.Now(), &q, "")
			continue
		}
		switch ba.ActionID {
		case homeNewID:
			a.goFrom(ctx, func(ctx context.Context) {
				if err := a.openFileModal(ctx, cb.User.ID, cb.TriggerID, "", modalMeta{}); err != nil {
					a.log.WarnContext(ctx, "open modal from home", "user", user, "err", err)
					a.homes.want(user, a.clock.Now(), &q, a.printer(user).T("slack.homeact.open_failed_file"))
				}
			})
			continue
		case homeSearchID:
			a.goFrom(ctx, func(ctx context.Context) { a.openModalOrTell(ctx, cb, q, homeSearchModal(a.printer(user))) })
			continue
		case homeManageID:
			a.goFrom(ctx, func(ctx context.Context) { a.openManageFromHome(ctx, cb, q, ba.Value) })
			continue
		}
		action, id, _, ok := ParseAction(ba)
		if !ok {
			continue
		}
		if action == bot.ActReply {
			a.goFrom(ctx, func(ctx context.Context) { a.openModalOrTell(ctx, cb, q, homeReplyModal(a.printer(user), id)) })
			continue
		}
		notice := ""
		switch action {
		case bot.ActRate:
			if res, err := a.desk.Rate(ctx, user, id, ba.ActionID[len(rateIDPrefix):]); err != nil {
				notice = bot.ErrorText(a.printer(user), err)
			} else {
				notice = a.printer(user).T("slack.homeact.rated", "ID", res.Request.ID, "Score", ba.ActionID[len(rateIDPrefix):]) //i18n:ok placeholder names
			}
		default:
			if _, err := a.desk.Do(ctx, bot.Act{Actor: user, Action: action, ID: id}); err != nil {
				if bot.ErrorCode(err) == bot.EINTERNAL {
					a.log.ErrorContext(ctx, "home action failed", "request", id, "user", user, "action", action, "err", err)
				}
				notice = bot.ErrorText(a.printer(user), err)
			}
		}
		a.homes.want(user, a.clock.Now(), &q, notice)
	}
}

// openModalOrTell opens a form from the Home, or says on the Home that it
// could not.
func (a *App) openModalOrTell(ctx context.Context, cb slack.InteractionCallback, q bot.HomeQuery, v slack.ModalViewRequest) {
	ctx, cancel := context.WithTimeout(ctx, modalTimeout)
	defer cancel()
	if _, err := a.api.OpenViewContext(ctx, cb.TriggerID, v); err != nil {
		a.log.WarnContext(ctx, "open form from home", "user", cb.User.ID, "form", v.CallbackID, "err", err)
		a.homes.want(cb.User.ID, a.clock.Now(), &q, a.printer(cb.User.ID).T("slack.homeact.open_failed"))
	}
}

// openManageFromHome opens /ask manage's form for dept.
func (a *App) openManageFromHome(ctx context.Context, cb slack.InteractionCallback, q bot.HomeQuery, dept string) {
	if a.desk.Catalogue == nil {
		a.homes.want(cb.User.ID, a.clock.Now(), &q, a.printer(cb.User.ID).T("slack.homeact.no_manage"))
		return
	}
	fields, err := a.desk.Catalogue.Form(ctx, cb.User.ID, dept)
	if err == nil {
		var dep *bot.Department
		if dep, err = a.directory().Department(dept); err == nil {
			a.openModalOrTell(ctx, cb, q, ManageModalIn(a.printer(cb.User.ID), dep, fields))
			return
		}
	}
	a.homes.want(cb.User.ID, a.clock.Now(), &q, bot.ErrorText(a.printer(cb.User.ID), err))
}

// homeReplyModal asks for a reply to request id.
func homeReplyModal(p *i18n.Printer, id string) slack.ModalViewRequest {
	input := slack.NewPlainTextInputBlockElement(plainText(p.T("slack.homeact.reply_placeholder")), textBlockID)
	input.Multiline = true
	input.MaxLength = bot.MaxTextLen
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: homeReplyCallbackID, PrivateMetadata: id,
		Title: plainText(p.T("slack.homeact.reply_title")), Submit: plainText(p.T("slack.modal.send")), Close: plainText(p.T("slack.modal.cancel")),
		Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewInputBlock(textBlockID, plainText(p.T("slack.homeact.reply_label", "ID", id)), nil, input)}},
	}
}

// submitHomeReply replies on the request, as a reply in its thread would.
func (a *App) submitHomeReply(ctx context.Context, cb slack.InteractionCallback) any {
	var text string
	if cb.View.State != nil {
		text = cb.View.State.Values[textBlockID][textBlockID].Value
	}
	if _, err := a.desk.Do(ctx, bot.Act{Actor: cb.User.ID, Action: bot.ActReply, ID: cb.View.PrivateMetadata, Text: text}); err != nil {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{textBlockID: Mrkdwn(bot.ErrorText(a.printer(cb.User.ID), err))})
	}
	a.RefreshHome(cb.User.ID, "")
	return nil
}

// homeSearchModal asks for words to search for.
func homeSearchModal(p *i18n.Printer) slack.ModalViewRequest {
	input := slack.NewPlainTextInputBlockElement(plainText(p.T("slack.homeact.search_placeholder")), homeSearchBlockID)
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: homeSearchCallbackID,
		Title: plainText(p.T("slack.homeact.search_title")), Submit: plainText(p.T("slack.homeact.search_submit")), Close: plainText(p.T("slack.homeact.close")),
		Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewInputBlock(homeSearchBlockID, plainText(p.T("slack.homeact.search_label")), nil, input)}},
	}
}

// submitHomeSearch answers with what `/ask search <words>` answers, in
// the form.
func (a *App) submitHomeSearch(ctx context.Context, cb slack.InteractionCallback) any {
	var words string
	if cb.View.State != nil {
		words = strings.TrimSpace(cb.View.State.Values[homeSearchBlockID][homeSearchBlockID].Value)
	}
	if words == "" {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{homeSearchBlockID: a.printer(cb.User.ID).T("slack.homeact.search_empty")})
	}
	p := a.printer(cb.User.ID)
	r := a.desk.Command(ctx, cb.User.ID, "search "+words) //i18n:ok command syntax
	view := slack.ModalViewRequest{Type: slack.VTModal, Title: plainText(p.T("slack.homeact.search_title")), Close: plainText(p.T("slack.homeact.done")),
		Blocks: slack.Blocks{BlockSet: modalBlocks(MessageBlocks(bot.Message{Text: r.Text, Lang: p.Lang()}, a.directory()))}}
	return slack.NewUpdateViewSubmissionResponse(&view)
}

// modalBlocks keeps what a modal holds (100 blocks).
func modalBlocks(bs []slack.Block) []slack.Block {
	if len(bs) > limHomeBlocks {
		bs = bs[:limHomeBlocks]
	}
	return bs
}
