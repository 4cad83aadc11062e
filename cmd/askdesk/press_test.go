package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// End-to-end tests press what Slack showed: the buttons and menus of the
// messages the fake Slack holds, of the ephemeral messages it was sent,
// and of slash command replies. slacktest.Press makes the payload Slack
// would send, and fails for anything Slack would not have offered that
// person, so no test clicks a button that was never posted.

// offering returns the newest message the bot posted in channel that
// offers the element actionID for value: a button whose value it is (a
// request ID, a quarter), or any element in the actions block of request
// value. It fails the test when none does.
func (h *harness) offering(channel, actionID, value string) (slacktest.Message, slacktest.Pick) {
	h.t.Helper()
	msgs := h.fake.Messages(channel)
	for i := len(msgs) - 1; i >= 0; i-- {
		els, err := slacktest.Elements(msgs[i].Blocks)
		if err != nil {
			h.t.Fatal(err)
		}
		for _, el := range els {
			if el.ActionID == actionID && (el.Type == "button" && el.Value == value ||
				el.BlockID == "askdesk:req:"+value || strings.HasPrefix(el.BlockID, "askdesk:req:"+value+":")) {
				return msgs[i], slacktest.Pick{ActionID: actionID, BlockID: el.BlockID}
			}
		}
	}
	h.t.Fatalf("no message in %s offers %s for %s", channel, actionID, value)
	return slacktest.Message{}, slacktest.Pick{}
}

// press has user press the button actionID for value (see offering) in
// the newest message of channel that offers it, over HTTP.
func (h *harness) press(user, channel, actionID, value string) (int, string) {
	h.t.Helper()
	return h.pressNewest(user, channel, actionID, value, func(*slacktest.Pick) {})
}

// pressNewest presses (after choose, which may set what is chosen) the
// element actionID for value in the newest message of channel offering
// it. A background delivery may update that message between reading and
// pressing, as a person's click may cross an update; the person would see
// the update and press again, and so does pressNewest.
func (h *harness) pressNewest(user, channel, actionID, value string, choose func(*slacktest.Pick)) (int, string) {
	h.t.Helper()
	for {
		m, pick := h.offering(channel, actionID, value)
		choose(&pick)
		payload, err := h.fake.Press(user, m.Shown(), pick)
		if errors.Is(err, slacktest.ErrChanged) {
			continue
		}
		if err != nil {
			h.t.Fatal(err)
		}
		return h.signed("/slack/interactions", slacktest.InteractionBody(payload))
	}
}

// choose has user pick option (a static menu's value or text) or, for a
// users menu, the user option, in the menu actionID of request id's
// newest message in channel, over HTTP.
func (h *harness) choose(user, channel, actionID, id, option string) (int, string) {
	h.t.Helper()
	return h.pressNewest(user, channel, actionID, id, func(pick *slacktest.Pick) {
		if actionID == "askdesk:reassign" {
			pick.User = option
		} else {
			pick.Option = option
		}
	})
}

// pressShown has user press pick in on, posting the payload Slack would
// send to /slack/interactions, signed, and returns the answer. It fails the
// test when Slack would not have let user press it.
func (h *harness) pressShown(user string, on slacktest.Shown, pick slacktest.Pick) (int, string) {
	h.t.Helper()
	return h.signed("/slack/interactions", slacktest.InteractionBody(h.pressPayload(user, on, pick)))
}

// pressPayload is the block_actions payload of user pressing pick in on.
func (h *harness) pressPayload(user string, on slacktest.Shown, pick slacktest.Pick) json.RawMessage {
	h.t.Helper()
	payload, err := h.fake.Press(user, on, pick)
	if err != nil {
		h.t.Fatal(err)
	}
	return payload
}

// pressSocket has user press pick in on over Socket Mode, in the envelope
// envID, and returns its ack.
func (h *harness) pressSocket(ctx context.Context, envID, user string, on slacktest.Shown, pick slacktest.Pick) json.RawMessage {
	h.t.Helper()
	if err := h.fake.SendEnvelope(ctx, slacktest.InteractiveEnvelope(envID, h.pressPayload(user, on, pick))); err != nil {
		h.t.Fatal(err)
	}
	ack, err := h.fake.WaitAck(ctx, envID)
	if err != nil {
		h.t.Fatal(err)
	}
	return ack
}

// reply is the ephemeral reply to a slash command user typed, as Slack
// shows it in the command's channel (slashForm's).
func (h *harness) reply(user, body string) slacktest.Shown {
	h.t.Helper()
	shown, err := slacktest.ReplyShown(slashForm(h.t, user, "").Get("channel_id"), user, []byte(body))
	if err != nil {
		h.t.Fatal(err)
	}
	return shown
}
