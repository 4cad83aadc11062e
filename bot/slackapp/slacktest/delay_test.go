package slacktest_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

func TestDelay(t *testing.T) {
	s := MustStart(t)
	api := NewClient(s)

	t.Run("HoldsTheAnswer", func(t *testing.T) {
		s.Delay("auth.test", 1, 300*time.Millisecond)
		start := time.Now()
		if _, err := api.AuthTest(); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took < 300*time.Millisecond {
			t.Errorf("delayed call answered after %v, want at least 300ms", took)
		}
		if calls := s.CallsTo("auth.test"); len(calls) != 1 || calls[0].At.Sub(start) < 300*time.Millisecond {
			t.Fatalf("calls %+v: want one, recorded once answered", calls)
		}
	})

	t.Run("CallerGivesUp", func(t *testing.T) {
		s.Delay("chat.postMessage", -1, time.Hour)
		defer s.ClearDelays()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan error, 1)
		go func() {
			_, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false))
			done <- err
		}()
		if err := s.WaitHeld(Context(t), "chat.postMessage", 1); err != nil {
			t.Fatal(err)
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want the caller's cancellation", err)
		}
	})

	t.Run("ShareIsEvenAndRepeatable", func(t *testing.T) {
		s.ClearDelays()
		s.SlowShare("users.info", 0.25, 50*time.Millisecond)
		defer s.SlowShare("users.info", 0, 0)
		var slow []int
		for i := 1; i <= 8; i++ {
			start := time.Now()
			_, _ = api.GetUserInfo("U0NOBODY")
			if time.Since(start) >= 50*time.Millisecond {
				slow = append(slow, i)
			}
		}
		// Calls 4 and 8 wait; the others could only look slow on a
		// stalled machine, so only the waiting ones are required.
		for _, want := range []int{4, 8} {
			found := false
			for _, i := range slow {
				found = found || i == want
			}
			if !found {
				t.Errorf("call %d was not slowed (slow: %v)", want, slow)
			}
		}
	})
}

func TestAckLatencyAndStrayAcks(t *testing.T) {
	s := MustStart(t)
	ctx := Context(t)
	_, wsURL, err := NewClient(s).StartSocketModeContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ws, _, err := websocket.DefaultDialer.DialContext(ctx, wsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	var hello struct{ Type string }
	if err := ws.ReadJSON(&hello); err != nil || hello.Type != "hello" {
		t.Fatalf("first message %+v, %v", hello, err)
	}

	env := slacktest.SlashCommandEnvelope("env-lat", url.Values{"command": {"/ask"}, "user_id": {"U0ASKER"}})
	if err := s.SendEnvelope(ctx, env); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.AckLatency("env-lat"); ok {
		t.Fatal("latency known before the ack")
	}
	var got struct {
		EnvelopeID string `json:"envelope_id"`
	}
	if err := ws.ReadJSON(&got); err != nil || got.EnvelopeID != "env-lat" {
		t.Fatalf("read envelope %+v, %v", got, err)
	}
	// An ack of hello (no envelope_id) and of an envelope never sent.
	for _, id := range []string{"", "env-never"} {
		if err := ws.WriteJSON(map[string]string{"envelope_id": id}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ws.WriteJSON(map[string]string{"envelope_id": "env-lat"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitAck(ctx, "env-lat"); err != nil {
		t.Fatal(err)
	}
	if d, ok := s.AckLatency("env-lat"); !ok || d < 0 {
		t.Errorf("AckLatency = %v, %v", d, ok)
	}
	if got := s.StrayAcks(); len(got) != 2 || got[0] != "" || got[1] != "env-never" {
		t.Errorf("StrayAcks = %q, want the hello ack and env-never", got)
	}
	if _, ok := s.Acked("env-never"); ok {
		t.Error("an envelope never sent counts as acked")
	}

	// Sent again: not acked until acked again.
	if err := s.SendEnvelope(ctx, env); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.AckLatency("env-lat"); ok {
		t.Error("a resent envelope counts as acked before its new ack")
	}
}
