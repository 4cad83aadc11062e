package slacktest_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

// TestPressInView: choosing in a modal's menu gives Slack's block_actions
// from a view (container type view, the view with its hash and state),
// which slack-go decodes; a menu without dispatch_action, an option it
// lacks, and a block it lacks are refused.
func TestPressInView(t *testing.T) {
	s := MustStart(t)
	api := NewClient(s)
	menu := func(id string) *slack.SelectBlockElement {
		return slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, slack.NewTextBlockObject("plain_text", "Pick", false, false), id,
			slack.NewOptionBlockObject("a", slack.NewTextBlockObject("plain_text", "A", false, false), nil),
			slack.NewOptionBlockObject("b", slack.NewTextBlockObject("plain_text", "B", false, false), nil))
	}
	dispatching := slack.NewInputBlock("dept", slack.NewTextBlockObject("plain_text", "Dept", false, false), nil, menu("dept"))
	dispatching.DispatchAction = true
	quiet := slack.NewInputBlock("quiet", slack.NewTextBlockObject("plain_text", "Quiet", false, false), nil, menu("quiet"))
	text := slack.NewInputBlock("text", slack.NewTextBlockObject("plain_text", "Text", false, false), nil,
		slack.NewPlainTextInputBlockElement(nil, "text"))
	modal := slack.ModalViewRequest{Type: slack.VTModal, CallbackID: "form", PrivateMetadata: "meta",
		Title:  slack.NewTextBlockObject("plain_text", "Form", false, false),
		Blocks: slack.Blocks{BlockSet: []slack.Block{dispatching, quiet, text}}}
	opened, err := api.OpenView("trigger-1", modal)
	if err != nil {
		t.Fatal(err)
	}
	v, ok := s.View(opened.ID)
	if !ok {
		t.Fatal("view not held")
	}
	payload, err := s.PressInView("U1", v, "dept", "b", map[string]string{"text": "typed"})
	if err != nil {
		t.Fatal(err)
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal(payload, &cb); err != nil {
		t.Fatal(err)
	}
	acts := cb.ActionCallback.BlockActions
	if cb.Type != slack.InteractionTypeBlockActions || cb.Container.Type != "view" || cb.Container.ViewID != v.ID ||
		cb.View.ID != v.ID || cb.View.Hash != v.Hash || cb.View.CallbackID != "form" || cb.View.PrivateMetadata != "meta" ||
		len(acts) != 1 || acts[0].ActionID != "dept" || acts[0].SelectedOption.Value != "b" {
		t.Fatalf("payload decoded as %+v", cb)
	}
	if got := cb.View.State.Values["dept"]["dept"].SelectedOption.Value; got != "b" {
		t.Errorf("state of the menu = %q", got)
	}
	if got := cb.View.State.Values["text"]["text"].Value; got != "typed" {
		t.Errorf("state of the text = %q", got)
	}
	for _, tc := range []struct{ block, option, want string }{
		{"quiet", "a", "no dispatch_action"},
		{"dept", "z", "offers no option"},
		{"nope", "a", "no input block"},
	} {
		if _, err := s.PressInView("U1", v, tc.block, tc.option, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s/%s: %v, want %q", tc.block, tc.option, err, tc.want)
		}
	}
}
