package store_test

import (
	"context"
	"github.com/askdesk/askdesk/store"
	"testing"
	"time"
)

func TestRequestCounts(t *testing.T) { eachBackend(t, testRequestCounts) }

func testRequestCounts(t *testing.T, open func(testing.TB) *store.DB) {
	db := open(t)
	mustCreate(t, db, "FIN", "finance", "U1", "one", t0, t0.Add(4*time.Hour))
	mustCreate(t, db, "FIN", "finance", "U1", "two", t0, t0.Add(4*time.Hour))
	mustCreate(t, db, "IT", "it", "U1", "three", t0, t0.Add(4*time.Hour))
	got := map[string]int{}
	if err := db.RequestCounts(context.Background(), func(dept, state string, n int) { got[dept+"/"+state] = n }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["finance/open"] != 2 || got["it/open"] != 1 {
		t.Fatalf("counts %v", got)
	}
}
