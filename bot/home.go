package bot

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/askdesk/askdesk/bot/i18n"
)

// The Home: one person's place to stand. Their own requests (open first,
// then the recent closed ones), the queue of the departments they work in
// (unclaimed and their own, breached first, filtered and paged), and for
// leads their department's standards against this week's and this
// quarter's figures, the oldest breaches and who is away. Each adapter
// draws it: the Slack app's Home tab, the console's :home.

// Home sizes: what one Home shows of each list.
const (
	HomeMine     = 10 // open requests of one's own
	HomeClosed   = 5  // recently closed ones
	HomePage     = 20 // queue items per page
	HomeBreaches = 5  // oldest breaches per led department
)

// HomeQuery is what a person chose on their Home: the queue's filters and
// page. The zero value is the whole queue's first page.
type HomeQuery struct {
	Dept     string   // one of their departments, by name ("" all)
	State    State    // one active state ("" all active)
	Priority Priority // "" any
	Type     string   // request type name ("" any)
	Mine     bool     // only those assigned to them
	Page     int      // 0-based
}

// Home is one person's Home as the desk builds it.
type Home struct {
	Viewer string
	Now    time.Time
	Loc    *time.Location // the viewer's zone
	P      *i18n.Printer  // the viewer's language (nil: English)
	// Notice is a line to show at the top (the outcome of a button pressed
	// on the Home, say); set by the adapter.
	Notice string
	Open   []HomeItem // the viewer's open requests, most urgent first
	Closed []HomeItem // the viewer's recently closed ones, newest first
	// MoreOpen says the viewer has more open requests than Open shows.
	MoreOpen bool
	// Queue is nil for someone who works in no department.
	Queue *HomeQueue
	// Leads has one panel per department the viewer leads.
	Leads []LeadPanel
}

// HomeItem is one request on a Home: what it is, where it stands, and the
// acts the viewer may take on it, as buttons the adapters already handle.
type HomeItem struct {
	Request *Request // redacted when the viewer may not see its text
	Dept    string   // display name of the department holding it
	Status  string   // "acknowledged, assigned to <@U…>" in the desk's text
	// Clock is the running clock in words: "first response due in 2h 10m",
	// "resolution overdue by 1h", "resolved Tue 14:00".
	Clock    string
	Breached bool
	Buttons  []Button
}

// HomeQueue is the queue part of a Home.
type HomeQueue struct {
	Query HomeQuery
	Depts []*Department // the viewer's departments, for the filter
	Types []HomeChoice  // request types of those departments

	Items []HomeItem
	More  bool // there is a next page
}

// HomeChoice is one choice of a Home's menu: its value and what it shows.
type HomeChoice struct{ Name, Label string }

// LeadPanel is what a lead sees of a department they lead.
type LeadPanel struct {
	Dept     *Department
	Standing *Standing // nil when the figures are not wired in (Desk.Standing)
	Breaches []HomeItem
	Away     []Away
}

// Standing is a department's figures this week and this quarter so far,
// against its standards (read by bot/report through Desk.Standing).
type Standing struct {
	Week, Quarter StandingFigures
}

// StandingFigures are a department's results over one period.
type StandingFigures struct {
	Label string // "this week (from Mon 30 Nov)", in English
	// Since is the period's first day (a civil date), and Quarter the
	// quarter of the quarter's figures: with Since set, the Home says the
	// label in its reader's language.
	Since                             time.Time
	Quarter                           *Quarter
	FirstResponses, FirstResponsesMet int
	Resolved, ResolutionsMet          int
	RightFirstTime                    int // of Resolved
	Ratings                           int
	Average                           float64
}

// Home builds user's Home for q. A person who works in no department gets
// no queue; one who leads none gets no lead panels. It returns an error
// only when the store fails; a missing Standing hook leaves the figures
// out.
func (d *Desk) Home(ctx context.Context, user string, q HomeQuery) (*Home, error) {
	if err := CheckUser(user); err != nil {
		return nil, err
	}
	dir := d.Dir()
	now := d.Now()
	// Someone whose own zone and language are unknown reads their Home in
	// their department's, as their colleagues' cards read, not in UTC.
	own := dir.ByName(dir.HomeDepartment(user))
	h := &Home{Viewer: user, Now: now, Loc: d.Location(user, own), P: d.Printer(user, own)}
	open, err := d.Store.Requests(ctx, Filter{Requester: user, ActiveOnly: true, Limit: HomeMine + 1})
	if err != nil {
		return nil, err
	}
	if len(open) > HomeMine {
		open, h.MoreOpen = open[:HomeMine], true
	}
	for _, r := range open {
		h.Open = append(h.Open, d.homeItem(h.P, dir, r, user, now, h.Loc))
	}
	closed, err := d.Store.Requests(ctx, Filter{Requester: user, Closed: true, Limit: HomeClosed})
	if err != nil {
		return nil, err
	}
	for _, r := range closed {
		it := d.homeItem(h.P, dir, r, user, now, h.Loc)
		if r.State != Cancelled && !r.ResolvedAt.IsZero() {
			rated, err := d.Store.EverRated(ctx, r.ID)
			if err != nil {
				return nil, err
			}
			if !rated && dir.MaySeePrivate(user, r) {
				for s := 1; s <= 5; s++ {
					it.Buttons = append(it.Buttons, Button{Label: fmt.Sprintf("%d", s), Action: ActRate, RequestID: r.ID, Arg: fmt.Sprintf("%d", s)})
				}
			}
		}
		h.Closed = append(h.Closed, it)
	}
	staff := dir.StaffOf(user)
	if len(staff) > 0 {
		if h.Queue, err = d.homeQueue(ctx, h.P, dir, user, staff, q, now, h.Loc); err != nil {
			return nil, err
		}
	}
	for _, dep := range dir.Departments {
		if !dep.IsLead(user) {
			continue
		}
		p, err := d.leadPanel(ctx, h.P, dir, dep, user, now, h.Loc)
		if err != nil {
			return nil, err
		}
		h.Leads = append(h.Leads, p)
	}
	return h, nil
}

func (d *Desk) homeQueue(ctx context.Context, p *i18n.Printer, dir *Directory, user string, staff []*Department, q HomeQuery, now time.Time, loc *time.Location) (*HomeQueue, error) {
	hq := &HomeQueue{Query: q, Depts: staff}
	f := Filter{ActiveOnly: true, Priority: q.Priority, Type: q.Type, UnclaimedOr: user, Limit: HomePage + 1, Offset: max(q.Page, 0) * HomePage}
	for _, dep := range staff {
		if q.Dept == "" || q.Dept == dep.Name {
			f.Depts = append(f.Depts, dep.Name)
		}
		for _, t := range dep.Types {
			if !slices.ContainsFunc(hq.Types, func(c HomeChoice) bool { return c.Name == t.Name }) {
				hq.Types = append(hq.Types, HomeChoice{Name: t.Name, Label: t.DisplayName})
			}
		}
	}
	if len(f.Depts) == 0 { // a filter naming a department they left
		hq.Query.Dept = ""
		for _, dep := range staff {
			f.Depts = append(f.Depts, dep.Name)
		}
	}
	if q.State.Active() {
		f.States = []State{q.State}
	}
	if q.Mine {
		f.UnclaimedOr, f.Assignee = "", user
	}
	rs, err := d.Store.Requests(ctx, f)
	if err != nil {
		return nil, err
	}
	if len(rs) > HomePage {
		rs, hq.More = rs[:HomePage], true
	}
	for _, r := range rs {
		hq.Items = append(hq.Items, d.homeItem(p, dir, r, user, now, loc))
	}
	return hq, nil
}

func (d *Desk) leadPanel(ctx context.Context, pr *i18n.Printer, dir *Directory, dep *Department, user string, now time.Time, loc *time.Location) (LeadPanel, error) {
	p := LeadPanel{Dept: dep}
	if d.Standing != nil {
		s, err := d.Standing(ctx, dir, dep.Name)
		if err != nil {
			d.Log.WarnContext(ctx, "home: standing figures", "dept", dep.Name, "err", err)
		} else {
			p.Standing = s
		}
	}
	// The most urgent first is the longest overdue first.
	rs, err := d.Store.Requests(ctx, Filter{Dept: dep.Name, ActiveOnly: true, Limit: HomeBreaches * 4})
	if err != nil {
		return p, err
	}
	for _, r := range rs {
		it := d.homeItem(pr, dir, r, user, now, loc)
		if it.Breached && len(p.Breaches) < HomeBreaches {
			p.Breaches = append(p.Breaches, it)
		}
	}
	if ppl := d.people(); ppl != nil {
		aways, err := ppl.Absences(ctx, now)
		if err != nil {
			return p, err
		}
		for _, a := range aways {
			if a.AwayAt(now) && dep.IsStaff(a.User) {
				p.Away = append(p.Away, a)
			}
		}
	}
	return p, nil
}

// homeItem describes r for viewer: status, clock and the acts they may take.
func (d *Desk) homeItem(p *i18n.Printer, dir *Directory, r *Request, viewer string, now time.Time, loc *time.Location) HomeItem {
	shown := r
	if !dir.MaySeePrivate(viewer, r) {
		shown = dir.RedactedIn(p, r)
	}
	it := HomeItem{Request: shown, Dept: r.Dept, Status: stateLabelIn(p, r)}
	dep := dir.StandardOf(r)
	if dep != nil {
		it.Dept = dep.DisplayName
		it.Clock, it.Breached = HomeClockIn(p, r, dep, now, loc)
	}
	for _, a := range homeActions(r, viewer, dep, dir) {
		b := Button{Label: p.T(homeLabels[a]), Action: a, RequestID: r.ID}
		if dir.Authorize(viewer, a, r) == nil {
			it.Buttons = append(it.Buttons, b)
		}
	}
	return it
}

// homeLabels are the catalogue keys of the Home's buttons.
var homeLabels = map[Action]string{ActClaim: "home.button.claim", ActReply: "home.button.reply", ActResolve: "home.button.resolve",
	ActClose: "home.button.close", ActReopen: "home.button.reopen", ActCancel: "home.button.cancel"}

// stateLabelIn says a request's status in p's words, with the assignee:
// "acknowledged, assigned to <@U1>", "已受理，处理人 <@U1>", on the Home,
// the card, lists and /ask status.
func stateLabelIn(p *i18n.Printer, r *Request) string {
	s := p.T("home.status." + string(r.State))
	if r.Assignee != "" && r.State.Active() {
		s = p.T("home.status.assigned", "State", s, "Who", Mention(r.Assignee))
	}
	return s
}

// homeActions are the acts a Home offers on r in its state: to the
// requester reply, close, reopen, cancel; to the department claim, reply,
// resolve. Authorize then keeps those the viewer may take.
func homeActions(r *Request, viewer string, dep *Department, dir *Directory) []Action {
	var out []Action
	staff := dep != nil && dep.IsStaff(viewer) || dir.IsAdmin(viewer)
	switch r.State {
	case Open, Reopened:
		if staff && r.Assignee != viewer {
			out = append(out, ActClaim)
		}
		out = append(out, ActReply)
		if staff {
			out = append(out, ActResolve)
		}
		if r.Requester == viewer {
			out = append(out, ActCancel)
		}
	case Acknowledged, Waiting:
		out = append(out, ActReply)
		if staff {
			out = append(out, ActResolve)
		}
		if r.Requester == viewer {
			out = append(out, ActCancel)
		}
	case Resolved:
		if r.Requester == viewer {
			out = append(out, ActClose, ActReopen)
		}
	case Closed:
		if r.Requester == viewer {
			out = append(out, ActReopen)
		}
	}
	return out
}

// HomeClock says in a few words where r's running clock stands: "first
// response due in 2h 10m", "resolution overdue by 40m", "paused while
// waiting on the requester", "resolved Tue 14:00". breached is true while
// an active request is past a target.
func HomeClock(r *Request, dep *Department, now time.Time, loc *time.Location) (words string, breached bool) {
	return HomeClockIn(nil, r, dep, now, loc)
}

// HomeClockIn is HomeClock in p's language (nil: English).
func HomeClockIn(p *i18n.Printer, r *Request, dep *Department, now time.Time, loc *time.Location) (words string, breached bool) {
	switch r.State {
	case Cancelled:
		return p.T("home.clock.cancelled", "When", p.When(r.ClosedAt, now, loc)), false
	case Closed:
		return p.T("home.clock.closed", "When", p.When(r.ClosedAt, now, loc)), false
	case Resolved:
		return p.T("home.clock.resolved", "When", p.When(r.ResolvedAt, now, loc)), false
	}
	first, res := r.Statuses(dep, now)
	name, s := p.T("home.clock.resolution"), res
	if !first.Stopped {
		name, s = p.T("home.clock.first"), first
	}
	switch {
	case s.Paused:
		return p.T("home.clock.paused", "Name", name), false
	case s.Breached && -s.Remaining < time.Minute: // no business time since
		return p.T("home.clock.overdue_since", "Name", name, "When", p.When(s.Due, now, loc)), true
	case s.Breached:
		return p.T("home.clock.overdue_by", "Name", name, "Span", p.Span(-s.Remaining)), true
	}
	return p.T("home.clock.due_in", "Name", name, "Span", p.Span(s.Remaining)), false
}
