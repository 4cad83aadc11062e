package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/config"
)

// TestJobsDueMinutesAgoRunOnceAtStart: a digest whose tick fell in the
// last minutes (while serve was restarting, or while no replica led) is
// made up once the process leads; one whose tick is hours away is not.
// "Now" is serve's clock, not the machine's.
func TestJobsDueMinutesAgoRunOnceAtStart(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	// Finance (New York) had its tick a minute ago; IT (London) has the
	// same wall-clock time five hours away.
	tick := harnessStart.In(ny).Add(-time.Minute)
	sc := config.ScheduleConfig{Digest: fmt.Sprintf("%d %d * * *", tick.Minute(), tick.Hour())}
	h := newHarness(t, false, func(o *serverOptions) { o.Schedule = sc })
	digests := func(ch string) int {
		n := 0
		for _, m := range h.fake.Messages(ch) {
			if strings.Contains(m.Text, "Weekly digest") {
				n++
			}
		}
		return n
	}
	deadline := time.Now().Add(30 * time.Second)
	ticker := time.NewTicker(20 * time.Millisecond)
	defer ticker.Stop()
	for digests(finCh) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("Finance's digest, due a minute ago, was not made up at start")
		}
		<-ticker.C
		h.deliver()
	}
	h.deliver()
	if n := digests(finCh); n != 1 {
		t.Errorf("Finance's digest posted %d times", n)
	}
	if n := digests("C0ITHELP1"); n != 0 {
		t.Errorf("IT's digest, hours away, was posted %d times", n)
	}
}
