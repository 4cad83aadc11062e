package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// Helpers for the tests that run askdesk as a real process, because what
// they check (kill -9, SIGTERM) happens to a process, not to a function.

// buildAskdesk compiles the binary into the test's temp dir.
func buildAskdesk(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the askdesk binary")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build askdesk with")
	}
	bin := filepath.Join(t.TempDir(), "askdesk")
	if out, err := exec.Command(goCmd, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// writeServeConfig writes testConfig plus extra TOML and a [slack] table
// that points at fake and listens on a free local port.
func writeServeConfig(t *testing.T, fake *slacktest.Server, extra string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "askdesk.toml")
	body := testConfig + extra + fmt.Sprintf("\n[slack]\napi_url = %q\nlisten = \"127.0.0.1:0\"\n", fake.URL)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// serveProc is a running `askdesk serve`.
type serveProc struct {
	cmd  *exec.Cmd
	addr string        // host:port from the "askdesk serving" log line
	done chan struct{} // closed once the process has exited and been reaped

	mu    sync.Mutex
	lines []string // stderr so far
	state *os.ProcessState
}

var servingAddr = regexp.MustCompile(`msg="askdesk serving" addr=(\S+)`)

// startServe runs `bin serve --config cfg --db db` with the bot token given
// and the test's signing secret, and returns once it logs that it serves.
func startServe(t *testing.T, bin, cfg, db, botToken string) *serveProc {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--config", cfg, "--db", db)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SLACK_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "SLACK_BOT_TOKEN="+botToken, "SLACK_SIGNING_SECRET="+testSecret)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProc{cmd: cmd, done: make(chan struct{})}
	t.Cleanup(func() { p.kill() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.lines = append(p.lines, line)
			p.mu.Unlock()
			if m := servingAddr.FindStringSubmatch(line); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, stderr)
		cmd.Wait()
		p.mu.Lock()
		p.state = cmd.ProcessState
		p.mu.Unlock()
		close(p.done)
	}()
	select {
	case p.addr = <-addr:
	case <-p.done:
		t.Fatalf("askdesk serve exited before serving:\n%s", p.log())
	case <-time.After(15 * time.Second):
		t.Fatalf("askdesk serve did not say it serves within 15s:\n%s", p.log())
	}
	return p
}

// log returns what the process wrote to stderr so far.
func (p *serveProc) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// kill sends SIGKILL and waits until the process is reaped.
func (p *serveProc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// wait waits for the process to exit by itself and returns its state.
func (p *serveProc) wait(ctx context.Context) (*os.ProcessState, error) {
	select {
	case <-p.done:
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.state, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// slashTemplate is Slack's documented slash command as /ask, for clients
// that run outside the test goroutine (slashForm may call t.Fatal).
func slashTemplate(t *testing.T) url.Values { return slashForm(t, sam, "") }

// postSlash sends a signed /ask from user with text to base and returns
// the status and body.
func postSlash(ctx context.Context, client *http.Client, base string, tmpl url.Values, user, text string) (int, string, error) {
	form := url.Values{}
	for k, v := range tmpl {
		form[k] = v
	}
	form.Set("user_id", user)
	form.Set("text", text)
	body := []byte(form.Encode())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/slack/commands", bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	slacktest.SignRequest(req, testSecret, time.Now(), body)
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// filedID is the request ID in an /ask acknowledgement, or "".
var filedRE = regexp.MustCompile(`Filed \*([A-Z]{2,6}-[0-9]+)\*`)

func filedID(body string) string {
	if m := filedRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// cardID returns the request a posted card is for, from the ID in its
// header block ("FIN-1 · title"), or "" for any other message.
func cardID(blocks string) string {
	var bs []struct {
		Type string `json:"type"`
		Text struct {
			Text string `json:"text"`
		} `json:"text"`
	}
	if json.Unmarshal([]byte(blocks), &bs) != nil || len(bs) == 0 || bs[0].Type != "header" {
		return ""
	}
	id, _, _ := strings.Cut(bs[0].Text.Text, " · ")
	return id
}
