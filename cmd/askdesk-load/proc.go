package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// servingAddr matches the line both askdesk serve and the reference handler
// log once they accept requests.
var servingAddr = regexp.MustCompile(`msg="askdesk serving" addr=(\S+)`)

// proc is a server under test, run as a child process.
type proc struct {
	name    string
	cmd     *exec.Cmd
	addr    string        // host:port from the serving line
	startup time.Duration // from exec to the serving line
	done    chan struct{} // closed once the process has exited and been reaped

	mu    sync.Mutex
	lines []string // stderr, the last few hundred lines
}

// launch starts bin with args and env and returns once it logs that it
// serves, or an error with its log when it exits or takes over timeout.
func launch(name, bin string, args, env []string, timeout time.Duration) (*proc, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{})}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			if p.lines = append(p.lines, line); len(p.lines) > 400 {
				p.lines = p.lines[len(p.lines)-200:]
			}
			p.mu.Unlock()
			if m := servingAddr.FindStringSubmatch(line); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, stderr)
		cmd.Wait()
		close(p.done)
	}()
	select {
	case p.addr = <-addr:
		p.startup = time.Since(start)
		return p, nil
	case <-p.done:
		return nil, fmt.Errorf("%s exited before serving:\n%s", name, p.log())
	case <-time.After(timeout):
		p.kill()
		return nil, fmt.Errorf("%s did not say it serves within %s:\n%s", name, timeout, p.log())
	}
}

// log returns the last lines the process wrote to stderr.
func (p *proc) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// warnings counts the lines logged at level WARN or ERROR so far.
func (p *proc) warnings() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, l := range p.lines {
		if strings.Contains(l, "level=WARN") || strings.Contains(l, "level=ERROR") {
			n++
		}
	}
	return n
}

// stop asks the process to finish (SIGTERM) and kills it after grace.
func (p *proc) stop(grace time.Duration) {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		p.kill()
	}
}

// kill sends SIGKILL and waits until the process is reaped.
func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// memStatus is what /proc/PID/status says about memory, in bytes.
type memStatus struct {
	RSS, HWM, Anon int64 // VmRSS, VmHWM (peak RSS), RssAnon
}

// readMem reads /proc/pid/status.
func readMem(pid int) (memStatus, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return memStatus{}, err
	}
	var m memStatus
	for line := range bytes.Lines(b) {
		k, v, ok := strings.Cut(string(line), ":")
		if !ok {
			continue
		}
		var dst *int64
		switch k {
		case "VmRSS":
			dst = &m.RSS
		case "VmHWM":
			dst = &m.HWM
		case "RssAnon":
			dst = &m.Anon
		default:
			continue
		}
		f := strings.Fields(v) // "12345 kB"
		if len(f) == 2 && f[1] == "kB" {
			n, err := strconv.ParseInt(f[0], 10, 64)
			if err == nil {
				*dst = n << 10
			}
		}
	}
	if m.RSS == 0 {
		return m, errors.New("no VmRSS in /proc/" + strconv.Itoa(pid) + "/status")
	}
	return m, nil
}

// clockTicks is the unit of /proc/PID/stat's CPU times (USER_HZ), 100 on
// every Linux this runs on.
const clockTicks = 100

// readCPU reads the CPU time pid has spent, user and system, from
// /proc/pid/stat.
func readCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces:
	// the fields are counted from its closing one (state is field 3).
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("no command name in /proc/" + strconv.Itoa(pid) + "/stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("short /proc/" + strconv.Itoa(pid) + "/stat")
	}
	var ticks int64
	for _, v := range f[11:13] { // utime, stime: fields 14 and 15
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// rssSampler reads a process's memory every interval until stopped, and
// keeps the largest VmRSS and RssAnon seen.
type rssSampler struct {
	stopc chan struct{}
	done  chan struct{}
	max   memStatus
	err   error
}

func sampleRSS(pid int, interval time.Duration) *rssSampler {
	s := &rssSampler{stopc: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			m, err := readMem(pid)
			if err != nil {
				s.err = err
				return
			}
			s.max.RSS, s.max.Anon, s.max.HWM = max(s.max.RSS, m.RSS), max(s.max.Anon, m.Anon), m.HWM
			select {
			case <-s.stopc:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// stop ends the sampling and returns the largest values seen, with HWM as
// last read (the kernel's peak since start).
func (s *rssSampler) stop() (memStatus, error) {
	close(s.stopc)
	<-s.done
	return s.max, s.err
}
