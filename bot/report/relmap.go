package report

import (
	"errors"
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"

	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// UnknownDept is the customer department of a requester askdesk could not
// place when they filed: in no [people] entry, on no department's staff or
// user group, and with no department in their Slack profile.
const UnknownDept = "unknown"

// RelMap is the relationship map: who is whose internal customer. Each
// pair is a customer department (the requester's home department) and the
// department that served it, with what passed between them in a period.
type RelMap struct {
	Period Period
	At     time.Time // now, when the period is not over
	// Serving are the departments that served someone, Customers those
	// that asked; both in config order, then others by name, "unknown" last.
	Serving, Customers []string
	// Pairs are the pairs with anything in the period, most requests first.
	Pairs []Pair
	dir   *bot.Directory
	to    time.Time // the period's latest end, across zones
}

// Pair is what one department asked of another in the period: Figures as
// the digest counts them (New: requests filed; attainment: the SLA targets
// decided in the period), in the serving department's calendar, and the
// ratings its requesters gave.
type Pair struct {
	From, To string // customer department → serving department, by name
	Figures  Figures
	CSAT     Scores
}

type pairKey struct{ from, to string }

// ComputeMap computes the relationship map of p from the store in one read:
// from the map cells when the store keeps them (MapCells), otherwise from
// each part or request of the period. Each serving department's period
// runs in its own time zone. A pair is on the map when something was
// counted for it or a rating asked. It returns EINVALID for a period that
// has not begun, or the store's error.
func ComputeMap(ctx context.Context, reports Reports, dir *bot.Directory, p Period, now time.Time) (*RelMap, error) {
	spans := map[string]span{}
	var all []span
	for _, dep := range dir.Departments {
		s := p.span(dep.Calendar.Location, now)
		spans[dep.Name], all = s, append(all, s)
	}
	if !begun(now, all) {
		return nil, notBegun(p)
	}
	type counted struct {
		tallies map[pairKey]*tally
		csat    map[pairKey]*Scores
	}
	c, err := readSettled(func() (counted, error) {
		var c counted
		mc, ro, seq, ok, err := mapCellsFor(ctx, reports, dir, all, now)
		if err != nil {
			return c, fmt.Errorf("map: %w", err)
		}
		if !ok {
			c.tallies, c.csat, err = mapFromRequests(ctx, reports, dir, spans, all, now)
			return c, err
		}
		from, to, _ := spanRange(all)
		if c.tallies, c.csat, err = mapFromCells(ctx, mc, ro, reports, dir, spans, from, to, now); err != nil {
			// A placed requester's cells read after a commit moved them
			// no longer fit the together cell read before it (its minus
			// fails): read again, rather than blame the kept counts.
			if moved := unmoved(ctx, ro, seq); errors.Is(moved, errMoved) {
				return c, moved
			}
			return c, err
		}
		return c, unmoved(ctx, ro, seq)
	})
	if err != nil {
		return nil, err
	}
	tallies, csat := c.tallies, c.csat
	_, to := spanBounds(all)
	m := &RelMap{Period: p, At: minTime(now, to), dir: dir, to: to}
	for k, t := range tallies {
		pr := Pair{From: k.from, To: k.to, Figures: t.figures()}
		if c := csat[k]; c != nil {
			pr.CSAT = *c
		}
		if pr.Figures != (Figures{}) || pr.CSAT.Asked > 0 {
			m.Pairs = append(m.Pairs, pr)
		}
	}
	for k, c := range csat {
		if tallies[k] == nil && c.Asked > 0 {
			m.Pairs = append(m.Pairs, Pair{From: k.from, To: k.to, CSAT: *c})
		}
	}
	m.order()
	return m, nil
}

// mapFromRequests counts the map's pairs from each part of the period
// (stored, or worked out from whole requests) and its ratings from each
// rating, placed by the requests read.
func mapFromRequests(ctx context.Context, reports Reports, dir *bot.Directory, spans map[string]span, all []span, now time.Time) (map[pairKey]*tally, map[pairKey]*Scores, error) {
	// The ratings are read beside the requests, and counted into their
	// pairs once the requests say who asked from where.
	var rated []bot.Rating
	ratings := make(chan error, 1)
	go func() { ratings <- readPairRatings(ctx, reports, spans, &rated) }()
	data, err := loadDigestDataByPart(ctx, reports, dir, dir.Departments, all, false, now)
	if err != nil {
		<-ratings
		return nil, nil, fmt.Errorf("map: %w", err)
	}
	// Each request's customer department: as stamped at filing.
	from := map[string]string{}
	tallies := map[pairKey]*tally{}
	for _, dep := range dir.Departments {
		x, s := data.index[dep.Name], spans[dep.Name]
		for _, f := range data.byDept[dep.Name] {
			from[f.r.ID] = requesterDept(dir, f.r)
			k := pairKey{from[f.r.ID], dep.Name}
			t := tallies[k]
			if t == nil {
				t = &tally{people: map[string]*PersonFigures{}}
				tallies[k] = t
			}
			t.add(x, f, s, false)
		}
	}
	if err := <-ratings; err != nil {
		return nil, nil, err
	}
	csat := map[pairKey]*Scores{}
	for _, r := range rated {
		c, ok := from[r.RequestID]
		if !ok { // its request is not among those read
			c = customerDept(dir, r.Requester)
		}
		k := pairKey{c, r.Dept}
		if csat[k] == nil {
			csat[k] = &Scores{}
		}
		csat[k].addRating(r)
	}
	return tallies, csat, nil
}

// readPairRatings reads each rating whose prompt went out in its serving
// department's period, when the store has ratings.
func readPairRatings(ctx context.Context, reports Reports, spans map[string]span, out *[]bot.Rating) error {
	rr, ok := reports.(RatingRows)
	if !ok {
		return nil
	}
	var all []span
	for _, s := range spans {
		all = append(all, s)
	}
	from, to := spanBounds(all)
	err := eachRatingFigure(ctx, reports, rr, from, to, func(r bot.Rating) error {
		if s, ok := spans[r.Dept]; ok && s.holds(r.AskedAt) {
			*out = append(*out, r)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("map ratings: %w", err)
	}
	return nil
}

// order sorts the pairs, busiest first, and lists the departments.
func (m *RelMap) order() {
	slices.SortFunc(m.Pairs, func(a, b Pair) int {
		return cmp.Or(cmp.Compare(b.Figures.New, a.Figures.New), m.compareNames(a.From, b.From), m.compareNames(a.To, b.To))
	})
	m.Serving, m.Customers = nil, nil
	for _, p := range m.Pairs {
		if !slices.Contains(m.Serving, p.To) {
			m.Serving = append(m.Serving, p.To)
		}
		if !slices.Contains(m.Customers, p.From) {
			m.Customers = append(m.Customers, p.From)
		}
	}
	slices.SortFunc(m.Serving, m.compareNames)
	slices.SortFunc(m.Customers, m.compareNames)
}

// compareNames orders departments as the map lists them: config order,
// then others by name, "unknown" last.
func (m *RelMap) compareNames(a, b string) int {
	rank := func(name string) int {
		if i := slices.IndexFunc(m.dir.Departments, func(d *bot.Department) bool { return d.Name == name }); i >= 0 {
			return i
		}
		if name == UnknownDept {
			return len(m.dir.Departments) + 1
		}
		return len(m.dir.Departments)
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a, b))
}

// Label returns a department's display name, "unknown department" for
// requesters askdesk could not place, or the name as given (a department
// a Slack profile names that askdesk does not serve).
func (m *RelMap) Label(name string) string { return m.LabelIn(nil, name) }

// LabelIn is Label in p's language (nil: English): only "unknown
// department" is words.
func (m *RelMap) LabelIn(p *i18n.Printer, name string) string {
	if d := m.dir.ByName(name); d != nil && d.DisplayName != "" {
		return d.DisplayName
	}
	if name == UnknownDept {
		return p.T("map.unknown_dept")
	}
	return name
}

// Unplaced returns how many requests in the period came from people
// askdesk could not place in a department.
func (m *RelMap) Unplaced() int {
	n := 0
	for _, p := range m.Pairs {
		if p.From == UnknownDept {
			n += p.Figures.New
		}
	}
	return n
}

// UnplacedHintIn says how to place requesters in departments, in p's
// language (nil: English).
func UnplacedHintIn(p *i18n.Printer) string { return p.T("map.unplaced_hint") }

// Pair returns the pair from → to, and whether it had anything.
func (m *RelMap) Pair(from, to string) (Pair, bool) {
	for _, p := range m.Pairs {
		if p.From == from && p.To == to {
			return p, true
		}
	}
	return Pair{From: from, To: to}, false
}

// BusiestCustomer returns the customer department that filed the most
// requests with dept in the period, with its share of them; ok is false
// when nobody filed any.
func (m *RelMap) BusiestCustomer(dept string) (p Pair, total int, ok bool) {
	for _, q := range m.Pairs { // busiest first
		if q.To != dept {
			continue
		}
		total += q.Figures.New
		if !ok && q.Figures.New > 0 {
			p, ok = q, true
		}
	}
	return p, total, ok
}

// received counts the requests other departments transferred to dept in
// the period.
func (m *RelMap) received(dept string) int {
	n := 0
	for _, q := range m.Pairs {
		if q.To == dept {
			n += q.Figures.Received
		}
	}
	return n
}

// mapDays is how far back /ask map looks: a month of a year of a million
// requests adds up its map cells (MapCells) in tens of milliseconds
// (BenchmarkMap, BenchmarkCustomerCells; more when the directory places
// many requesters whose requests carry no department, BenchmarkMapPlaced),
// inside the three seconds Slack gives a slash command; longer periods are
// askdesk map's.
const mapDays = 30

// mapShown is how many pairs /ask map lists.
const mapShown = 5

// MapCommand returns /ask map for desk d, to be set as its Desk.Map: the
// busiest pairs of the last 30 days and each department's busiest internal
// customer, for everyone. It answers EINVALID for any argument, EINTERNAL
// when the store cannot report.
func MapCommand(d *bot.Desk) func(ctx context.Context, user, args string) (bot.Reply, error) {
	return func(ctx context.Context, user, args string) (bot.Reply, error) { return relmap(ctx, d, user, args) }
}

func relmap(ctx context.Context, d *bot.Desk, user, args string) (bot.Reply, error) {
	if args != "" {
		return bot.Reply{}, bot.E(bot.EINVALID, "map.err.args", "N", mapDays)
	}
	reports, ok := d.Store.(Reports)
	if !ok {
		return bot.Reply{}, bot.Errorf(bot.EINTERNAL, "the store cannot report") //i18n:ok internal: logged, the reader sees err.internal
	}
	now := d.Now()
	today := civil(now)
	m, err := ComputeMap(ctx, reports, d.Dir(), Period{First: today.AddDate(0, 0, 1-mapDays), Last: today}, now)
	if err != nil {
		return bot.Reply{}, err
	}
	p := d.Printer(user, nil)
	return bot.Reply{Text: m.SlackTextIn(p, p.T("map.last_days", "N", mapDays)), Lang: p.Lang()}, nil
}

// SlackText is the map's summary in the desk's text, for /ask map.
func (m *RelMap) SlackText(name string) string { return m.SlackTextIn(nil, name) }

// SlackTextIn is SlackText in p's language (nil: English); name (the
// period's, "last 30 days") is in it already.
func (m *RelMap) SlackTextIn(p *i18n.Printer, name string) string {
	var b strings.Builder
	line := func(key string, kv ...any) { b.WriteString(p.T(key, kv...) + "\n") }
	label := func(name string) string { return bot.Escape(m.LabelIn(p, name)) }
	line("map.slack.title", "Name", name, "Dates", m.Period.DatesIn(p))
	if len(m.Pairs) == 0 {
		b.WriteString(p.T("map.none"))
		return b.String()
	}
	line("map.slack.busiest")
	for _, pr := range m.Pairs[:min(len(m.Pairs), mapShown)] {
		line("map.slack.pair", "From", label(pr.From), "To", label(pr.To), "Facts", strings.Join(pairFacts(p, pr, false), " · "))
	}
	line("map.slack.customers")
	for _, dep := range m.dir.Departments {
		pr, total, ok := m.BusiestCustomer(dep.Name)
		if !ok {
			if n := m.received(dep.Name); n > 0 {
				line("map.slack.only_received", "Dept", label(dep.Name), "N", n)
				continue
			}
			line("map.slack.no_requests", "Dept", label(dep.Name))
			continue
		}
		line("map.slack.customer", "Dept", label(dep.Name), "From", label(pr.From),
			"N", pr.Figures.New, "Total", total, "Pct", pct(pr.Figures.New, total))
	}
	if n := m.Unplaced(); n > 0 {
		line("map.slack.unplaced", "What", p.N("map.requests", n), "Hint", UnplacedHintIn(p))
	}
	b.WriteString(p.T("map.slack.footer"))
	return b.String()
}

// pairFacts are a pair's figures in words, in p's language: "42 requests",
// "88% of 50 targets met", "rated 4.5 / 5 (12)"; long adds what is missing.
func pairFacts(p *i18n.Printer, pr Pair, long bool) []string {
	f := pr.Figures
	facts := []string{p.N("map.requests", f.New)}
	if f.Received > 0 { // served after another department passed them on
		facts[0] += p.T("map.by_transfer", "N", f.Received)
	}
	if n := f.FirstResponses + f.Resolved; n > 0 {
		facts = append(facts, p.T("map.targets_met", "Pct", pct(f.FirstResponsesMet+f.ResolutionsMet, n), "N", n))
	} else if long {
		facts = append(facts, p.T("map.no_targets"))
	}
	if avg, ok := pr.CSAT.Average(); ok {
		facts = append(facts, p.T("map.rated", "Avg", fmt.Sprintf("%.1f", avg), "N", pr.CSAT.Answered))
	} else if long {
		facts = append(facts, p.T("map.no_ratings"))
	}
	return facts
}
