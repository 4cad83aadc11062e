package slackapp

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
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
	seen map[replayKey]int64 // signature → when first seen (Unix nanoseconds)
	fifo []replayKey         // signatures in the order seen, for expiry
	// forgotten counts deletions from seen since it was last rebuilt.
	// Go's maps do not give back all the room of what is deleted: under
	// this guard's churn (every key deleted once its window is over) a
	// map of constant size doubled, after seven to ten windows of inserts
	// (at a steady 50 requests a second, 33,000 signatures held, +3 MB
	// between minutes 78 and 113 of the load). Copying the map into a fresh one
	// once it has forgotten as many as it holds keeps it at a fresh map's
	// size, for one copy a window.
	forgotten int
}

// minRebuild is the fewest deletions worth a rebuild: a small map's
// leftover room is not worth copying it for.
const minRebuild = 1024

// replayKey is a signature as 32 bytes: an HMAC-SHA256 signature
// ("v0=" and 64 hex digits) decoded, anything else (an envelope ID) its
// SHA-256. Under load the guard holds every signature of the last eleven
// minutes, up to maxRemembered: as strings with their times they took
// ~180 bytes each (36 MB at the bound), as keys ~90.
type replayKey [32]byte

func keyOf(sig string) replayKey {
	var k replayKey
	if hexSig, ok := strings.CutPrefix(sig, "v0="); ok && len(hexSig) == 2*len(k) {
		if _, err := hex.Decode(k[:], []byte(hexSig)); err == nil {
			return k
		}
	}
	return sha256.Sum256([]byte(sig))
}

// first records sig at now and reports whether it is new.
func (g *replayGuard) first(sig string, now time.Time) bool {
	key, at := keyOf(sig), now.UnixNano()
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.seen == nil {
		g.seen = map[replayKey]int64{}
	}
	// Forget what has expired, or the oldest when full.
	for len(g.fifo) > 0 {
		old := g.fifo[0]
		if time.Duration(at-g.seen[old]) < replayWindow && len(g.fifo) < maxRemembered {
			break
		}
		delete(g.seen, old)
		g.fifo = g.fifo[1:]
		g.forgotten++
	}
	if g.forgotten >= minRebuild && g.forgotten >= len(g.seen) {
		fresh := make(map[replayKey]int64, len(g.seen))
		for k, at := range g.seen {
			fresh[k] = at
		}
		g.seen, g.forgotten = fresh, 0
	}
	if _, ok := g.seen[key]; ok {
		return false
	}
	g.seen[key] = at
	g.fifo = append(g.fifo, key)
	return true
}
