package config_test

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
)

func TestParse_Defaults(t *testing.T) {
	c, err := config.Parse("askdesk.toml", strings.NewReader(finance))
	if err != nil {
		t.Fatal(err)
	}
	if c.DefaultPriority != "normal" || c.ReopenWindow != "14d" || c.Store.Path != "askdesk.db" {
		t.Errorf("defaults not applied: %q %q %q", c.DefaultPriority, c.ReopenWindow, c.Store.Path)
	}
	dir, err := c.Directory()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dir.ReopenWindow, (bot.BusinessDuration{Days: 14}); got != want {
		t.Errorf("reopen window = %v, want %v", got, want)
	}
	if dep := dir.ByName("finance"); dep.DisplayName != "Finance" || len(dep.Targets) != 1 {
		t.Errorf("finance = %+v", dep)
	}
}

func TestLoad(t *testing.T) {
	t.Run("Problems", func(t *testing.T) {
		_, err := config.Load("testdata/broken.toml")
		var probs config.Problems
		if !errors.As(err, &probs) {
			t.Fatalf("Load = %v, want Problems", err)
		}
		want := "testdata/broken.toml:17: department[0].holidays[1]: bad holiday date \"2026-12-32\": write it as YYYY-MM-DD, such as \"2026-12-25\"\n" +
			`testdata/broken.toml:23: department[0].sla.urgent.resolution: bad duration "1d4x": unit 'x' is not wd, d, h or m; write business hours like "4h" or "2h30m", working days like "1wd" or "1wd4h" ("3d" also means working days), or calendar time like "24h calendar"`
		if got := err.Error(); got != want {
			t.Errorf("got:\n%s\nwant:\n%s", got, want)
		}
	})
	t.Run("ErrNotExist", func(t *testing.T) {
		_, err := config.Load("testdata/missing.toml")
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Load = %v, want fs.ErrNotExist", err)
		}
	})
}

func TestApplyEnv(t *testing.T) {
	c := config.Default()
	c.Slack.BotToken = "xoxb-from-file"
	c.Slack.AppToken = "xapp-from-file"
	env := map[string]string{"SLACK_BOT_TOKEN": "xoxb-from-env", "SLACK_SIGNING_SECRET": "s3cret"}
	c.ApplyEnv(func(k string) string { return env[k] })
	got := [3]string{c.Slack.BotToken, c.Slack.SigningSecret, c.Slack.AppToken}
	if want := [3]string{"xoxb-from-env", "s3cret", "xapp-from-file"}; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Logging a config must not leak the Slack secrets.
func TestSlackConfig_String(t *testing.T) {
	c := config.Default()
	c.Slack = config.SlackConfig{BotToken: "xoxb-1", SigningSecret: "s3cret", AppToken: "xapp-1", Listen: ":3000"}
	for _, s := range []string{fmt.Sprint(c.Slack), fmt.Sprintf("%+v", *c)} {
		for _, secret := range []string{"xoxb-1", "s3cret", "xapp-1"} {
			if strings.Contains(s, secret) {
				t.Errorf("%q leaks %q", s, secret)
			}
		}
	}
}

// A Config built in code has no file, so its problems carry keys only.
func TestValidate_BuiltInCode(t *testing.T) {
	c := config.Default()
	c.Departments = []config.DepartmentConfig{{
		Name: "finance", Prefix: "FIN", Channel: "#finance", Leads: []string{"U0FIONA01"},
		Timezone: "America/New_York", Hours: config.HoursConfig{Weekdays: "09:00-17:00"},
		SLA: config.SLAConfig{Normal: &config.TargetConfig{FirstResponse: "4h", Resolution: "3d"}},
	}}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate = %v", err)
	}
	c.Departments[0].Hours.Weekdays = "9am-5pm"
	err := c.Validate()
	if got, want := fmt.Sprint(err), `department[0].hours.weekdays: bad hours "9am-5pm": time "9am" is not HH:MM`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := c.Directory(); err == nil {
		t.Error("Directory accepted an invalid config")
	}
}
