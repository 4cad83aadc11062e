package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// lockBudget is the ack budget of the lock tests: shorter than SQLite's
// 2 s busy timeout, so an answer that waited the timeout out misses it.
const lockBudget = 1500 * time.Millisecond

// TestLockedDatabaseAnswersInTheAck: while another process holds the
// database's write lock (longer than anything waits), eight people
// filing at once each get, in the acknowledgement itself, "askdesk is
// busy… nothing was filed"; all of them arrive while the lock is still
// held, so none waited for it. Once it is released, none of the eight
// is stored, and the next /ask is FIN-1.
func TestLockedDatabaseAnswersInTheAck(t *testing.T) {
	// It waits on real time (Slack's budgets and timeouts) more than it
	// works, so it waits beside the other tests that do.
	t.Parallel()
	const people = 8
	budget := func(o *serverOptions) { o.AckBudget = lockBudget }
	check := func(t *testing.T, h *harness, acks []string) {
		t.Helper()
		for i, a := range acks {
			var r struct {
				Text string `json:"text"`
			}
			if err := json.Unmarshal([]byte(a), &r); err != nil || r.Text == "" {
				t.Errorf("ack %d: %q; want the answer in it", i, a)
				continue
			}
			for _, want := range []string{"askdesk is busy", "nothing was filed", "try again in a minute"} {
				if !strings.Contains(r.Text, want) {
					t.Errorf("ack %d: %q lacks %q", i, r.Text, want)
				}
			}
		}
		for _, c := range h.fake.CallsTo(slacktest.ResponseURLMethod) {
			t.Errorf("an answer went late, through response_url: %s", c.Body)
		}
	}
	// after releases the lock; ask files one more /ask and returns its
	// answer.
	after := func(t *testing.T, h *harness, unlock func(), ask func() string) {
		t.Helper()
		unlock()
		if n := h.count("requests"); n != 0 {
			t.Errorf("%d requests stored after the lock; every one of them was told nothing was filed", n)
		}
		if got := ask(); filedID(got) != "FIN-1" {
			t.Errorf("/ask after the lock: %s; want FIN-1", got)
		}
	}

	t.Run("HTTP", func(t *testing.T) {
		h := newHarness(t, false, budget)
		unlock := h.lockDatabase()
		type answer struct {
			body string
			err  error
		}
		answers := make(chan answer, people)
		for i := range people {
			form := h.slashForm(sam, fmt.Sprintf("finance locked out %d", i))
			go func() {
				body, err := postSigned(h.base+"/slack/commands", []byte(form.Encode()))
				answers <- answer{body, err}
			}()
		}
		var acks []string
		for range people {
			a := <-answers
			if a.err != nil {
				t.Fatal(a.err)
			}
			acks = append(acks, a.body)
		}
		check(t, h, acks)
		after(t, h, unlock, func() string { _, body := h.slash(sam, "finance after the lock"); return body })
	})

	t.Run("SocketMode", func(t *testing.T) {
		h := newHarness(t, true, budget)
		ctx := waitCtx(t)
		h.waitSocket(ctx)
		unlock := h.lockDatabase()
		for i := range people {
			h.sendSocket(ctx, slacktest.SlashCommandEnvelope(fmt.Sprintf("env-%d", i), h.slashForm(sam, fmt.Sprintf("finance locked out %d", i))))
		}
		var acks []string
		for i := range people {
			acks = append(acks, string(h.waitAck(ctx, fmt.Sprintf("env-%d", i))))
		}
		check(t, h, acks)
		after(t, h, unlock, func() string {
			h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-after", h.slashForm(sam, "finance after the lock")))
			return string(h.waitAck(ctx, "env-after"))
		})
	})
}

// postSigned posts a signed body and returns the 200 response's body.
func postSigned(url string, body []byte) (string, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	slacktest.SignRequest(req, testSecret, time.Now(), body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s: HTTP %d: %s", url, resp.StatusCode, b)
	}
	return string(b), err
}
