package main

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// runTool builds askdesk-load, runs it with args and -json, and returns
// its report.
func runTool(t *testing.T, args ...string) report {
	t.Helper()
	if testing.Short() {
		t.Skip("builds askdesk and askdesk-load and runs servers")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bin := filepath.Join(t.TempDir(), "askdesk-load")
	if out, err := exec.Command(goCmd, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, append([]string{"-json"}, args...)...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := errors.AsType[*exec.ExitError](err); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("askdesk-load: %v\n%s\n%s", err, out, stderr)
	}
	var rep report
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	return rep
}

// TestLoadTool runs the whole tool for a short load against both targets
// in HTTP mode and checks its JSON report.
func TestLoadTool(t *testing.T) {
	rep := runTool(t, "-clients", "2", "-duration", "300ms", "-warmup", "100ms", "-drain-timeout", "2s")
	if len(rep.Targets) != 2 || rep.Targets[0].Name != "reference" || rep.Targets[1].Name != "askdesk" {
		t.Fatalf("targets: %+v", rep.Targets)
	}
	for _, tr := range rep.Targets {
		if tr.Mode != "http" || tr.Filed == 0 || tr.Ops == 0 || tr.Errors != 0 || tr.OpsPerS <= 0 || tr.PeakRSSMB <= 0 || tr.StartupMs <= 0 {
			t.Errorf("%s (%s): filed %d, ops %d, errors %d (%s), %.0f ops/s, peak RSS %.1f MB, start-up %.0f ms",
				tr.Name, tr.Mode, tr.Filed, tr.Ops, tr.Errors, tr.FirstErr, tr.OpsPerS, tr.PeakRSSMB, tr.StartupMs)
		}
		checkAckStats(t, tr)
		// Each target's CPU over the measured load, per acknowledgement.
		if tr.CPUSeconds <= 0 || tr.CPUMsPerAck <= 0 || tr.CPUMsPerAck != 1000*tr.CPUSeconds/float64(tr.Acks) {
			t.Errorf("%s: CPU %.3f s, %.3f ms per ack of %d", tr.Name, tr.CPUSeconds, tr.CPUMsPerAck, tr.Acks)
		}
	}
	if rep.Ratio <= 0 || rep.SocketRatio != 0 {
		t.Errorf("ratios %v, %v", rep.Ratio, rep.SocketRatio)
	}
	checkAskdeskTarget(t, rep.Targets[1])
}

// TestLoadToolSocket runs askdesk in Socket Mode for a short load, every
// kind of operation in the mix, and checks its JSON report.
func TestLoadToolSocket(t *testing.T) {
	rep := runTool(t, "-mode", "socket", "-clients", "2", "-duration", "300ms", "-warmup", "0", "-drain-timeout", "2s",
		"-clicks", "0.2", "-mix", "list=0.1,help=0.1,modal=0.1,shortcut=0.1,submit=0.1,react=0.1")
	if rep.Params.Mode != "socket" || rep.Params.Mix[opFile] < 0.19 || rep.Params.Mix[opReact] != 0.1 {
		t.Errorf("params: %+v", rep.Params)
	}
	if len(rep.Targets) != 1 || rep.Targets[0].Name != "askdesk-socket" || rep.Targets[0].Mode != "socket" {
		t.Fatalf("targets: %+v", rep.Targets)
	}
	tr := rep.Targets[0]
	if tr.Filed == 0 || tr.Ops == 0 || tr.Errors != 0 || tr.OpsPerS <= 0 || tr.PeakRSSMB <= 0 || tr.StartupMs <= 0 {
		t.Errorf("filed %d, ops %d, errors %d (%s), %.0f ops/s, peak RSS %.1f MB, start-up %.0f ms",
			tr.Filed, tr.Ops, tr.Errors, tr.FirstErr, tr.OpsPerS, tr.PeakRSSMB, tr.StartupMs)
	}
	checkAckStats(t, tr)
	if rep.Ratio != 0 || rep.SocketRatio != 0 {
		t.Errorf("ratios without a reference: %v, %v", rep.Ratio, rep.SocketRatio)
	}
	if tr.Timeouts == 0 && tr.Late != nil {
		t.Errorf("late acks reported with no timeouts: %+v", tr.Late)
	}
	checkAskdeskTarget(t, tr)
}

// TestLoadToolSteadyRate runs askdesk at a steady rate for a few seconds
// on the bounded mix with its memory and outbox sampled every second, and
// checks the series, its judgements and serve's heap profile at each
// sample.
func TestLoadToolSteadyRate(t *testing.T) {
	prof := t.TempDir()
	rep := runTool(t, "-only", "askdesk", "-clients", "2", "-rate", "20", "-duration", "4s", "-warmup", "0",
		"-sample-every", "1s", "-mem-warmup", "1s", "-mem-tolerance", "100", "-drain-timeout", "2s", "-bounded", "-profile", prof)
	if len(rep.Targets) != 1 {
		t.Fatalf("targets: %+v", rep.Targets)
	}
	tr := rep.Targets[0]
	// 20/s for 4 s is about 80 operations: far fewer than 2 clients would
	// send unpaced, and none lost.
	if tr.Ops < 40 || tr.Ops > 90 || tr.Errors != 0 {
		t.Errorf("%d ops, %d errors (%s); want about 80", tr.Ops, tr.Errors, tr.FirstErr)
	}
	if len(tr.Memory) < 4 || tr.Memory[0].AnonMB <= 0 || tr.Memory[len(tr.Memory)-1].HeapMB <= 0 {
		t.Errorf("memory series: %+v", tr.Memory)
	}
	if g := tr.Growth; g == nil || g.Why != "" || g.Samples < 3 || !g.Flat {
		t.Errorf("growth: %+v", g)
	}
	// A few cards a second: askdesk's outbox keeps up.
	if g := tr.Growth; g == nil || g.Backlog == nil || g.Backlog.Samples < 3 || !g.Backlog.Bounded {
		t.Errorf("outbox backlog: %+v", g)
	}
	for _, m := range tr.Memory {
		if m.Pending == nil {
			t.Errorf("a sample without the outbox backlog: %+v", m)
		}
	}
	if _, ok := rep.Params.Mix[opList]; !ok || !rep.Params.Bounded || math.Abs(rep.Params.Mix[opFile]-boundedPerSecond[opFile]/20) > 1e-9 {
		t.Errorf("mix %v, bounded %v: want the bounded mix at 20/s", rep.Params.Mix, rep.Params.Bounded)
	}
	heaps, err := filepath.Glob(filepath.Join(prof, "askdesk-http-1.heap.at-*s.pprof"))
	if err != nil || len(heaps) < 3 {
		t.Errorf("heap profiles every second of a 4 s soak: %q, %v", heaps, err)
	}
}

// checkAckStats checks the ack figures hang together, overall and by kind.
func checkAckStats(t *testing.T, tr targetReport) {
	t.Helper()
	if tr.Acks < tr.Ops || tr.P50ms <= 0 || tr.P50ms > tr.P99ms || tr.P99ms > tr.MaxMs {
		t.Errorf("%s: %d acks for %d ops, ack p50 %.2f, p99 %.2f, max %.2f ms", tr.Name, tr.Acks, tr.Ops, tr.P50ms, tr.P99ms, tr.MaxMs)
	}
	var ops, acks, timeouts int
	for k, s := range tr.ByKind {
		if !slices.Contains(opOrder, k) {
			t.Errorf("%s: unknown kind %q", tr.Name, k)
		}
		if s.Acks > 0 && (s.P50ms <= 0 || s.P50ms > s.P99ms || s.P99ms > s.MaxMs || s.MaxMs > tr.MaxMs) {
			t.Errorf("%s %s: %+v", tr.Name, k, *s)
		}
		ops, acks, timeouts = ops+s.Ops, acks+s.Acks, timeouts+s.Timeouts
	}
	if ops != tr.Ops || acks != tr.Acks || timeouts != tr.Timeouts || tr.ByKind[opFile] == nil || tr.ByKind[opFile].Ops == 0 {
		t.Errorf("%s: by kind %d ops, %d acks, %d timeouts; in all %d, %d, %d; file %+v",
			tr.Name, ops, acks, timeouts, tr.Ops, tr.Acks, tr.Timeouts, tr.ByKind[opFile])
	}
	if tr.LoadCalls["views.open"] == 0 && (tr.ByKind[opModal] != nil || tr.ByKind[opShortcut] != nil) && tr.Name != "reference" {
		t.Errorf("%s: modals opened without views.open: %v", tr.Name, tr.LoadCalls)
	}
}

// checkAskdeskTarget checks an askdesk target's drain and lifecycle.
func checkAskdeskTarget(t *testing.T, tr targetReport) {
	t.Helper()
	if tr.Drain == nil || len(tr.Drain.Cards.Duplicates) > 0 {
		t.Errorf("%s drain: %+v", tr.Name, tr.Drain)
	}
	if l := tr.Lifecycle; l == nil || l.ID == "" || len(l.Steps) != 4 || l.ByMethod["chat.postMessage"] == 0 {
		t.Errorf("%s lifecycle: %+v", tr.Name, l)
	} else if a := l.Again; a == nil || a.ID == l.ID || len(a.Steps) != 4 || a.Total > 6 || a.ResponseURL != 1 {
		t.Errorf("%s lifecycle of someone seen before: %+v, want at most 6 Web API calls and the thanks through response_url", tr.Name, a)
	}
}
