package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// TestReadinessFollowsStorage: serve's probes while its database refuses
// writes at run time. A read-only database (SQLite's query_only, as a
// file opened read-only behaves) and a full one (max_page_count reached)
// each make /ask answer with the documented message, /readyz 503 naming storage,
// /healthz say why, and leave /livez at 200; once mended, /readyz is 200
// again and /ask files.
func TestReadinessFollowsStorage(t *testing.T) {
	h := newHarness(t, false)
	h.wantReady(true, "")
	filed := 0
	for _, tc := range []struct {
		name        string
		fault, mend func()
		answer      string // in /ask's reply
		state       string // /healthz's storage state
	}{
		{"ReadOnly",
			func() { h.onWriter("PRAGMA query_only = 1") },
			func() { h.onWriter("PRAGMA query_only = 0") },
			"database is read-only at the moment, so nothing was filed", "read-only"},
		{"DiskFull",
			func() { h.onWriter("PRAGMA max_page_count = 1") }, // never below the file's size
			func() { h.onWriter("PRAGMA max_page_count = 1073741823") },
			"its database is full, so nothing was filed", "full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.fault()
			_, body := h.slash(sam, "finance during the fault "+strings.Repeat("long text ", 200))
			if !strings.Contains(body, tc.answer) {
				t.Errorf("/ask during the fault: %s; want %q", body, tc.answer)
			}
			h.wantReady(false, "storage")
			code, body := getStatus(h.base + "/healthz")
			var got health
			if err := json.Unmarshal([]byte(body), &got); err != nil || code != http.StatusServiceUnavailable ||
				got.Storage == nil || got.Storage.State != tc.state || got.Storage.LastFault != tc.state {
				t.Errorf("healthz during the fault: %d %s; want 503, storage %s, last write fault %s", code, body, tc.state, tc.state)
			}
			if code, _ := getStatus(h.base + "/livez"); code != http.StatusOK {
				t.Errorf("livez during the fault: %d; a restart mends none of this", code)
			}
			tc.mend()
			h.wantReady(true, "")
			_, body = h.slash(sam, "finance after the fault")
			if filed++; filedID(body) != bot.FormatID("FIN", filed) {
				t.Errorf("/ask after the fault: %s; want FIN-%d", body, filed)
			}
		})
	}
}

// wantReady checks /readyz (and its verbose form) for ready, or for a 503
// naming failing.
func (h *harness) wantReady(ready bool, failing string) {
	h.t.Helper()
	code, body := getStatus(h.base + "/readyz")
	_, verbose := getStatus(h.base + "/readyz?verbose")
	switch {
	case ready && (code != http.StatusOK || body != "ok\n" || !strings.Contains(verbose, "[+]storage ok") || !strings.Contains(verbose, "readyz check passed")):
		h.t.Errorf("readyz: %d %q, verbose %q; want 200 ok", code, body, verbose)
	case !ready && (code != http.StatusServiceUnavailable || !strings.HasPrefix(body, failing+": ") || !strings.Contains(verbose, "[-]"+failing+" failed") || !strings.Contains(verbose, "readyz check failed")):
		h.t.Errorf("readyz: %d %q, verbose %q; want 503 naming %s", code, body, verbose, failing)
	}
}

func (h *harness) onWriter(q string) {
	h.t.Helper()
	if err := h.srv.db.ExecOnWriter(h.ctx, q); err != nil {
		h.t.Fatal(err)
	}
}

// TestReadinessShowsDeliveryOutage: when the database will not record a
// delivery, the outbox holds every send, and /readyz and /healthz say so
// until a delivery is recorded again.
func TestReadinessShowsDeliveryOutage(t *testing.T) {
	h := newHarness(t, false)
	h.slash(sam, "finance numbers")
	h.onWriter("PRAGMA query_only = 1")
	h.clock.Advance(3 * time.Second)
	if _, err := h.srv.desk.Deliver(h.ctx); err == nil {
		t.Fatal("delivery with a read-only database: no error")
	}
	_, verbose := getStatus(h.base + "/readyz?verbose")
	if !strings.Contains(verbose, "[-]delivery failed") {
		t.Errorf("readyz during a delivery outage:\n%s", verbose)
	}
	code, body := getStatus(h.base + "/healthz")
	var got health
	if err := json.Unmarshal([]byte(body), &got); err != nil || code != http.StatusServiceUnavailable || got.DeliveryPausedSince == nil {
		t.Errorf("healthz during a delivery outage: %d %s", code, body)
	}
	h.onWriter("PRAGMA query_only = 0")
	h.deliver()
	h.wantReady(true, "")
	if n := len(h.fake.Messages(finCh)); n != 1 {
		t.Errorf("%d cards after the outage; want 1", n)
	}
}
