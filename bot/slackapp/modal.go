package slackapp

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
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

// Modal limits (../shared/slack/limits.md).
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
	var depts []*slack.OptionBlockObject
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
				depts = append(depts, slack.NewOptionBlockObject(d.Name, plainText(clipRunes(d.DisplayName, limOptionText)), desc))
			}
		}
	}
	deptSelect := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText("Choose a department"), deptBlockID, depts...)

	var prios []*slack.OptionBlockObject
	var initial *slack.OptionBlockObject
	for _, p := range bot.Priorities {
		o := slack.NewOptionBlockObject(string(p), plainText(priorityLabel(p)), nil)
		if p == def {
			initial = o
		}
		prios = append(prios, o)
	}
	prio := slack.NewRadioButtonsBlockElement(priorityBlockID, prios...)
	prio.InitialOption = initial

	text := slack.NewPlainTextInputBlockElement(plainText("e.g. need the Q3 budget numbers for the board deck"), textBlockID).
		WithMultiline(true).
		WithMaxLength(bot.MaxTextLen).
		WithInitialValue(clipRunes(strings.TrimSpace(prefill), bot.MaxTextLen))

	if utf8.RuneCountInString(privateMetadata) > limPrivateMetadata {
		privateMetadata = ""
	}
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		CallbackID: FileModalCallbackID,
		Title:      plainText("Ask a department"),
		Submit:     plainText("Send"),
		Close:      plainText("Cancel"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewInputBlock(deptBlockID, plainText("Department"), nil, deptSelect),
			slack.NewInputBlock(priorityBlockID, plainText("Priority"), nil, prio),
			slack.NewInputBlock(textBlockID, plainText("What do you need?"),
				plainText("The first line becomes the title. Details and files can follow in the thread."), text),
		}},
		PrivateMetadata: privateMetadata,
	}
}

// ParseFileModal reads a submitted intake modal. errs, keyed by block_id,
// is for a response_action "errors" reply; it is nil when the form is
// usable. dept is a canonical name for bot.Desk.File to resolve; priority is
// "" when none was chosen, so the default applies. It does not check the
// callback_id: route on FileModalCallbackID first.
func ParseFileModal(v slack.View) (dept string, priority bot.Priority, text string, errs map[string]string) {
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
		fail(deptBlockID, "Choose the department to ask.")
	}
	if s := value(priorityBlockID).SelectedOption.Value; s != "" {
		p, err := bot.ParsePriority(s)
		if err != nil {
			fail(priorityBlockID, "Choose urgent, normal or low.")
		}
		priority = p
	}
	text = strings.TrimSpace(value(textBlockID).Value)
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		fail(textBlockID, "Please say what you need.")
	case n > bot.MaxTextLen:
		fail(textBlockID, fmt.Sprintf("That is %d characters; the limit is %d. Send the gist and add details in the thread.", n, bot.MaxTextLen))
	}
	return dept, priority, text, errs
}

func priorityLabel(p bot.Priority) string {
	switch p {
	case bot.Urgent:
		return "Urgent"
	case bot.Low:
		return "Low"
	}
	return "Normal"
}
