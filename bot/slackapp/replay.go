package slackapp

import (
	"sync"
	"time"
)

// Slack's signature proves who sent a request, not that it is new: a
// request captured in transit (a proxy log, say) could be sent again within
// the five minutes the timestamp stays valid, and /ask would file it twice.
// Slack never resends a slash command or an interaction with the same
// timestamp (event retries carry a new one), so a signature seen before is
// a replay.

// replayWindow is how long a signature is remembered: as long as the
// verifier could accept its timestamp. It accepts five minutes either side
// of its clock, so a request stamped five minutes ahead stays valid for ten
// minutes after it is first seen; one more for skew.
const replayWindow = 11 * time.Minute

// maxRemembered bounds the memory: at the bound the oldest are forgotten
// first. Slack sends far fewer than this in six minutes.
const maxRemembered = 200_000

type replayGuard struct {
	mu   sync.Mutex
	seen map[string]time.Time // signature → when first seen
	fifo []string             // signatures in the order seen, for expiry
}

// first records sig at now and reports whether it is new.
func (g *replayGuard) first(sig string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.seen == nil {
		g.seen = map[string]time.Time{}
	}
	// Forget what has expired, or the oldest when full.
	for len(g.fifo) > 0 {
		old := g.fifo[0]
		if at := g.seen[old]; now.Sub(at) < replayWindow && len(g.fifo) < maxRemembered {
			break
		}
		delete(g.seen, old)
		g.fifo[0] = ""
		g.fifo = g.fifo[1:]
	}
	if _, ok := g.seen[sig]; ok {
		return false
	}
	g.seen[sig] = now
	g.fifo = append(g.fifo, sig)
	return true
}
