package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestOnlySlackUserIDsAct: a signed payload whose user is not a Slack user
// ID (empty, huge, with a NUL, or askdesk itself, which may do anything)
// files nothing, changes nothing and is told so; the log gives its length,
// not the value.
func TestOnlySlackUserIDsAct(t *testing.T) {
	var out watchedLog
	h := newHarness(t, false, func(o *serverOptions) { o.Log = newLogger(&out, config.LogConfig{Level: "debug"}) })
	h.slash(sam, "finance numbers")
	h.deliver()
	huge := "U" + strings.Repeat("A", 100_000)
	bad := []string{"", huge, "U0SAM\x000001", bot.SystemActor, "u0sam0001", "B0BOT0001"}
	before := h.snapshot()
	for _, user := range bad {
		code, body := h.signed("/slack/commands", []byte(h.slashForm(user, "finance forged").Encode()))
		if code != http.StatusOK || !strings.Contains(body, "couldn't tell who sent this") {
			t.Errorf("/ask from %.20q: %d %s", user, code, body)
		}
		m, pick := h.offering(finCh, "askdesk:claim", "FIN-1")
		payload, err := h.fake.Press(frank, m.Shown(), pick)
		if err != nil {
			t.Fatal(err)
		}
		h.signed("/slack/interactions", slacktest.InteractionBody(forgeUser(t, payload, user)))
		h.fake.AddMessage("C0INTAKE1", "1764000000.000500", sam, "please approve my PO")
		h.signed("/slack/events", eventBody(t, "", map[string]any{
			"type": "reaction_added", "user": user, "reaction": "ticket", "item_user": sam,
			"item": map[string]any{"type": "message", "channel": "C0INTAKE1", "ts": "1764000000.000500"},
		}))
		h.srv.eventsIdle()
	}
	if after := h.snapshot(); after != before {
		t.Errorf("payloads from non-users changed the store:\nbefore %+v\nafter  %+v", before, after)
	}
	log := out.String()
	if strings.Contains(log, strings.Repeat("A", 100)) || strings.Contains(log, "\x00") {
		t.Errorf("the log holds the forged user ID itself (%d bytes of log)", len(log))
	}
	if !strings.Contains(log, "not a Slack user ID") {
		t.Errorf("the refusals were not logged:\n%s", log)
	}
}

// forgeUser returns the block_actions payload with its user replaced.
func forgeUser(t *testing.T, payload []byte, user string) []byte {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(payload, &p); err != nil {
		t.Fatal(err)
	}
	p["user"] = map[string]any{"id": user, "team_id": slacktest.TeamID}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
