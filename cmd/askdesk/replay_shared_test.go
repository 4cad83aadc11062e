package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	neturl "net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
	"github.com/askdesk/askdesk/store"
	"github.com/askdesk/askdesk/store/storetest"
)

// TestReplayAcrossReplicas: a signed /ask captured and sent again to
// another replica behind the same load balancer is refused there too, and
// files nothing.
func TestReplayAcrossReplicas(t *testing.T) {
	url := storetest.URL(t)
	var so serverOptions
	h := newHarness(t, false, func(o *serverOptions) { o.DBPath = url; so = *o })
	other, err := startServer(context.Background(), so)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })

	body := []byte(slashForm(t, sam, "finance replayed on the other replica").Encode())
	ts := time.Now()
	post := func(base string) int {
		req, _ := http.NewRequest(http.MethodPost, base+"/slack/commands", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		slacktest.SignRequest(req, testSecret, ts, body)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(h.base); code != http.StatusOK {
		t.Fatalf("original: HTTP %d", code)
	}
	if code := post("http://" + other.Addr()); code != http.StatusUnauthorized {
		t.Fatalf("replay on the other replica: HTTP %d, want 401", code)
	}
	if n, err := store.CountRows(context.Background(), h.srv.db, "requests"); err != nil || n != 1 {
		t.Fatalf("%d requests stored (%v), want 1", n, err)
	}
}

// TestEventRetriesAcrossReplicas: Slack retries an event it thinks was
// not acknowledged, and behind a load balancer the retries reach other
// replicas; the reply is recorded once.
func TestEventRetriesAcrossReplicas(t *testing.T) {
	url := storetest.URL(t)
	var so serverOptions
	h := newHarness(t, false, func(o *serverOptions) { o.DBPath = url; so = *o })
	var others []*server
	for range 2 {
		srv, err := startServer(context.Background(), so)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
		others = append(others, srv)
	}
	h.slash(sam, "finance numbers")
	h.deliver()
	card := h.fake.Messages(finCh)[0]
	ev := eventBody(t, "Ev0ACROSSREPLICAS", map[string]any{
		"type": "message", "channel": card.Channel, "user": frank, "text": "on it",
		"ts": "1764000100.000200", "thread_ts": card.TS, "channel_type": "channel",
	})
	retry := http.Header{"X-Slack-Retry-Num": {"1"}, "X-Slack-Retry-Reason": {"http_timeout"}}
	send := func(base string, header http.Header) {
		req, _ := http.NewRequest(http.MethodPost, base+"/slack/events", bytes.NewReader(ev))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range header {
			req.Header[k] = v
		}
		slacktest.SignRequest(req, testSecret, time.Now(), ev)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s answered %d; Slack would keep retrying", base, resp.StatusCode)
		}
	}
	send(h.base, nil)
	for _, o := range others {
		send("http://"+o.Addr(), retry)
	}
	h.srv.eventsIdle()
	for _, o := range others {
		o.eventsIdle()
	}
	evs, err := h.srv.db.Events(h.ctx, "FIN-1")
	if err != nil || len(evs) != 2 {
		t.Fatalf("history has %d events (%v) after one reply delivered to three replicas; want 2", len(evs), err)
	}
}

// TestPostgresPasswordNeverPrinted: a database URL's password appears in
// no command's output, whether the URL came from --db or the environment.
func TestPostgresPasswordNeverPrinted(t *testing.T) {
	u, err := neturl.Parse(storetest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	const secret = "s3cret-never-shown" // trust authentication ignores it
	u.User = neturl.UserPassword("postgres", secret)
	withPassword := u.String()
	for _, args := range [][]string{
		{"migrate", "--db", withPassword},
		{"migrate", "--db", withPassword}, // up to date
		{"console", "--db", withPassword, "--now", "2026-11-24T09:30:00-05:00"},
		{"report", "--db", withPassword, "--from", "2026-11-01", "--to", "2026-12-01"},
		{"backup", "--db", withPassword, filepath.Join(t.TempDir(), "b.db")},
		{"migrate", "--db", strings.Replace(withPassword, "127.0.0.1:5432", "127.0.0.1:1", 1)}, // unreachable
	} {
		code, stdout, stderr := run(t, "/ask finance need the Q3 numbers\n", args...)
		if strings.Contains(stdout+stderr, secret) {
			t.Errorf("askdesk %s (exit %d) printed the password:\n%s%s", args[0], code, stdout, stderr)
		}
		if !strings.Contains(stdout+stderr, "xxxxx") && args[0] != "report" {
			t.Errorf("askdesk %s (exit %d) did not name the database:\n%s%s", args[0], code, stdout, stderr)
		}
	}
}
