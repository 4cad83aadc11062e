package slacktest_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestSubmitted: an answer "update" replaces the modal (a new hash), whose
// buttons can then be pressed from a view payload; "errors" keeps it
// open; no answer closes it, after which nothing in it can be pressed; an
// update Slack would refuse (a title over 24 characters) is an error.
func TestSubmitted(t *testing.T) {
	s := MustStart(t)
	api := NewClient(s)
	plain := func(s string) *slack.TextBlockObject { return slack.NewTextBlockObject("plain_text", s, false, false) }
	input := slack.NewInputBlock("text", plain("Text"), nil, slack.NewPlainTextInputBlockElement(nil, "text"))
	opened, err := api.OpenView("trigger-1", slack.ModalViewRequest{Type: slack.VTModal, CallbackID: "form",
		Title: plain("Form"), Submit: plain("Send"), Blocks: slack.Blocks{BlockSet: []slack.Block{input}}})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := s.View(opened.ID)
	ack := func(r *slack.ViewSubmissionResponse) []byte {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if got, open, err := s.Submitted(v, ack(slack.NewErrorsViewSubmissionResponse(map[string]string{"text": "no"}))); err != nil || !open || got.Hash != v.Hash {
		t.Fatalf("errors: %+v %v %v", got, open, err)
	}
	long := slack.ModalViewRequest{Type: slack.VTModal, Title: plain(strings.Repeat("x", 25)),
		Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "hi", false, false), nil, nil)}}}
	if _, _, err := s.Submitted(v, ack(slack.NewUpdateViewSubmissionResponse(&long))); err == nil {
		t.Error("a 25-character title was taken")
	}
	btn := slack.NewButtonBlockElement("pick", "P1", plain("This one"))
	next := slack.ModalViewRequest{Type: slack.VTModal, CallbackID: "next", PrivateMetadata: "P1", Title: plain("Next"), Submit: plain("Go"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "hi", false, false), nil, slack.NewAccessory(btn), slack.SectionBlockOptionBlockID("b1"))}}}
	got, open, err := s.Submitted(v, ack(slack.NewUpdateViewSubmissionResponse(&next)))
	if err != nil || !open || got.Hash == v.Hash || got.ID != v.ID {
		t.Fatalf("update: %+v %v %v", got, open, err)
	}
	payload, err := s.PressInModal("U1", got, slacktest.Pick{Label: "This one"})
	if err != nil {
		t.Fatal(err)
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal(payload, &cb); err != nil {
		t.Fatal(err)
	}
	acts := cb.ActionCallback.BlockActions
	if cb.Container.Type != "view" || cb.View.ID != v.ID || cb.View.Hash != got.Hash || cb.View.CallbackID != "next" ||
		cb.View.PrivateMetadata != "P1" || len(acts) != 1 || acts[0].ActionID != "pick" || acts[0].Value != "P1" || acts[0].BlockID != "b1" {
		t.Fatalf("press decoded as %+v", cb)
	}
	if _, open, err := s.Submitted(got, nil); err != nil || open {
		t.Fatalf("no answer: open %v, %v", open, err)
	}
	if _, err := s.PressInModal("U1", got, slacktest.Pick{Label: "This one"}); err == nil {
		t.Error("pressed a closed modal")
	}
}
