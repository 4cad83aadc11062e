package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// retentionConfig writes the example config with its [retention] policy
// switched on (a year) and returns its path.
func retentionConfig(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("../../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	on := strings.Replace(string(src), `# redact_after = "365d"`, `redact_after = "365d"`, 1)
	path := filepath.Join(t.TempDir(), "askdesk.toml")
	if err := os.WriteFile(path, []byte(on), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// retentionDB files, in January 2025, FIN-1 (answered, resolved, rated
// with a comment, closed by sam) and FIN-2 (still open).
func retentionDB(t *testing.T) string {
	t.Helper()
	return consoleDB(t, `:as sam
/ask finance salary review for Bob, he earns too little
:as fiona
:claim FIN-1
:reply FIN-1 Bob's file is with HR
:resolve FIN-1 Raised Bob to 90k
:as sam
:rate FIN-1 2
:comment FIN-1 Fiona gossiped about Bob
:close FIN-1
/ask finance still open, about Carol
`, "2025-01-13T10:00:00-05:00")
}

const retentionNow = "2026-03-02T09:00:00-05:00"

func TestRetentionCommand(t *testing.T) {
	cfg, db := retentionConfig(t), retentionDB(t)
	secrets := []string{"salary review for Bob", "Bob's file", "Raised Bob", "gossiped"}

	t.Run("DryRun", func(t *testing.T) {
		code, out, errOut := run(t, "", "retention", "--config", cfg, "--db", db, "--now", retentionNow, "--dry-run")
		want := "Would redact the text of 1 requests closed or cancelled before 2025-03-02T14:00:00Z (365d ago): 3 events, 1 rating comments; 0 survey comments.\n"
		if code != 0 || out != want {
			t.Fatalf("exit %d: %q, want %q; %s", code, out, want, errOut)
		}
		if s := exportRequests(t, cfg, db); !strings.Contains(s, secrets[0]) {
			t.Errorf("--dry-run changed the data:\n%s", s)
		}
	})

	t.Run("Redacts", func(t *testing.T) {
		code, out, errOut := run(t, "", "retention", "--config", cfg, "--db", db, "--now", retentionNow)
		if code != 0 || !strings.HasPrefix(out, "Redacted the text of 1 requests closed or cancelled before 2025-03-02T14:00:00Z (365d ago): 3 events, 1 rating comments") {
			t.Fatalf("exit %d: %q; %s", code, out, errOut)
		}
		if code, out, _ := run(t, "", "retention", "--config", cfg, "--db", db, "--now", retentionNow); code != 0 || !strings.HasPrefix(out, "Redacted the text of 0 requests") {
			t.Errorf("second run: exit %d: %q", code, out)
		}
	})

	t.Run("StatusAndExportStillWork", func(t *testing.T) {
		code, status, errOut := run(t, ":as sam\n/ask status FIN-1\n/ask status FIN-2\n", "console", "--config", cfg, "--db", db, "--now", retentionNow)
		if code != 0 || strings.Contains(status, "went wrong") || !strings.Contains(status, "FIN-1") ||
			!strings.Contains(status, store.Redacted) || !strings.Contains(status, "still open, about Carol") {
			t.Errorf("status: exit %d:\n%s\n%s", code, status, errOut)
		}
		requests := exportRequests(t, cfg, db)
		code, events, errOut := run(t, "", "export", "--config", cfg, "--db", db, "--now", retentionNow, "--what", "events")
		if code != 0 {
			t.Fatalf("export events: exit %d: %s", code, errOut)
		}
		for _, s := range secrets {
			if strings.Contains(status+requests+events, s) {
				t.Errorf("%q is still shown", s)
			}
		}
		if !strings.Contains(requests, "FIN-1,finance,U0SAM0001,sales,U0FIONA01,normal,closed,[redacted],[redacted]") {
			t.Errorf("FIN-1 exported as:\n%s", requests)
		}
	})

	t.Run("Off", func(t *testing.T) {
		// The built-in example leaves retention off.
		code, out, errOut := run(t, "", "retention", "--db", db)
		if code != 0 || !strings.HasPrefix(out, "Retention is off in config.example.toml (built in)") {
			t.Errorf("exit %d: %q %s", code, out, errOut)
		}
	})
}

func exportRequests(t *testing.T, cfg, db string) string {
	t.Helper()
	code, out, errOut := run(t, "", "export", "--config", cfg, "--db", db, "--now", retentionNow, "--what", "requests")
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	return out
}

// TestRetentionJob runs serve's daily job with a fixed clock, as the
// scheduler would.
func TestRetentionJob(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, retentionDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now, _ := parseNow(retentionNow)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if job := retentionJob(s, 0, bot.NewManualClock(now), log); job != nil {
		t.Error("a job with retention off")
	}
	job := retentionJob(s, 365*24*time.Hour, bot.NewManualClock(now), log)
	if n, err := job(ctx); n != 5 || err != nil { // FIN-1, its events with text (filed, reply, note), its rating
		t.Errorf("first run: %d rows, %v; want 5", n, err)
	}
	if n, err := job(ctx); n != 0 || err != nil {
		t.Errorf("second run: %d rows, %v; want none", n, err)
	}
	if r, err := s.Request(ctx, "FIN-1"); err != nil || r.Text != store.Redacted {
		t.Errorf("FIN-1 = %+v, %v", r, err)
	}

	t.Run("InThePruneSlot", func(t *testing.T) {
		boom := errors.New("boom")
		daily := alsoDaily(
			func(context.Context) (int64, error) { return 2, nil },
			nil,
			func(context.Context) (int64, error) { return 3, boom },
		)
		if n, err := daily(ctx); n != 5 || !errors.Is(err, boom) {
			t.Errorf("alsoDaily = %d, %v; want 5 and boom", n, err)
		}
	})
}
