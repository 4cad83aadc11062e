package bot

import "testing"

// TestSummarizeChanges: what a revision changed, as the queue channel
// reads it: targets old → new, people gained and lost, long values named.
func TestSummarizeChanges(t *testing.T) {
	got := SummarizeChanges([]StandardChange{
		{Key: "sla.normal.first_response", Old: "'4h'", New: "'2h'"},
		{Key: "members", Old: "['U0FRANK01', 'U0FARAH01']", New: "['U0FRANK01', 'U0FELIX01']"},
		{Key: "hours.sat", New: "'10:00-12:00'"},
		{Key: "holidays[3].date", Old: "'2026-12-24'", New: "'2026-12-31'"},
		{Key: "holidays[3].name", Old: "'Christmas Eve'", New: "'New Year's Eve'"},
		{Key: "description", Old: "'Invoices and payments of every kind'", New: "'Invoices'"},
	}, 4)
	want := "normal first response target 4 business hours → 2 business hours, members +" + Mention("U0FELIX01") + " −" + Mention("U0FARAH01") +
		", hours on sat set to 10:00-12:00, holidays 2026-12-24 → 2026-12-31, 1 more"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
