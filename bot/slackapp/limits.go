package slackapp

import (
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// What a request to askdesk's Slack URLs may cost before its signature is
// known to be Slack's. Anyone can reach these URLs, and a signature can
// only be checked over the whole body, so the body is where an attacker
// would spend askdesk's memory: the headers are checked first (a request
// whose timestamp the verifier would refuse is refused before a byte of its
// body is read), a body declared larger than Slack ever sends is refused on
// its Content-Length, and the bodies being read at once share one budget.

// Body caps by URL: what Slack sends there, with a margin. Slack's
// composer takes up to 40,000 characters (Slack's chat.postMessage
// reference: messages are truncated past that), and askdesk refuses request texts over
// bot.MaxTextLen (3,000) with an explanation that must still reach the
// person, so the caps are set by the largest message, not by what askdesk
// keeps.
const (
	// MaxCommandBody: a slash command is a form of a dozen short fields
	// (~700 bytes) and the text; 40,000 ASCII characters percent-encoded
	// at worst three bytes each are 120 KB.
	MaxCommandBody = 128 << 10
	// MaxInteractionBody: block actions and view submissions carry the
	// message or the view they came from, with its blocks (askdesk's
	// own: a card, or a modal of at most 3,000-character fields and
	// 3,000 of private_metadata), JSON then form-encoded; a message
	// shortcut carries the message it was used on, whose text and
	// rich-text blocks each hold the (up to 40,000) characters.
	MaxInteractionBody = 256 << 10
	// MaxEventBody: an event callback is JSON (not percent-encoded), but
	// a message event carries the text twice too (text and blocks), plus
	// attachments and file descriptions.
	MaxEventBody = 256 << 10
)

// maxEnvelope bounds a Socket Mode message: the same payloads as over
// HTTP, in an envelope, from Slack itself over an authenticated socket.
const maxEnvelope = 1 << 20

// DefaultMaxBodyBytes is the budget of request bodies read at once when
// Config.MaxBodyBytes is 0: 64 of the largest bodies, or thousands of the
// few-kilobyte ones Slack really sends.
const DefaultMaxBodyBytes = 16 << 20

// smallBody is a body read outside the budget: the few kilobytes of nearly
// every request Slack sends, so that Slack's own requests never queue
// behind a flood of large ones. What these cost at once is bounded by the
// connections served at once (serve's bound: 256 × 16 KiB = 4 MiB).
const smallBody = 16 << 10

// signatureWindow is how far a request's timestamp may be from the clock:
// what slack-go's verifier accepts, and Slack's documentation advises.
const signatureWindow = 5 * time.Minute

// MaxBodyOf returns the body cap of a request to path.
func MaxBodyOf(path string) int64 {
	switch path {
	case "/slack/commands":
		return MaxCommandBody
	case "/slack/interactions":
		return MaxInteractionBody
	}
	return MaxEventBody
}

// plausibleSignature reports whether a request's signature headers could
// pass the verifier at now: a timestamp in whole seconds within
// signatureWindow, and a signature of the v0 form ("v0=" and the 64 hex
// digits of an HMAC-SHA256). Those that could not are refused before the
// body is read; those that could still have it checked.
func plausibleSignature(ts, sig string, now time.Time) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	// Compared in seconds, so that no timestamp overflows a Duration.
	if d := now.Unix() - sec; d > int64(signatureWindow/time.Second) || d < -int64(signatureWindow/time.Second) {
		return false
	}
	h, ok := strings.CutPrefix(sig, "v0=")
	if !ok || len(h) != 64 {
		return false
	}
	_, err = hex.DecodeString(h)
	return err == nil
}

// errTooLarge is a body over its cap.
var errTooLarge = errors.New("request body over its cap")

// readBody reads r's body, at most limit bytes, into one buffer of its
// declared length (no doubling as it grows), or, sent chunked, up to limit.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, errTooLarge
	}
	rd := http.MaxBytesReader(w, r.Body, limit)
	if r.ContentLength >= 0 {
		b := make([]byte, r.ContentLength)
		if _, err := io.ReadFull(rd, b); err != nil {
			return nil, err
		}
		return b, nil
	}
	b, err := io.ReadAll(rd)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, errTooLarge
	}
	return b, err
}

// refuse answers a request that is not taken, and closes its connection:
// net/http would otherwise read what is left of the body (up to 256 KiB)
// to reuse the connection for a client that is not Slack.
func refuse(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Connection", "close")
	http.Error(w, msg, code)
}
