package main

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestSocketOversizedReplyGoesThroughResponseURL: Slack drops a Socket Mode
// ack of 20 KB or more, so `/ask queue` on a busy queue (here 50 requests
// with Chinese titles) is acked bare and the whole reply, blocks and all,
// goes through the command's response_url, which works in any conversation
// (an ephemeral in the command's channel would fail in a DM between two
// people, where askdesk is not a member).
func TestSocketOversizedReplyGoesThroughResponseURL(t *testing.T) {
	h := newHarness(t, true)
	ctx := waitCtx(t)
	if err := h.fake.WaitSocketConnections(ctx, 1); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		text := fmt.Sprintf("请求 %d：请提供第三季度和第四季度的预算数字，用于董事会演示文稿，按地区和产品线分列，谢谢。需要在周五之前完成，因为董事会下周一开会，请尽快回复并附上相关的说明材料和数据来源", i)
		if _, err := h.srv.desk.File(h.ctx, bot.Filing{Requester: sam, Dept: "finance", Text: text, Source: "slash"}); err != nil {
			t.Fatal(err)
		}
	}
	// The reply is built exactly as the adapter builds it.
	reply := h.srv.app.HandleCommand(h.ctx, slack.SlashCommand{UserID: fiona, Text: "queue finance"})
	b, _ := json.Marshal(map[string]any{"envelope_id": "env-big", "payload": reply})
	if len(b) < 20*1024 {
		t.Fatalf("the queue's reply is %d bytes, under Socket Mode's 20 KB: grow the queue so the test sees the limit", len(b))
	}
	form := h.slashForm(fiona, "queue finance")
	// A DM between two people: askdesk is not a member there.
	form.Set("channel_id", "D0TWOPEOPLE")
	h.fake.FailWith("chat.postEphemeral", -1, "channel_not_found")
	if err := h.fake.SendEnvelope(ctx, slacktest.SlashCommandEnvelope("env-big", form)); err != nil {
		t.Fatal(err)
	}
	ack, err := h.fake.WaitAck(ctx, "env-big")
	if err != nil {
		t.Fatal(err)
	}
	if len(ack) != 0 {
		t.Errorf("ack carries a payload of %d bytes; want a bare ack", len(ack))
	}
	calls, err := h.fake.WaitCalls(ctx, slacktest.ResponseURLMethod, 1)
	if err != nil {
		t.Fatalf("the long reply was not sent through response_url: %v", err)
	}
	var got struct {
		ResponseType string            `json:"response_type"`
		Text         string            `json:"text"`
		Blocks       []json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(calls[0].Body, &got); err != nil {
		t.Fatal(err)
	}
	var want struct {
		Blocks []json.RawMessage `json:"blocks"`
	}
	wb, _ := json.Marshal(reply)
	_ = json.Unmarshal(wb, &want)
	if got.ResponseType != "ephemeral" || len(got.Blocks) == 0 || len(got.Blocks) != len(want.Blocks) {
		t.Errorf("response_url got %s with %d blocks, want an ephemeral with all %d", got.ResponseType, len(got.Blocks), len(want.Blocks))
	}
	if n := len(h.fake.CallsTo("chat.postEphemeral")); n != 0 {
		t.Errorf("%d chat.postEphemeral calls; the reply belongs in the response_url", n)
	}
}

// TestSocketEventRetryActedOnOnce: Slack redelivers an Events API event over
// Socket Mode in a new envelope (retry_attempt 1); it is acked and acted on
// once, by event_id.
func TestSocketEventRetryActedOnOnce(t *testing.T) {
	h := newHarness(t, true)
	ctx := waitCtx(t)
	if err := h.fake.WaitSocketConnections(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.SendEnvelope(ctx, slacktest.SlashCommandEnvelope("env-1", slashForm(t, sam, "finance numbers"))); err != nil {
		t.Fatal(err)
	}
	if _, err := h.fake.WaitAck(ctx, "env-1"); err != nil {
		t.Fatal(err)
	}
	h.deliver()
	card := h.fake.Messages(finCh)[0]
	inner, _ := json.Marshal(map[string]any{"type": "message", "channel": card.Channel, "user": frank, "text": "on it",
		"ts": "1764000100.000200", "thread_ts": card.TS, "channel_type": "channel", "event_ts": "1764000100.000200"})
	first := slacktest.EventsAPIEnvelope("env-2", inner)
	retry := first
	retry.EnvelopeID, retry.RetryAttempt, retry.RetryReason = "env-3", 1, "timeout"
	for _, env := range []slacktest.Envelope{first, retry} {
		if err := h.fake.SendEnvelope(ctx, env); err != nil {
			t.Fatal(err)
		}
		if _, err := h.fake.WaitAck(ctx, env.EnvelopeID); err != nil {
			t.Fatal(err)
		}
	}
	// Events are handled beside the receive loop, after their ack: wait
	// for that work to finish.
	h.srv.eventsIdle()
	evs, err := h.srv.db.Events(h.ctx, "FIN-1")
	if err != nil || len(evs) != 2 {
		t.Fatalf("one reply redelivered in a new envelope gave %d events (%v); want 2", len(evs), err)
	}
}

// TestSocketRepeatedEnvelopeActedOnOnce: an envelope Slack sends again
// with the same envelope_id is acked again and files nothing more.
func TestSocketRepeatedEnvelopeActedOnOnce(t *testing.T) {
	h := newHarness(t, true)
	ctx := waitCtx(t)
	if err := h.fake.WaitSocketConnections(ctx, 1); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := h.fake.SendEnvelope(ctx, slacktest.SlashCommandEnvelope("env-1", slashForm(t, sam, "finance numbers"))); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.fake.WaitAcks(ctx, "env-1", 2); err != nil {
		t.Fatal(err)
	}
	if n := h.count("requests"); n != 1 {
		t.Fatalf("%d requests from one envelope delivered twice", n)
	}
}
