//go:build unix

package store_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used so far, user and system:
// on a machine shared with other work, a steadier measure of what a
// benchmark costs than the time it took.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
