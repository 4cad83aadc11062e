package slackapp

import (
	"context"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

func TestWithin(t *testing.T) {
	a := New(Config{AckBudget: time.Hour}, &bot.Directory{}, nil, bot.SystemClock{}, nil)

	t.Run("InTime", func(t *testing.T) {
		v, ok := a.within(context.Background(), func(context.Context) any { return "answer" }, func(context.Context, any) {
			t.Error("late called for an answer in time")
		})
		if !ok || v != "answer" {
			t.Errorf("within = %v, %v", v, ok)
		}
	})

	t.Run("LateGoesToLate", func(t *testing.T) {
		a.cfg.AckBudget = time.Nanosecond
		defer func() { a.cfg.AckBudget = time.Hour }()
		release := make(chan struct{})
		got := make(chan any, 1)
		v, ok := a.within(context.Background(), func(context.Context) any { <-release; return "late answer" },
			func(_ context.Context, v any) { got <- v })
		if ok || v != nil {
			t.Fatalf("within = %v, %v before the handler finished", v, ok)
		}
		close(release)
		if v := <-got; v != "late answer" {
			t.Errorf("late got %v", v)
		}
		if err := a.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("WorkOutlivesTheRequest", func(t *testing.T) {
		req, cancel := context.WithCancel(context.Background())
		cancel() // the HTTP request is over
		v, ok := a.within(req, func(ctx context.Context) any { return ctx.Err() }, nil)
		if !ok || v != nil {
			t.Errorf("the handler's context ended with its request: %v, %v", v, ok)
		}
	})
}

func TestResponseURLAllowed(t *testing.T) {
	a := New(Config{APIURL: "http://127.0.0.1:5555/api/"}, &bot.Directory{}, nil, bot.SystemClock{}, nil)
	for u, want := range map[string]bool{
		"https://hooks.slack.com/commands/T0001/123/abc": true,
		"http://hooks.slack.com/commands/T0001/123/abc":  false, // not TLS
		"https://hooks.slack.com.evil.example/commands":  false,
		"https://example.com/hook":                       false,
		"http://127.0.0.1:5555/response/1":               true, // the configured (test) Slack
		"http://127.0.0.1:6666/response/1":               false,
		"":                                               false,
		"://bad":                                         false,
	} {
		if got := a.responseURLAllowed(u); got != want {
			t.Errorf("responseURLAllowed(%q) = %v, want %v", u, got, want)
		}
	}
}
