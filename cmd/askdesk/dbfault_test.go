package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
	"github.com/askdesk/askdesk/store"
)

// serveLog is serve's stderr; it reports the address once serve says it
// serves.
type serveLog struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	serving chan string
}

func (w *serveLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if m := servingAddr.FindStringSubmatch(w.buf.String()); m != nil {
		select {
		case w.serving <- m[1]:
		default:
		}
	}
	return len(p), nil
}

func (w *serveLog) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// serveInProcess runs `askdesk serve` in this process until ctx ends. It
// returns the address once serve says it serves, or "" and the exit code
// if serve ends first.
func serveInProcess(t *testing.T, ctx context.Context, cfg, db string) (addr string, exit chan int, log *serveLog) {
	t.Helper()
	log = &serveLog{serving: make(chan string, 1)}
	exit = make(chan int, 1)
	env := map[string]string{"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": testSecret}
	go func() {
		exit <- Run(ctx, []string{"serve", "--config", cfg, "--db", db}, Env{
			Stdin: strings.NewReader(""), Stdout: log, Stderr: log,
			Getenv: func(k string) string { return env[k] }, StdinIsTerminal: func() bool { return false },
		})
	}()
	select {
	case addr = <-log.serving:
		return addr, exit, log
	case code := <-exit:
		exit <- code
		return "", exit, log
	case <-time.After(15 * time.Second):
		t.Fatalf("serve neither served nor ended in 15s:\n%s", log)
	}
	return "", exit, log
}

// TestServeReadOnlyDatabase: serve refuses to start on a database it cannot
// write, naming the file and what to fix, instead of starting and then
// failing every /ask; once the file is writable again it starts and files.
func TestServeReadOnlyDatabase(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root may write to read-only files")
	}
	fake := slacktest.New()
	t.Cleanup(fake.Close)
	fake.AddChannel(finCh, "finance-requests")
	cfg := writeServeConfig(t, fake, "")

	for _, tc := range []struct {
		name      string
		lock      func(dir, db string) error
		unlock    func(dir, db string) error
		wantInErr []string
	}{
		{"File",
			func(_, db string) error { return os.Chmod(db, 0o444) },
			func(_, db string) error {
				// SQLite gives the -wal and -shm files it creates the
				// database file's mode, so they need fixing too.
				for _, f := range []string{db, db + "-wal", db + "-shm"} {
					if err := os.Chmod(f, 0o644); err != nil && !os.IsNotExist(err) {
						return err
					}
				}
				return nil
			},
			[]string{"the database is read-only", "-wal and -shm"}},
		{"Directory",
			func(dir, _ string) error { return os.Chmod(dir, 0o555) },
			func(dir, _ string) error { return os.Chmod(dir, 0o755) },
			[]string{"the database is read-only", "directory"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "askdesk.db")
			s, err := store.Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			if err := tc.lock(dir, db); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { tc.unlock(dir, db) })

			stop, cancelStop := context.WithCancel(context.Background())
			t.Cleanup(cancelStop)
			addr, exit, log := serveInProcess(t, stop, cfg, db)
			if addr != "" {
				t.Fatalf("serve started on a read-only database:\n%s", log)
			}
			if code := <-exit; code == 0 {
				t.Fatalf("serve exited 0 on a read-only database:\n%s", log)
			}
			for _, want := range append(tc.wantInErr, "open store "+db) {
				if !strings.Contains(log.String(), want) {
					t.Errorf("startup error lacks %q:\n%s", want, log)
				}
			}
			t.Logf("refused: %s", strings.TrimSpace(log.String()))

			if err := tc.unlock(dir, db); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			addr, exit, log = serveInProcess(t, ctx, cfg, db)
			if addr == "" {
				cancel()
				t.Fatalf("serve did not start once the database was writable:\n%s", log)
			}
			code, body, err := postSlash(ctx, http.DefaultClient, "http://"+addr, slashTemplate(t), sam, "finance after the fix")
			cancel()
			if err != nil || code != http.StatusOK || filedID(body) != "FIN-1" {
				t.Errorf("/ask once writable: %d %s %v", code, body, err)
			}
			if code := <-exit; code != 0 {
				t.Errorf("serve exited %d:\n%s", code, log)
			}
		})
	}
}
