package slacktest

import (
	"context"
	"fmt"
	"time"
)

// delay is a rule set by Delay or SlowShare: how long calls to a method
// wait before they are answered.
type delay struct {
	d     time.Duration
	times int     // left; <0 until removed (Delay)
	share float64 // 0 < share <= 1: that share of calls, evenly spread (SlowShare)
	n     int     // calls seen by a share rule
}

// Delay makes the next times calls to method ("*" for every method without
// a rule of its own; ResponseURLMethod for posts to a response_url) wait d
// before they are answered, as a slow Slack would: the call's effect and
// its record come after the wait. times < 0 delays until ClearDelays;
// times == 0 removes the rule. The wait ends early, answering as usual,
// when the caller gives up or the server closes.
func (s *Server) Delay(method string, times int, d time.Duration) {
	s.setDelay(method, &delay{d: d, times: times})
}

// SlowShare makes share (0..1] of the calls to method ("*" as in Delay)
// wait d, spread evenly and the same in every run: with share 0.1, the
// 10th, 20th, … call is slow. share <= 0 removes the rule.
func (s *Server) SlowShare(method string, share float64, d time.Duration) {
	if share <= 0 {
		s.setDelay(method, &delay{})
		return
	}
	s.setDelay(method, &delay{d: d, times: -1, share: min(share, 1)})
}

// ClearDelays removes every Delay and SlowShare rule.
func (s *Server) ClearDelays() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delays = map[string]*delay{}
}

func (s *Server) setDelay(method string, r *delay) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.times == 0 && r.share == 0 {
		delete(s.delays, method)
		return
	}
	s.delays[method] = r
}

// takeDelayLocked returns how long this call of method waits, using up one
// of its rule's times. s.mu must be held.
func (s *Server) takeDelayLocked(method string) time.Duration {
	r := s.delays[method]
	if r == nil {
		r = s.delays["*"]
	}
	if r == nil {
		return 0
	}
	if r.share > 0 {
		r.n++
		if int(float64(r.n)*r.share) == int(float64(r.n-1)*r.share) {
			return 0
		}
		return r.d
	}
	if r.times > 0 {
		r.times--
		if r.times == 0 {
			for k, v := range s.delays {
				if v == r {
					delete(s.delays, k)
				}
			}
		}
	}
	return r.d
}

// hold waits out the delay of a call to method, if any, unless ctx ends or
// the server closes first.
func (s *Server) hold(ctx context.Context, method string) {
	s.mu.Lock()
	d := s.takeDelayLocked(method)
	closing := s.closing
	s.mu.Unlock()
	if d <= 0 {
		return
	}
	s.mu.Lock()
	s.held[method]++
	s.broadcastLocked()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.held[method]--
		s.broadcastLocked()
		s.mu.Unlock()
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	case <-closing:
	}
}

// WaitHeld waits until at least n calls to method are being held by a
// delay: the caller is waiting on Slack now.
func (s *Server) WaitHeld(ctx context.Context, method string, n int) error {
	err := s.wait(ctx, func() bool { return s.held[method] >= n })
	if err != nil {
		return fmt.Errorf("wait for %d held calls to %s: %w", n, method, err)
	}
	return nil
}
