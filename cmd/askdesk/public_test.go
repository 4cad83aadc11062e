package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestSlackSavedAnswerHelpsAnyone: Frank presses "Save as answer" on
// Sam's resolved card; Tina, who has nothing to do with FIN-1, asks much
// the same with a routed /ask and is shown FIN-1's answer (as a saved
// answer) before filing, finds it with /ask search and opens it with /ask
// status. Frank's "Remove from saved answers", in his confirmation, makes
// it Sam's and Finance's again.
func TestSlackSavedAnswerHelpsAnyone(t *testing.T) {
	h := newHarness(t, false)
	if code, body := h.slash(sam, "finance please send the Q3 travel budget figures"); code != http.StatusOK || !strings.Contains(body, "Filed") {
		t.Fatalf("file: %d %s", code, body)
	}
	if _, err := h.srv.desk.Do(h.ctx, bot.Act{Actor: frank, Action: bot.ActResolve, ID: "FIN-1", Text: "The travel budget figures are on the finance wiki under Budgets"}); err != nil {
		t.Fatal(err)
	}
	h.deliver()
	h.deliver()
	if _, body := h.slash(tina, "search travel budget"); strings.Contains(body, "FIN-1") {
		t.Fatalf("before saving, Tina's search shows FIN-1: %s", body)
	}
	ephemerals := len(h.fake.CallsTo("chat.postEphemeral"))
	if code, _ := h.press(frank, finCh, "askdesk:saveanswer", "FIN-1"); code != http.StatusOK {
		t.Fatalf("press Save as answer: %d", code)
	}
	if _, err := h.fake.WaitCalls(waitCtx(t), "chat.postEphemeral", ephemerals+1); err != nil {
		t.Fatal(err)
	}
	var confirm slacktest.Shown
	for _, e := range h.fake.Ephemerals(frank) {
		if strings.Contains(e.Text, "Saved FIN-1") {
			confirm = e
		}
	}
	if confirm.Text == "" {
		t.Fatalf("Frank was not told FIN-1 was saved: %+v", h.fake.Ephemerals(frank))
	}

	// Tina's routed question: File with Finance shows FIN-1 first.
	_, body := h.slash(tina, "where are the travel budget figures")
	reply := h.reply(tina, body)
	if code, _ := h.pressShown(tina, reply, slacktest.Pick{Label: "File with Finance"}); code != http.StatusOK {
		t.Fatalf("press File with Finance: %d", code)
	}
	calls, err := h.fake.WaitCalls(waitCtx(t), slacktest.ResponseURLMethod, 1)
	if err != nil {
		t.Fatal(err)
	}
	defl, err := slacktest.ReplyShown(reply.Channel, tina, calls[0].Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"FIN-1", "saved answer", "finance wiki under Budgets"} {
		if !strings.Contains(defl.Text, want) {
			t.Errorf("Tina's deflection lacks %q: %s", want, defl.Text)
		}
	}
	if _, body := h.slash(tina, "search travel budget"); !strings.Contains(body, "FIN-1") {
		t.Errorf("Tina's /ask search does not find the saved answer: %s", body)
	}
	if _, body := h.slash(tina, "status FIN-1"); !strings.Contains(body, "finance wiki under Budgets") {
		t.Errorf("Tina's /ask status FIN-1: %s", body)
	}
	if _, err := h.srv.desk.Do(h.ctx, bot.Act{Actor: tina, Action: bot.ActReopen, ID: "FIN-1"}); bot.ErrorCode(err) != bot.EFORBIDDEN {
		t.Errorf("Tina reopened FIN-1: %v", err)
	}
	// Tina pressing "This answered it" settles her question.
	if code, _ := h.pressShown(tina, defl, slacktest.Pick{Label: "This answered it"}); code != http.StatusOK {
		t.Fatalf("press This answered it: %d", code)
	}
	calls, err = h.fake.WaitCalls(waitCtx(t), slacktest.ResponseURLMethod, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p := calls[1].Params; !strings.Contains(p.Get("text"), "nothing was filed") {
		t.Errorf("after This answered it: %v", p)
	}

	// Frank removes it with the button his confirmation offered.
	if code, _ := h.pressShown(frank, confirm, slacktest.Pick{Label: "Remove from saved answers"}); code != http.StatusOK {
		t.Fatalf("press Remove from saved answers: %d", code)
	}
	if _, err := h.fake.WaitCalls(waitCtx(t), "chat.postEphemeral", ephemerals+2); err != nil {
		t.Fatal(err)
	}
	if saved, err := h.srv.db.SavedAnswers(h.ctx, []string{"FIN-1"}); err != nil || saved["FIN-1"] {
		t.Fatalf("still saved: %v %v", saved, err)
	}
	if _, body := h.slash(tina, "search travel budget"); strings.Contains(body, "FIN-1") {
		t.Errorf("after removal Tina's search shows FIN-1: %s", body)
	}
	if _, body := h.slash(tina, "status FIN-1"); !strings.Contains(body, "not yours to see") {
		t.Errorf("after removal Tina's /ask status FIN-1: %s", body)
	}
}
