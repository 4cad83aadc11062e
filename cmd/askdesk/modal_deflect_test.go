package main

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// The intake form's blocks a deflection test fills.
const (
	formDept     = "askdesk:file:dept"
	formType     = "askdesk:file:type:finance"
	formText     = "askdesk:file:text"
	formAmount   = "askdesk:file:field:finance.reimbursement.amount"
	formCategory = "askdesk:file:field:finance.reimbursement.category"
)

// deflectHarness starts askdesk with Finance's request types, and FIN-1,
// Sam's travel budget question, resolved by Frank with a note: the
// earlier answer a like question is shown.
func deflectHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, false, withTypes(t))
	if code, body := h.slash(sam, "finance please send the Q3 travel budget figures"); code != http.StatusOK || !strings.Contains(body, "Filed") {
		t.Fatalf("file: %d %s", code, body)
	}
	if _, err := h.srv.desk.Do(h.ctx, bot.Act{Actor: frank, Action: bot.ActResolve, ID: "FIN-1", Text: "The travel budget figures are on the finance wiki under Budgets"}); err != nil {
		t.Fatal(err)
	}
	h.deliver()
	return h
}

// interact posts payload to /slack/interactions, signed, and returns the
// acknowledgement's body.
func (h *harness) interact(payload json.RawMessage, err error) string {
	h.t.Helper()
	if err != nil {
		h.t.Fatal(err)
	}
	code, body := h.signed("/slack/interactions", slacktest.InteractionBody(payload))
	if code != http.StatusOK {
		h.t.Fatalf("interaction: %d %s", code, body)
	}
	return body
}

// sendReimbursement has Sam open the intake form with /ask, choose
// Finance and a reimbursement (each redrawing the form), and send it
// with text, an amount and a category. It returns the form and the
// acknowledgement of its submission. updates counts the views.update
// calls so far, and is moved on by the two redraws.
func (h *harness) sendReimbursement(ctx context.Context, updates *int, text string) (slacktest.View, string) {
	h.t.Helper()
	opened := 0
	for _, c := range h.fake.Calls() {
		if c.Method == "views.open" {
			opened++
		}
	}
	h.slash(sam, "")
	if _, err := h.fake.WaitCalls(ctx, "views.open", opened+1); err != nil {
		h.t.Fatal(err)
	}
	v := newestModal(h.t, h.fake)
	h.interact(h.fake.PressInView(sam, v, formDept, "finance", map[string]string{formText: text}))
	*updates++
	if _, err := h.fake.WaitCalls(ctx, "views.update", *updates); err != nil {
		h.t.Fatal(err)
	}
	v, _ = h.fake.View(v.ID)
	h.interact(h.fake.PressInView(sam, v, formType, "reimbursement", nil))
	*updates++
	if _, err := h.fake.WaitCalls(ctx, "views.update", *updates); err != nil {
		h.t.Fatal(err)
	}
	v, _ = h.fake.View(v.ID)
	body := h.interact(slacktest.ViewSubmission(v, sam, map[string]string{formText: text, formAmount: "42.50", formCategory: "travel"}))
	return v, body
}

// newestModal is the modal views.open opened last (view IDs count up).
func newestModal(t testing.TB, fake *slacktest.Server) slacktest.View {
	t.Helper()
	var newest slacktest.View
	for _, v := range fake.Views() {
		if v.Type == "modal" && v.ID > newest.ID {
			newest = v
		}
	}
	if newest.ID == "" {
		t.Fatal("no modal open")
	}
	return newest
}

// deflected applies the acknowledgement of a form's submission to the
// form, as Slack does, and checks it replaced the form with the earlier
// answer FIN-1.
func (h *harness) deflected(form slacktest.View, ack string) slacktest.View {
	h.t.Helper()
	if !strings.Contains(ack, `"response_action":"update"`) {
		h.t.Fatalf("submission answered %s, want the earlier answers", ack)
	}
	v, open, err := h.fake.Submitted(form, []byte(ack))
	if err != nil || !open {
		h.t.Fatalf("Slack applied the answer: open %v, %v", open, err)
	}
	for _, want := range []string{"FIN-1", "finance wiki under Budgets", "This answered it"} {
		if !strings.Contains(string(v.View), want) {
			h.t.Errorf("deflection lacks %q: %s", want, v.View)
		}
	}
	var view struct {
		Submit struct{ Text string } `json:"submit"`
	}
	if err := json.Unmarshal(v.View, &view); err != nil || view.Submit.Text != "File anyway" {
		h.t.Errorf("deflection's submit button %q, %v; want File anyway", view.Submit.Text, err)
	}
	return v
}

// forgedModalPress sends, signed, Sam's press of pick in modal v with
// forger in his place. Slack shows a modal to its opener alone, so only a
// forger (or a Slack bug) could send it.
func (h *harness) forgedModalPress(t *testing.T, forger string, v slacktest.View, pick slacktest.Pick) string {
	t.Helper()
	payload, err := h.fake.PressInModal(sam, v, pick)
	if err != nil {
		t.Fatal(err)
	}
	return h.interact(forgeUser(t, payload, forger), nil)
}

// TestIntakeFormDeflect_ThisAnsweredIt: Sam's form asks much what FIN-1
// answered; its submission is answered, in the acknowledgement, with
// that answer in place of the form, and nothing is filed. Tina's forged
// press of "This answered it" and of "File anyway" change nothing; Sam's
// press of "This answered it" files nothing, counts a self-served
// question for Finance, and the form thanks him.
func TestIntakeFormDeflect_ThisAnsweredIt(t *testing.T) {
	h := deflectHarness(t)
	ctx := waitCtx(t)
	updates := 0
	form, ack := h.sendReimbursement(ctx, &updates, "where are the travel budget figures")
	v := h.deflected(form, ack)
	if n, p := h.count("requests"), h.count("pending_filings"); n != 1 || p != 1 {
		t.Fatalf("%d requests and %d pending filings while deflected, want 1 and 1", n, p)
	}

	h.forgedModalPress(t, tina, v, slacktest.Pick{Label: "This answered it"})
	sub, err := slacktest.ViewSubmission(v, sam, nil)
	if err != nil {
		t.Fatal(err)
	}
	if body := h.interact(forgeUser(t, sub, tina), nil); !strings.Contains(body, "Only the person") {
		t.Errorf("Tina's File anyway answered %s", body)
	}
	if n, p, s := h.count("requests"), h.count("pending_filings"), h.count("self_served"); n != 1 || p != 1 || s != 0 {
		t.Fatalf("after Tina's presses: %d requests, %d pending, %d self-served; want 1, 1, 0", n, p, s)
	}

	h.interact(h.fake.PressInModal(sam, v, slacktest.Pick{Label: "This answered it"}))
	updates++
	calls, err := h.fake.WaitCalls(ctx, "views.update", updates)
	if err != nil {
		t.Fatal(err)
	}
	// Only Sam's press updated the form: Tina's left it as it was.
	if got := len(calls); got != updates {
		t.Errorf("%d views.update calls, want %d", got, updates)
	}
	done, _ := h.fake.View(v.ID)
	if !strings.Contains(string(done.View), "nothing was filed") {
		t.Errorf("the form after This answered it: %s", done.View)
	}
	if n, p := h.count("requests"), h.count("pending_filings"); n != 1 || p != 0 {
		t.Errorf("%d requests and %d pending filings after This answered it, want 1 and 0", n, p)
	}
	counts, err := h.srv.db.SelfServedCounts(h.ctx, time.Time{}, time.Now().Add(24*365*time.Hour))
	if err != nil || counts["finance"] != 1 || len(counts) != 1 {
		t.Errorf("self-served %v %v, want finance: 1", counts, err)
	}
}

// TestIntakeFormDeflect_FileAnyway: "File anyway" (the deflection's
// submit button) files the form once, as it was sent (Finance, a
// reimbursement with its amount and category), the form becomes the
// acknowledgement, and Sam's DM gets the "Filed" confirmation a form's
// filing gets; nothing is self-served.
func TestIntakeFormDeflect_FileAnyway(t *testing.T) {
	h := deflectHarness(t)
	ctx := waitCtx(t)
	updates := 0
	form, ack := h.sendReimbursement(ctx, &updates, "travel budget figures for Q4 please")
	v := h.deflected(form, ack)
	ack = h.interact(slacktest.ViewSubmission(v, sam, nil))
	done, open, err := h.fake.Submitted(v, []byte(ack))
	if err != nil || !open || !strings.Contains(string(done.View), "FIN-2") {
		t.Fatalf("the form after File anyway (open %v, %v): %s", open, err, done.View)
	}
	r, err := h.srv.db.Request(h.ctx, "FIN-2")
	if err != nil {
		t.Fatal(err)
	}
	if r.Dept != "finance" || r.Type != "reimbursement" || r.Source != "modal" || r.Text != "travel budget figures for Q4 please" ||
		len(r.Fields) != 2 || r.Fields[0].Value != "42.50" || r.Fields[1].Value != "travel" {
		t.Errorf("filed %+v", r)
	}
	if n, p, s := h.count("requests"), h.count("pending_filings"), h.count("self_served"); n != 2 || p != 0 || s != 0 {
		t.Errorf("%d requests, %d pending, %d self-served; want 2, 0, 0", n, p, s)
	}
	h.deliver()
	filed := false
	for _, m := range h.fake.Messages("D" + sam) {
		filed = filed || strings.Contains(m.Text, "FIN-2") && strings.Contains(m.Text, "Filed")
	}
	if !filed {
		t.Errorf("no Filed confirmation of FIN-2 in Sam's DM: %+v", h.fake.Messages("D"+sam))
	}
}

// TestIntakeFormDeflect_NothingSimilarFilesAtOnce: a form with nothing
// like it answered is filed on submission, as ever: the acknowledgement
// closes the form, with no step between.
func TestIntakeFormDeflect_NothingSimilarFilesAtOnce(t *testing.T) {
	h := deflectHarness(t)
	ctx := waitCtx(t)
	updates := 0
	form, ack := h.sendReimbursement(ctx, &updates, "taxi to the airport for the offsite")
	if strings.Contains(ack, "response_action") {
		t.Fatalf("submission answered %s, want the form closed", ack)
	}
	if _, open, err := h.fake.Submitted(form, []byte(ack)); err != nil || open {
		t.Errorf("form open %v, %v; want it closed", open, err)
	}
	r, err := h.srv.db.Request(h.ctx, "FIN-2")
	if err != nil || r.Type != "reimbursement" || len(r.Fields) != 2 {
		t.Fatalf("filed %+v, %v", r, err)
	}
	if p := h.count("pending_filings"); p != 0 {
		t.Errorf("%d pending filings, want 0", p)
	}
}

// TestIntakeFormDeflect_LateAnswerFilesTheForm: over Socket Mode, with
// every answer late (an ack budget of next to none), the earlier answers
// cannot reach the form, which Slack closes on the bare ack: the form
// Sam sent is filed as sent rather than left waiting unseen.
func TestIntakeFormDeflect_LateAnswerFilesTheForm(t *testing.T) {
	h := newHarness(t, true, withTypes(t), func(o *serverOptions) { o.AckBudget = time.Nanosecond })
	ctx := waitCtx(t)
	h.waitSocket(ctx)
	if _, err := h.srv.desk.File(h.ctx, bot.Filing{Requester: sam, Dept: "finance", Text: "please send the Q3 travel budget figures", Source: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.srv.desk.Do(h.ctx, bot.Act{Actor: frank, Action: bot.ActResolve, ID: "FIN-1", Text: "The travel budget figures are on the finance wiki under Budgets"}); err != nil {
		t.Fatal(err)
	}
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-1", h.slashForm(sam, "")))
	h.waitAck(ctx, "env-1")
	if _, err := h.fake.WaitCalls(ctx, "views.open", 1); err != nil {
		t.Fatal(err)
	}
	submit, err := slacktest.ViewSubmission(newestModal(t, h.fake), sam, map[string]string{formDept: "finance", formText: "where are the travel budget figures"})
	if err != nil {
		t.Fatal(err)
	}
	h.sendSocket(ctx, slacktest.InteractiveEnvelope("env-2", submit))
	if ack := h.waitAck(ctx, "env-2"); len(ack) != 0 {
		t.Errorf("late ack carries %s", ack)
	}
	// The filing is announced: wait for its confirmation in Sam's DM.
	for seen := 0; ; {
		posts, err := h.fake.WaitCalls(ctx, "chat.postMessage", seen+1)
		if err != nil {
			t.Fatalf("FIN-2 never confirmed to Sam: %v; %d requests, %d pending", err, h.count("requests"), h.count("pending_filings"))
		}
		if slices.ContainsFunc(posts[seen:], func(c slacktest.Call) bool {
			return c.Params.Get("channel") == "D"+sam && strings.Contains(c.Params.Get("text"), "Filed *FIN-2*")
		}) {
			break
		}
		seen = len(posts)
	}
	r, err := h.srv.db.Request(h.ctx, "FIN-2")
	if err != nil || r.Source != "modal" || r.Text != "where are the travel budget figures" {
		t.Fatalf("filed %+v, %v", r, err)
	}
	if p := h.count("pending_filings"); p != 0 {
		t.Errorf("%d pending filings, want 0", p)
	}
}
