package config_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/config"
)

// TestDepartmentConfig_Keywords: routing keywords reach the department,
// survive the catalogue's round trip, and bad ones are told with their
// position.
func TestDepartmentConfig_Keywords(t *testing.T) {
	t.Run("RoundTrip", func(t *testing.T) {
		c, err := config.Parse("askdesk.toml", strings.NewReader(finance+"keywords = [\"reimburse\", \"per diem\"]\n"))
		if err != nil {
			t.Fatal(err)
		}
		dir, err := c.Directory()
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"reimburse", "per diem"}
		if got := dir.ByName("finance").Keywords; !slices.Equal(got, want) {
			t.Errorf("Keywords = %q, want %q", got, want)
		}
		body, err := config.MarshalDepartment(c.Departments[0])
		if err != nil {
			t.Fatal(err)
		}
		one, err := config.ParseDepartment(body)
		if err != nil {
			t.Fatalf("parse %s: %v", body, err)
		}
		if !slices.Equal(one.Keywords, want) {
			t.Errorf("round trip: %q, want %q\n%s", one.Keywords, want, body)
		}
		none, err := config.MarshalDepartment(config.DepartmentConfig{Name: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(none), "keywords") {
			t.Errorf("a department without keywords marshals them:\n%s", none)
		}
	})
	t.Run("ErrEmptyKeyword", func(t *testing.T) {
		_, err := config.Parse("askdesk.toml", strings.NewReader(finance+"keywords = [\"ok\", \" \"]\n"))
		if err == nil || !strings.Contains(err.Error(), "department[0].keywords[1]: empty keyword") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("ErrLongKeyword", func(t *testing.T) {
		_, err := config.Parse("askdesk.toml", strings.NewReader(finance+"keywords = [\""+strings.Repeat("x", 61)+"\"]\n"))
		if err == nil || !strings.Contains(err.Error(), "department[0].keywords[0]: keyword") {
			t.Errorf("got %v", err)
		}
	})
}
