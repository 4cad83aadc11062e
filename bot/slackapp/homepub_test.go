package slackapp

import (
	"testing"
	"time"
)

// Publishes of one person's Home are coalesced: the first goes at once,
// changes within homeGap of it make one more publish homeGap after it, and
// another person's Home is not held up.
func TestHomePublishesCoalescedPerPerson(t *testing.T) {
	hs := newHomes()
	t0 := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	if due := hs.want("U1", t0, nil, ""); !due.Equal(t0) {
		t.Fatalf("first publish due %v, want now", due)
	}
	jobs, _ := hs.take(t0)
	if len(jobs) != 1 || jobs[0].user != "U1" {
		t.Fatalf("take at t0: %v", jobs)
	}
	for i := 1; i <= 3; i++ { // three changes in the next second
		hs.want("U1", t0.Add(time.Duration(i)*300*time.Millisecond), nil, "")
	}
	hs.want("U2", t0.Add(time.Second), nil, "")
	jobs, next := hs.take(t0.Add(time.Second))
	if len(jobs) != 1 || jobs[0].user != "U2" {
		t.Fatalf("at t0+1s: %v, want U2's only", jobs)
	}
	if !next.Equal(t0.Add(homeGap)) {
		t.Fatalf("U1's next publish at %v, want %v", next, t0.Add(homeGap))
	}
	jobs, next = hs.take(t0.Add(homeGap))
	if len(jobs) != 1 || jobs[0].user != "U1" || !next.IsZero() {
		t.Fatalf("at t0+gap: %v (next %v), want one publish of U1 for the three changes", jobs, next)
	}
	if jobs, _ := hs.take(t0.Add(time.Hour)); len(jobs) != 0 {
		t.Fatalf("nothing changed, yet %v", jobs)
	}
	// A press's outcome rides on the next publish, once.
	hs.want("U1", t0.Add(2*time.Hour), nil, "FIN-1 is resolved; it can't be cancelled.")
	if jobs, _ := hs.take(t0.Add(2 * time.Hour)); len(jobs) != 1 || jobs[0].notice == "" {
		t.Fatalf("the notice was lost: %v", jobs)
	}
	hs.want("U1", t0.Add(3*time.Hour), nil, "")
	if jobs, _ := hs.take(t0.Add(3 * time.Hour)); len(jobs) != 1 || jobs[0].notice != "" {
		t.Fatalf("the notice was shown twice: %v", jobs)
	}
}

// views.publish is paced under Slack's tier 4 (100 a minute): a burst of
// five goes at once, the sixth waits, and a minute's steady rate is 100.
func TestHomePublishPacedUnderTier4(t *testing.T) {
	p := newPacer()
	t0 := time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)
	sent := 0
	for range 10 {
		if p.reserve(t0, "views.publish", "") == 0 {
			sent++
		}
	}
	if sent != 5 {
		t.Errorf("a burst sent %d at once, want 5", sent)
	}
	for ms := 0; ms < 60_000; ms += 100 {
		if p.reserve(t0.Add(time.Duration(ms)*time.Millisecond), "views.publish", "") == 0 {
			sent++
		}
	}
	if sent > 106 {
		t.Errorf("%d publishes in a minute and a burst, over Slack's 100 a minute", sent)
	}
}
