package config_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/config"
)

// TestLanguageKeys: the company's language, a department's and a person's
// reach the directory, named as askdesk names them (Slack's "zh-CN" is
// zh-Hans).
func TestLanguageKeys(t *testing.T) {
	src := "language = \"zh-CN\"\n" + finance + "language = \"en\"\n[people]\nU0SAM0001 = { name = \"sam\", lang = \"zh-Hans\" }\nU0FIONA01 = { name = \"fiona\" }\n"
	c, err := config.Parse("askdesk.toml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := c.Directory()
	if err != nil {
		t.Fatal(err)
	}
	if dir.Language != "zh-Hans" {
		t.Errorf("Directory.Language = %q, want zh-Hans", dir.Language)
	}
	if got := dir.Departments[0].Language; got != "en" {
		t.Errorf("Department.Language = %q, want en", got)
	}
	if got := dir.People["U0SAM0001"].Lang; got != "zh-Hans" {
		t.Errorf("Person.Lang = %q, want zh-Hans", got)
	}
	if got := dir.People["U0FIONA01"].Lang; got != "" {
		t.Errorf("a person without lang has %q", got)
	}
}

// TestLanguageProblems: a language askdesk does not speak is a problem at
// its key and line, naming the ones it does.
func TestLanguageProblems(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line      int
		key       string
	}{
		{"Company", "language = \"klingon\"\n" + finance, 1, "language"},
		{"Department", finance + "language = \"ja-JP\"", 10, "department[0].language"},
		{"Person", finance + "[people]\nU0SAM0001 = { name = \"sam\", lang = \"fr\" }", 11, "people.U0SAM0001.lang"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			probs := mustProblems(t, tc.src)
			if len(probs) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(probs), probs)
			}
			p := probs[0]
			if p.Line != tc.line || p.Key != tc.key {
				t.Errorf("got %s:%d: %s, want line %d, key %s", p.File, p.Line, p.Key, tc.line, tc.key)
			}
			if !strings.Contains(p.Msg, "unsupported language") || !strings.Contains(p.Msg, "en, zh-Hans") {
				t.Errorf("message %q does not name the supported languages", p.Msg)
			}
		})
	}
}
