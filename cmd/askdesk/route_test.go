package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestSlackRoute_ConfirmAndOverride: "/ask" with free text that names no
// department is answered with the departments it most likely belongs to
// and a menu of all; nothing is filed until Sam presses one. Pressing the
// button the reply offered files the text there, and the reply is
// replaced by the acknowledgement; pressing it again files nothing more.
// The "Someone else…" menu files with the department picked.
func TestSlackRoute_ConfirmAndOverride(t *testing.T) {
	h := newHarness(t, false)
	_, body := h.slash(sam, "please sort out the fin report for Q3")
	reply := h.reply(sam, body)
	if strings.Contains(reply.Text, "no department called") {
		t.Fatalf("free text answered as a typo: %s", reply.Text)
	}
	if n := h.count("requests"); n != 0 {
		t.Fatalf("%d requests filed before Sam chose", n)
	}
	if _, err := h.fake.Press(tina, reply, slacktest.Pick{ActionID: "askdesk:route:finance"}); err == nil {
		t.Fatal("someone else could press Sam's choice")
	}
	if code, _ := h.pressShown(sam, reply, slacktest.Pick{Label: "File with Finance"}); code != http.StatusOK {
		t.Fatalf("press: %d", code)
	}
	r, err := h.srv.db.Request(h.ctx, "FIN-1")
	if err != nil || r.Text != "please sort out the fin report for Q3" || r.Requester != sam {
		t.Fatalf("after the press: %+v %v", r, err)
	}
	acks, err := h.fake.WaitCalls(h.ctx, slacktest.ResponseURLMethod, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p := acks[0].Params; p.Get("replace_original") != "true" || !strings.Contains(p.Get("text"), "Filed *FIN-1* with Finance") {
		t.Errorf("acknowledgement: %v", p)
	}
	h.pressShown(sam, reply, slacktest.Pick{Label: "File with Finance"})
	if n := h.count("requests"); n != 1 {
		t.Errorf("%d requests after pressing twice, want 1", n)
	}

	t.Run("SomeoneElse", func(t *testing.T) {
		_, body := h.slash(sam, "please sort out the fin report for Q4")
		reply := h.reply(sam, body)
		if code, _ := h.pressShown(sam, reply, slacktest.Pick{ActionID: "askdesk:routeto", Option: "it"}); code != http.StatusOK {
			t.Fatalf("choose: %d", code)
		}
		if r, err := h.srv.db.Request(h.ctx, "IT-1"); err != nil || r.Text != "please sort out the fin report for Q4" {
			t.Fatalf("after choosing IT: %+v %v", r, err)
		}
	})
	t.Run("Typo", func(t *testing.T) {
		_, body := h.slash(sam, "finanse need the budget")
		reply := h.reply(sam, body)
		if !strings.Contains(reply.Text, "Did you mean “finance”") {
			t.Errorf("typo: %s", reply.Text)
		}
		if els, _ := slacktest.Elements(reply.Blocks); len(els) != 0 {
			t.Errorf("typo reply offers %+v", els)
		}
	})
}
