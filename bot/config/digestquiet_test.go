package config_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/config"
)

// TestDigestWhenQuiet_ReachesDepartment: the key reaches the department,
// and its absence means a quiet week gets no digest.
func TestDigestWhenQuiet_ReachesDepartment(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{{finance, false}, {finance + "digest_when_quiet = true\n", true}, {finance + "digest_when_quiet = false\n", false}} {
		c, err := config.Parse("askdesk.toml", strings.NewReader(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		dir, err := c.Directory()
		if err != nil {
			t.Fatal(err)
		}
		if got := dir.ByName("finance").DigestWhenQuiet; got != tc.want {
			t.Errorf("%q: DigestWhenQuiet = %v, want %v", tc.src[len(finance):], got, tc.want)
		}
	}
}

func TestDigestWhenQuiet_NotABoolean(t *testing.T) {
	probs := mustProblems(t, finance+`digest_when_quiet = "yes"`)
	if len(probs) != 1 {
		t.Fatalf("got %d problems, want 1:\n%v", len(probs), probs)
	}
	if p := probs[0]; p.Line != 10 || p.Key != "department[0].digest_when_quiet" || !strings.Contains(p.Msg, "cannot decode TOML string") {
		t.Errorf("got %s, want askdesk.toml:10: department[0].digest_when_quiet: …cannot decode TOML string…", p)
	}
}

// TestDigestWhenQuiet_RoundTrip: the catalogue stores the department's
// table; the key comes back as it went in, and is not written when unset.
func TestDigestWhenQuiet_RoundTrip(t *testing.T) {
	c, err := config.Parse("askdesk.toml", strings.NewReader(finance+"digest_when_quiet = true\n"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := config.MarshalDepartment(c.Departments[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), "digest_when_quiet = true") {
		t.Errorf("marshalled department lacks the key:\n%s", body)
	}
	one, err := config.ParseDepartment(body)
	if err != nil {
		t.Fatalf("parse %s: %v", body, err)
	}
	built, err := c.BuildDepartment(one)
	if err != nil {
		t.Fatal(err)
	}
	if !one.DigestWhenQuiet || !built.DigestWhenQuiet {
		t.Errorf("round trip lost the key: config %v, department %v\n%s", one.DigestWhenQuiet, built.DigestWhenQuiet, body)
	}

	c, _ = config.Parse("askdesk.toml", strings.NewReader(finance))
	body, _ = config.MarshalDepartment(c.Departments[0])
	if strings.Contains(string(body), "digest_when_quiet") {
		t.Errorf("a department without the key marshals it:\n%s", body)
	}
}
