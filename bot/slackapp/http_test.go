package slackapp

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

// TestSlashCommandReadAsSlackGoDoes: the commands handler reads a slash
// command from the form it parsed once (slashCommand), not through
// slack.SlashCommandParse; both read the same fields the same way, so a
// field slack-go adds on an upgrade fails this test instead of going
// missing.
func TestSlashCommandReadAsSlackGoDoes(t *testing.T) {
	docs, err := os.ReadFile("../../testdata/slack/slash_docs_weather.txt")
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"SlackDocs":         strings.TrimSpace(string(docs)),
		"EnterpriseInstall": strings.TrimSpace(string(docs)) + "&is_enterprise_install=true",
		"EscapedText":       "command=%2Fask&text=it+%22VPN%22+%26+100%25+down&user_id=U1",
		"Empty":             "",
	} {
		t.Run(name, func(t *testing.T) {
			form, err := url.ParseQuery(body)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			want, err := slack.SlashCommandParse(r)
			if err != nil {
				t.Fatal(err)
			}
			if got := slashCommand(form); !reflect.DeepEqual(got, want) {
				t.Errorf("slashCommand = %+v\nslack-go reads %+v", got, want)
			}
		})
	}
}
