package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// openHome sends Slack's app_home_opened for user over HTTP and waits for
// the Home it publishes (the n-th views.publish in all), which it returns
// after checking it against Block Kit's limits for a Home.
func (h *harness) openHome(t *testing.T, user string, n int) slacktest.View {
	t.Helper()
	ev := map[string]any{"type": "app_home_opened", "user": user, "channel": "D0HOME001", "tab": "home",
		"event_ts": fmt.Sprintf("%d.000100", h.clock.Now().Unix())}
	if code, body := h.signed("/slack/events", eventBody(t, "", ev)); code != http.StatusOK {
		t.Fatalf("app_home_opened: %d %s", code, body)
	}
	return h.waitHome(t, user, n)
}

// waitHome waits for the n-th views.publish and returns user's Home.
func (h *harness) waitHome(t *testing.T, user string, n int) slacktest.View {
	t.Helper()
	if _, err := h.fake.WaitCalls(waitCtx(t), "views.publish", n); err != nil {
		t.Fatalf("waiting for publish %d: %v", n, err)
	}
	v, ok := h.fake.Home(user)
	if !ok {
		t.Fatalf("no Home published for %s", user)
	}
	blocks, err := slacktest.HomeBlocks(v)
	if err != nil {
		t.Fatal(err)
	}
	if p := slacktest.BlockProblems(blocks, 100); len(p) > 0 {
		t.Fatalf("the Home breaks Block Kit's limits: %v", p)
	}
	return v
}

// pressHome presses pick on user's Home over HTTP.
func (h *harness) pressHome(t *testing.T, user string, pick slacktest.Pick) {
	t.Helper()
	payload, err := h.fake.PressInHome(user, pick)
	if err != nil {
		t.Fatal(err)
	}
	if code, body := h.signed("/slack/interactions", slacktest.InteractionBody(payload)); code != http.StatusOK {
		t.Fatalf("press %v: %d %s", pick, code, body)
	}
}

func homeElements(t *testing.T, v slacktest.View) []slacktest.Element {
	t.Helper()
	blocks, err := slacktest.HomeBlocks(v)
	if err != nil {
		t.Fatal(err)
	}
	els, err := slacktest.Elements(blocks)
	if err != nil {
		t.Fatal(err)
	}
	return els
}

func offers(els []slacktest.Element, actionID, blockID string) bool {
	for _, el := range els {
		if el.ActionID == actionID && (blockID == "" || el.BlockID == blockID) {
			return true
		}
	}
	return false
}

// A member opens the Home tab: it is published with their queue, within
// Block Kit's limits; pressing Claim there claims the request, and the
// Home is published again showing it assigned to them.
func TestHomeOpenedPublishesQueueAndClaimRepublishes(t *testing.T) {
	h := newHarness(t, false)
	if code, body := h.slash(sam, "finance the Q3 budget numbers please"); code != http.StatusOK {
		t.Fatalf("/ask: %d %s", code, body)
	}
	v := h.openHome(t, frank, 1)
	if !strings.Contains(string(v.View), "FIN-1") || !strings.Contains(string(v.View), "My queue") {
		t.Fatalf("frank's Home lacks the queue or FIN-1: %s", v.View)
	}
	if !strings.Contains(string(v.View), "first response due in 4h") {
		t.Errorf("the Home does not say the running clock in words: %s", v.View)
	}
	queueBlock := "askdesk:req:FIN-1:home.queue"
	if !offers(homeElements(t, v), "askdesk:claim", queueBlock) {
		t.Fatalf("no Claim for FIN-1 in frank's queue: %v", homeElements(t, v))
	}

	h.clock.Advance(5 * time.Second) // people take a moment
	h.pressHome(t, frank, slacktest.Pick{ActionID: "askdesk:claim", BlockID: queueBlock})
	v = h.waitHome(t, frank, 2)
	r, err := h.srv.desk.Request(h.ctx, "FIN-1")
	if err != nil {
		t.Fatal(err)
	}
	if r.State != bot.Acknowledged || r.Assignee != frank {
		t.Fatalf("after Claim on the Home: %s assigned to %q", r.State, r.Assignee)
	}
	if !strings.Contains(viewText(v), "assigned to <@"+frank+">") || offers(homeElements(t, v), "askdesk:claim", queueBlock) {
		t.Errorf("the republished Home does not show FIN-1 claimed: %s", v.View)
	}
	if v2, _ := h.fake.Home(frank); v2.Updated < 1 {
		t.Errorf("the Home was not published again in place (updated %d times)", v2.Updated)
	}
}

// The requester's Home lists their open request with its status,
// department, clock and the acts they may take (cancel, reply), and a
// New request button that opens the intake form.
func TestHomeShowsMyRequestsWithActionsAndNewRequest(t *testing.T) {
	h := newHarness(t, false)
	if code, _ := h.slash(sam, "finance the Q3 budget numbers please"); code != http.StatusOK {
		t.Fatal("/ask")
	}
	v := h.openHome(t, sam, 1)
	s := string(v.View)
	for _, want := range []string{"My requests", "FIN-1", "Finance", "open", "first response due in 4h"} {
		if !strings.Contains(s, want) {
			t.Errorf("sam's Home lacks %q: %s", want, s)
		}
	}
	if strings.Contains(s, "My queue") {
		t.Errorf("a requester who works in no department sees a queue")
	}
	els := homeElements(t, v)
	for _, id := range []string{"askdesk:cancel", "askdesk:reply", "askdesk:home:new"} {
		if !offers(els, id, "") {
			t.Errorf("sam's Home does not offer %s", id)
		}
	}
	if offers(els, "askdesk:claim", "") {
		t.Errorf("a requester is offered Claim")
	}
	h.pressHome(t, sam, slacktest.Pick{ActionID: "askdesk:home:new"})
	if _, err := h.fake.WaitCalls(waitCtx(t), "views.open", 1); err != nil {
		t.Fatal(err)
	}
}

// A queue of 25 shows 20 and a Next page button; pressing it publishes the
// second page with the other 5 and a Previous button.
func TestHomeQueuePagesBeyondTwenty(t *testing.T) {
	h := newHarness(t, false)
	for i := 1; i <= 25; i++ {
		if code, body := h.slash(sam, fmt.Sprintf("finance question number %d", i)); code != http.StatusOK {
			t.Fatalf("/ask %d: %d %s", i, code, body)
		}
	}
	v := h.openHome(t, frank, 1)
	count := func(v slacktest.View) int {
		n := 0
		for _, el := range homeElements(t, v) {
			if el.ActionID == "askdesk:claim" {
				n++
			}
		}
		return n
	}
	if got := count(v); got != 20 {
		t.Fatalf("first page: %d requests to claim, want 20", got)
	}
	if !offers(homeElements(t, v), "askdesk:home:page:next", "") {
		t.Fatal("no Next page button with 25 in the queue")
	}
	h.clock.Advance(5 * time.Second)
	h.pressHome(t, frank, slacktest.Pick{ActionID: "askdesk:home:page:next"})
	v = h.waitHome(t, frank, 2)
	if got := count(v); got != 5 {
		t.Errorf("second page: %d requests, want 5", got)
	}
	els := homeElements(t, v)
	if !offers(els, "askdesk:home:page:prev", "") || offers(els, "askdesk:home:page:next", "") {
		t.Errorf("second page's paging is wrong: %v", els)
	}
	var meta bot.HomeQuery
	var body struct {
		PrivateMetadata string `json:"private_metadata"`
	}
	if err := json.Unmarshal(v.View, &body); err != nil || json.Unmarshal([]byte(body.PrivateMetadata), &meta) != nil || meta.Page != 1 {
		t.Errorf("the view does not carry its page: %q", body.PrivateMetadata)
	}
}

// A filter chosen on the Home republishes it filtered: urgent only.
func TestHomeQueueFilterByPriority(t *testing.T) {
	h := newHarness(t, false)
	h.slash(sam, "finance !urgent payroll is wrong")
	h.slash(sam, "finance the Q3 budget numbers please")
	v := h.openHome(t, frank, 1)
	if !strings.Contains(string(v.View), "FIN-2") {
		t.Fatalf("FIN-2 missing before filtering: %s", v.View)
	}
	h.clock.Advance(5 * time.Second)
	h.pressHome(t, frank, slacktest.Pick{ActionID: "askdesk:home:priority", Option: "urgent"})
	v = h.waitHome(t, frank, 2)
	if !strings.Contains(string(v.View), "FIN-1") || strings.Contains(string(v.View), "FIN-2") {
		t.Errorf("filtered to urgent, the queue shows: %s", v.View)
	}
}

// A lead's Home shows the department's standards against this week's and
// this quarter's figures, the oldest breaches, who is away, and a Manage
// standards button that opens /ask manage's form.
func TestHomeLeadSeesStandardsAndManage(t *testing.T) {
	h := newHarness(t, false, withSlackCatalogue(t))
	h.slash(sam, "finance the Q3 budget numbers please")
	h.clock.Advance(6 * time.Hour) // past the 4h first response
	v := h.openHome(t, fiona, 1)
	s := string(v.View)
	for _, want := range []string{"Finance: standards and this week", "first response within 4 business hours", "This week (from",
		"This quarter (", "Oldest breaches", "FIN-1", "first response overdue by 2h", "Nobody is away"} {
		if !strings.Contains(s, want) {
			t.Errorf("fiona's Home lacks %q: %s", want, s)
		}
	}
	if !offers(homeElements(t, v), "askdesk:home:manage", "") {
		t.Fatal("no Manage standards button")
	}
	h.pressHome(t, fiona, slacktest.Pick{ActionID: "askdesk:home:manage"})
	if _, err := h.fake.WaitCalls(waitCtx(t), "views.open", 1); err != nil {
		t.Fatal(err)
	}
	for _, mv := range h.fake.Views() {
		if mv.Type == "modal" && !strings.Contains(string(mv.View), `"callback_id":"askdesk:manage"`) {
			t.Errorf("Manage standards opened another form: %s", mv.View)
		}
	}
	if strings.Contains(string(mustHome(t, h, sam)), "standards and this week") {
		t.Error("a requester sees a lead's panel")
	}
}

func mustHome(t *testing.T, h *harness, user string) json.RawMessage {
	t.Helper()
	n := len(h.fake.CallsTo("views.publish"))
	h.clock.Advance(5 * time.Second)
	return h.openHome(t, user, n+1).View
}

// viewText is a view's JSON with Go's HTML escapes undone, for reading
// mrkdwn in it.
func viewText(v slacktest.View) string {
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(v.View))
}

// The requester's open Home is published again when the department acts
// on their request from its card: Frank claims FIN-1 in the queue channel,
// and Sam's Home shows it assigned, without Sam doing anything.
func TestHomeRepublishedWhenMyRequestChanges(t *testing.T) {
	h := newHarness(t, false)
	h.slash(sam, "finance the Q3 budget numbers please")
	h.deliver() // the card reaches the queue channel
	if v := h.openHome(t, sam, 1); strings.Contains(viewText(v), "assigned to") {
		t.Fatalf("assigned before the claim: %s", v.View)
	}
	h.clock.Advance(5 * time.Second)
	if code, body := h.press(frank, finCh, "askdesk:claim", "FIN-1"); code != http.StatusOK {
		t.Fatalf("claim on the card: %d %s", code, body)
	}
	v := h.waitHome(t, sam, 2)
	if !strings.Contains(viewText(v), "FIN-1* · Finance · acknowledged, assigned to <@"+frank+">") {
		t.Errorf("sam's Home after frank's claim: %s", v.View)
	}
}

// Reply on the Home opens a form; what is sent there is a reply on the
// request (as in its thread). Search opens a form whose answer is what
// /ask search answers.
func TestHomeReplyAndSearchForms(t *testing.T) {
	h := newHarness(t, false)
	h.slash(sam, "finance the Q3 budget numbers please")
	h.openHome(t, sam, 1)
	h.pressHome(t, sam, slacktest.Pick{ActionID: "askdesk:reply", BlockID: "askdesk:req:FIN-1:home.mine"})
	if _, err := h.fake.WaitCalls(waitCtx(t), "views.open", 1); err != nil {
		t.Fatal(err)
	}
	var form slacktest.View
	for _, v := range h.fake.Views() {
		if v.Type == "modal" {
			form = v
		}
	}
	payload, err := slacktest.ViewSubmission(form, sam, map[string]string{"askdesk:file:text": "Only EMEA, please"})
	if err != nil {
		t.Fatal(err)
	}
	if code, body := h.signed("/slack/interactions", slacktest.InteractionBody(payload)); code != http.StatusOK || strings.Contains(body, "errors") {
		t.Fatalf("reply form: %d %s", code, body)
	}
	_, evs, err := h.srv.desk.Get(h.ctx, sam, "FIN-1")
	if err != nil {
		t.Fatal(err)
	}
	if last := evs[len(evs)-1]; last.Kind != bot.EvCommented || last.Text != "Only EMEA, please" {
		t.Errorf("after the reply form, the last event is %s %q", last.Kind, last.Text)
	}

	h.clock.Advance(5 * time.Second)
	h.pressHome(t, sam, slacktest.Pick{ActionID: "askdesk:home:search"})
	if _, err := h.fake.WaitCalls(waitCtx(t), "views.open", 2); err != nil {
		t.Fatal(err)
	}
	for _, v := range h.fake.Views() {
		if v.Type == "modal" && strings.Contains(string(v.View), "askdesk:homesearch") {
			form = v
		}
	}
	payload, err = slacktest.ViewSubmission(form, sam, map[string]string{"askdesk:homesearch:words": "budget"})
	if err != nil {
		t.Fatal(err)
	}
	code, body := h.signed("/slack/interactions", slacktest.InteractionBody(payload))
	want := h.srv.desk.Command(h.ctx, sam, "search budget").Text
	if code != http.StatusOK || !strings.Contains(body, `"response_action":"update"`) || !strings.Contains(body, firstWords(want)) {
		t.Errorf("search form answered %d %s; /ask search says %q", code, body, want)
	}
}

// firstWords is the start of s, enough to recognise it in JSON.
func firstWords(s string) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(3, len(f))], " ")
}

// A transfer republishes the Homes of both departments' members: FIN-1
// leaves Frank's queue and reaches Ivan's in IT.
func TestHomeTransferRepublishesBothQueues(t *testing.T) {
	h := newHarness(t, false)
	h.slash(sam, "finance my laptop will not start")
	h.deliver()
	if v := h.openHome(t, frank, 1); !strings.Contains(string(v.View), "FIN-1") {
		t.Fatalf("FIN-1 not in frank's queue: %s", v.View)
	}
	h.clock.Advance(5 * time.Second)
	if v := h.openHome(t, "U0IVAN001", 2); strings.Contains(string(v.View), "FIN-1") {
		t.Fatalf("FIN-1 in IT's queue before the transfer: %s", v.View)
	}
	h.clock.Advance(5 * time.Second)
	if code, body := h.choose(fiona, finCh, "askdesk:transfer", "FIN-1", "it"); code != http.StatusOK {
		t.Fatalf("transfer: %d %s", code, body)
	}
	h.waitHome(t, frank, 4)
	if v, _ := h.fake.Home(frank); strings.Contains(string(v.View), "FIN-1") {
		t.Errorf("FIN-1 still in frank's queue after its transfer to IT: %s", v.View)
	}
	if v, _ := h.fake.Home("U0IVAN001"); !strings.Contains(string(v.View), "FIN-1") {
		t.Errorf("FIN-1 not in ivan's queue after its transfer to IT: %s", v.View)
	}
}

// A resolved request on its requester's Home offers the rating buttons
// until rated; pressing one rates it, and the Home says so at the top.
func TestHomeRateIfUnrated(t *testing.T) {
	h := newHarness(t, false)
	h.slash(sam, "finance the Q3 budget numbers please")
	h.deliver()
	if code, body := h.press(frank, finCh, "askdesk:resolve", "FIN-1"); code != http.StatusOK {
		t.Fatalf("resolve: %d %s", code, body)
	}
	v := h.openHome(t, sam, 1)
	rate := "askdesk:req:FIN-1:home.closed.rate"
	if !offers(homeElements(t, v), "askdesk:rate4", rate) || !offers(homeElements(t, v), "askdesk:reopen", "") {
		t.Fatalf("resolved FIN-1 on sam's Home: %v", homeElements(t, v))
	}
	h.clock.Advance(5 * time.Second)
	h.pressHome(t, sam, slacktest.Pick{ActionID: "askdesk:rate4", BlockID: rate})
	v = h.waitHome(t, sam, 2)
	if !strings.Contains(string(v.View), "you rated FIN-1 4 of 5") || offers(homeElements(t, v), "askdesk:rate4", "") {
		t.Errorf("after rating from the Home: %s", v.View)
	}
}

// Over Socket Mode, app_home_opened arrives in an events_api envelope; it
// is acknowledged and the Home published, with the filters its last view
// carried (they survive a restart in private_metadata).
func TestHomeOpenedOverSocketMode(t *testing.T) {
	h := newHarness(t, true)
	ctx := waitCtx(t)
	if err := h.fake.WaitSocketConnections(ctx, 1); err != nil {
		t.Fatal(err)
	}
	inner, _ := json.Marshal(map[string]any{"type": "app_home_opened", "user": frank, "channel": "D0HOME001", "tab": "home",
		"event_ts": "1764000100.000300", "view": map[string]any{"id": "V0OLD0001", "type": "home",
			"private_metadata": `{"Priority":"urgent","Page":0}`}})
	if err := h.fake.SendEnvelope(ctx, slacktest.EventsAPIEnvelope("env-home", inner)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.fake.WaitAck(ctx, "env-home"); err != nil {
		t.Fatal(err)
	}
	v := h.waitHome(t, frank, 1)
	if !strings.Contains(string(v.View), `\"Priority\":\"urgent\"`) {
		t.Errorf("the filters of the earlier view were not kept: %s", v.View)
	}
}

// A refusal met on the Home (here: rating after the rating window) is said
// in the reader's language, as the desk's replies are.
func TestHomeRefusalInTheReadersLanguage(t *testing.T) {
	h := newHarness(t, false, func(o *serverOptions) { o.Dir.Language = "zh-Hans" })
	h.slash(sam, "finance the Q3 budget numbers please")
	h.deliver()
	if code, body := h.press(frank, finCh, "askdesk:resolve", "FIN-1"); code != http.StatusOK {
		t.Fatalf("resolve: %d %s", code, body)
	}
	rate := "askdesk:req:FIN-1:home.closed.rate"
	if !offers(homeElements(t, h.openHome(t, sam, 1)), "askdesk:rate4", rate) {
		t.Fatal("resolved FIN-1 on sam's Home offers no rating")
	}
	h.clock.Advance(8 * 24 * time.Hour)
	h.pressHome(t, sam, slacktest.Pick{ActionID: "askdesk:rate4", BlockID: rate})
	v := h.waitHome(t, sam, 2)
	if s := string(v.View); !strings.Contains(s, "FIN-1 的评分期（7天）已过") {
		t.Errorf("the refusal on sam's Home is not in Chinese: %s", s)
	}
}
