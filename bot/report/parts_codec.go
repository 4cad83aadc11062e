package report

import (
	"github.com/askdesk/askdesk/bot"

	"encoding/binary"
	"errors"
	"time"
)

// partFacts is what a stored part holds (PartRow.Facts): the part's record
// as counting reads it (no text but the title) and what its clocks came
// to, worked out once.
type partFacts struct {
	r        bot.Request
	received bool
	// The clocks' targets in business (or calendar) time.
	firstTarget, resTarget time.Duration
	// What work worked out, valid for any now from settled on (zero: never
	// settled, work it out at each read): both clocks stopped by then.
	settled   time.Time
	frDecided time.Time
	frMet     bool
	frTime    time.Duration
	resolved  bool
	resMet    bool
	resTime   time.Duration
	// lowRated: rated 1 or 2 by its own department at or after its
	// resolution, in every report's view (classifyPart); kept only for
	// parts not counted apart.
	lowRated bool
}

const (
	factPrivate = 1 << iota
	factReceived
	factFRMet
	factResolved
	factResMet
	factLowRated
)

// partFormat is the first byte of every encoding, so that another can
// follow it.
const partFormat = 1

var errPartFacts = errors.New("malformed part facts")

func appendPartString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendPartTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return binary.AppendVarint(b, 0)
	}
	// 0 is the zero time; instants from 1970 on shift by one to keep it.
	ms := t.UnixMilli()
	if ms >= 0 {
		ms++
	}
	return binary.AppendVarint(b, ms)
}

// encode writes f in partFormat.
func (f *partFacts) encode() []byte {
	r := &f.r
	b := make([]byte, 0, 160)
	b = append(b, partFormat)
	var flags byte
	for _, x := range []struct {
		on  bool
		bit byte
	}{{r.Private, factPrivate}, {f.received, factReceived}, {f.frMet, factFRMet}, {f.resolved, factResolved}, {f.resMet, factResMet}, {f.lowRated, factLowRated}} {
		if x.on {
			flags |= x.bit
		}
	}
	b = append(b, flags)
	for _, s := range []string{r.Title, r.Type, string(r.Priority), string(r.State), r.Requester, r.RequesterDept, r.Assignee} {
		b = appendPartString(b, s)
	}
	for _, n := range []int{r.StandardRev, r.Reopens, r.Transfers, r.Version} {
		b = binary.AppendVarint(b, int64(n))
	}
	for _, t := range []time.Time{r.CreatedAt, r.HeldSince, r.PassedOnAt, r.FirstResponseAt, r.ResolutionStart, r.ResolvedAt, r.ClosedAt,
		f.settled, f.frDecided} {
		b = appendPartTime(b, t)
	}
	for _, d := range []time.Duration{f.firstTarget, f.resTarget, f.frTime, f.resTime} {
		b = binary.AppendVarint(b, int64(d))
	}
	b = binary.AppendVarint(b, int64(len(r.Pauses)))
	for _, p := range r.Pauses {
		b = appendPartTime(appendPartTime(b, p.Start), p.End)
	}
	return b
}

// partDecoder reads partFormat; its first error sticks.
type partDecoder struct {
	b   []byte
	err error
}

func (d *partDecoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err, d.b = errPartFacts, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *partDecoder) string() string {
	n, k := binary.Uvarint(d.b)
	if k <= 0 || uint64(len(d.b)-k) < n {
		d.err, d.b = errPartFacts, nil
		return ""
	}
	s := string(d.b[k : k+int(n)])
	d.b = d.b[k+int(n):]
	return s
}

// stringIn is string, kept once in m: most parts share their type,
// priority, state and people.
func (d *partDecoder) stringIn(m map[string]string) string {
	n, k := binary.Uvarint(d.b)
	if k <= 0 || uint64(len(d.b)-k) < n {
		d.err, d.b = errPartFacts, nil
		return ""
	}
	b := d.b[k : k+int(n)]
	d.b = d.b[k+int(n):]
	if s, ok := m[string(b)]; ok {
		return s
	}
	s := string(b)
	m[s] = s
	return s
}

func (d *partDecoder) time() time.Time {
	v := d.varint()
	switch {
	case v == 0:
		return time.Time{}
	case v > 0:
		v--
	}
	return time.UnixMilli(v).UTC()
}

// decodePart reads what encode wrote into f, for the part of request id
// held by dept; strings but the title are kept once in shared.
func decodePart(id, dept string, b []byte, f *partFacts, shared map[string]string) error {
	if len(b) < 2 || b[0] != partFormat {
		return errPartFacts
	}
	flags := b[1]
	d := partDecoder{b: b[2:]}
	r := &f.r
	r.ID, r.Dept = id, dept
	r.Private, f.received = flags&factPrivate != 0, flags&factReceived != 0
	f.frMet, f.resolved, f.resMet = flags&factFRMet != 0, flags&factResolved != 0, flags&factResMet != 0
	f.lowRated = flags&factLowRated != 0
	r.Title, r.Type = d.string(), d.stringIn(shared)
	r.Priority, r.State = bot.Priority(d.stringIn(shared)), bot.State(d.stringIn(shared))
	r.Requester, r.RequesterDept, r.Assignee = d.stringIn(shared), d.stringIn(shared), d.stringIn(shared)
	r.StandardRev, r.Reopens, r.Transfers, r.Version = int(d.varint()), int(d.varint()), int(d.varint()), int(d.varint())
	r.CreatedAt, r.HeldSince, r.PassedOnAt, r.FirstResponseAt = d.time(), d.time(), d.time(), d.time()
	r.ResolutionStart, r.ResolvedAt, r.ClosedAt = d.time(), d.time(), d.time()
	f.settled, f.frDecided = d.time(), d.time()
	f.firstTarget, f.resTarget = time.Duration(d.varint()), time.Duration(d.varint())
	f.frTime, f.resTime = time.Duration(d.varint()), time.Duration(d.varint())
	if n := d.varint(); n > 0 {
		if n > int64(len(d.b)) {
			return errPartFacts
		}
		r.Pauses = make([]bot.Interval, n)
		for i := range r.Pauses {
			r.Pauses[i] = bot.Interval{Start: d.time(), End: d.time()}
		}
	}
	return d.err
}
