package slackapp

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestReplayGuard(t *testing.T) {
	var g replayGuard
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	if !g.first("v0=a", t0) {
		t.Fatal("a new signature was taken for a replay")
	}
	if g.first("v0=a", t0.Add(5*time.Minute)) {
		t.Fatal("a replay within the window was taken")
	}
	// Past the window the verifier refuses the timestamp anyway, so the
	// guard may forget it.
	g.first("v0=b", t0.Add(replayWindow+time.Second))
	if _, ok := g.seen[keyOf("v0=a")]; ok {
		t.Error("an expired signature is still remembered")
	}
	// Memory stays bounded.
	for i := range maxRemembered + 10 {
		g.first(fmt.Sprint(i), t0.Add(replayWindow+2*time.Second))
	}
	if len(g.seen) > maxRemembered || len(g.fifo) > maxRemembered {
		t.Errorf("remembers %d signatures, bound %d", len(g.seen), maxRemembered)
	}
}

// TestReplayGuardKeys pins that signatures are told apart as they are
// kept, decoded to 32 bytes: Slack's v0= signatures by their bytes, and
// anything else (an envelope ID) by its hash.
func TestReplayGuardKeys(t *testing.T) {
	var g replayGuard
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	sig := func(last byte) string { return fmt.Sprintf("v0=%062x%02x", 0xabc, last) }
	for _, s := range []string{sig(1), sig(2), "v0=" + strings.Repeat("z", 64), "envelope-1", "envelope-2"} {
		if !g.first(s, t0) {
			t.Errorf("%q taken for a replay of another", s)
		}
		if g.first(s, t0.Add(time.Minute)) {
			t.Errorf("%q again not taken for a replay", s)
		}
	}
}

// TestReplayGuardChurnStaysFlat keeps the guard at a steady 50 signatures
// a second for 150 minutes (fake time: fourteen replay windows) and
// checks that the heap holding it does not grow after the first two
// windows: a Go map under this churn doubled in size after seven to ten
// windows of inserts (+3 MB at this rate), which a soak's memory showed.
func TestReplayGuardChurnStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("450,000 signatures")
	}
	var g replayGuard
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	const perSecond = 50
	sig := func(i int) string { return fmt.Sprintf("v0=%064x", i) }
	heapAt := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	i := 0
	feed := func(until time.Duration) {
		for ; time.Duration(i)*time.Second/perSecond < until; i++ {
			if !g.first(sig(i), t0.Add(time.Duration(i)*time.Second/perSecond)) {
				t.Fatalf("signature %d taken for a replay", i)
			}
		}
	}
	feed(2 * replayWindow)
	before := heapAt()
	feed(150 * time.Minute)
	after := heapAt()
	if want := int(replayWindow.Seconds()) * perSecond; len(g.seen) > want+1 || len(g.seen) < want-1 {
		t.Errorf("remembers %d signatures, want the last window's %d", len(g.seen), want)
	}
	// The guard is ~4.5 MB here; a doubled map would add ~3 MB.
	if grew := int64(after) - int64(before); grew > 1<<20 {
		t.Errorf("heap grew by %.1f MB from %s to 150 minutes of churn (%d signatures held)", float64(grew)/(1<<20), 2*replayWindow, len(g.seen))
	}
}
