package main

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestLoadTool runs the whole tool for a short load against both targets
// and checks its JSON report.
func TestLoadTool(t *testing.T) {
	if testing.Short() {
		t.Skip("builds askdesk and askdesk-load and runs both servers")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bin := filepath.Join(t.TempDir(), "askdesk-load")
	if out, err := exec.Command(goCmd, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-json", "-clients", "2", "-duration", "300ms", "-warmup", "100ms", "-drain-timeout", "2s")
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("askdesk-load: %v\n%s\n%s", err, out, stderr)
	}
	var rep report
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	if len(rep.Targets) != 2 || rep.Targets[0].Name != "reference" || rep.Targets[1].Name != "askdesk" {
		t.Fatalf("targets: %+v", rep.Targets)
	}
	for _, tr := range rep.Targets {
		if tr.Filed == 0 || tr.Ops == 0 || tr.Errors != 0 || tr.OpsPerS <= 0 || tr.PeakRSSMB <= 0 || tr.StartupMs <= 0 {
			t.Errorf("%s: filed %d, ops %d, errors %d (%s), %.0f ops/s, peak RSS %.1f MB, start-up %.0f ms",
				tr.Name, tr.Filed, tr.Ops, tr.Errors, tr.FirstErr, tr.OpsPerS, tr.PeakRSSMB, tr.StartupMs)
		}
	}
	if rep.Ratio <= 0 {
		t.Errorf("ratio %v", rep.Ratio)
	}
	ad := rep.Targets[1]
	if ad.Drain == nil || len(ad.Drain.Cards.Duplicates) > 0 {
		t.Errorf("drain: %+v", ad.Drain)
	}
	if l := ad.Lifecycle; l == nil || l.ID == "" || len(l.Steps) != 4 || l.ByMethod["chat.postMessage"] == 0 {
		t.Errorf("lifecycle: %+v", l)
	}
}
