package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// typesTOML gives the test company's Finance request types: budget (the
// default, no fields), reimbursement (fields) and payroll (private).
const typesTOML = `
[[department.types]]
name = "budget"
display_name = "Budget figures"
default = true

[[department.types]]
name = "reimbursement"
display_name = "Reimbursement"
sla.normal = { first_response = "1d", resolution = "5d" }

[[department.types.fields]]
name = "amount"
kind = "number"
required = true

[[department.types.fields]]
name = "category"
kind = "select"
options = ["travel", "meals"]

[[department.types.fields]]
name = "spent_on"
label = "Spent on"
kind = "date"

[[department.types]]
name = "payroll"
display_name = "Payroll question"
private = true

[[department.types.fields]]
name = "employee"
kind = "short_text"
required = true
`

// withTypes starts the harness on the test company with typesTOML.
func withTypes(t testing.TB) func(*serverOptions) {
	src := strings.Replace(testConfig, "\n[[department]]\nname = \"it\"", typesTOML+"\n[[department]]\nname = \"it\"", 1)
	cfg, err := config.Parse("test.toml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := cfg.Directory()
	if err != nil {
		t.Fatal(err)
	}
	return func(o *serverOptions) { o.Dir = dir }
}

// inputBlockIDs lists the block_ids of a view's input blocks, in order.
func inputBlockIDs(t testing.TB, v slacktest.View) []string {
	t.Helper()
	var view struct {
		Blocks []struct {
			Type    string `json:"type"`
			BlockID string `json:"block_id"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(v.View, &view); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, b := range view.Blocks {
		if b.Type == "input" {
			out = append(out, b.BlockID)
		}
	}
	return out
}

// TestIntakeFormAsksForTypeAndFields: /ask alone opens the form; choosing
// Finance redraws it in place with Finance's types (the default chosen),
// choosing Reimbursement with its fields; sending it without the required
// amount is answered in the form; sending it whole files a reimbursement
// whose card shows its fields.
func TestIntakeFormAsksForTypeAndFields(t *testing.T) {
	h := newHarness(t, false, withTypes(t))
	ctx := waitCtx(t)
	if code, _ := h.slash(sam, ""); code != http.StatusOK {
		t.Fatalf("/ask: %d", code)
	}
	if _, err := h.fake.WaitCalls(ctx, "views.open", 1); err != nil {
		t.Fatal(err)
	}
	v := h.fake.Views()[0]
	if got := inputBlockIDs(t, v); strings.Join(got, " ") != "askdesk:file:dept askdesk:file:priority askdesk:file:text" {
		t.Fatalf("form before a department is chosen: %v", got)
	}
	interact := func(payload json.RawMessage, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		code, body := h.signed("/slack/interactions", slacktest.InteractionBody(payload))
		if code != http.StatusOK {
			t.Fatalf("interaction: %d %s", code, body)
		}
		return body
	}

	// Finance: its types appear, the default chosen; it has no fields.
	interact(h.fake.PressInView(sam, v, "askdesk:file:dept", "finance", map[string]string{"askdesk:file:text": "lunch with the client"}))
	if _, err := h.fake.WaitCalls(ctx, "views.update", 1); err != nil {
		t.Fatal(err)
	}
	v, _ = h.fake.View(v.ID)
	if got := strings.Join(inputBlockIDs(t, v), " "); got != "askdesk:file:dept askdesk:file:type:finance askdesk:file:priority askdesk:file:text" {
		t.Fatalf("form for Finance: %s", got)
	}
	if !strings.Contains(string(v.View), `"initial_value":"lunch with the client"`) {
		t.Errorf("the redraw lost what was typed: %s", v.View)
	}

	// Reimbursement: its fields appear after the text.
	interact(h.fake.PressInView(sam, v, "askdesk:file:type:finance", "reimbursement", nil))
	if _, err := h.fake.WaitCalls(ctx, "views.update", 2); err != nil {
		t.Fatal(err)
	}
	v, _ = h.fake.View(v.ID)
	amount, category, spent := "askdesk:file:field:finance.reimbursement.amount", "askdesk:file:field:finance.reimbursement.category", "askdesk:file:field:finance.reimbursement.spent_on"
	if got := strings.Join(inputBlockIDs(t, v), " "); got != "askdesk:file:dept askdesk:file:type:finance askdesk:file:priority askdesk:file:text "+amount+" "+category+" "+spent {
		t.Fatalf("form for a reimbursement: %s", got)
	}

	// Sent without the amount: answered in the form, nothing filed.
	payload, err := slacktest.ViewSubmission(v, sam, map[string]string{category: "meals"})
	body := interact(payload, err)
	if !strings.Contains(body, `"response_action":"errors"`) || !strings.Contains(body, amount) || !strings.Contains(body, "Amount is required") {
		t.Fatalf("submission without the amount answered %s", body)
	}
	if n := h.count("requests"); n != 0 {
		t.Fatalf("%d requests filed from an incomplete form", n)
	}

	// Whole: filed as a reimbursement, its card shows the fields.
	payload, err = slacktest.ViewSubmission(v, sam, map[string]string{amount: "42.50", category: "meals", spent: "2026-11-20"})
	if body := interact(payload, err); strings.Contains(body, "errors") {
		t.Fatalf("submission answered %s", body)
	}
	r, err := h.srv.db.Request(h.ctx, "FIN-1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Type != "reimbursement" || len(r.Fields) != 3 || r.Fields[0].Value != "42.50" || r.Fields[2].Value != "2026-11-20" {
		t.Errorf("filed %+v", r)
	}
	h.deliver()
	card := h.fake.Messages(finCh)
	if len(card) == 0 {
		t.Fatal("no card in the queue")
	}
	for _, want := range []string{"Reimbursement", "Amount: 42.50", "Category: meals", "Spent on: 2026-11-20"} {
		if !strings.Contains(string(card[0].Blocks), want) {
			t.Errorf("the card lacks %q: %s", want, card[0].Blocks)
		}
	}
}

// TestPrivateTypeNeverInQueueChannel: a private request filed by slash
// command and claimed from its card leaves nothing of its words in
// anything the queue channel holds (cards, thread replies, their blocks
// and fallback text), while its card shows its type and ID.
func TestPrivateTypeNeverInQueueChannel(t *testing.T) {
	const secret = "salary-of-frank-9731"
	h := newHarness(t, false, withTypes(t))
	_, body := h.slash(sam, "finance payroll my pay was short "+secret+" employee=emp-"+secret)
	if !strings.Contains(body, "FIN-1") || !strings.Contains(body, "It is private") {
		t.Fatalf("/ask answered %s", body)
	}
	h.deliver()
	if code, _ := h.press(frank, finCh, "askdesk:claim", "FIN-1"); code != http.StatusOK {
		t.Fatalf("claim: %d", code)
	}
	h.deliver()
	msgs := h.fake.Messages(finCh)
	if len(msgs) == 0 {
		t.Fatal("nothing in the queue channel")
	}
	for _, m := range msgs {
		all := m.Text + string(m.Blocks) + string(m.Metadata)
		if strings.Contains(all, secret) || strings.Contains(all, "pay was short") {
			t.Errorf("the queue channel holds the private words: %s", all)
		}
	}
	if !strings.Contains(string(msgs[0].Blocks), "FIN-1") || !strings.Contains(string(msgs[0].Blocks), "Payroll question") {
		t.Errorf("the card does not show the ID and type: %s", msgs[0].Blocks)
	}
	// Frank, of Finance, sees it all in /ask status; the requester too.
	for _, u := range []string{frank, sam} {
		if _, body := h.slash(u, "status FIN-1"); !strings.Contains(body, secret) {
			t.Errorf("%s's /ask status lacks the text: %s", u, body)
		}
	}
}

// TestIntakeFormWithoutRedrawFilesDefaultType: a form sent with a
// department chosen but before (or without) its redraw files the
// department's default type when that type asks for nothing.
func TestIntakeFormWithoutRedrawFilesDefaultType(t *testing.T) {
	h := newHarness(t, false, withTypes(t))
	ctx := waitCtx(t)
	h.slash(sam, "")
	if _, err := h.fake.WaitCalls(ctx, "views.open", 1); err != nil {
		t.Fatal(err)
	}
	payload, err := slacktest.ViewSubmission(h.fake.Views()[0], sam, map[string]string{"askdesk:file:dept": "finance", "askdesk:file:text": "the Q3 numbers"})
	if err != nil {
		t.Fatal(err)
	}
	if code, body := h.signed("/slack/interactions", slacktest.InteractionBody(payload)); code != http.StatusOK || strings.Contains(body, "errors") {
		t.Fatalf("submit: %d %s", code, body)
	}
	r, err := h.srv.db.Request(h.ctx, "FIN-1")
	if err != nil || r.Type != "budget" {
		t.Fatalf("filed %+v, %v; want a budget request", r, err)
	}
}

// TestIntakeFormTypesOverSocketMode: the same redraw and submission over
// Socket Mode: the menu's block_actions is acknowledged and redraws the
// form; a submission missing a required field is answered, in the ack,
// with the form's errors.
func TestIntakeFormTypesOverSocketMode(t *testing.T) {
	h := newHarness(t, true, withTypes(t))
	ctx := waitCtx(t)
	h.waitSocket(ctx)
	h.sendSocket(ctx, slacktest.SlashCommandEnvelope("env-1", h.slashForm(sam, "")))
	h.waitAck(ctx, "env-1")
	if _, err := h.fake.WaitCalls(ctx, "views.open", 1); err != nil {
		t.Fatal(err)
	}
	v := h.fake.Views()[0]
	must := func(payload json.RawMessage, err error) json.RawMessage {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return payload
	}
	send := func(env string, payload json.RawMessage) json.RawMessage {
		t.Helper()
		h.sendSocket(ctx, slacktest.InteractiveEnvelope(env, payload))
		return h.waitAck(ctx, env)
	}
	send("env-2", must(h.fake.PressInView(sam, v, "askdesk:file:dept", "finance", nil)))
	if _, err := h.fake.WaitCalls(ctx, "views.update", 1); err != nil {
		t.Fatal(err)
	}
	v, _ = h.fake.View(v.ID)
	send("env-3", must(h.fake.PressInView(sam, v, "askdesk:file:type:finance", "payroll", nil)))
	if _, err := h.fake.WaitCalls(ctx, "views.update", 2); err != nil {
		t.Fatal(err)
	}
	v, _ = h.fake.View(v.ID)
	if !strings.Contains(string(v.View), "Private: only you and Finance") {
		t.Errorf("the payroll form does not say it is private: %s", v.View)
	}
	ack := send("env-4", must(slacktest.ViewSubmission(v, sam, map[string]string{"askdesk:file:text": "my pay"})))
	if !strings.Contains(string(ack), "askdesk:file:field:finance.payroll.employee") || !strings.Contains(string(ack), "Employee is required") {
		t.Fatalf("ack of a form without the employee: %s", ack)
	}
	if ack := send("env-5", must(slacktest.ViewSubmission(v, sam, map[string]string{"askdesk:file:text": "my pay", "askdesk:file:field:finance.payroll.employee": "E-77"}))); strings.Contains(string(ack), "errors") {
		t.Fatalf("ack: %s", ack)
	}
	r, err := h.srv.db.Request(h.ctx, "FIN-1")
	if err != nil || r.Type != "payroll" || !r.Private || len(r.Fields) != 1 || r.Fields[0].Value != "E-77" {
		t.Fatalf("filed %+v, %v", r, err)
	}
}
