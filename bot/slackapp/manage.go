package slackapp

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
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
	var blocks []slack.Block
	blocks = append(blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "Changes apply to requests filed from now on; those filed before keep the standard they were filed under. The queue channel is told what changed and why.", false, false), nil, nil))
	for _, f := range fields {
		id := manageBlockPrefix + f.Key
		var el slack.BlockElement
		if f.Users {
			ms := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, plainText("Choose people"), id)
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
	reason := slack.NewPlainTextInputBlockElement(plainText("e.g. month-end is quieter now"), manageReasonBlock)
	reason.MaxLength = 300
	blocks = append(blocks, slack.NewInputBlock(manageReasonBlock, plainText("Why this change?"), plainText("Kept with the change and shown to the department."), reason))
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: ManageModalCallbackID, PrivateMetadata: dept.Name,
		Title:  plainText(clipRunes(dept.DisplayName+" standards", 24)),
		Submit: plainText("Publish"), Close: plainText("Cancel"),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

// openManageModal answers /ask manage <dept>: the form, or why not.
func (a *App) openManageModal(ctx context.Context, cmd slack.SlashCommand, dept string) *reply {
	if a.desk.Catalogue == nil {
		return nil
	}
	fields, err := a.desk.Catalogue.Form(ctx, cmd.UserID, dept)
	if err != nil {
		return a.replyTo(bot.Message{Text: bot.ErrorMessage(err)})
	}
	dep, err := a.directory().Department(dept)
	if err != nil {
		return a.replyTo(bot.Message{Text: bot.ErrorMessage(err)})
	}
	a.goFrom(ctx, func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, modalTimeout)
		defer cancel()
		if _, err := a.api.OpenViewContext(ctx, cmd.TriggerID, ManageModal(dep, fields)); err != nil {
			a.log.WarnContext(ctx, "open standards form", "user", cmd.UserID, "dept", dep.Name, "err", err)
			a.respondCommand(ctx, cmd, a.replyTo(bot.Message{Text: "I couldn't open the form just now; `/ask manage " + dep.Name + " set <what> <new value> -- <why>` changes one thing by typing."}))
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
		errs[manageReasonBlock] = Mrkdwn(bot.ErrorMessage(err))
	}
	return slack.NewErrorsViewSubmissionResponse(errs)
}
