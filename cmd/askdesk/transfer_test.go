package main

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestTransferredCardShowsBothTimes: in Slack, Finance transfers FIN-1 to
// IT (London, 09:00–17:00 weekdays, first response 2h) with the card's
// menu on Wednesday 19:00 UTC, after IT's hours. IT's card runs IT's own
// clock from the transfer (due Thursday 11:00 London), and says how long
// the requester has waited in all, since Tuesday 15:00, and since when IT
// ("It", as the config names it)
// has had it; /ask status says so too.
func TestTransferredCardShowsBothTimes(t *testing.T) {
	const itCh = "C0ITHELP1"
	h := newHarness(t, false)
	h.slash(sam, "finance numbers")
	h.deliver()
	h.clock.Set(time.Date(2026, 11, 25, 19, 0, 0, 0, time.UTC))
	wantCode(t, "transfer", http.StatusOK)(h.choose(frank, finCh, "askdesk:transfer", "FIN-1", "it"))
	h.deliver()
	msgs := h.fake.Messages(itCh)
	if len(msgs) == 0 {
		t.Fatal("no card in IT's channel")
	}
	card := string(msgs[len(msgs)-1].Blocks)
	for _, want := range []string{
		"SLA: first response due by Thu 11:00 (Europe/London), in 2h of business time",
		"Open 1 day 4 hours in all; with It since Wed 19:00",
	} {
		if !strings.Contains(card, want) {
			t.Errorf("IT's card lacks %q:\n%s", want, card)
		}
	}
	_, status := h.slash(sam, "status FIN-1")
	// sam reads his own time (Chicago), London's beside it.
	if want := "Open 1 day 4 hours in all; with It since Wed 13:00 (your time, America/Chicago; Wed 19:00 London)"; !strings.Contains(status, want) {
		t.Errorf("status lacks %q:\n%s", want, status)
	}
}
