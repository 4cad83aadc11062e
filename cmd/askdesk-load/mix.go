package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The kinds of operation the clients do, as reported.
const (
	opFile     = "file"     // /ask <dept> <text>: files it; the reply rides in the ack
	opList     = "list"     // /ask list
	opHelp     = "help"     // /ask help
	opModal    = "modal"    // /ask with no text: views.open before the ack
	opClaim    = "claim"    // button on a card, by the department's staff
	opResolve  = "resolve"  // button on a claimed card
	opShortcut = "shortcut" // "Send to a department" on a message: views.open
	opSubmit   = "submit"   // intake modal from a shortcut: users.info, chat.getPermalink, files
	opReact    = "react"    // :ticket: in an intake channel: conversations.history after the ack
)

// opOrder is the order kinds are printed in.
var opOrder = []string{opFile, opList, opHelp, opModal, opClaim, opResolve, opShortcut, opSubmit, opReact}

// mixKinds are what -mix may name; "clicks" (claim, then resolve) has its
// own flag, and /ask filing takes the rest.
var mixKinds = []string{opList, opHelp, opModal, opShortcut, opSubmit, opReact}

// defaultMix is -mix's default: besides filing and clicks, what people do
// most that involves Slack calls around the ack.
const defaultMix = "list=0.1,help=0.05,modal=0.05,shortcut=0.1,submit=0.1,react=0.05"

// intakeEmoji is the reaction that files a message in an intake channel:
// askdesk's default, which the config cannot change.
const intakeEmoji = "ticket"

// opMix is the share of each kind of operation a client picks.
type opMix struct {
	clicks float64            // claim, then resolve
	shares map[string]float64 // by mixKinds name
}

// parseMix reads "list=0.1,help=0.05,…"; "" or "none" is no other kind.
func parseMix(s string, clicks float64) (opMix, error) {
	m := opMix{clicks: clicks, shares: map[string]float64{}}
	if s = strings.TrimSpace(s); s == "" || s == "none" {
		return m, nil
	}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		share, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || share < 0 || share > 1 || math.IsNaN(share) {
			return m, fmt.Errorf("-mix %q: want kind=share with share in 0..1, as in %q", part, defaultMix)
		}
		known := false
		for _, mk := range mixKinds {
			known = known || mk == k
		}
		if !known {
			return m, fmt.Errorf("-mix: unknown kind %q (want list, help, modal, shortcut, submit or react; -clicks sets clicks)", k)
		}
		m.shares[k] = share
	}
	if f := m.file(); f < -1e-9 {
		return m, fmt.Errorf("-mix and -clicks add up to %.2f, more than 1", 1-f)
	}
	return m, nil
}

// file is the share left to /ask <dept> <text>.
func (m opMix) file() float64 {
	f := 1 - m.clicks
	for _, v := range m.shares {
		f -= v
	}
	return f
}

// pick returns the kind for r in [0,1): opFile, "clicks" or a mixKinds name.
func (m opMix) pick(r float64) string {
	if r -= m.clicks; r < 0 {
		return "clicks"
	}
	for _, k := range mixKinds {
		if r -= m.shares[k]; r < 0 {
			return k
		}
	}
	return opFile
}

// asMap is the whole mix for the report, filing and clicks included.
func (m opMix) asMap() map[string]float64 {
	out := map[string]float64{opFile: max(m.file(), 0), "clicks": m.clicks}
	for _, k := range mixKinds {
		out[k] = m.shares[k]
	}
	return out
}

// String is the mix as printed: "file 35%, clicks 20% (claim, then
// resolve), list 10%, …", kinds with no share left out.
func (m opMix) String() string {
	parts := []string{fmt.Sprintf("file %.0f%%", 100*max(m.file(), 0))}
	if m.clicks > 0 {
		parts = append(parts, fmt.Sprintf("clicks %.0f%% (claim, then resolve)", 100*m.clicks))
	}
	for _, k := range mixKinds {
		if v := m.shares[k]; v > 0 {
			parts = append(parts, fmt.Sprintf("%s %.0f%%", k, 100*v))
		}
	}
	return strings.Join(parts, ", ")
}

// boundedPerSecond is the bounded mix (-bounded) in operations a second,
// whatever the rate: the share of each kind that makes askdesk call Slack
// is sized so that those calls stay near half of what askdesk paces
// itself to (Slack's published limits, bot/slackapp/pace.go), and the
// rest of the rate goes to /ask list and help, which are answered in the
// ack and post nothing. At half the pace the outbox keeps up with room
// for the mix's randomness, so its backlog stays flat: a soak on it tests
// askdesk's memory, not a queue that grows for as long as the load lasts.
//
//   - chat.postMessage (10/s in all, 1/s a channel): cards for filings
//     3/s, intake submissions 0.5/s and intake reactions 0.3/s, spread
//     over the departments' channels, DMs on claim and resolve and the
//     intake threads' replies: 5.5/s measured over 15 minutes at 50/s.
//   - chat.update (Tier 3, 50 a minute, 0.83/s): one a claim and one a
//     resolve: clicks 0.4/s.
//   - views.open (Tier 4, 100 a minute, 1.67/s; not paced by askdesk, as
//     a trigger cannot wait): modals 0.3/s and shortcuts 0.4/s.
//   - users.info and chat.getPermalink (Tier 4): submissions 0.5/s;
//     conversations.history (Tier 3): reactions 0.3/s.
var boundedPerSecond = map[string]float64{
	opFile: 3, "clicks": 0.4, opSubmit: 0.5, opReact: 0.3, opModal: 0.3, opShortcut: 0.4,
}

// boundedMix is the bounded mix at rate operations a second: the kinds
// that call Slack at boundedPerSecond, the rest /ask list (two thirds) and
// /ask help (one third). The rate must leave some for them.
func boundedMix(rate float64) (opMix, error) {
	var slack float64
	for _, v := range boundedPerSecond {
		slack += v
	}
	if rate <= slack {
		return opMix{}, fmt.Errorf("-bounded needs a -rate above %.1f operations a second (what its Slack-calling kinds take)", slack)
	}
	rest := rate - slack
	m := opMix{clicks: boundedPerSecond["clicks"] / rate, shares: map[string]float64{
		opList: 2 * rest / 3 / rate, opHelp: rest / 3 / rate,
	}}
	for _, k := range []string{opSubmit, opReact, opModal, opShortcut} {
		m.shares[k] = boundedPerSecond[k] / rate
	}
	return m, nil
}
