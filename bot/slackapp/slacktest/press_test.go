package slacktest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// card is a message with a button (with a confirm dialog), a static menu
// and a users menu in one actions block, and a second block with another
// button of the same action_id.
func card() []slack.Block {
	plain := func(s string) *slack.TextBlockObject { return slack.NewTextBlockObject("plain_text", s, true, false) }
	claim := slack.NewButtonBlockElement("app:claim", "FIN-1", plain("Claim")).WithStyle(slack.StylePrimary).
		WithConfirm(slack.NewConfirmationBlockObject(plain("Sure?"), plain("It is yours then."), plain("Yes"), plain("No")))
	transfer := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Transfer to…"), "app:transfer",
		slack.NewOptionBlockObject("it", plain("IT"), nil), slack.NewOptionBlockObject("hr", plain("People"), nil))
	reassign := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plain("Reassign…"), "app:reassign")
	return []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "*FIN-1*", false, false), nil, nil),
		slack.NewActionBlock("req:FIN-1", claim, transfer, reassign),
		slack.NewActionBlock("req:FIN-2", slack.NewButtonBlockElement("app:claim", "FIN-2", plain("Claim"))),
	}
}

// pressed decodes a payload as slack-go does for an app.
func pressed(t *testing.T, payload json.RawMessage) slack.InteractionCallback {
	t.Helper()
	var cb slack.InteractionCallback
	if err := json.Unmarshal(payload, &cb); err != nil {
		t.Fatalf("payload: %v\n%s", err, payload)
	}
	if cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) != 1 {
		t.Fatalf("not a block_actions payload with one action: %s", payload)
	}
	return cb
}

func TestPress(t *testing.T) {
	s := MustStart(t)
	api := NewClient(s)
	s.AddChannel("C0FIN0001", "finance")
	s.AddUser("U0FRANK01", "frank", "Frank", "America/New_York")
	ch, ts, err := api.PostMessage("#finance", slack.MsgOptionText("FIN-1", false), slack.MsgOptionBlocks(card()...))
	if err != nil {
		t.Fatal(err)
	}
	msg := s.Messages(ch)[0]

	t.Run("ButtonInSlacksShape", func(t *testing.T) {
		payload, err := s.Press("U0FRANK01", msg.Shown(), slacktest.Pick{ActionID: "app:claim", BlockID: "req:FIN-1"})
		if err != nil {
			t.Fatal(err)
		}
		var sample, got map[string]json.RawMessage
		if err := json.Unmarshal(ReadTestdata(t, "interactive_block_actions_message.json"), &sample); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(payload, &got); err != nil {
			t.Fatal(err)
		}
		for k := range sample {
			if _, ok := got[k]; !ok {
				t.Errorf("payload has no %q, which Slack's sample has", k)
			}
		}
		cb := pressed(t, payload)
		a := cb.ActionCallback.BlockActions[0]
		if cb.User.ID != "U0FRANK01" || cb.User.Name != "frank" || cb.User.TeamID != slacktest.TeamID || cb.Team.ID != slacktest.TeamID ||
			cb.APIAppID != slacktest.AppID || cb.Token == "" || cb.TriggerID == "" {
			t.Errorf("who and where: %+v", cb)
		}
		if c := cb.Container; c.Type != "message" || c.MessageTs != ts || c.ChannelID != ch || c.IsEphemeral {
			t.Errorf("container: %+v", c)
		}
		if cb.Channel.ID != ch || cb.Channel.Name != "finance" {
			t.Errorf("channel: %+v", cb.Channel)
		}
		if cb.Message.Timestamp != ts || cb.Message.BotID != slacktest.BotID || len(cb.Message.Blocks.BlockSet) != 3 {
			t.Errorf("message: %+v", cb.Message)
		}
		if a.ActionID != "app:claim" || a.BlockID != "req:FIN-1" || a.Type != "button" || a.Value != "FIN-1" || a.Text.Text != "Claim" || a.ActionTs == "" {
			t.Errorf("action: %+v", a)
		}
		// The response_url is the fake's own.
		resp, err := http.Post(cb.ResponseURL, "application/json", strings.NewReader(`{"text":"done"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if calls := s.CallsTo(slacktest.ResponseURLMethod); len(calls) != 1 || calls[0].Params.Get("text") != "done" {
			t.Errorf("response_url calls: %+v", calls)
		}
	})

	t.Run("ButtonByLabel", func(t *testing.T) {
		payload, err := s.Press("U0FRANK01", msg.Shown(), slacktest.Pick{Label: "Claim", BlockID: "req:FIN-2"})
		if err != nil {
			t.Fatal(err)
		}
		if a := pressed(t, payload).ActionCallback.BlockActions[0]; a.Value != "FIN-2" {
			t.Errorf("pressed %+v, want FIN-2's Claim", a)
		}
	})

	t.Run("StaticMenu", func(t *testing.T) {
		for _, choice := range []string{"hr", "People"} { // by value or by text
			payload, err := s.Press("U0FRANK01", msg.Shown(), slacktest.Pick{ActionID: "app:transfer", Option: choice})
			if err != nil {
				t.Fatal(err)
			}
			cb := pressed(t, payload)
			a := cb.ActionCallback.BlockActions[0]
			if a.Type != "static_select" || a.BlockID != "req:FIN-1" || a.SelectedOption.Value != "hr" || a.SelectedOption.Text.Text != "People" {
				t.Errorf("%q: action %+v", choice, a)
			}
			if got := cb.BlockActionState.Values["req:FIN-1"]["app:transfer"].SelectedOption.Value; got != "hr" {
				t.Errorf("%q: state holds %q", choice, got)
			}
		}
	})

	t.Run("UsersMenu", func(t *testing.T) {
		payload, err := s.Press("U0FRANK01", msg.Shown(), slacktest.Pick{ActionID: "app:reassign", User: "U0FRANK01"})
		if err != nil {
			t.Fatal(err)
		}
		if a := pressed(t, payload).ActionCallback.BlockActions[0]; a.Type != "users_select" || a.SelectedUser != "U0FRANK01" || a.BlockID != "req:FIN-1" {
			t.Errorf("action %+v", a)
		}
	})

	t.Run("Refused", func(t *testing.T) {
		for name, pick := range map[string]slacktest.Pick{
			"NoSuchElement":    {ActionID: "app:resolve"},
			"NoSuchLabel":      {Label: "Resolve"},
			"Ambiguous":        {ActionID: "app:claim"},
			"OptionNotOffered": {ActionID: "app:transfer", Option: "finance"},
			"NoOption":         {ActionID: "app:transfer"},
			"UnknownUser":      {ActionID: "app:reassign", User: "U0NOBODY1"},
			"ChoiceOnAButton":  {ActionID: "app:claim", BlockID: "req:FIN-2", Option: "it"},
			"NothingPicked":    {},
		} {
			if payload, err := s.Press("U0FRANK01", msg.Shown(), pick); err == nil {
				t.Errorf("%s: pressed %+v: %s", name, pick, payload)
			}
		}
	})
}

// TestPress_WhatIsShownNow: a message is pressed as Slack shows it now: a
// button taken away by an update cannot be pressed, a changed one sends its
// new value, and nothing of a deleted message can.
func TestPress_WhatIsShownNow(t *testing.T) {
	s := MustStart(t)
	api := NewClient(s)
	plain := slack.NewTextBlockObject("plain_text", "Claim", false, false)
	ch, ts, err := api.PostMessage("#finance", slack.MsgOptionBlocks(slack.NewActionBlock("b", slack.NewButtonBlockElement("app:claim", "v1", plain))))
	if err != nil {
		t.Fatal(err)
	}
	recorded := s.Messages(ch)[0]
	if _, _, _, err := api.UpdateMessage(ch, ts, slack.MsgOptionBlocks(slack.NewActionBlock("b", slack.NewButtonBlockElement("app:claim", "v2", plain)))); err != nil {
		t.Fatal(err)
	}
	payload, err := s.Press("U1", recorded.Shown(), slacktest.Pick{ActionID: "app:claim"})
	if err != nil {
		t.Fatal(err)
	}
	if a := pressed(t, payload).ActionCallback.BlockActions[0]; a.Value != "v2" {
		t.Errorf("pressed value %q, want the updated message's v2", a.Value)
	}
	if _, _, _, err := api.UpdateMessage(ch, ts, slack.MsgOptionText("claimed", false), slack.MsgOptionBlocks()); err != nil {
		t.Fatal(err)
	}
	if payload, err := s.Press("U1", recorded.Shown(), slacktest.Pick{ActionID: "app:claim"}); err == nil {
		t.Errorf("pressed a button updated away: %s", payload)
	}
	if _, _, err := api.DeleteMessage(ch, ts); err != nil {
		t.Fatal(err)
	}
	if payload, err := s.Press("U1", recorded.Shown(), slacktest.Pick{ActionID: "app:claim"}); err == nil {
		t.Errorf("pressed a deleted message: %s", payload)
	}
}

// TestPress_OnlyWhoSeesIt: a DM's buttons are pressed by its person alone,
// an ephemeral message's and a slash command reply's by their recipient,
// and neither carries a message (Slack keeps no ephemeral one).
func TestPress_OnlyWhoSeesIt(t *testing.T) {
	s := MustStart(t)
	api := NewClient(s)
	block := slack.NewActionBlock("b", slack.NewButtonBlockElement("app:cancel", "FIN-1",
		slack.NewTextBlockObject("plain_text", "Cancel", false, false)))

	t.Run("DM", func(t *testing.T) {
		ch, _, err := api.PostMessage("U0SAM0001", slack.MsgOptionText("resolved", false), slack.MsgOptionBlocks(block))
		if err != nil {
			t.Fatal(err)
		}
		dm := s.Messages(ch)[0]
		if _, err := s.Press("U0TINA001", dm.Shown(), slacktest.Pick{ActionID: "app:cancel"}); err == nil {
			t.Error("someone else pressed a button in sam's DM")
		}
		payload, err := s.Press("U0SAM0001", dm.Shown(), slacktest.Pick{ActionID: "app:cancel"})
		if err != nil {
			t.Fatal(err)
		}
		if cb := pressed(t, payload); cb.Channel.ID != "DU0SAM0001" || cb.Channel.Name != "directmessage" || cb.Message.Timestamp != dm.TS {
			t.Errorf("channel %+v, message %+v", cb.Channel, cb.Message)
		}
	})

	t.Run("Ephemeral", func(t *testing.T) {
		ets, err := api.PostEphemeral("#finance", "U0SAM0001", slack.MsgOptionText("only you", false), slack.MsgOptionBlocks(block), slack.MsgOptionTS("1764000000.000100"))
		if err != nil {
			t.Fatal(err)
		}
		got := s.Ephemerals("U0SAM0001")
		if len(got) != 1 || got[0].TS != ets || got[0].Text != "only you" || !got[0].Ephemeral || len(s.Ephemerals("U0TINA001")) != 0 {
			t.Fatalf("ephemerals: %+v", got)
		}
		if _, err := s.Press("U0TINA001", got[0], slacktest.Pick{ActionID: "app:cancel"}); err == nil {
			t.Error("someone else pressed a button in sam's ephemeral message")
		}
		payload, err := s.Press("U0SAM0001", got[0], slacktest.Pick{Label: "Cancel"})
		if err != nil {
			t.Fatal(err)
		}
		checkEphemeral(t, payload, got[0].Channel, ets)
		if cb := pressed(t, payload); cb.Container.ThreadTs != "1764000000.000100" {
			t.Errorf("container %+v, want the thread", cb.Container)
		}
	})

	t.Run("SlashCommandReply", func(t *testing.T) {
		reply, err := json.Marshal(slack.Msg{ResponseType: slack.ResponseTypeEphemeral, Text: "Filed FIN-1", Blocks: slack.Blocks{BlockSet: []slack.Block{block}}})
		if err != nil {
			t.Fatal(err)
		}
		shown, err := slacktest.ReplyShown("C0SALES01", "U0SAM0001", reply)
		if err != nil || shown.Text != "Filed FIN-1" {
			t.Fatalf("%+v %v", shown, err)
		}
		if _, err := s.Press("U0TINA001", shown, slacktest.Pick{ActionID: "app:cancel"}); err == nil {
			t.Error("someone else pressed a button in sam's reply")
		}
		payload, err := s.Press("U0SAM0001", shown, slacktest.Pick{ActionID: "app:cancel"})
		if err != nil {
			t.Fatal(err)
		}
		checkEphemeral(t, payload, "C0SALES01", "")
		inChannel, _ := json.Marshal(slack.Msg{ResponseType: slack.ResponseTypeInChannel, Text: "hi"})
		if _, err := slacktest.ReplyShown("C0SALES01", "U0SAM0001", inChannel); err == nil {
			t.Error("an in_channel reply was taken for an ephemeral one")
		}
	})
}

// checkEphemeral checks a press of an ephemeral message in channel (ts ""
// when the app never learnt it): flagged so, with no message.
func checkEphemeral(t *testing.T, payload json.RawMessage, channel, ts string) {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(payload, &raw); err != nil {
		t.Fatal(err)
	}
	if _, ok := raw["message"]; ok {
		t.Errorf("an ephemeral message's press carries the message: %s", raw["message"])
	}
	cb := pressed(t, payload)
	if c := cb.Container; c.Type != "message" || !c.IsEphemeral || c.ChannelID != channel || c.MessageTs == "" || ts != "" && c.MessageTs != ts {
		t.Errorf("container %+v", c)
	}
	if a := cb.ActionCallback.BlockActions[0]; a.ActionID != "app:cancel" || a.Value != "FIN-1" {
		t.Errorf("action %+v", a)
	}
}

// TestInteractionBody: the body is the payload in the form field Slack
// posts it in.
func TestInteractionBody(t *testing.T) {
	payload := json.RawMessage(`{"type":"block_actions","actions":[{"value":"a&b=c"}]}`)
	form, err := url.ParseQuery(string(slacktest.InteractionBody(payload)))
	if err != nil || form.Get("payload") != string(payload) {
		t.Fatalf("%v %v", form, err)
	}
}
