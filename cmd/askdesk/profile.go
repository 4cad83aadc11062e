package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"
)

// startProfiles starts a CPU profile into cpu and returns what ends it and
// writes a heap profile into mem; either may be "" for none. With every > 0
// (and mem set) it also writes a heap profile every that long while serve
// runs, named after mem and the time since start (see heapProfileAt), so
// that a soak can compare the heap at its warm-up's end with its end
// (go tool pprof -base); a heap profile only at stop cannot tell growth
// from what the last minute left. serve's hidden --cpuprofile,
// --memprofile and --memprofile-every use it, for the load tool.
func startProfiles(cpu, mem string, every time.Duration) (stop func() error, err error) {
	if every > 0 && mem == "" {
		return nil, errors.New("--memprofile-every needs --memprofile: the periodic profiles are named after it")
	}
	var cpuFile *os.File
	if cpu != "" {
		if cpuFile, err = os.Create(cpu); err != nil {
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
		if err := pprof.StartCPUProfile(cpuFile); err != nil {
			cpuFile.Close()
			return nil, fmt.Errorf("cpu profile: %w", err)
		}
	}
	periodic := startPeriodicHeapProfiles(mem, every)
	return func() error {
		errs := []error{periodic()}
		if cpuFile != nil {
			pprof.StopCPUProfile()
			if err := cpuFile.Close(); err != nil {
				errs = append(errs, fmt.Errorf("cpu profile: %w", err))
			}
		}
		if mem != "" {
			errs = append(errs, writeHeapProfile(mem))
		}
		return errors.Join(errs...)
	}, nil
}

// startPeriodicHeapProfiles writes a heap profile every interval until the
// returned stop is called; stop waits for the writer and returns the first
// error it met (the writer stops at it: a full disk would only repeat it).
// every <= 0 starts nothing.
func startPeriodicHeapProfiles(mem string, every time.Duration) (stop func() error) {
	if every <= 0 {
		return func() error { return nil }
	}
	// One sample every 512 KiB allocated (Go's default) leaves a soak's
	// few MB of change as a handful of samples; every 32 KiB tells the
	// growing map from the noise, at a cost fine for measuring. Set
	// before the server allocates, as the runtime asks.
	runtime.MemProfileRate = 32 << 10
	start := time.Now()
	quit := make(chan struct{})
	var wg sync.WaitGroup
	var werr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case now := <-t.C:
				// A collection first, so that the profile's in-use figures
				// are the heap's now, not as of whenever the last GC ran.
				runtime.GC()
				if werr = writeHeapProfile(heapProfileAt(mem, now.Sub(start))); werr != nil {
					return
				}
			}
		}
	}()
	return func() error {
		close(quit)
		wg.Wait()
		return werr
	}
}

// heapProfileAt names the periodic heap profile taken elapsed after start:
// "x.heap.pprof" becomes "x.heap.at-00600s.pprof", so they sort by time.
func heapProfileAt(mem string, elapsed time.Duration) string {
	return fmt.Sprintf("%s.at-%05ds.pprof", strings.TrimSuffix(mem, ".pprof"), int(elapsed.Round(time.Second).Seconds()))
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	return nil
}
