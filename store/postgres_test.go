package store

import (
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://askdesk:s3cret@db:5432/askdesk":                     "postgres://askdesk:xxxxx@db:5432/askdesk",
		"postgres://askdesk@db/askdesk?password=s3cret&sslmode=require": "postgres://askdesk@db/askdesk?password=xxxxx&sslmode=require",
		"postgres://db/askdesk?sslmode=disable":                         "postgres://db/askdesk?sslmode=disable",
		"postgres://%zz":                                                "(an unparsable database URL)",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRebind(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT ? , ?":                          "SELECT $1 , $2",
		"UPDATE t SET a = ?2 WHERE b = ?1":      "UPDATE t SET a = $2 WHERE b = $1",
		"SELECT '?', \"?\", ? -- a ? comment\n": "SELECT '?', \"?\", $1 -- a ? comment\n",
		"SELECT 'it''s ?', ?":                   "SELECT 'it''s ?', $1",
		"SELECT ?::jsonb":                       "SELECT $1::jsonb",
	} {
		if got := rebind(in); got != want {
			t.Errorf("rebind(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOpenOtherURL(t *testing.T) {
	_, err := OpenNoMigrate(t.Context(), "mysql://root:hunter2@db/askdesk")
	if err == nil || !strings.Contains(err.Error(), "a mysql:// URL is not a database askdesk can use") || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("open mysql://: %v", err)
	}
}
