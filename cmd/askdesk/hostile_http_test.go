package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
	"github.com/askdesk/askdesk/store"
	"github.com/askdesk/askdesk/store/storetest"
)

// partialPost opens a connection to h, writes a POST to path with header,
// a Content-Length of declared and only the first part of the body, and
// returns the connection, still open: whatever the server answers, it
// answered without the rest.
func (h *harness) partialPost(t *testing.T, path string, header http.Header, declared int, part []byte) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", h.srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	// Bounds every read and write of the test, as waitCtx does.
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	var b strings.Builder
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: askdesk\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n", path, declared)
	for k, vs := range header {
		for _, v := range vs {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	b.WriteString("\r\n")
	if _, err := io.WriteString(conn, b.String()); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write(part); err != nil {
		t.Fatal(err)
	}
	return conn
}

// readResponse reads one response from conn and returns it, body read.
func readResponse(t *testing.T, conn net.Conn) *http.Response {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no response: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// TestHostileRequestRefusedBeforeBodyRead: a request whose timestamp is
// stale, in the future or not a number, whose signature is not Slack's v0
// form, or whose declared body is over the cap, is answered (and its
// connection closed) after its headers alone: the server never waits for
// the megabyte the client says follows, so such requests cost no memory.
func TestHostileRequestRefusedBeforeBodyRead(t *testing.T) {
	// Slow beside the rest (real-time waits, many servers): it runs beside
	// the other tests marked so.
	t.Parallel()
	h := newHarness(t, false)
	body := []byte("text=finance+" + strings.Repeat("a", 1<<20))
	stamped := func(ts time.Time) http.Header { return signedHeader(testSecret, ts, body) }
	for _, c := range []struct {
		name   string
		header http.Header
		want   int
	}{
		{"StaleTimestamp", stamped(time.Now().Add(-6 * time.Minute)), http.StatusUnauthorized},
		{"FutureTimestamp", stamped(time.Now().Add(6 * time.Minute)), http.StatusUnauthorized},
		{"TimestampNotANumber", http.Header{slacktest.HeaderTimestamp: {"yesterday"}, slacktest.HeaderSignature: stamped(time.Now())[slacktest.HeaderSignature]}, http.StatusUnauthorized},
		{"SignatureNotV0", http.Header{slacktest.HeaderTimestamp: stamped(time.Now())[slacktest.HeaderTimestamp], slacktest.HeaderSignature: {"v0=not-hex"}}, http.StatusUnauthorized},
		{"DeclaredTooLarge", stamped(time.Now()), http.StatusRequestEntityTooLarge},
	} {
		for _, path := range []string{"/slack/commands", "/slack/interactions", "/slack/events"} {
			t.Run(c.name+path, func(t *testing.T) {
				conn := h.partialPost(t, path, c.header, len(body), body[:4<<10])
				resp := readResponse(t, conn)
				if resp.StatusCode != c.want {
					t.Fatalf("HTTP %d, want %d", resp.StatusCode, c.want)
				}
				if !resp.Close {
					t.Fatal("the connection is kept open: the server would read the rest of the body to reuse it")
				}
			})
		}
	}
	wantRows(t, h, 0)
}

// chunked is a body of unknown length: the client sends it chunked, with
// no Content-Length for the server to refuse early.
type chunked struct{ r io.Reader }

func (c chunked) Read(p []byte) (int, error) { return c.r.Read(p) }

// TestOversizedBodyRefused: a correctly signed body over the cap (well
// under the old 1 MiB) is refused with 413 and nothing is stored, whether
// its length is declared or it comes chunked; the largest /ask Slack's
// composer can send is still answered, with the length limit.
func TestOversizedBodyRefused(t *testing.T) {
	// Slow beside the rest (real-time waits, many servers): it runs beside
	// the other tests marked so.
	t.Parallel()
	h := newHarness(t, false)
	big := []byte("text=finance+" + strings.Repeat("a", 600<<10))
	chunkedBig := append([]byte("chunked="), big...) // not a replay of big
	for _, path := range []string{"/slack/commands", "/slack/interactions", "/slack/events"} {
		wantCode(t, path, http.StatusRequestEntityTooLarge)(h.signed(path, big))
		req, err := http.NewRequest(http.MethodPost, h.base+path, chunked{strings.NewReader(string(chunkedBig))})
		if err != nil {
			t.Fatal(err)
		}
		slacktest.SignRequest(req, testSecret, time.Now(), chunkedBig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("%s chunked: HTTP %d, want 413", path, resp.StatusCode)
		}
	}
	wantRows(t, h, 0)
	// Slack's composer takes up to 40,000 characters.
	code, ack := h.slash(sam, "finance "+strings.Repeat("x", 40_000))
	if code != http.StatusOK || !strings.Contains(ack, "the limit is 3000") {
		t.Fatalf("a 40,000-character /ask: HTTP %d %s, want the length limit explained", code, ack)
	}
	if n := h.count("requests"); n != 0 {
		t.Fatalf("%d requests stored", n)
	}
}

// TestConnectionsBeyondTheBoundWait: with two connections allowed, two
// clients that are slow to send their bodies hold both; a third is not
// served until one of them finishes, and then it is.
func TestConnectionsBeyondTheBoundWait(t *testing.T) {
	waiting := make(chan struct{}, 1)
	h := newHarness(t, false, func(o *serverOptions) {
		o.MaxConns = 2
		o.onConnWait = func() {
			select {
			case waiting <- struct{}{}:
			default:
			}
		}
	})
	body := []byte(h.slashForm(sam, "help").Encode())
	var held []net.Conn
	for range 2 {
		held = append(held, h.partialPost(t, "/slack/commands", signedHeader(testSecret, time.Now(), body), len(body), body[:10]))
	}
	third, err := net.Dial("tcp", h.srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	third.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(third, "GET /livez HTTP/1.1\r\nHost: askdesk\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	served := make(chan int, 1)
	go func() {
		resp, err := http.ReadResponse(bufio.NewReader(third), nil)
		if err != nil {
			served <- 0
			return
		}
		resp.Body.Close()
		served <- resp.StatusCode
	}()
	select {
	case code := <-served:
		t.Fatalf("a third connection was served (HTTP %d) while two held the two allowed", code)
	case <-waiting:
	case <-waitCtx(t).Done():
		t.Fatal("the listener never waited for a free connection")
	}
	select {
	case code := <-served:
		t.Fatalf("a third connection was served (HTTP %d) while two held the two allowed", code)
	default:
	}
	// One holder finishes: it is answered, and then the third is.
	if _, err := held[0].Write(body[10:]); err != nil {
		t.Fatal(err)
	}
	if resp := readResponse(t, held[0]); resp.StatusCode != http.StatusOK {
		t.Fatalf("the first holder: HTTP %d", resp.StatusCode)
	}
	held[0].Close()
	if code := <-served; code != http.StatusOK {
		t.Fatalf("the third connection, once one was free: HTTP %d", code)
	}
}

// TestReplayAfterRestart: a signed /ask captured and sent again after
// serve restarted on the same database, within the five minutes its
// signature stays valid, is refused and files nothing, on SQLite as on
// PostgreSQL.
func TestReplayAfterRestart(t *testing.T) {
	for name, where := range map[string]func(t *testing.T) string{
		"SQLite":     func(*testing.T) string { return "" }, // the harness's own file
		"PostgreSQL": func(t *testing.T) string { return storetest.URL(t) },
	} {
		t.Run(name, func(t *testing.T) {
			var so serverOptions
			h := newHarness(t, false, func(o *serverOptions) {
				if w := where(t); w != "" {
					o.DBPath = w
				}
				so = *o
			})
			body := []byte(h.slashForm(sam, "finance filed once, replayed after a restart").Encode())
			hdr := signedHeader(testSecret, time.Now(), body)
			wantCode(t, "original", http.StatusOK)(h.send("/slack/commands", body, "", time.Time{}, hdr))
			if err := h.srv.Close(); err != nil {
				t.Fatal(err)
			}
			so.Slack.Listen = "127.0.0.1:0"
			again, err := startServer(context.Background(), so)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { again.Close() })
			h.srv, h.base = again, "http://"+again.Addr()
			wantCode(t, "replay after the restart", http.StatusUnauthorized)(h.send("/slack/commands", body, "", time.Time{}, hdr))
			if n, err := store.CountRows(context.Background(), again.db, "requests"); err != nil || n != 1 {
				t.Fatalf("%d requests stored (%v), want 1", n, err)
			}
		})
	}
}
