package main

import (
	"testing"
	"time"
)

func TestHeapProfileAt(t *testing.T) {
	for _, c := range []struct {
		mem     string
		elapsed time.Duration
		want    string
	}{
		{"/p/askdesk-http-1.heap.pprof", 10 * time.Minute, "/p/askdesk-http-1.heap.at-00600s.pprof"},
		{"/p/askdesk-http-1.heap.pprof", time.Hour + 1400*time.Millisecond, "/p/askdesk-http-1.heap.at-03601s.pprof"},
		{"heap", 59 * time.Second, "heap.at-00059s.pprof"},
	} {
		if got := heapProfileAt(c.mem, c.elapsed); got != c.want {
			t.Errorf("heapProfileAt(%q, %s) = %q, want %q", c.mem, c.elapsed, got, c.want)
		}
	}
}

func TestStartProfilesEveryNeedsMemProfile(t *testing.T) {
	if stop, err := startProfiles("", "", time.Minute); err == nil {
		stop()
		t.Fatal("startProfiles with --memprofile-every and no --memprofile: no error")
	}
}
