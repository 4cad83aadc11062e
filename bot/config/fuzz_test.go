package config_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/config"
)

// FuzzConfigParse feeds Parse hostile TOML. The seeds in
// testdata/fuzz/FuzzConfigParse are config.example.toml,
// config.example.zh.toml (example-zh), testdata/broken.toml and damaged
// copies of them. Parse must never panic; when it refuses a
// file it returns Problems that each name the file and, when they have a
// line, one that exists; a config it accepts must also build a Directory.
func FuzzConfigParse(f *testing.F) {
	const file = "askdesk.toml"
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := config.Parse(file, bytes.NewReader(data))
		if err == nil {
			if _, err := c.Directory(); err != nil {
				t.Fatalf("Parse accepted a config that Directory refuses: %v", err)
			}
			return
		}
		var probs config.Problems
		if !errors.As(err, &probs) {
			t.Fatalf("Parse from memory failed with %T, not Problems: %v", err, err)
		}
		if len(probs) == 0 {
			t.Fatal("Parse returned an empty Problems")
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, p := range probs {
			if p.File != file {
				t.Errorf("problem does not name the file: %q", p.String())
			}
			if p.Line < 0 || p.Line > lines {
				t.Errorf("problem on line %d of a %d-line file: %q", p.Line, lines, p.String())
			}
			if p.Line == 0 && p.Key == "" {
				t.Errorf("problem with neither a line nor a key: %q", p.String())
			}
			if strings.TrimSpace(p.Msg) == "" {
				t.Errorf("problem without a message: %q", p.String())
			}
			if !strings.HasPrefix(p.String(), file+":") {
				t.Errorf("problem does not start with the file name: %q", p.String())
			}
		}
	})
}
