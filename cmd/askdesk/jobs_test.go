package main

import (
	"fmt"
	"slices"
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
	h := newHarness(t, false, func(o *serverOptions) {
		o.Schedule = sc
		// Nothing was filed: only a department that asks for quiet weeks'
		// digests gets one.
		o.Dir.ByName("finance").DigestWhenQuiet = true
		o.Dir.ByName("it").DigestWhenQuiet = true
	})
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

// TestDigestScheduleFollowsTheCatalogue: when a department's zone changes
// in the service catalogue, its weekly digest moves to 09:00 in the new
// zone, without a restart; nothing is scheduled twice.
func TestDigestScheduleFollowsTheCatalogue(t *testing.T) {
	h := newHarness(t, false, withSlackCatalogue(t), func(o *serverOptions) {
		o.Schedule = config.ScheduleConfig{Digest: "0 9 * * MON"}
	})
	nexts := func() []string {
		var out []string
		h.srv.sched.digestMu.Lock()
		defer h.srv.sched.digestMu.Unlock()
		for _, id := range h.srv.sched.digests {
			out = append(out, h.srv.sched.cron.Entry(id).Schedule.Next(harnessStart).UTC().Format("Mon 15:04"))
		}
		slices.Sort(out)
		return out
	}
	// Finance in New York (14:00 UTC), IT in London (09:00 UTC).
	if got := strings.Join(nexts(), ", "); got != "Mon 09:00, Mon 14:00" {
		t.Fatalf("digests at start: %s", got)
	}
	if _, _, err := h.srv.desk.Catalogue.Edit(h.ctx, "U0ADA0001", "it", map[string]string{"timezone": "Asia/Shanghai"}, "the team moved", "console"); err != nil {
		t.Fatal(err)
	}
	// IT now in Shanghai: 09:00 there is 01:00 UTC.
	if got := strings.Join(nexts(), ", "); got != "Mon 01:00, Mon 14:00" {
		t.Fatalf("digests after IT moved to Shanghai: %s", got)
	}
}
