package slacktest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func post(api *slack.Client) error {
	_, _, err := api.PostMessage("C1", slack.MsgOptionText("hello", false))
	return err
}

func TestFail(t *testing.T) {
	s := MustStart(t)
	api := NewClient(s)

	t.Run("RateLimited", func(t *testing.T) {
		s.Fail("chat.postMessage", 1, http.StatusTooManyRequests, 7)
		var rl *slack.RateLimitedError
		if err := post(api); !errors.As(err, &rl) {
			t.Fatalf("error = %#v, want *slack.RateLimitedError", err)
		}
		if got, want := rl.RetryAfter, 7*time.Second; got != want {
			t.Errorf("RetryAfter = %v, want %v", got, want)
		}
		if err := post(api); err != nil {
			t.Errorf("second call: %v, want success (times was 1)", err)
		}
		calls := s.CallsTo("chat.postMessage")
		if len(calls) != 2 || calls[0].Status != 429 || calls[0].Error != "ratelimited" || calls[1].Status != 200 {
			t.Errorf("calls = %+v", calls)
		}
		if got := len(s.Messages("C1")); got != 1 {
			t.Errorf("messages = %d, want 1 (the 429 posts nothing)", got)
		}
	})

	t.Run("RateLimitedNoRetryAfter", func(t *testing.T) {
		// slack-go makes a RateLimitedError only when Retry-After is there.
		s.Fail("chat.postMessage", 1, http.StatusTooManyRequests, -1)
		var sc slack.StatusCodeError
		if err := post(api); !errors.As(err, &sc) || sc.Code != 429 {
			t.Errorf("error = %#v, want slack.StatusCodeError 429", err)
		}
	})

	t.Run("ServerError", func(t *testing.T) {
		s.Fail("chat.postMessage", 1, http.StatusInternalServerError, 0)
		var sc slack.StatusCodeError
		if err := post(api); !errors.As(err, &sc) || sc.Code != 500 || !sc.Retryable() {
			t.Errorf("error = %#v, want slack.StatusCodeError 500", err)
		}
	})

	t.Run("UntilRecover", func(t *testing.T) {
		s.Fail("*", -1, http.StatusServiceUnavailable, 0)
		for range 3 {
			if err := post(api); err == nil {
				t.Fatal("call succeeded during the outage")
			}
		}
		if _, err := api.AuthTest(); err == nil {
			t.Error(`"*" did not apply to auth.test`)
		}
		s.Recover()
		if err := post(api); err != nil {
			t.Errorf("after Recover: %v", err)
		}
	})

	t.Run("SlackError", func(t *testing.T) {
		s.FailWith("chat.postMessage", 2, "not_in_channel")
		for range 2 {
			if err := post(api); SlackError(err) != "not_in_channel" {
				t.Errorf("error = %v, want not_in_channel", err)
			}
		}
		if err := post(api); err != nil {
			t.Errorf("third call: %v", err)
		}
	})

	t.Run("MethodRuleBeatsStar", func(t *testing.T) {
		s.FailWith("*", -1, "fatal_error")
		s.FailWith("chat.postMessage", -1, "channel_not_found")
		defer s.Recover()
		if err := post(api); SlackError(err) != "channel_not_found" {
			t.Errorf("error = %v, want channel_not_found", err)
		}
	})
}

func TestWaitCalls(t *testing.T) {
	s := MustStart(t)
	api := NewClient(s)
	ctx := Context(t)

	errc := make(chan error, 1)
	go func() {
		for range 3 {
			if err := post(api); err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	calls, err := s.WaitCalls(ctx, "chat.postMessage", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) < 3 {
		t.Errorf("calls = %d, want 3", len(calls))
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	// The effect is visible once the call is.
	if got := len(s.Messages("C1")); got != 3 {
		t.Errorf("messages = %d, want 3", got)
	}

	t.Run("ErrDeadline", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		calls, err := s.WaitCalls(ctx, "chat.postMessage", 4)
		if !errors.Is(err, context.Canceled) || len(calls) != 3 {
			t.Errorf("WaitCalls = %d calls, %v; want 3 and context.Canceled", len(calls), err)
		}
	})

	t.Run("Reset", func(t *testing.T) {
		s.Reset()
		if got := len(s.Calls()); got != 0 {
			t.Errorf("calls after Reset = %d", got)
		}
		if got := len(s.Messages("C1")); got != 3 {
			t.Errorf("messages after Reset = %d, want 3 kept", got)
		}
	})
}
