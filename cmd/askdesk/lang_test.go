package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestLangFlagSetsTheCompanyDefault: --lang names the company's default
// language for the run, as askdesk names it (Slack's zh-CN is zh-Hans).
func TestLangFlagSetsTheCompanyDefault(t *testing.T) {
	for _, tc := range []struct{ flag, want string }{{"", ""}, {"zh-Hans", "zh-Hans"}, {"zh-CN", "zh-Hans"}, {"en", "en"}} {
		g := &globals{configPath: filepath.Join(t.TempDir(), "none.toml"), lang: tc.flag, env: Env{Getenv: func(string) string { return "" }}}
		cfg, dir, _, err := g.loadDirectory(&cobra.Command{})
		if err != nil {
			t.Fatal(err)
		}
		if dir.Language != tc.want || cfg.Language != tc.want {
			t.Errorf("--lang %q: directory language %q, config %q; want %q", tc.flag, dir.Language, cfg.Language, tc.want)
		}
	}
}

// TestLangFlagRejectsUnsupported: every command with --lang refuses a
// language askdesk does not speak, naming those it does.
func TestLangFlagRejectsUnsupported(t *testing.T) {
	db := filepath.Join(t.TempDir(), "lang.db")
	for _, sub := range []string{"console", "report", "digest", "map"} {
		code, _, errOut := run(t, "", sub, "--db", db, "--lang", "klingon")
		if code == 0 || !strings.Contains(errOut, `--lang "klingon": askdesk speaks en, zh-Hans`) {
			t.Errorf("askdesk %s --lang klingon: exit %d, %q", sub, code, errOut)
		}
		if code, out, _ := run(t, "", sub, "--help"); code != 0 || !strings.Contains(out, "--lang") {
			t.Errorf("askdesk %s --help does not offer --lang", sub)
		}
	}
	if code, _, errOut := run(t, "/ask help\n", "console", "--db", db, "--fresh", "--lang", "zh-Hans", "--now", "2026-12-08T09:30:00+08:00"); code != 0 {
		t.Errorf("console --lang zh-Hans: exit %d: %s", code, errOut)
	}
}
