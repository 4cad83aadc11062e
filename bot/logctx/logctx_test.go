package logctx_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/logctx"
)

func TestHandler(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(logctx.Handler(slog.NewTextHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))).With("component", "slack")
	ctx := logctx.With(context.Background(), slog.String("slack_id", "r1"), slog.String("job", "x"))
	ctx = logctx.With(ctx, slog.String("job", "sweep")) // replaces
	log.InfoContext(ctx, "one", "user", "U1")
	log.InfoContext(ctx, "two", "job", "digest") // the line's own key wins
	log.Info("three")                            // no context: nothing added
	later := logctx.Carry(context.Background(), ctx)
	log.InfoContext(later, "four")

	got := strings.Split(strings.TrimSpace(buf.String()), "\n")
	want := []string{
		`level=INFO msg=one component=slack slack_id=r1 job=sweep user=U1`,
		`level=INFO msg=two component=slack slack_id=r1 job=digest`,
		`level=INFO msg=three component=slack`,
		`level=INFO msg=four component=slack slack_id=r1 job=sweep`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
