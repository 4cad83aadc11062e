package slackapp_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
)

const shortcutMeta = `{"c":"C0SALES01","t":"1583636382.000300","a":"U0SAM0001"}`

func TestFileModal_Golden(t *testing.T) {
	dir := MustExampleDirectory(t)
	v := slackapp.FileModal(dir, "need the Q3 budget numbers\nfor the board deck, by Friday", shortcutMeta)
	checkLimits(t, v.Blocks.BlockSet)
	assertGolden(t, "modal_file", v)
}

// TestFileModalFor_Golden: the form for a Finance reimbursement, as
// views.update redraws it: the type menu after the department, the
// reimbursement's fields (a number, a menu, a date, a person) after the
// text; and for HR's private personal matters, which say so.
func TestFileModalFor_Golden(t *testing.T) {
	dir := MustExampleDirectory(t)
	v := slackapp.FileModalFor(dir, "taxi from the airport", "", "finance", "reimbursement")
	checkLimits(t, v.Blocks.BlockSet)
	assertGolden(t, "modal_file_typed", v)
	p := slackapp.FileModalFor(dir, "", "", "hr", "personal")
	checkLimits(t, p.Blocks.BlockSet)
	assertGolden(t, "modal_file_private", p)
}

func TestFileModal(t *testing.T) {
	dir := MustExampleDirectory(t)

	t.Run("Limits", func(t *testing.T) {
		v := slackapp.FileModal(dir, "", "")
		if v.Type != slack.VTModal || v.CallbackID != slackapp.FileModalCallbackID {
			t.Errorf("type %q, callback %q", v.Type, v.CallbackID)
		}
		for what, o := range map[string]*slack.TextBlockObject{"title": v.Title, "submit": v.Submit, "close": v.Close} {
			if o == nil || o.Type != slack.PlainTextType || utf8.RuneCountInString(o.Text) > 24 {
				t.Errorf("%s = %+v, want plain_text of at most 24 characters", what, o)
			}
		}
		checkLimits(t, v.Blocks.BlockSet)
	})

	t.Run("DefaultPriority", func(t *testing.T) {
		for _, p := range bot.Priorities {
			d := *dir
			d.DefaultPriority = p
			radio := inputElement[*slack.RadioButtonsBlockElement](t, slackapp.FileModal(&d, "", ""))
			if radio.InitialOption == nil || radio.InitialOption.Value != string(p) {
				t.Errorf("default %s: initial option %+v", p, radio.InitialOption)
			}
		}
	})

	t.Run("LongPrefill", func(t *testing.T) {
		in := inputElement[*slack.PlainTextInputBlockElement](t, slackapp.FileModal(dir, strings.Repeat("é", 5000), ""))
		if n := utf8.RuneCountInString(in.InitialValue); n > bot.MaxTextLen || in.MaxLength != bot.MaxTextLen {
			t.Errorf("initial value of %d characters, max_length %d; want both at most %d", n, in.MaxLength, bot.MaxTextLen)
		}
	})

	t.Run("LongMetadata", func(t *testing.T) {
		if v := slackapp.FileModal(dir, "", strings.Repeat("x", 3001)); v.PrivateMetadata != "" {
			t.Errorf("kept %d characters of private_metadata, over Slack's 3000", len(v.PrivateMetadata))
		}
		if v := slackapp.FileModal(dir, "", shortcutMeta); v.PrivateMetadata != shortcutMeta {
			t.Errorf("private_metadata = %q, want %q", v.PrivateMetadata, shortcutMeta)
		}
	})
}

// inputElement returns the modal's only input element of type E.
func inputElement[E slack.BlockElement](tb testing.TB, v slack.ModalViewRequest) E {
	tb.Helper()
	var found []E
	for _, b := range v.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			if e, ok := in.Element.(E); ok {
				found = append(found, e)
			}
		}
	}
	if len(found) != 1 {
		var zero E
		tb.Fatalf("%d input elements of type %T, want 1", len(found), zero)
	}
	return found[0]
}

// formIDs are the block and action IDs of the modal's three inputs, read
// from the modal itself so a submission is built the way Slack builds it.
type formIDs struct{ dept, prio, text [2]string }

func modalIDs(tb testing.TB, v slack.ModalViewRequest) formIDs {
	tb.Helper()
	var ids formIDs
	for _, b := range v.Blocks.BlockSet {
		in, ok := b.(*slack.InputBlock)
		if !ok {
			continue
		}
		switch e := in.Element.(type) {
		case *slack.SelectBlockElement:
			ids.dept = [2]string{in.BlockID, e.ActionID}
		case *slack.RadioButtonsBlockElement:
			ids.prio = [2]string{in.BlockID, e.ActionID}
		case *slack.PlainTextInputBlockElement:
			ids.text = [2]string{in.BlockID, e.ActionID}
		}
	}
	if ids.dept[0] == "" || ids.prio[0] == "" || ids.text[0] == "" {
		tb.Fatalf("modal lacks an input: %+v", ids)
	}
	return ids
}

// submission returns the view of a view_submission for modal with the
// given state, shaped like a real one (the repository's
// testdata/slack/interactive_view_submission_real.json) and read back from
// JSON.
func submission(tb testing.TB, modal slack.ModalViewRequest, values map[string]map[string]slack.BlockAction) slack.View {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "slack", "interactive_view_submission_real.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal(raw, &cb); err != nil {
		tb.Fatal(err)
	}
	if cb.Type != slack.InteractionTypeViewSubmission {
		tb.Fatalf("fixture is a %q payload", cb.Type)
	}
	cb.View.Blocks, cb.View.CallbackID, cb.View.PrivateMetadata = modal.Blocks, modal.CallbackID, modal.PrivateMetadata
	cb.View.Title, cb.View.Submit, cb.View.Close = modal.Title, modal.Submit, modal.Close
	cb.View.State = &slack.ViewState{Values: values}
	if values == nil {
		cb.View.State = nil
	}
	b, err := json.Marshal(cb)
	if err != nil {
		tb.Fatal(err)
	}
	var got slack.InteractionCallback
	if err := json.Unmarshal(b, &got); err != nil {
		tb.Fatal(err)
	}
	return got.View
}

func TestParseFileModal(t *testing.T) {
	dir := MustExampleDirectory(t)
	modal := slackapp.FileModal(dir, "", shortcutMeta)
	ids := modalIDs(t, modal)
	state := func(dept, prio, text string) map[string]map[string]slack.BlockAction {
		v := map[string]map[string]slack.BlockAction{}
		if dept != "-" {
			v[ids.dept[0]] = map[string]slack.BlockAction{ids.dept[1]: {Type: slack.ActionType(slack.OptTypeStatic)}}
			if dept != "" {
				v[ids.dept[0]][ids.dept[1]] = slack.BlockAction{Type: slack.ActionType(slack.OptTypeStatic),
					SelectedOption: slack.OptionBlockObject{Value: dept, Text: &slack.TextBlockObject{Type: "plain_text", Text: dept}}}
			}
		}
		if prio != "-" {
			v[ids.prio[0]] = map[string]slack.BlockAction{ids.prio[1]: {Type: "radio_buttons",
				SelectedOption: slack.OptionBlockObject{Value: prio, Text: &slack.TextBlockObject{Type: "plain_text", Text: prio}}}}
		}
		v[ids.text[0]] = map[string]slack.BlockAction{ids.text[1]: {Type: "plain_text_input", Value: text}}
		return v
	}

	for _, tc := range []struct {
		name     string
		values   map[string]map[string]slack.BlockAction
		dept     string
		priority bot.Priority
		text     string
		errs     []string // which inputs are refused
	}{
		{"OK", state("finance", "urgent", "  need the Q3 budget numbers\nby Friday \n"), "finance", bot.Urgent, "need the Q3 budget numbers\nby Friday", nil},
		{"NoPriority", state("it", "-", "laptop is slow"), "it", "", "laptop is slow", nil},
		{"MaxText", state("it", "low", strings.Repeat("é", bot.MaxTextLen)), "it", bot.Low, strings.Repeat("é", bot.MaxTextLen), nil},
		{"EmptyText", state("finance", "normal", " \n "), "finance", bot.Normal, "", []string{"text"}},
		// The desk's rule: invisible characters alone are no request.
		{"InvisibleText", state("finance", "normal", "\u200b\u2060"), "finance", bot.Normal, "\u200b\u2060", []string{"text"}},
		{"TooLong", state("finance", "normal", strings.Repeat("x", bot.MaxTextLen+1)), "finance", bot.Normal, strings.Repeat("x", bot.MaxTextLen+1), []string{"text"}},
		{"NoDept", state("", "normal", "hello"), "", bot.Normal, "hello", []string{"dept"}},
		{"BadPriority", state("hr", "whenever", "hello"), "hr", "", "hello", []string{"prio"}},
		{"NoState", nil, "", "", "", []string{"dept", "text"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dept, priority, text, errs := slackapp.ParseFileModal(submission(t, modal, tc.values))
			if dept != tc.dept || priority != tc.priority || text != tc.text {
				t.Errorf("got (%q, %q, %q), want (%q, %q, %q)", dept, priority, text, tc.dept, tc.priority, tc.text)
			}
			want := map[string]bool{}
			for _, e := range tc.errs {
				want[map[string]string{"dept": ids.dept[0], "prio": ids.prio[0], "text": ids.text[0]}[e]] = true
			}
			if len(errs) != len(want) {
				t.Errorf("errors %q, want them for %q", errs, tc.errs)
			}
			for block, msg := range errs {
				if !want[block] || strings.TrimSpace(msg) == "" {
					t.Errorf("error %q for block %q, want errors for %q only", msg, block, tc.errs)
				}
			}
			if len(tc.errs) == 0 {
				if _, err := dir.Department(dept); err != nil {
					t.Errorf("department %q does not resolve: %v", dept, err)
				}
			}
		})
	}
}
