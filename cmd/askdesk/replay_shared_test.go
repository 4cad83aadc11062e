package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/fakeslack"
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
		fakeslack.SignRequest(req, testSecret, ts, body)
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
