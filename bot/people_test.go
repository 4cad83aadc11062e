package bot_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// TestUsergroupMembersAreStaff: a department that names a Slack user group
// counts the group's members, as stored, as its members: they may claim
// and resolve, and a new directory (a catalogue change) keeps them; once
// out of the group, they may not.
func TestUsergroupMembersAreStaff(t *testing.T) {
	f := newFixture(t)
	const igor = "U0IGOR"
	dir := testDir(t)
	dir.ByName("it").Usergroup = "@it-team"
	f.Desk.SetDir(dir)
	missing, err := f.Desk.LoadGroups(f.Ctx)
	if err != nil || len(missing) != 1 || !strings.Contains(missing[0], "it: user group @it-team has no members known yet") {
		t.Fatalf("before any sync: missing %q, %v", missing, err)
	}
	if got := f.command(t, sam, "depts"); !strings.Contains(got, "Team: Slack user group @it-team (members not known yet") {
		t.Errorf("/ask depts before any sync:\n%s", got)
	}
	r := f.File(t, sam, "it", "laptop")
	if _, err := f.Desk.Do(f.Ctx, bot.Act{Actor: igor, Action: bot.ActClaim, ID: r.ID}); bot.ErrorCode(err) != bot.EFORBIDDEN {
		t.Fatalf("igor claims before he is known to be in the group: %v", err)
	}
	if err := f.DB.SetGroup(f.Ctx, bot.Group{ID: "S0ITTEAM", Handle: "IT-Team", Members: []string{igor}, SyncedAt: f.Clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if missing, err := f.Desk.LoadGroups(f.Ctx); err != nil || len(missing) != 0 {
		t.Fatalf("after the sync: missing %q, %v", missing, err)
	}
	if got := f.command(t, sam, "depts"); !strings.Contains(got, "Team: Slack user group @it-team (1 person)") {
		t.Errorf("/ask depts after the sync:\n%s", got)
	}
	// The catalogue puts a new directory in force: the group still counts.
	f.Desk.SetDir(func() *bot.Directory { d := testDir(t); d.ByName("it").Usergroup = "S0ITTEAM"; return d }())
	f.Do(t, igor, bot.ActClaim, r.ID)
	if got := f.Desk.RequesterDept(f.Ctx, igor); got != "it" {
		t.Errorf("igor's department as a requester: %q, want it", got)
	}
	if err := f.DB.SetGroup(f.Ctx, bot.Group{ID: "S0ITTEAM", Handle: "it-team", SyncedAt: f.Clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Desk.LoadGroups(f.Ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Desk.Do(f.Ctx, bot.Act{Actor: igor, Action: bot.ActResolve, ID: r.ID, Text: "done"}); bot.ErrorCode(err) != bot.EFORBIDDEN {
		t.Fatalf("igor resolves after leaving the group: %v", err)
	}
}
