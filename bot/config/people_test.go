package config_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/askdesk/askdesk/bot/config"
)

const groupConfig = `
[slack]
department_field = "Xf0DEPT01"

[[department]]
name = "it"
prefix = "IT"
channel = "#it"
leads = ["U0IVAN001"]
usergroup = "@it-team"
timezone = "Europe/London"
hours.weekdays = "09:00-17:00"
sla.normal = { first_response = "2h", resolution = "1d" }

[[department]]
name = "finance"
prefix = "FIN"
channel = "#finance"
usergroup = "S0FINTEAM"
timezone = "America/New_York"
hours.weekdays = "09:00-17:00"
sla.normal = { first_response = "4h", resolution = "3d" }
`

// TestUsergroupKey: a department may name a Slack user group, by handle or
// ID, instead of listing its staff (it then needs none listed); the key
// reaches the directory and survives a round trip through TOML, as the
// catalogue stores departments.
func TestUsergroupKey(t *testing.T) {
	c, err := config.Parse("group.toml", strings.NewReader(groupConfig))
	if err != nil {
		t.Fatalf("problems:\n%v", err)
	}
	dir, err := c.Directory()
	if err != nil {
		t.Fatal(err)
	}
	if got := dir.ByName("it").Usergroup + " " + dir.ByName("finance").Usergroup; got != "@it-team S0FINTEAM" {
		t.Errorf("usergroups %q", got)
	}
	if c.Slack.DepartmentField != "Xf0DEPT01" {
		t.Errorf("department_field %q", c.Slack.DepartmentField)
	}
	marshal := func(d config.DepartmentConfig) []byte {
		t.Helper()
		b, err := toml.Marshal(struct {
			D []config.DepartmentConfig `toml:"department"`
		}{[]config.DepartmentConfig{d}})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, d := range c.Departments {
		b := marshal(d)
		back, err := config.Parse("back.toml", bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s does not parse back:\n%s\n%v", d.Name, b, err)
		}
		if got := back.Departments[0]; got.Usergroup != d.Usergroup || !bytes.Equal(marshal(got), b) {
			t.Errorf("%s after the round trip:\n%s\nwant\n%s", d.Name, marshal(got), b)
		}
	}
	// Without a usergroup the department has no staff: it says so. A
	// department without one marshals no usergroup key at all.
	b, err := toml.Marshal(config.DepartmentConfig{Name: "x"})
	if err != nil || strings.Contains(string(b), "usergroup") {
		t.Errorf("a department without a group marshals %q, %v", b, err)
	}
}

// TestUsergroupProblems: what is wrong with the new keys is said with the
// file, line and key.
func TestUsergroupProblems(t *testing.T) {
	bad := strings.NewReplacer(`usergroup = "@it-team"`, `usergroup = "it team"`,
		`usergroup = "S0FINTEAM"`, `members = []`, `department_field = "Xf0DEPT01"`, `department_field = "Department"`).Replace(groupConfig)
	_, err := config.Parse("group.toml", strings.NewReader(bad))
	got := fmt.Sprint(err)
	for _, want := range []string{
		`group.toml:3: slack.department_field: "Department" is neither a custom profile field's ID`,
		`group.toml:10: department[0].usergroup: "it team" is neither a user group ID (S0123ABCD) nor a handle ("@finance-team")`,
		`group.toml:15: department[1].leads: no staff: give at least one lead or member, or a Slack user group (usergroup = "@finance-team")`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
}
