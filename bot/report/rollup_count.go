package report

import (
	"github.com/askdesk/askdesk/bot"
)

// addCellCounts adds a cell's counts, times and people to t.
func (t *tally) addCellCounts(c *cellSum) {
	if c == nil {
		return
	}
	f := &t.f
	f.New += int(c.n[cNew])
	f.Received += int(c.n[cReceived])
	f.PassedOn += int(c.n[cPassedOn])
	f.Resolved += int(c.n[cResolved])
	f.ResolutionsMet += int(c.n[cResMet])
	f.RightFirstTime += int(c.n[cRightFirstTime])
	f.FirstResponses += int(c.n[cFirstResponses])
	f.FirstResponsesMet += int(c.n[cFirstResponsesMet])
	t.frTimes.addAll(&c.fr)
	t.rTimes.addAll(&c.res)
	if t.people == nil {
		t.people = map[string]*PersonFigures{}
	}
	for id, p := range c.people {
		q := t.people[id]
		if q == nil {
			q = &PersonFigures{User: id}
			t.people[id] = q
		}
		q.Resolved += int(p[pResolved])
		q.Met += int(p[pMet])
		q.RightFirstTime += int(p[pRightFirstTime])
	}
}

// partSpan is the span in which a part read on its own counts toward s:
// all of it for one counted apart, the part after the cells for the
// others, whose earlier instants the cells hold.
func partSpan(f *reqFacts, s span) span {
	if f.apart {
		return s
	}
	s.from = coverEnd(s)
	return s
}

// count is digestData.count from cells and the parts read on their own.
func (r *rollupData) count(d *digestData, dep *bot.Department, spans []span, withOpen bool) []*tally {
	ts := make([]*tally, len(spans))
	x := d.index[dep.Name]
	for i, s := range spans {
		t := &tally{people: map[string]*PersonFigures{}}
		t.addCellCounts(r.sums[dep.Name][keyOf(s)][""])
		for _, f := range d.byDept[dep.Name] {
			t.add(x, f, partSpan(f, s), false)
			if withOpen {
				t.addOpen(x, f, s)
			}
		}
		ts[i] = t
	}
	return ts
}

// reopened counts dep's requests reopened in s.
func (r *rollupData) reopened(d *digestData, dep *bot.Department, s span) int {
	n := 0
	if c := r.sums[dep.Name][keyOf(s)][""]; c != nil {
		n = int(c.n[cReopened])
	}
	for _, f := range d.byDept[dep.Name] {
		if f.reopenedHere() && partSpan(f, s).holds(f.r.ResolutionStart) {
			n++
		}
	}
	return n
}

// byPriority tallies dep's figures in s by priority.
func (r *rollupData) byPriority(d *digestData, dep *bot.Department, s span, into map[bot.Priority]*tally) {
	get := func(p bot.Priority) *tally {
		t := into[p]
		if t == nil {
			t = &tally{people: map[string]*PersonFigures{}}
			into[p] = t
		}
		return t
	}
	for kind, c := range r.sums[dep.Name][keyOf(s)] {
		if len(kind) > 2 && kind[:2] == "p:" {
			get(bot.Priority(kind[2:])).addCellCounts(c)
		}
	}
	x := d.index[dep.Name]
	for _, f := range d.byDept[dep.Name] {
		get(f.r.Priority).add(x, f, partSpan(f, s), false)
	}
}
