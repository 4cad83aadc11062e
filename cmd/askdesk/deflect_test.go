package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestSlackDeflect_ThisAnsweredItAndFileAnyway: Sam's routed question is
// like one Finance answered before; confirming the department replaces the
// routing reply with the earlier answer, "This answered it" and "File
// anyway". Pressing "This answered it" files nothing and counts a
// self-served question for Finance; on a second question, pressing "File
// anyway" files it.
func TestSlackDeflect_ThisAnsweredItAndFileAnyway(t *testing.T) {
	h := newHarness(t, false)
	if code, body := h.slash(sam, "finance please send the Q3 travel budget figures"); code != http.StatusOK || !strings.Contains(body, "Filed") {
		t.Fatalf("file: %d %s", code, body)
	}
	if _, err := h.srv.desk.Do(h.ctx, bot.Act{Actor: frank, Action: bot.ActResolve, ID: "FIN-1", Text: "The travel budget figures are on the finance wiki under Budgets"}); err != nil {
		t.Fatal(err)
	}
	h.deliver()
	// confirm types text, presses "File with Finance" and returns the
	// deflection that replaced the routing reply.
	responses := 0
	confirm := func(text string) slacktest.Shown {
		t.Helper()
		_, body := h.slash(sam, text)
		reply := h.reply(sam, body)
		if code, _ := h.pressShown(sam, reply, slacktest.Pick{Label: "File with Finance"}); code != http.StatusOK {
			t.Fatalf("press: %d", code)
		}
		responses++
		calls, err := h.fake.WaitCalls(waitCtx(t), slacktest.ResponseURLMethod, responses)
		if err != nil {
			t.Fatal(err)
		}
		shown, err := slacktest.ReplyShown(reply.Channel, sam, calls[responses-1].Body)
		if err != nil {
			t.Fatal(err)
		}
		return shown
	}
	defl := confirm("where are the travel budget figures")
	for _, want := range []string{"FIN-1", "finance wiki under Budgets"} {
		if !strings.Contains(defl.Text, want) {
			t.Errorf("deflection lacks %q: %s", want, defl.Text)
		}
	}
	if n := h.count("requests"); n != 1 {
		t.Fatalf("%d requests before Sam chose, want 1", n)
	}
	if code, _ := h.pressShown(sam, defl, slacktest.Pick{Label: "This answered it"}); code != http.StatusOK {
		t.Fatalf("press This answered it: %d", code)
	}
	responses++
	calls, err := h.fake.WaitCalls(waitCtx(t), slacktest.ResponseURLMethod, responses)
	if err != nil {
		t.Fatal(err)
	}
	if p := calls[responses-1].Params; p.Get("replace_original") != "true" || !strings.Contains(p.Get("text"), "nothing was filed") {
		t.Errorf("after This answered it: %v", p)
	}
	if n := h.count("requests"); n != 1 {
		t.Errorf("%d requests after This answered it, want 1", n)
	}
	counts, err := h.srv.db.SelfServedCounts(h.ctx, time.Time{}, time.Now().Add(24*365*time.Hour))
	if err != nil || counts["finance"] != 1 {
		t.Errorf("self-served %v %v, want finance: 1", counts, err)
	}

	defl = confirm("travel budget figures for Q4 please")
	if code, _ := h.pressShown(sam, defl, slacktest.Pick{Label: "File anyway"}); code != http.StatusOK {
		t.Fatalf("press File anyway: %d", code)
	}
	if r, err := h.srv.db.Request(h.ctx, "FIN-2"); err != nil || r.Text != "travel budget figures for Q4 please" {
		t.Fatalf("after File anyway: %+v %v", r, err)
	}
}

// TestSlackSaveAsAnswerOnResolvedCard: the resolved card in Finance's
// channel offers "Save as answer"; Frank's press saves FIN-1's resolution
// note, Sam's (not Finance staff) does not.
func TestSlackSaveAsAnswerOnResolvedCard(t *testing.T) {
	h := newHarness(t, false)
	if code, body := h.slash(sam, "finance please send the Q3 travel budget figures"); code != http.StatusOK || !strings.Contains(body, "Filed") {
		t.Fatalf("file: %d %s", code, body)
	}
	if _, err := h.srv.desk.Do(h.ctx, bot.Act{Actor: frank, Action: bot.ActResolve, ID: "FIN-1", Text: "On the finance wiki under Budgets"}); err != nil {
		t.Fatal(err)
	}
	h.deliver()
	h.deliver()
	h.press(sam, finCh, "askdesk:saveanswer", "FIN-1")
	if saved, err := h.srv.db.SavedAnswers(h.ctx, []string{"FIN-1"}); err != nil || saved["FIN-1"] {
		t.Fatalf("Sam saved an answer: %v %v", saved, err)
	}
	if code, _ := h.press(frank, finCh, "askdesk:saveanswer", "FIN-1"); code != http.StatusOK {
		t.Fatalf("press: %d", code)
	}
	if saved, err := h.srv.db.SavedAnswers(h.ctx, []string{"FIN-1"}); err != nil || !saved["FIN-1"] {
		t.Errorf("saved after Frank's press: %v %v", saved, err)
	}
}
