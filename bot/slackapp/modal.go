package slackapp

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// FileModalCallbackID is the callback_id of the intake modal, which opens
// for "/ask" with no text and for the "Send to a department" shortcut.
const FileModalCallbackID = "askdesk:file"

// The intake modal's input blocks. Each block_id doubles as its element's
// action_id, and is the key of a response_action "errors" reply.
const (
	deptBlockID     = "askdesk:file:dept"
	priorityBlockID = "askdesk:file:priority"
	textBlockID     = "askdesk:file:text"
)

// Modal limits, from Slack's view reference
// (https://api.slack.com/reference/surfaces/views).
const (
	limPrivateMetadata = 3000
	limOptionDesc      = 75 // option description, like option text
)

// FileModal is the intake form: a department (required), a priority
// (initially the directory's default) and the text, prefilled with prefill
// (cut to the 3,000 characters a request may hold). privateMetadata comes
// back with the submission, for the caller to say where the request came
// from (e.g. a JSON of the shortcut's channel, message ts and permalink);
// Slack holds at most 3,000 characters there, so a longer one is dropped
// rather than making views.open fail. The title fits Slack's 24 characters.
func FileModal(dir *bot.Directory, prefill string, privateMetadata string) slack.ModalViewRequest {
	return FileModalIn(nil, dir, prefill, privateMetadata)
}

// FileModalIn is FileModal in p's language (nil: English).
func FileModalIn(p *i18n.Printer, dir *bot.Directory, prefill string, privateMetadata string) slack.ModalViewRequest {
	return FileModalForIn(p, dir, prefill, privateMetadata, "", "")
}

// FileModalFor is FileModal with a department chosen (its canonical name,
// or "" for none yet) and, when that department has request types, a type
// (its name, or "" for the default): the form then asks for the type
// after the department and for that type's fields after the text. The
// department and type menus dispatch their choice (block_actions), so the
// form is redrawn in place with views.update (see updateFileModal).
func FileModalFor(dir *bot.Directory, prefill, privateMetadata, dept, typ string) slack.ModalViewRequest {
	return FileModalForIn(nil, dir, prefill, privateMetadata, dept, typ)
}

// FileModalForIn is FileModalFor in p's language (nil: English).
func FileModalForIn(p *i18n.Printer, dir *bot.Directory, prefill, privateMetadata, dept, typ string) slack.ModalViewRequest {
	var depts []*slack.OptionBlockObject
	var chosen *slack.OptionBlockObject
	def := bot.Normal
	if dir != nil {
		def = dir.DefaultPriority
		for _, d := range dir.Departments {
			if len(depts) == limOptions {
				break
			}
			var desc *slack.TextBlockObject
			if s := strings.Join(strings.Fields(d.Description), " "); s != "" {
				desc = plainText(clipRunes(s, limOptionDesc))
			}
			if d.Name != "" && utf8.RuneCountInString(d.Name) <= limOptionValue {
				o := slack.NewOptionBlockObject(d.Name, plainText(clipRunes(d.DisplayName, limOptionText)), desc)
				if d.Name == dept {
					chosen = o
				}
				depts = append(depts, o)
			}
		}
	}
	deptSelect := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText(p.T("slack.modal.choose_dept")), deptBlockID, depts...)
	deptSelect.InitialOption = chosen
	deptBlock := slack.NewInputBlock(deptBlockID, plainText(p.T("slack.modal.dept_label")), nil, deptSelect)
	deptBlock.DispatchAction = true // choosing one shows its request types
	var dep *bot.Department
	if dir != nil && chosen != nil {
		dep = dir.ByName(dept)
	}

	var prios []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, pri := range bot.Priorities {
		o := slack.NewOptionBlockObject(string(pri), plainText(priorityLabel(p, pri)), nil)
		if pri == def {
			initial = o
		}
		prios = append(prios, o)
	}
	prio := slack.NewRadioButtonsBlockElement(priorityBlockID, prios...)
	prio.InitialOption = initial

	text := slack.NewPlainTextInputBlockElement(plainText(p.T("slack.modal.text_placeholder")), textBlockID).
		WithMultiline(true).
		WithMaxLength(bot.MaxTextLen).
		WithInitialValue(clipRunes(strings.TrimSpace(prefill), bot.MaxTextLen))

	if utf8.RuneCountInString(privateMetadata) > limPrivateMetadata {
		privateMetadata = ""
	}
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		CallbackID: FileModalCallbackID,
		Title:      plainText(p.T("slack.modal.file_title")),
		Submit:     plainText(p.T("slack.modal.send")),
		Close:      plainText(p.T("slack.modal.cancel")),
		Blocks: slack.Blocks{BlockSet: slices.Concat(
			[]slack.Block{deptBlock},
			typeBlocks(p, dep, typ),
			[]slack.Block{
				slack.NewInputBlock(priorityBlockID, plainText(p.T("slack.modal.priority_label")), nil, prio),
				slack.NewInputBlock(textBlockID, plainText(p.T("slack.modal.text_label")),
					plainText(p.T("slack.modal.text_hint")), text),
			},
			fieldBlocks(p, dep, typ),
		)},
		PrivateMetadata: privateMetadata,
	}
}

// ParseFileModal reads a submitted intake modal. errs, keyed by block_id,
// is for a response_action "errors" reply; it is nil when the form is
// usable. dept is a canonical name for bot.Desk.File to resolve; priority is
// "" when none was chosen, so the default applies. It does not check the
// callback_id: route on FileModalCallbackID first.
func ParseFileModal(v slack.View) (dept string, priority bot.Priority, text string, errs map[string]string) {
	return ParseFileModalIn(nil, v)
}

// ParseFileModalIn is ParseFileModal with the errors in p's language (nil:
// English).
func ParseFileModalIn(pr *i18n.Printer, v slack.View) (dept string, priority bot.Priority, text string, errs map[string]string) {
	fail := func(block, msg string) {
		if errs == nil {
			errs = map[string]string{}
		}
		errs[block] = msg
	}
	value := func(block string) slack.BlockAction {
		if v.State == nil {
			return slack.BlockAction{}
		}
		return v.State.Values[block][block]
	}

	dept = strings.TrimSpace(value(deptBlockID).SelectedOption.Value)
	if dept == "" {
		fail(deptBlockID, pr.T("slack.modal.err_dept"))
	}
	if s := value(priorityBlockID).SelectedOption.Value; s != "" {
		p, err := bot.ParsePriority(s)
		if err != nil {
			fail(priorityBlockID, pr.T("slack.modal.err_priority"))
		}
		priority = p
	}
	text = strings.TrimSpace(value(textBlockID).Value)
	// The desk's rule decides (invisible characters alone are no request);
	// the words suit a form rather than a slash command.
	if bot.CheckText(bot.CleanText(text)) != nil {
		if n := utf8.RuneCountInString(text); n > bot.MaxTextLen {
			fail(textBlockID, pr.T("slack.modal.err_too_long", "N", n, "Limit", bot.MaxTextLen)) //i18n:ok placeholder names
		} else {
			fail(textBlockID, pr.T("slack.modal.err_empty"))
		}
	}
	return dept, priority, text, errs
}

func priorityLabel(pr *i18n.Printer, p bot.Priority) string {
	switch p {
	case bot.Urgent:
		return pr.T("slack.modal.urgent")
	case bot.Low:
		return pr.T("slack.modal.low")
	}
	return pr.T("slack.modal.normal")
}

// modalMeta rides in the modal's private_metadata: the message a shortcut
// was used on, and the thread it is in (its own ts when it is not a reply).
type modalMeta struct {
	Channel string `json:"c,omitempty"`
	TS      string `json:"t,omitempty"`
	Thread  string `json:"r,omitempty"`
	Author  string `json:"a,omitempty"`
}

func (a *App) openFileModal(ctx context.Context, user, trigger, prefill string, meta modalMeta) error {
	b, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, modalTimeout)
	defer cancel()
	_, err = a.api.OpenViewContext(ctx, trigger, FileModalIn(a.printer(user), a.directory(), prefill, string(b)))
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
		if err := a.openFileModal(ctx, cb.User.ID, cb.TriggerID, prefill, meta); err != nil {
			a.log.WarnContext(ctx, "open modal", "user", cb.User.ID, "err", err)
			p := a.printer(cb.User.ID)
			sorry := p.T("slack.modal.open_failed")
			if rerr := a.respond(ctx, cb.ResponseURL, a.replyTo(bot.Message{Text: sorry, Lang: p.Lang()})); rerr != nil {
				a.tellLater(ctx, cb.Channel.ID, cb.User.ID, "", sorry)
			}
			return
		}
		a.workspaceURL(ctx)
	})
}

// submitFileModal files the request from the modal, or returns the field
// errors for Slack to show in it, or, when earlier answers are like it,
// keeps it and returns them in its place (fileOrDeflect).
func (a *App) submitFileModal(ctx context.Context, cb slack.InteractionCallback) any {
	pr := a.printer(cb.User.ID)
	dept, priority, text, errs := ParseFileModalIn(pr, cb.View)
	typ, fields, typeErrs := checkFormType(pr, a.directory(), cb.View, dept)
	for k, v := range typeErrs {
		if errs == nil {
			errs = map[string]string{}
		}
		errs[k] = v
	}
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
	f := bot.Filing{Requester: cb.User.ID, Dept: dept, Priority: priority, Text: text, Source: "modal", Type: typ, Fields: fields}
	if meta.Channel != "" && meta.TS != "" {
		f.Source, f.OriginChannel, f.OriginMessage, f.OriginThread = "shortcut", meta.Channel, meta.TS, meta.Thread
		f.Text = text + "\n\n" + a.quoteSource(ctx, a.channelPrinter(dept), meta)
		if err := bot.CheckText(f.Text); err != nil {
			f.Text = text // the quote would not fit; the link is in the thread reply
		}
	}
	return a.fileOrDeflect(ctx, f, text)
}

// quoteSource names where a shortcut's message came from, with a link back.
// The request text is user text, escaped wherever it is shown, so the
// author is named in words, not as a mention. Both come from what opening
// the form looked up; only what is still missing is asked of Slack, briefly.
func (a *App) quoteSource(ctx context.Context, p *i18n.Printer, meta modalMeta) string {
	src := p.T("slack.modal.source")
	ctx, cancel := context.WithTimeout(ctx, quoteTimeout)
	defer cancel()
	if meta.Author != "" {
		if u, err := a.user(ctx, meta.Author); err == nil && u.name != "" {
			src = p.T("slack.modal.source_by", "Name", u.name) //i18n:ok placeholder names
		} else {
			src = p.T("slack.modal.source_by", "Name", "@"+meta.Author) //i18n:ok placeholder names
		}
	}
	if link := a.messageLink(ctx, meta); link != "" {
		src = p.T("slack.modal.source_link", "Source", src, "Link", link) //i18n:ok placeholder names
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
// shown after its acknowledgement went without it: a form's field errors
// (the form has closed) go to their DM, with what they typed so that
// nothing is lost; a form kept for its earlier answers is filed
// (lateDeflection).
func (a *App) lateInteraction(ctx context.Context, cb slack.InteractionCallback, v any) {
	if a.lateDeflection(ctx, cb, v) {
		return
	}
	resp, ok := v.(*slack.ViewSubmissionResponse)
	if !ok || resp == nil || len(resp.Errors) == 0 {
		return
	}
	var problems []string
	for _, msg := range resp.Errors {
		problems = append(problems, msg)
	}
	sort.Strings(problems)
	pr := a.printer(cb.User.ID)
	text := pr.T("slack.modal.late_problems", "Problems", strings.Join(problems, " ")) //i18n:ok placeholder names
	if typed := typedText(cb.View); typed != "" {
		text += "\n" + pr.T("slack.modal.late_typed") + "\n" + quoteClipped(typed, 2*bot.MaxTextLen, messageTextClippedIn(pr))
	}
	a.dmLater(ctx, cb.User.ID, a.replyTo(bot.Message{Text: text, Lang: pr.Lang()}))
}

// typedText is what a person typed in a submitted form's text inputs (the
// request, a comment, a survey's remarks), in the form's order, "" if none.
func typedText(v slack.View) string {
	if v.State == nil {
		return ""
	}
	var parts []string
	for _, b := range v.Blocks.BlockSet {
		in, ok := b.(*slack.InputBlock)
		if !ok {
			continue
		}
		for _, val := range v.State.Values[in.BlockID] {
			if val.Type == "plain_text_input" && strings.TrimSpace(val.Value) != "" {
				parts = append(parts, strings.TrimSpace(val.Value))
			}
		}
	}
	return strings.Join(parts, "\n\n")
}

const commentModalCallbackID = "askdesk:comment"

func (a *App) openCommentModal(ctx context.Context, user, trigger, id string) error {
	p := a.printer(user)
	input := slack.NewPlainTextInputBlockElement(plainText(p.T("slack.modal.comment_placeholder")), textBlockID)
	input.Multiline = true
	input.MaxLength = bot.MaxTextLen
	view := slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: commentModalCallbackID, PrivateMetadata: id,
		Title: plainText(p.T("slack.modal.comment_title")), Submit: plainText(p.T("slack.modal.add")), Close: plainText(p.T("slack.modal.cancel")),
		Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewInputBlock(textBlockID, plainText(p.T("slack.modal.comment_label", "ID", id)), nil, input)}}, //i18n:ok placeholder names
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
		return slack.NewErrorsViewSubmissionResponse(map[string]string{textBlockID: Mrkdwn(bot.ErrorMessage(err))})
	}
	if !ok {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{textBlockID: a.printer(cb.User.ID).T("slack.modal.comment_rate_first")})
	}
	return nil
}
