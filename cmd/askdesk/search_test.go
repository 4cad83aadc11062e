package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestSlackSearchMoreButton: /ask search answers with ten requests and a
// More button only its asker can press; pressing it replaces the reply
// with the next page, which offers no More.
func TestSlackSearchMoreButton(t *testing.T) {
	h := newHarness(t, false)
	for i := 0; i < 12; i++ {
		if code, body := h.slash(sam, "it my laptop battery swells"); code != http.StatusOK || !strings.Contains(body, "Filed") {
			t.Fatalf("file: %d %s", code, body)
		}
	}
	h.deliver()
	_, body := h.slash(sam, "search laptop")
	reply := h.reply(sam, body)
	if !strings.Contains(reply.Text, "(1–10, best match first)") {
		t.Fatalf("first page: %s", reply.Text)
	}
	if _, err := h.fake.Press(tina, reply, slacktest.Pick{ActionID: "askdesk:search"}); err == nil {
		t.Fatal("someone else could press More in Sam's reply")
	}
	if code, _ := h.pressShown(sam, reply, slacktest.Pick{Label: "More"}); code != http.StatusOK {
		t.Fatalf("More: %d", code)
	}
	calls, err := h.fake.WaitCalls(waitCtx(t), slacktest.ResponseURLMethod, 1)
	if err != nil {
		t.Fatal(err)
	}
	var next struct {
		Text            string          `json:"text"`
		ReplaceOriginal bool            `json:"replace_original"`
		Blocks          json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(calls[len(calls)-1].Body, &next); err != nil {
		t.Fatal(err)
	}
	if !next.ReplaceOriginal || !strings.Contains(next.Text, "(11–12, best match first)") || !strings.Contains(next.Text, "That is all") {
		t.Errorf("second page: replace %v, %s", next.ReplaceOriginal, next.Text)
	}
	if strings.Contains(string(next.Blocks), "askdesk:search") {
		t.Errorf("the last page offers More: %s", next.Blocks)
	}
}
