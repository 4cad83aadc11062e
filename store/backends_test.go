package store_test

import (
	"context"
	"testing"

	"github.com/askdesk/askdesk/store"
	"github.com/askdesk/askdesk/store/storetest"
)

// backend is one engine the conformance tests run on.
type backend struct {
	name string
	open func(tb testing.TB) *store.DB // a fresh, migrated, empty store
}

// backends are SQLite, always, and PostgreSQL when a server answers (see
// storetest); its subtests skip, saying how to enable them, otherwise.
var backends = []backend{
	{"sqlite", MustOpenStore},
	{"postgres", MustOpenPostgres},
}

// eachBackend runs fn as a subtest per backend.
func eachBackend(t *testing.T, fn func(t *testing.T, open func(tb testing.TB) *store.DB)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, b.open) })
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
