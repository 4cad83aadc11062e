package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
	"github.com/askdesk/askdesk/store"
)

// TestSIGTERMFinishesInFlightAsk stops a real `askdesk serve` with SIGTERM
// while an /ask is in flight: its handler has started (the server sent
// "100 Continue" for the body) but has not had the body yet. The listener
// closes at once, so new connections are refused; the /ask still gets its
// 200 with an ID once its body arrives, is stored, and its card goes out in
// the last delivery; the process exits 0 within shutdownGrace + 2s.
func TestSIGTERMFinishesInFlightAsk(t *testing.T) {
	bin := buildAskdesk(t)
	fake := slacktest.New()
	t.Cleanup(fake.Close)
	fake.AddChannel(finCh, "finance-requests")
	cfg := writeServeConfig(t, fake, "")
	dbPath := filepath.Join(t.TempDir(), "askdesk.db")
	p := startServe(t, bin, cfg, dbPath, "xoxb-test")
	ctx := waitCtx(t)

	// The /ask's headers, asking to continue before the body is sent.
	tmpl := slashTemplate(t)
	tmpl.Set("text", "finance sent as the server stops")
	body := []byte(tmpl.Encode())
	ts, sig := slacktest.Sign(testSecret, time.Now(), body)
	conn, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	fmt.Fprintf(conn, "POST /slack/commands HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Content-Length: %d\r\nExpect: 100-continue\r\n%s: %s\r\n%s: %s\r\n\r\n",
		p.addr, len(body), slacktest.HeaderTimestamp, ts, slacktest.HeaderSignature, sig)
	br := bufio.NewReader(conn)
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != http.StatusContinue {
		t.Fatalf("want 100 Continue once the handler reads the body: %v %v", resp, err)
	}

	sent := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Shutdown closes the listener right away; the process must still be
	// there, waiting for the /ask.
	refused := waitRefused(t, ctx, p.addr)
	select {
	case <-p.done:
		t.Fatalf("exited with an /ask in flight:\n%s", p.log())
	default:
	}
	t.Logf("new connections refused %v after SIGTERM", refused.Sub(sent))

	if _, err := conn.Write(body); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("in-flight /ask: %v\n%s", err, p.log())
	}
	ack, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := filedID(string(ack))
	if resp.StatusCode != http.StatusOK || id != "FIN-1" {
		t.Fatalf("in-flight /ask: %d %s", resp.StatusCode, ack)
	}

	st, err := p.wait(ctx)
	took := time.Since(sent)
	if err != nil || st.ExitCode() != 0 {
		t.Fatalf("exit %v, %v\n%s", st, err, p.log())
	}
	if took > shutdownGrace+2*time.Second {
		t.Errorf("exited %v after SIGTERM, over the grace of %v", took, shutdownGrace)
	}
	t.Logf("exited 0, %v after SIGTERM", took)
	// The operator sees it begin and end.
	for _, want := range []string{"shutting down", "stopped: everything acknowledged is stored"} {
		if !strings.Contains(p.log(), want) {
			t.Errorf("the log does not say %q:\n%s", want, p.log())
		}
	}

	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Request(ctx, id); err != nil {
		t.Errorf("%s acknowledged during shutdown is not stored: %v", id, err)
	}
	if m := fake.Messages(finCh); len(m) != 1 || cardID(string(m[0].Blocks)) != id {
		pending, _, _ := db.OutboxStats(ctx, time.Now())
		t.Errorf("cards after shutdown: %d (want %s's, from the last delivery); %d still in the outbox", len(m), id, pending)
	}
}

// waitRefused dials addr until the connection is refused, and returns when.
func waitRefused(t *testing.T, ctx context.Context, addr string) time.Time {
	t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		c, err := net.Dial("tcp", addr)
		if errors.Is(err, syscall.ECONNREFUSED) {
			return time.Now()
		}
		if err == nil {
			c.Close()
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatalf("%s still takes connections after SIGTERM (last: %v)", addr, err)
		}
	}
}
