package slackapp

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// ManageModalCallbackID is the callback_id of the form a lead edits a
// department's service standard in, opened by /ask manage <dept>.
const ManageModalCallbackID = "askdesk:manage"

// The form's block IDs are this prefix and the field's key (each doubles as
// its element's action_id, and keys response_action "errors").
const (
	manageBlockPrefix = "askdesk:manage:"
	manageReasonBlock = manageBlockPrefix + "reason"
)

// limTextInput is the longest initial_value a plain_text_input takes.
const limTextInput = 3000

// manageTarget returns the department of "/ask manage <dept>" when the
// command is to open the form (not "… set …", which the desk answers).
func manageTarget(text string) (string, bool) {
	f := strings.Fields(text)
	if len(f) == 2 && strings.EqualFold(f[0], "manage") {
		return f[1], true
	}
	return "", false
}

// ManageModal is the form for a department's standard: one input per
// field, initially its value now, and the reason for the change.
func ManageModal(dept *bot.Department, fields []bot.FormField) slack.ModalViewRequest {
	return ManageModalIn(nil, dept, fields)
}

// ManageModalIn is ManageModal with the form's own words in p's language
// (nil: English); the fields' labels are as fields gives them.
func ManageModalIn(p *i18n.Printer, dept *bot.Department, fields []bot.FormField) slack.ModalViewRequest {
	var blocks []slack.Block
	blocks = append(blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, p.T("manage.intro"), false, false), nil, nil))
	for _, f := range fields {
		id := manageBlockPrefix + f.Key
		var el slack.BlockElement
		if f.Users {
			ms := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, plainText(p.T("manage.choose_people")), id)
			ms.InitialUsers = strings.FieldsFunc(f.Value, func(r rune) bool { return r == ',' || r == ' ' })
			el = ms
		} else {
			in := slack.NewPlainTextInputBlockElement(nil, id)
			in.Multiline = f.Multiline
			in.InitialValue = clipRunes(f.Value, limTextInput)
			el = in
		}
		var hint *slack.TextBlockObject
		if f.Hint != "" {
			hint = plainText(clipRunes(f.Hint, 150))
		}
		in := slack.NewInputBlock(id, plainText(clipRunes(f.Label, 2000)), hint, el)
		in.Optional = f.Optional
		blocks = append(blocks, in)
	}
	reason := slack.NewPlainTextInputBlockElement(plainText(p.T("manage.reason_placeholder")), manageReasonBlock)
	reason.MaxLength = 300
	blocks = append(blocks, slack.NewInputBlock(manageReasonBlock, plainText(p.T("manage.reason_label")), plainText(p.T("manage.reason_hint")), reason))
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: ManageModalCallbackID, PrivateMetadata: dept.Name,
		Title:  plainText(clipRunes(p.T("manage.title", "Dept", dept.DisplayName), 24)),
		Submit: plainText(p.T("manage.publish")), Close: plainText(p.T("manage.cancel")),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

// openManageModal answers /ask manage <dept>: the form, or why not.
func (a *App) openManageModal(ctx context.Context, cmd slack.SlashCommand, dept string) *reply {
	if a.desk.Catalogue == nil {
		return nil
	}
	p := a.printer(cmd.UserID)
	fields, err := a.desk.Catalogue.Form(ctx, cmd.UserID, dept)
	if err != nil {
		return a.replyTo(bot.Message{Text: bot.ErrorText(p, err), Lang: p.Lang()})
	}
	dep, err := a.directory().Department(dept)
	if err != nil {
		return a.replyTo(bot.Message{Text: bot.ErrorText(p, err), Lang: p.Lang()})
	}
	a.goFrom(ctx, func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, modalTimeout)
		defer cancel()
		if _, err := a.api.OpenViewContext(ctx, cmd.TriggerID, ManageModalIn(p, dep, fields)); err != nil {
			a.log.WarnContext(ctx, "open standards form", "user", cmd.UserID, "dept", dep.Name, "err", err)
			a.respondCommand(ctx, cmd, a.replyTo(bot.Message{Text: p.T("manage.open_failed", "Dept", dep.Name), Lang: p.Lang()}))
		}
	})
	return nil
}

// submitManageModal publishes the standard from the form, or returns the
// problems for Slack to show beside the fields, in check-config's words.
func (a *App) submitManageModal(ctx context.Context, cb slack.InteractionCallback) any {
	if a.desk.Catalogue == nil || cb.View.State == nil {
		return nil
	}
	values := map[string]string{}
	reason := ""
	for id, acts := range cb.View.State.Values {
		key, ok := strings.CutPrefix(id, manageBlockPrefix)
		if !ok {
			continue
		}
		v, ok := acts[id]
		if !ok {
			continue
		}
		text := v.Value
		if v.Type == "multi_users_select" {
			text = strings.Join(v.SelectedUsers, ", ")
		}
		if key == "reason" {
			reason = text
			continue
		}
		values[key] = text
	}
	_, _, err := a.desk.Catalogue.Edit(ctx, cb.User.ID, cb.View.PrivateMetadata, values, reason, "slack")
	if err == nil {
		return nil
	}
	errs := map[string]string{}
	if fe, ok := err.(*bot.FormError); ok {
		for k, msg := range fe.Fields {
			if k == "" { // a clash with another department
				k = "reason"
			}
			errs[manageBlockPrefix+k] = clipRunes(msg, 1000)
		}
	} else {
		if bot.ErrorCode(err) == bot.EINTERNAL {
			a.log.ErrorContext(ctx, "publish standard", "user", cb.User.ID, "dept", cb.View.PrivateMetadata, "err", err)
		}
		errs[manageReasonBlock] = Mrkdwn(bot.ErrorText(a.printer(cb.User.ID), err))
	}
	return slack.NewErrorsViewSubmissionResponse(errs)
}
