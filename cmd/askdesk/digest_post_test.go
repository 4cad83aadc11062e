package main

import (
	"bytes"
	"image/png"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/bot/report/chart"
)

// TestSlackDigestWithChart posts Finance's weekly digest through serve's
// outbox: the text to the queue channel, the trend chart uploaded in its
// thread, and only once per week.
func TestSlackDigestWithChart(t *testing.T) {
	h := newHarness(t, false)
	h.slash(sam, "finance numbers")
	h.deliver()
	h.clock.Advance(7 * 24 * time.Hour) // into the next week
	dep := h.srv.desk.Dir().ByName("finance")
	posted, dg, err := report.PostDigest(h.ctx, h.srv.desk, h.srv.db, dep, report.ISOWeek{}, "", nil, chart.Trend)
	if err != nil || !posted || dg == nil {
		t.Fatalf("post digest: %v %v", posted, err)
	}
	h.deliver()
	var digest *string
	for _, m := range h.fake.Messages(finCh) {
		if strings.Contains(m.Text, "Weekly digest") {
			digest = &m.TS
		}
	}
	if digest == nil {
		t.Fatalf("no digest in the queue channel: %+v", h.fake.Messages(finCh))
	}
	files := h.fake.Files()
	if len(files) != 1 || !files[0].Completed || files[0].Channel != finCh || files[0].ThreadTS != *digest {
		t.Fatalf("chart upload: %+v", files)
	}
	if _, err := png.Decode(bytes.NewReader(files[0].Content)); err != nil {
		t.Fatalf("the chart is not a PNG: %v", err)
	}
	if posted, _, _ := report.PostDigest(h.ctx, h.srv.desk, h.srv.db, dep, report.ISOWeek{}, "", nil, chart.Trend); posted {
		t.Fatal("the same week's digest posted twice")
	}
}

// TestConsoleDigestOnAdvance: in the console, advancing the clock past
// Monday 09:00 posts the weekly digests as serve's schedule would, and
// saves the charts to files whose paths are shown.
func TestConsoleDigestOnAdvance(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	script := ":as sam\n/ask finance need numbers\n:as fiona\n:claim FIN-1\n:resolve FIN-1 sent\n:advance 2d\n"
	code, out, errOut := run(t, script, "console", "--db", dir+"/c.db", "--now", "2026-11-19T10:00:00-05:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "Weekly digest") {
		t.Fatalf("digest posted before Monday:\n%s", out)
	}
	code, out, _ = run(t, ":advance 3d\n", "console", "--db", dir+"/c.db", "--now", "2026-11-21T10:00:00-05:00")
	if code != 0 || !strings.Contains(out, "*Weekly digest · Finance · 2026-W47*") || !strings.Contains(out, "1 resolved") {
		t.Fatalf("no Finance digest after crossing Monday 09:00:\n%s", out)
	}
	path := dir + "/askdesk-finance-2026-W47.png"
	if !strings.Contains(out, "saved to "+path) {
		t.Fatalf("chart path not shown:\n%s", out)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}
