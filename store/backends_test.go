package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/askdesk/askdesk/store"
	"github.com/askdesk/askdesk/store/storetest"
)

// backend is one engine the conformance tests run on.
type backend struct {
	name string
	open func(tb testing.TB) *store.DB // a fresh, migrated, empty store
	// where names a fresh, empty database (an SQLite file, a PostgreSQL
	// schema's URL) for tests that open, close and reopen it themselves.
	where func(tb testing.TB) string
}

// backends are SQLite, always, and PostgreSQL when a server answers (see
// storetest); its subtests skip, saying how to enable them, otherwise.
var backends = []backend{
	{"sqlite", MustOpenStore, func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "askdesk.db") }},
	{"postgres", MustOpenPostgres, storetest.URL},
}

// eachBackend runs fn as a subtest per backend.
func eachBackend(t *testing.T, fn func(t *testing.T, open func(tb testing.TB) *store.DB)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, b.open) })
	}
}

// eachDatabase runs fn as a subtest per backend with the name of a fresh
// database, which fn opens (and reopens) itself.
func eachDatabase(t *testing.T, fn func(t *testing.T, where string)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, b.where(t)) })
	}
}

// MustOpenPostgres opens a store on a fresh PostgreSQL schema.
func MustOpenPostgres(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), storetest.URL(tb))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
