package config_test

import (
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/config"
)

func TestLogConfig(t *testing.T) {
	for _, c := range []struct {
		name, src string
		env       map[string]string
		json      bool
		level     slog.Level
	}{
		{"Default", "", nil, false, slog.LevelInfo},
		{"JSONDebug", "[log]\nformat = \"json\"\nlevel = \"debug\"\n", nil, true, slog.LevelDebug},
		{"CaseInsensitive", "[log]\nformat = \"JSON\"\nlevel = \"Warn\"\n", nil, true, slog.LevelWarn},
		{"EnvOverrides", "[log]\nformat = \"text\"\nlevel = \"info\"\n",
			map[string]string{"ASKDESK_LOG_FORMAT": "json", "ASKDESK_LOG_LEVEL": "error"}, true, slog.LevelError},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := config.Parse("ok.toml", strings.NewReader(c.src+minimalDepartment))
			if err != nil {
				t.Fatal(err)
			}
			cfg.ApplyEnv(func(k string) string { return c.env[k] })
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			if got := cfg.Log.JSON(); got != c.json {
				t.Errorf("JSON() = %v, want %v", got, c.json)
			}
			if got := cfg.Log.SlogLevel(); got != c.level {
				t.Errorf("SlogLevel() = %v, want %v", got, c.level)
			}
		})
	}
}

func TestLogConfig_Problems(t *testing.T) {
	for _, c := range []struct {
		name, src string
		env       map[string]string
		want      string
	}{
		{"BadFormat", "[log]\nformat = \"xml\"\n", nil,
			`bad.toml:2: log.format: "xml" is not a log format: use "text" or "json"`},
		{"BadLevel", "\n[log]\nformat = \"json\"\nlevel = \"verbose\"\n", nil,
			`bad.toml:4: log.level: "verbose" is not a log level: use debug, info, warn or error`},
		{"BadEnv", "", map[string]string{"ASKDESK_LOG_LEVEL": "loud"},
			`bad.toml: log.level: "loud" (from ASKDESK_LOG_LEVEL) is not a log level`},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := config.Parse("bad.toml", strings.NewReader(c.src+minimalDepartment))
			if c.env != nil {
				if err != nil {
					t.Fatal(err)
				}
				cfg.ApplyEnv(func(k string) string { return c.env[k] })
				err = cfg.Validate()
			}
			var probs config.Problems
			if !errors.As(err, &probs) || len(probs) != 1 || !strings.HasPrefix(probs[0].String(), c.want) {
				t.Fatalf("got %v, want one problem %s", err, c.want)
			}
		})
	}
}
