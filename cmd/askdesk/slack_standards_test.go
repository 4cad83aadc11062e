package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// withSlackCatalogue runs serve with the service catalogue owned in Slack.
func withSlackCatalogue(t *testing.T) func(*serverOptions) {
	return func(o *serverOptions) {
		cfg, err := config.Parse("test.toml", strings.NewReader(testConfig+"\n[catalog]\nsource = \"slack\"\n"))
		if err != nil {
			t.Fatal(err)
		}
		o.Config, o.ConfigFile = cfg, "test.toml"
	}
}

// TestManageStandardsInSlack: a lead types /ask manage finance and gets the
// form with the standard as it is; a mistake is answered inside the form,
// in check-config's words, and nothing is saved; a good change is
// published, the queue channel told, and it is in force at once. Someone
// who is not a lead gets a refusal and no form.
func TestManageStandardsInSlack(t *testing.T) {
	h := newHarness(t, false, withSlackCatalogue(t))

	if code, body := h.slash(sam, "manage finance"); code != 200 || !strings.Contains(body, "Only Finance") {
		t.Fatalf("/ask manage by a requester: %d %s", code, body)
	}
	if n := len(h.fake.CallsTo("views.open")); n != 0 {
		t.Fatalf("a requester was shown the form (%d views.open)", n)
	}

	if code, body := h.slash(fiona, "manage finance"); code != 200 || strings.TrimSpace(body) != "" {
		t.Fatalf("/ask manage by the lead: %d %q", code, body)
	}
	if _, err := h.fake.WaitCalls(waitCtx(t), "views.open", 1); err != nil {
		t.Fatal(err)
	}
	form := h.fake.Views()[0]
	for _, want := range []string{`"askdesk:manage:targets"`, `normal 4h / 2d`, `"askdesk:manage:leads"`, `"initial_users":["U0FIONA01"]`, `"askdesk:manage:reason"`, `"callback_id":"askdesk:manage"`} {
		if !strings.Contains(string(form.View), want) {
			t.Errorf("the form lacks %s:\n%s", want, form.View)
		}
	}

	_, fileErr := config.Parse("test.toml", strings.NewReader(strings.Replace(testConfig, `timezone = "America/New_York"`, `timezone = "America/New York"`, 1)))
	var probs config.Problems
	if !errors.As(fileErr, &probs) {
		t.Fatalf("check-config: %v", fileErr)
	}
	submit := func(values map[string]string) string {
		t.Helper()
		payload, err := slacktest.ViewSubmission(form, fiona, values)
		if err != nil {
			t.Fatal(err)
		}
		code, body := h.signed("/slack/interactions", slacktest.InteractionBody(payload))
		if code != 200 {
			t.Fatalf("submit: HTTP %d %s", code, body)
		}
		return body
	}
	body := submit(map[string]string{"askdesk:manage:timezone": "America/New York", "askdesk:manage:reason": "moved"})
	var resp struct {
		Action string            `json:"response_action"`
		Errors map[string]string `json:"errors"`
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil || resp.Action != "errors" {
		t.Fatalf("a bad zone: %s", body)
	}
	if got := resp.Errors["askdesk:manage:timezone"]; got != probs[0].Msg {
		t.Errorf("the form says %q of the zone; check-config says %q", got, probs[0].Msg)
	}
	if n := h.count("catalog_revisions"); n != 2 {
		t.Fatalf("%d revisions after a refused change, want the 2 seeded", n)
	}

	if body := submit(map[string]string{"askdesk:manage:targets": "normal 1h / 2d", "askdesk:manage:reason": "month-end is over"}); strings.Contains(body, "errors") {
		t.Fatalf("a good change: %s", body)
	}
	if n := h.count("catalog_revisions"); n != 3 {
		t.Fatalf("%d revisions after the change, want 3", n)
	}
	h.deliver()
	var told bool
	for _, m := range h.fake.Messages(finCh) {
		told = told || (strings.Contains(m.Text, "updated its service standards") && strings.Contains(m.Text, "month-end is over"))
	}
	if !told {
		t.Errorf("#finance-requests was not told: %+v", h.fake.Messages(finCh))
	}
	if got := h.srv.desk.Dir().ByName("finance").Target("normal").FirstResponse.String(); got != "1h" {
		t.Errorf("the first-response target in force: %s, want 1h", got)
	}
	if code, body := h.slash(sam, "standards finance history"); code != 200 || !strings.Contains(body, "Revision 2") || !strings.Contains(body, "month-end is over") {
		t.Errorf("/ask standards finance history: %d %s", code, body)
	}
}
