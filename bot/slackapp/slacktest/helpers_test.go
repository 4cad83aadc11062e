package slacktest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

const (
	botToken = "xoxb-fake-bot"
	appToken = "xapp-fake-app"
)

// MustStart starts a fake Slack that is closed when the test ends.
func MustStart(tb testing.TB, opts ...slacktest.Option) *slacktest.Server {
	tb.Helper()
	s := slacktest.New(opts...)
	tb.Cleanup(s.Close)
	return s
}

// NewClient returns slack-go's client pointed at s with the test tokens.
func NewClient(s *slacktest.Server, opts ...slack.Option) *slack.Client {
	opts = append([]slack.Option{slack.OptionAPIURL(s.URL), slack.OptionAppLevelToken(appToken)}, opts...)
	return slack.New(botToken, opts...)
}

// Context returns a context that ends with the test or after 10 seconds,
// which bounds every wait.
func Context(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(tb.Context(), 10*time.Second)
	tb.Cleanup(cancel)
	return ctx
}

// ReadTestdata returns a file under testdata.
func ReadTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// SlackError returns the Slack error code in err, or "".
func SlackError(err error) string {
	var e slack.SlackErrorResponse
	if errors.As(err, &e) {
		return e.Err
	}
	return ""
}
