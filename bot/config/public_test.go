package config_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/config"
)

// TestPublicRequests_ReachesDepartment: the key reaches the department;
// without it a department's requests are not public.
func TestPublicRequests_ReachesDepartment(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{{finance, false}, {finance + "public_requests = true\n", true}, {finance + "public_requests = false\n", false}} {
		c, err := config.Parse("askdesk.toml", strings.NewReader(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		dir, err := c.Directory()
		if err != nil {
			t.Fatal(err)
		}
		if got := dir.ByName("finance").PublicRequests; got != tc.want {
			t.Errorf("%q: PublicRequests = %v, want %v", tc.src[len(finance):], got, tc.want)
		}
	}
}

func TestPublicRequests_NotABoolean(t *testing.T) {
	probs := mustProblems(t, finance+`public_requests = "yes"`)
	if len(probs) != 1 {
		t.Fatalf("got %d problems, want 1:\n%v", len(probs), probs)
	}
	if p := probs[0]; p.Line != 10 || p.Key != "department[0].public_requests" || !strings.Contains(p.Msg, "cannot decode TOML string") {
		t.Errorf("got %s, want askdesk.toml:10: department[0].public_requests: …cannot decode TOML string…", p)
	}
}

// TestPublicRequests_RoundTrip: the catalogue stores the key as it went in,
// and does not write it when unset.
func TestPublicRequests_RoundTrip(t *testing.T) {
	c, err := config.Parse("askdesk.toml", strings.NewReader(finance+"public_requests = true\n"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := config.MarshalDepartment(c.Departments[0])
	if err != nil {
		t.Fatal(err)
	}
	one, err := config.ParseDepartment(body)
	if err != nil {
		t.Fatalf("parse %s: %v", body, err)
	}
	built, err := c.BuildDepartment(one)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "public_requests = true") || !one.PublicRequests || !built.PublicRequests {
		t.Errorf("round trip lost the key: config %v, department %v\n%s", one.PublicRequests, built.PublicRequests, body)
	}
	c, _ = config.Parse("askdesk.toml", strings.NewReader(finance))
	body, _ = config.MarshalDepartment(c.Departments[0])
	if strings.Contains(body, "public_requests") {
		t.Errorf("a department without the key marshals it:\n%s", body)
	}
}
