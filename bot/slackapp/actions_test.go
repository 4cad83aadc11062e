package slackapp_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
)

// blockActionsPayload returns a block_actions interaction carrying action,
// shaped like Slack's documented example (the repository's
// testdata/slack/interactive_block_actions_message.json), after a trip
// through JSON as it would arrive.
func blockActionsPayload(tb testing.TB, action slack.BlockAction) *slack.BlockAction {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "slack", "interactive_block_actions_message.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal(raw, &cb); err != nil {
		tb.Fatal(err)
	}
	if cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) != 1 {
		tb.Fatalf("fixture is not a block_actions payload with one action: %+v", cb)
	}
	tmpl := cb.ActionCallback.BlockActions[0]
	action.ActionTs = tmpl.ActionTs
	cb.ActionCallback.BlockActions[0] = &action
	b, err := json.Marshal(cb)
	if err != nil {
		tb.Fatal(err)
	}
	var got slack.InteractionCallback
	if err := json.Unmarshal(b, &got); err != nil {
		tb.Fatal(err)
	}
	return got.ActionCallback.BlockActions[0]
}

// clicks returns the action Slack sends for each element of blocks, with
// the first option chosen in a department menu and farah in a users menu.
func clicks(blocks []slack.Block) []slack.BlockAction {
	var out []slack.BlockAction
	for _, b := range blocks {
		ab, ok := b.(*slack.ActionBlock)
		if !ok {
			continue
		}
		for _, e := range ab.Elements.ElementSet {
			switch e := e.(type) {
			case *slack.ButtonBlockElement:
				out = append(out, slack.BlockAction{ActionID: e.ActionID, BlockID: ab.BlockID, Type: "button", Value: e.Value, Text: *e.Text})
			case *slack.SelectBlockElement:
				a := slack.BlockAction{ActionID: e.ActionID, BlockID: ab.BlockID, Type: slack.ActionType(e.Type)}
				if e.Type == slack.OptTypeUser {
					a.SelectedUser = farah
				} else {
					a.SelectedOption = *e.Options[0]
				}
				out = append(out, a)
			}
		}
	}
	return out
}

// checkButtonsShown fails unless blocks show every button of m but Reply
// (which Slack users do in the thread) as one element, in m's order, that
// ParseAction turns back into that button's act. It returns the actions
// it saw.
func checkButtonsShown(t *testing.T, dir *bot.Directory, m bot.Message, blocks []slack.Block) []bot.Action {
	t.Helper()
	var want []bot.Button
	for _, b := range m.Buttons {
		if b.Action != bot.ActReply {
			want = append(want, b)
		}
	}
	got := clicks(blocks)
	if len(got) != len(want) {
		var ids []string
		for _, c := range got {
			ids = append(ids, c.ActionID)
		}
		t.Errorf("%d elements for %d buttons (Reply left out): %q", len(got), len(want), ids)
		return nil
	}
	var seen []bot.Action
	for i, click := range got {
		action, id, arg, ok := slackapp.ParseAction(blockActionsPayload(t, click))
		wantArg := ""
		switch want[i].Action {
		case bot.ActReassign:
			wantArg = farah
		case bot.ActTransfer:
			wantArg = click.SelectedOption.Value
			if _, err := dir.Department(wantArg); err != nil {
				t.Errorf("transfer option %q does not resolve: %v", wantArg, err)
			}
		case bot.ActRate, bot.ActSurvey:
			wantArg = want[i].Arg // the score, the quarter
		}
		if !ok || action != want[i].Action || id != want[i].RequestID || arg != wantArg {
			t.Errorf("%s in %s: got (%q, %q, %q, %v), want (%q, %q, %q, true)",
				click.ActionID, click.BlockID, action, id, arg, ok, want[i].Action, want[i].RequestID, wantArg)
		}
		seen = append(seen, action)
	}
	return seen
}

func TestParseAction_RoundTrip(t *testing.T) {
	dir := MustExampleDirectory(t)
	seen := map[bot.Action]bool{}
	for name, c := range cardCases(t, dir) {
		t.Run(name, func(t *testing.T) {
			for _, a := range checkButtonsShown(t, dir, c.m, slackapp.CardBlocks(c.m, dir, c.now)) {
				seen[a] = true
			}
		})
	}
	for _, a := range []bot.Action{bot.ActClaim, bot.ActWait, bot.ActResume, bot.ActResolve, bot.ActReopen, bot.ActTransfer, bot.ActReassign} {
		if !seen[a] {
			t.Errorf("no rendered button for %q was round-tripped", a)
		}
	}
}

func TestParseAction(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     slack.BlockAction
		action bot.Action
		id     string
		arg    string
	}{
		{"Reply", slack.BlockAction{ActionID: "askdesk:reply", Type: "button", Value: "FIN-3"}, bot.ActReply, "FIN-3", ""},
		{"IDNormalized", slack.BlockAction{ActionID: "askdesk:claim", Type: "button", Value: "fin-3"}, bot.ActClaim, "FIN-3", ""},
		{"ButtonIDFromBlock", slack.BlockAction{ActionID: "askdesk:claim", BlockID: "askdesk:req:FIN-3:v2", Type: "button"}, bot.ActClaim, "FIN-3", ""},
		{"UserSelect", slack.BlockAction{ActionID: "askdesk:reassign", BlockID: "askdesk:req:FIN-3:v7", Type: "users_select", SelectedUser: farah}, bot.ActReassign, "FIN-3", farah},
		{"DeptSelect", slack.BlockAction{ActionID: "askdesk:transfer", BlockID: "askdesk:req:PUR-12", Type: "static_select",
			SelectedOption: slack.OptionBlockObject{Value: "purchasing"}}, bot.ActTransfer, "PUR-12", "purchasing"},
		{"SecondBlockForRequest", slack.BlockAction{ActionID: "askdesk:transfer", BlockID: "askdesk:req:FIN-3:v2.2", Type: "static_select",
			SelectedOption: slack.OptionBlockObject{Value: "it"}}, bot.ActTransfer, "FIN-3", "it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			action, id, arg, ok := slackapp.ParseAction(blockActionsPayload(t, tc.in))
			if !ok || action != tc.action || id != tc.id || arg != tc.arg {
				t.Errorf("got (%q, %q, %q, %v), want (%q, %q, %q, true)", action, id, arg, ok, tc.action, tc.id, tc.arg)
			}
		})
	}

	for _, tc := range []struct {
		name string
		in   *slack.BlockAction
	}{
		{"Nil", nil},
		{"OtherApp", &slack.BlockAction{ActionID: "WaXA", BlockID: "=qXel", Type: "button", Value: "click_me_123"}},
		{"UnknownVerb", &slack.BlockAction{ActionID: "askdesk:delete", Type: "button", Value: "FIN-3"}},
		{"BadID", &slack.BlockAction{ActionID: "askdesk:claim", Type: "button", Value: "FIN-x"}},
		{"NoID", &slack.BlockAction{ActionID: "askdesk:claim", Type: "button"}},
		{"NothingSelected", &slack.BlockAction{ActionID: "askdesk:reassign", BlockID: "askdesk:req:FIN-3", Type: "users_select"}},
		{"SelectOutsideOurBlock", &slack.BlockAction{ActionID: "askdesk:reassign", BlockID: "=qXel", Type: "users_select", SelectedUser: farah}},
		{"WrongElement", &slack.BlockAction{ActionID: "askdesk:claim", BlockID: "askdesk:req:FIN-3", Type: "static_select",
			SelectedOption: slack.OptionBlockObject{Value: "it"}}},
	} {
		t.Run("Not/"+tc.name, func(t *testing.T) {
			in := tc.in
			if in != nil {
				in = blockActionsPayload(t, *in)
			}
			if action, id, arg, ok := slackapp.ParseAction(in); ok {
				t.Errorf("got (%q, %q, %q, true), want not ok", action, id, arg)
			}
		})
	}
}
