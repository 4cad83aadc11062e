package slackapp

import (
	"context"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/slack-go/slack"
)

func TestWithin(t *testing.T) {
	a := New(Config{}, &bot.Directory{}, nil, bot.SystemClock{}, nil)

	t.Run("InTime", func(t *testing.T) {
		v, ok := a.within(context.Background(), time.Now().Add(time.Hour), func(context.Context) any { return "answer" }, func(context.Context, any) {
			t.Error("late called for an answer in time")
		})
		if !ok || v != "answer" {
			t.Errorf("within = %v, %v", v, ok)
		}
	})

	t.Run("PastItsDeadlineGoesToLate", func(t *testing.T) {
		release := make(chan struct{})
		got := make(chan any, 1)
		v, ok := a.within(context.Background(), time.Now(), func(context.Context) any { <-release; return "late answer" },
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
		v, ok := a.within(req, time.Now().Add(time.Hour), func(ctx context.Context) any { return ctx.Err() }, nil)
		if !ok || v != nil {
			t.Errorf("the handler's context ended with its request: %v, %v", v, ok)
		}
	})
}

func TestResponseURLAllowed(t *testing.T) {
	a := New(Config{APIURL: "http://127.0.0.1:5555/api/"}, &bot.Directory{}, nil, bot.SystemClock{}, nil)
	for u, want := range map[string]bool{
		"https://hooks.slack.com/commands/T0001/123/abc": true,
		"https://hooks.slack.com/actions/T0001/123/abc":  true,
		"https://hooks.slack.com/app/T123/123/yYHNz":     true,  // a shortcut's
		"https://hooks.slack.com/services/T0/B0/XXXX":    false, // an incoming webhook
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

// TestTypedText: what a person typed in any form's text inputs comes back
// for a late error's DM, the survey's remarks as much as a request's text.
func TestTypedText(t *testing.T) {
	view := slack.View{
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewInputBlock("score", plainText("Score"), nil, slack.NewRadioButtonsBlockElement("score")),
			slack.NewInputBlock("remarks", plainText("Remarks"), nil, slack.NewPlainTextInputBlockElement(nil, "remarks")),
			slack.NewInputBlock("more", plainText("More"), nil, slack.NewPlainTextInputBlockElement(nil, "more")),
		}},
		State: &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
			"score":   {"score": {Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: "4"}}},
			"remarks": {"remarks": {Type: "plain_text_input", Value: " quick and kind "}},
			"more":    {"more": {Type: "plain_text_input", Value: "thanks"}},
		}},
	}
	if got, want := typedText(view), "quick and kind\n\nthanks"; got != want {
		t.Errorf("typedText = %q, want %q", got, want)
	}
	if got := typedText(slack.View{}); got != "" {
		t.Errorf("typedText of a view without state = %q", got)
	}
}
