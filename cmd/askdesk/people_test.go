package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

const gina = "U0GINA001" // in Slack's @finance-team only

// TestSlackUsergroupIsTheTeam: Finance names the Slack user group
// @finance-team instead of listing gina; askdesk reads the group with
// usergroups.users.list, so gina may claim from the card; when Slack says
// the group changed (subteam_members_changed, in the shape of Slack's own
// example, counts as strings), askdesk reads it again, and gina, no longer
// in it, may not resolve.
func TestSlackUsergroupIsTheTeam(t *testing.T) {
	fake := slacktest.New()
	fake.AddUser(gina, "gina", "Gina", "America/New_York")
	fake.SetUsergroup(slacktest.Usergroup{ID: "S0FINTEAM", Handle: "finance-team", Name: "Finance team", Members: []string{gina}})
	h := newHarnessOn(t, fake, false, func(o *serverOptions) {
		o.Dir.ByName("finance").Usergroup = "@finance-team"
	})
	ctx := waitCtx(t)
	if _, err := fake.WaitCalls(ctx, "usergroups.users.list", 1); err != nil {
		t.Fatal(err)
	}
	// Read the group now, as serve did at start (a minute later: Slack's
	// tier 2 paces usergroups.list), so the test does not race the start's
	// own read.
	h.clock.Advance(time.Minute)
	if err := h.srv.app.SyncGroups(h.ctx); err != nil {
		t.Fatal(err)
	}
	if c := fake.CallsTo("usergroups.users.list"); c[0].Params.Get("usergroup") != "S0FINTEAM" {
		t.Fatalf("usergroups.users.list called with %v", c[0].Params)
	}
	h.slash(sam, "finance numbers")
	h.deliver()
	if code, _ := h.press(gina, finCh, "askdesk:claim", "FIN-1"); code != http.StatusOK {
		t.Fatalf("claim: %d", code)
	}
	h.deliver()
	if ups := fake.CallsTo("chat.update"); len(ups) != 1 || !strings.Contains(ups[0].Params.Get("blocks"), "claimed by") {
		t.Fatalf("card after gina's claim: %+v", ups)
	}

	fake.SetUsergroup(slacktest.Usergroup{ID: "S0FINTEAM", Handle: "finance-team", Name: "Finance team"})
	code, _ := h.signed("/slack/events", eventBody(t, "", map[string]any{
		"type": "subteam_members_changed", "subteam_id": "S0FINTEAM", "team_id": "T060RNRCH",
		"date_previous_update": 1446670362, "date_update": 1492906952,
		"added_users": []string{}, "added_users_count": "0", "removed_users": []string{gina}, "removed_users_count": "1",
	}))
	if code != http.StatusOK {
		t.Fatalf("event: %d", code)
	}
	h.srv.eventsIdle()
	before := len(fake.CallsTo("chat.postEphemeral"))
	if code, _ := h.press(gina, finCh, "askdesk:resolve", "FIN-1"); code != http.StatusOK {
		t.Fatalf("resolve click: %d", code)
	}
	calls, err := fake.WaitCalls(ctx, "chat.postEphemeral", before+1)
	if err != nil {
		t.Fatal(err)
	}
	if txt := calls[before].Params.Get("text"); !strings.Contains(txt, "You can't resolve FIN-1") {
		t.Fatalf("gina, out of the group, resolving: %q", txt)
	}
}

// TestSlackProfileDepartment: with [slack] department_field set, a
// requester nothing in the config places is placed by that field of their
// Slack profile, read once with users.profile.get, and /ask map shows it.
func TestSlackProfileDepartment(t *testing.T) {
	fake := slacktest.New()
	fake.SetProfileField(tina, "Xf0DEPT01", "Marketing")
	h := newHarnessOn(t, fake, false, func(o *serverOptions) { o.Slack.DepartmentField = "Xf0DEPT01" })
	h.slash(tina, "finance budget for the fair")
	h.slash(tina, "finance and the posters")
	if c := fake.CallsTo("users.profile.get"); len(c) != 1 || c[0].Params.Get("user") != tina {
		t.Fatalf("users.profile.get calls: %+v", c)
	}
	r, err := h.srv.desk.Request(h.ctx, "FIN-2")
	if err != nil || r.RequesterDept != "Marketing" {
		t.Fatalf("FIN-2's requester department %q, %v", r.RequesterDept, err)
	}
	h.clock.Advance(time.Minute)
	_, body := h.slash(tina, "map")
	if !strings.Contains(body, "Marketing → Finance: 2 requests") || strings.Contains(body, "could not place") {
		t.Fatalf("/ask map: %s", body)
	}
}

// TestSocketUsergroupUpdated: over Socket Mode, subteam_updated (the
// whole group, as Slack sends it when a group is edited) is acknowledged
// and makes askdesk read the group again: gina, added, may claim.
func TestSocketUsergroupUpdated(t *testing.T) {
	fake := slacktest.New()
	fake.AddUser(gina, "gina", "Gina", "America/New_York")
	fake.SetUsergroup(slacktest.Usergroup{ID: "S0FINTEAM", Handle: "finance-team", Name: "Finance team"})
	h := newHarnessOn(t, fake, true, func(o *serverOptions) {
		o.Dir.ByName("finance").Usergroup = "S0FINTEAM"
	})
	ctx := waitCtx(t)
	if _, err := fake.WaitCalls(ctx, "usergroups.users.list", 1); err != nil {
		t.Fatal(err)
	}
	h.srv.eventsIdle()
	h.clock.Advance(time.Minute) // Slack's tier 2 pace
	fake.SetUsergroup(slacktest.Usergroup{ID: "S0FINTEAM", Handle: "finance-team", Name: "Finance team", Members: []string{gina}})
	inner, _ := json.Marshal(map[string]any{"type": "subteam_updated", "subteam": map[string]any{
		"id": "S0FINTEAM", "team_id": slacktest.TeamID, "is_usergroup": true, "name": "Finance team",
		"handle": "finance-team", "date_update": 1492906952, "users": []string{gina}, "user_count": "1",
	}, "event_ts": "1764000100.000300"})
	if err := fake.SendEnvelope(ctx, slacktest.EventsAPIEnvelope("env-group", inner)); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.WaitAck(ctx, "env-group"); err != nil {
		t.Fatal(err)
	}
	h.srv.eventsIdle()
	if err := fake.SendEnvelope(ctx, slacktest.SlashCommandEnvelope("env-1", slashForm(t, sam, "finance numbers"))); err != nil {
		t.Fatal(err)
	}
	if _, err := fake.WaitAck(ctx, "env-1"); err != nil {
		t.Fatal(err)
	}
	h.deliver()
	m, pick := h.offering(finCh, "askdesk:claim", "FIN-1")
	h.pressSocket(ctx, "env-2", gina, m.Shown(), pick)
	h.srv.eventsIdle()
	r, err := h.srv.desk.Request(h.ctx, "FIN-1")
	if err != nil || r.Assignee != gina {
		t.Fatalf("FIN-1 after gina's claim: assignee %q, %v", r.Assignee, err)
	}
}

// TestUsergroupNamedLaterIsRead: a lead names a Slack user group in the
// catalogue while serve runs; askdesk reads its members from Slack at
// once, without a restart, and they work the queue.
func TestUsergroupNamedLaterIsRead(t *testing.T) {
	fake := slacktest.New()
	fake.AddUser(gina, "gina", "Gina", "America/New_York")
	fake.SetUsergroup(slacktest.Usergroup{ID: "S0FINTEAM", Handle: "finance-team", Name: "Finance team", Members: []string{gina}})
	synced := make(chan struct{}, 4)
	h := newHarnessOn(t, fake, false, withSlackCatalogue(t), func(o *serverOptions) {
		o.afterGroupSync = func() { synced <- struct{}{} }
	})
	<-synced // the start's read, of no group
	if n := len(fake.CallsTo("usergroups.users.list")); n != 0 {
		t.Fatalf("%d usergroups.users.list calls with no group named", n)
	}
	if _, _, err := h.srv.desk.Catalogue.Edit(h.ctx, fiona, "finance", map[string]string{"usergroup": "@finance-team"}, "the team is a Slack group now", "slack"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-synced:
	case <-waitCtx(t).Done():
		t.Fatal("the group the catalogue now names was not read from Slack")
	}
	if !h.srv.desk.Dir().ByName("finance").IsStaff(gina) {
		t.Fatal("gina, in the group the catalogue now names, is not finance's staff")
	}
}
