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
