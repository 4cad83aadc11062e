package slackapp

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// The intake form's request types and fields. The type menu's block_id
// names its department and each field's block_id its department, type and
// name, so that redrawing the form for another choice never carries a
// value into a block of another kind (Slack keeps what was entered in a
// block whose block_id and action_id stay the same).
const (
	typeBlockPrefix  = "askdesk:file:type:"  // + dept
	fieldBlockPrefix = "askdesk:file:field:" // + dept + "." + type + "." + field
)

func typeBlockID(dept string) string { return typeBlockPrefix + dept }

func fieldBlockID(dept, typ, field string) string {
	return fieldBlockPrefix + dept + "." + typ + "." + field
}

// formType is the type the form shows for dep: typ when dep has it, else
// the default; nil for a department without types.
func formType(dep *bot.Department, typ string) *bot.RequestType {
	if dep == nil {
		return nil
	}
	if t := dep.Type(typ); t != nil && typ != "" {
		return t
	}
	return dep.DefaultType()
}

// typeBlocks is the type menu for dep, none when it has no types.
func typeBlocks(p *i18n.Printer, dep *bot.Department, typ string) []slack.Block {
	t := formType(dep, typ)
	if t == nil {
		return nil
	}
	var opts []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, rt := range dep.Types {
		desc := strings.Join(strings.Fields(rt.Description), " ")
		if rt.Private {
			desc = strings.TrimSpace(p.T("slack.modal.type_private", "Desc", desc)) //i18n:ok placeholder names
		}
		var d *slack.TextBlockObject
		if desc != "" {
			d = plainText(clipRunes(desc, limOptionDesc))
		}
		o := slack.NewOptionBlockObject(rt.Name, plainText(clipRunes(rt.DisplayName, limOptionText)), d)
		if rt == t {
			initial = o
		}
		opts = append(opts, o)
	}
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText(p.T("slack.modal.type_choose")), typeBlockID(dep.Name), opts...)
	sel.InitialOption = initial
	var hint *slack.TextBlockObject
	if t.Private {
		hint = plainText(clipRunes(p.T("slack.modal.type_private_hint", "Dept", dep.DisplayName), 2000)) //i18n:ok placeholder names
	} else if t.Description != "" {
		hint = plainText(clipRunes(t.Description, 2000))
	}
	b := slack.NewInputBlock(typeBlockID(dep.Name), plainText(p.T("slack.modal.type_label")), hint, sel)
	b.DispatchAction = true // choosing one shows its fields
	return []slack.Block{b}
}

// fieldBlocks asks for the fields of the type the form shows.
func fieldBlocks(p *i18n.Printer, dep *bot.Department, typ string) []slack.Block {
	t := formType(dep, typ)
	if t == nil {
		return nil
	}
	var out []slack.Block
	for _, f := range t.Fields {
		id := fieldBlockID(dep.Name, t.Name, f.Name)
		var el slack.BlockElement
		switch f.Kind {
		case bot.FieldLongText:
			el = slack.NewPlainTextInputBlockElement(nil, id).WithMultiline(true).WithMaxLength(bot.MaxLongTextLen)
		case bot.FieldNumber:
			el = slack.NewNumberInputBlockElement(nil, id, true)
		case bot.FieldDate:
			el = slack.NewDatePickerBlockElement(id)
		case bot.FieldPerson:
			el = slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plainText(p.T("slack.modal.choose_person")), id)
		case bot.FieldSelect:
			var opts []*slack.OptionBlockObject
			for _, o := range f.Options {
				if utf8.RuneCountInString(o) <= limOptionValue {
					opts = append(opts, slack.NewOptionBlockObject(o, plainText(clipRunes(o, limOptionText)), nil))
				}
			}
			el = slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText(p.T("slack.modal.choose_one")), id, opts...)
		default:
			el = slack.NewPlainTextInputBlockElement(nil, id).WithMaxLength(bot.MaxShortTextLen)
		}
		var hint *slack.TextBlockObject
		if f.Hint != "" {
			hint = plainText(f.Hint)
		}
		b := slack.NewInputBlock(id, plainText(clipRunes(f.Label, 2000)), hint, el)
		b.Optional = !f.Required
		out = append(out, b)
	}
	return out
}

// formChoice reads which department and type a form shows or has chosen:
// the department from its menu, the type from the type menu of that
// department (none when the form shows another department's, or none).
func formChoice(v slack.View) (dept, typ string) {
	if v.State == nil {
		return "", ""
	}
	dept = v.State.Values[deptBlockID][deptBlockID].SelectedOption.Value
	if dept != "" {
		id := typeBlockID(dept)
		typ = v.State.Values[id][id].SelectedOption.Value
	}
	return dept, typ
}

// hasBlock reports whether the form shows a block with that block_id.
func hasBlock(v slack.View, id string) bool {
	for _, b := range v.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok && in.BlockID == id {
			return true
		}
	}
	return false
}

// fieldValues reads what was entered in the fields of type t of dep, by
// field name; a field left empty is absent.
func fieldValues(v slack.View, dep *bot.Department, t *bot.RequestType) map[string]string {
	if v.State == nil || t == nil {
		return nil
	}
	out := map[string]string{}
	for _, f := range t.Fields {
		id := fieldBlockID(dep.Name, t.Name, f.Name)
		a := v.State.Values[id][id]
		val := a.Value
		switch {
		case a.SelectedDate != "":
			val = a.SelectedDate
		case a.SelectedUser != "":
			val = a.SelectedUser
		case a.SelectedOption.Value != "":
			val = a.SelectedOption.Value
		}
		if strings.TrimSpace(val) != "" {
			out[f.Name] = val
		}
	}
	return out
}

// checkFormType resolves the department and type a submitted form asks
// for and checks its fields. errs, keyed by block_id, is for a
// response_action "errors" reply. A form that does not show the chosen
// type's fields (sent before the redraw arrived, or the redraw failed)
// files that type without fields when it requires none, and is refused
// with a note on the department otherwise.
func checkFormType(p *i18n.Printer, dir *bot.Directory, v slack.View, dept string) (typ string, fields map[string]string, errs map[string]string) {
	dep := dir.ByName(dept)
	if dep == nil || len(dep.Types) == 0 {
		return "", nil, nil
	}
	_, chosen := formChoice(v)
	t := formType(dep, chosen)
	if len(t.Fields) > 0 && !hasBlock(v, fieldBlockID(dep.Name, t.Name, t.Fields[0].Name)) {
		if len(t.RequiredFields()) == 0 {
			return t.Name, nil, nil
		}
		return "", nil, map[string]string{deptBlockID: p.T("slack.modal.type_stale", "Dept", dep.DisplayName)} //i18n:ok placeholder names
	}
	given := fieldValues(v, dep, t)
	if _, problems := t.ParseFieldsIn(p, dir, given); problems != nil {
		errs = map[string]string{}
		for name, msg := range problems {
			errs[fieldBlockID(dep.Name, t.Name, name)] = Mrkdwn(msg)
		}
		return "", nil, errs
	}
	return t.Name, given, nil
}

// updateFileModal redraws the intake form after its department or type
// menu changed: the chosen department's types, the chosen type's fields.
// What was typed in the text stays (Slack keeps entries of blocks whose
// IDs stay); the update names the view's hash, so an older redraw never
// replaces a newer one.
func (a *App) updateFileModal(ctx context.Context, cb slack.InteractionCallback, act *slack.BlockAction) {
	dept, typ := formChoice(cb.View)
	switch {
	case act.ActionID == deptBlockID:
		dept, typ = act.SelectedOption.Value, ""
	case strings.HasPrefix(act.ActionID, typeBlockPrefix):
		dept, typ = strings.TrimPrefix(act.ActionID, typeBlockPrefix), act.SelectedOption.Value
	default:
		return // a field: nothing to redraw
	}
	var text string
	if cb.View.State != nil {
		text = cb.View.State.Values[textBlockID][textBlockID].Value
	}
	view := FileModalForIn(a.printer(cb.User.ID), a.directory(), text, cb.View.PrivateMetadata, dept, typ)
	a.goFrom(ctx, func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, modalTimeout)
		defer cancel()
		if _, err := a.api.UpdateViewContext(ctx, view, "", cb.View.Hash, cb.View.ID); err != nil {
			// hash_conflict: a newer choice redrew it first, which is right.
			a.log.InfoContext(ctx, "redraw intake form", "user", cb.User.ID, "dept", dept, "err", err)
		}
	})
}
