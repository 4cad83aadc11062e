package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/askdesk/askdesk/bot/route"
)

// ActRoute files a pending filing (free text that named no department)
// with the department the requester chose. Its button's RequestID is the
// pending filing's reference ("P42") and its Arg the department, with the
// request type after a slash ("finance/invoice"); an empty Arg is the
// "Someone else…" menu of every department.
const ActRoute Action = "route"

// PendingFiling is free text a requester typed without naming a
// department, kept until they pick one (see Desk.Route).
type PendingFiling struct {
	ID        int64
	Requester string
	Priority  Priority
	Text      string
	CreatedAt time.Time
	// Form is a filing from the intake form, kept whole (department,
	// type, fields, source, origin) while earlier answers are shown
	// (Desk.FileOrDeflect); its Requester, Priority and Text are the
	// pending filing's. Nil for text typed without a department.
	Form *Filing
}

// Ref is how buttons name the pending filing: "P" and its ID.
func (p *PendingFiling) Ref() string { return fmt.Sprintf("P%d", p.ID) }

// Routing is what routing needs from storage; store.DB implements it.
type Routing interface {
	// SavePendingFiling stores p and sets p.ID.
	SavePendingFiling(ctx context.Context, p *PendingFiling) error
	// TakePendingFiling removes and returns pending filing id, or
	// ENOTFOUND when there is none (filed already, or expired).
	TakePendingFiling(ctx context.Context, id int64) (*PendingFiling, error)
	// PutBackPendingFiling stores p again under its own ID, after a
	// filing from it failed.
	PutBackPendingFiling(ctx context.Context, p *PendingFiling) error
	// RoutingHistory returns, newest first, the titles of at most limit
	// requests of dept that it resolved or that were routed to it.
	RoutingHistory(ctx context.Context, dept string, limit int) ([]string, error)
}

// Routing's tuning.
const (
	// routeHistory is how many past requests per department routing reads.
	routeHistory = 500
	// routeModelAge is how long a built routing model serves before it is
	// rebuilt with the latest history.
	routeModelAge = 10 * time.Minute
	// routeOffered is how many departments a routing reply offers.
	routeOffered = 3
	// routeShare: a department is offered only if it scores at least this
	// share of the best one's score.
	routeShare = 0.25
	// PendingFilingTTL is how long a pending filing waits for its choice.
	PendingFilingTTL = 24 * time.Hour
)

// routeCache holds the routing model built last.
type routeCache struct {
	mu    sync.Mutex
	model *route.Model
	dir   *Directory
	built time.Time
}

// routing returns the store's Routing, if it has one.
func (d *Desk) routing() (Routing, bool) {
	r, ok := d.Store.(Routing)
	return r, ok
}

// IsMisspeltDepartment reports whether first, the first word of a filing
// that names no department, is taken for a misspelt department name (and
// answered "did you mean") rather than the start of free text to route:
// it is at least three letters, not a common word ("the", "need"), and
// Directory.Suggest finds a department name or alias within a small edit
// distance of it or starting with it. "finanse need budget" is a typo;
// "my laptop screen is broken" is free text.
func (dir *Directory) IsMisspeltDepartment(first string) bool {
	if utf8.RuneCountInString(first) < 3 || route.IsStopWord(first) {
		return false
	}
	return len(dir.Suggest(first)) > 0
}

// RouteModel returns the routing model for the directory in force, built
// from its catalogue and the store's history, rebuilt after
// routeModelAge or when the directory changes.
func (d *Desk) RouteModel(ctx context.Context) (*route.Model, error) {
	dir := d.Dir()
	now := d.Now()
	d.routes.mu.Lock()
	defer d.routes.mu.Unlock()
	if m := d.routes.model; m != nil && d.routes.dir == dir && now.Sub(d.routes.built) < routeModelAge {
		return m, nil
	}
	var history func(dept string) ([]string, error)
	if rs, ok := d.routing(); ok {
		history = func(dept string) ([]string, error) { return rs.RoutingHistory(ctx, dept, routeHistory) }
	}
	depts := make([]route.Dept, 0, len(dir.Departments))
	for _, dep := range dir.Departments {
		rd := RouteDept(dep)
		if history != nil {
			h, err := history(dep.Name)
			if err != nil {
				return nil, fmt.Errorf("routing history of %s: %w", dep.Name, err)
			}
			rd.History = h
		}
		depts = append(depts, rd)
	}
	m := route.New(depts)
	d.routes.model, d.routes.dir, d.routes.built = m, dir, now
	return m, nil
}

// forgetRouteModel makes the next suggestion rebuild the model, so that a
// choice just made counts at once.
func (d *Desk) forgetRouteModel() {
	d.routes.mu.Lock()
	d.routes.model = nil
	d.routes.mu.Unlock()
}

// RouteDept is what routing knows of dep from the catalogue alone: its
// names, description and keywords, and its request types'.
func RouteDept(dep *Department) route.Dept {
	rd := route.Dept{Name: dep.Name}
	rd.Catalogue = append(rd.Catalogue, dep.DisplayName, dep.Description)
	rd.Catalogue = append(rd.Catalogue, dep.Aliases...)
	rd.Catalogue = append(rd.Catalogue, dep.Keywords...)
	for _, t := range dep.Types {
		words := append([]string{t.Name, t.DisplayName, t.Description}, t.Aliases...)
		rd.Catalogue = append(rd.Catalogue, words...)
		if !t.Default {
			rd.Types = append(rd.Types, route.Type{Name: t.Name, Text: words})
		}
	}
	return rd
}

// Route answers free text that names no department: it keeps the text as
// a pending filing and offers the likeliest departments (and request
// types) as buttons, with a menu of all of them. Nothing is filed until
// the requester presses one (FileRouted).
func (d *Desk) Route(ctx context.Context, user, text string) (Reply, error) {
	return d.route(ctx, user, text, "")
}

// route is Route; unknown, when not "", is the department the text named
// that does not exist, and the reply says so first.
func (d *Desk) route(ctx context.Context, user, text, unknown string) (Reply, error) {
	// The filing path's printer: no chat-locale call for a newcomer.
	pr := d.filingPrinter(user, nil)
	p, text, err := ParseFilingIn(pr, text)
	if err != nil {
		return Reply{}, err
	}
	if err := CheckText(text); err != nil {
		return Reply{}, err
	}
	rs, ok := d.routing()
	if !ok {
		return Reply{}, E(EINVALID, "routing.say_which", "Names", List{Sep: "routing.sep", Items: anys(d.Dir().Names())})
	}
	m, err := d.RouteModel(ctx)
	if err != nil {
		return Reply{}, err
	}
	pf := &PendingFiling{Requester: user, Priority: p, Text: text, CreatedAt: d.Now()}
	if err := rs.SavePendingFiling(ctx, pf); err != nil {
		return Reply{}, fmt.Errorf("save pending filing: %w", err)
	}
	dir := d.Dir()
	ranked := m.Rank(text)
	var buttons []Button
	var names []string
	for _, s := range ranked {
		if len(buttons) == routeOffered || s.Score <= 0 || s.Score < routeShare*ranked[0].Score {
			break
		}
		dep := dir.ByName(s.Dept)
		if dep == nil {
			continue
		}
		label, arg := pr.T("routing.file_with", "Dept", dep.DisplayName), dep.Name
		name := pr.T("routing.dept", "Dept", Escape(dep.DisplayName))
		if t := routedType(dep, s.Type); t != nil {
			label = pr.T("routing.file_with_type", "Dept", dep.DisplayName, "Type", t.DisplayName)
			arg += "/" + t.Name
			name = pr.T("routing.dept_type", "Dept", Escape(dep.DisplayName), "Type", Escape(t.DisplayName))
		}
		buttons = append(buttons, Button{Label: label, Action: ActRoute, RequestID: pf.Ref(), Arg: arg})
		names = append(names, name)
	}
	buttons = append(buttons, Button{Label: pr.T("routing.someone_else"), Action: ActRoute, RequestID: pf.Ref()})
	guess := pr.T("routing.unsure")
	if len(names) > 0 {
		guess = pr.T("routing.likely", "Names", strings.Join(names, pr.T("routing.sep")))
	}
	if unknown != "" {
		return Reply{Text: pr.T("typing.route.unknown_dept", "Name", Escape(unknown), "Names", Escape(dir.deptNamesFor(pr)),
			"Quote", quoteText(text), "Guess", guess), Buttons: buttons, Lang: pr.Lang()}, nil
	}
	return Reply{Text: pr.T("routing.ask", "Quote", quoteText(text), "Guess", guess), Buttons: buttons, Lang: pr.Lang()}, nil
}

// routedType is the request type a routed filing to dep takes: the one
// suggested, else the department's default, else its first type; but
// only one that asks for no field, since one click cannot give fields.
// It returns nil for the department's default filing (no types, or none
// fillable in one click).
func routedType(dep *Department, suggested string) *RequestType {
	oneClick := func(t *RequestType) bool { return t != nil && len(t.RequiredFields()) == 0 }
	if t := dep.Type(suggested); suggested != "" && oneClick(t) {
		return t
	}
	if t := dep.DefaultType(); t == nil || oneClick(t) {
		return nil // filed as by command, without a type
	}
	for _, t := range dep.Types {
		if oneClick(t) {
			return t
		}
	}
	return nil
}

// quoteText quotes user text for a reply, escaped.
func quoteText(s string) string {
	return "> " + strings.ReplaceAll(Escape(s), "\n", "\n> ")
}

// FileRouted files pending filing ref ("P42") for user with dept (name or
// alias; "dept/type" names a request type too). Only the requester may;
// a filing is filed once, so a second press says it is gone. It returns
// the reply a filing by command gets, or ENOTFOUND, EFORBIDDEN, EINVALID.
// The request's source is "routed", which makes its words count toward
// dept in later suggestions. Before filing, it looks for earlier answers
// (SimilarAnswers) and, if any, returns them instead with "This answered
// it" and "File anyway" buttons, the filing kept pending; a dept starting
// with "!" (File anyway) files without looking.
func (d *Desk) FileRouted(ctx context.Context, user, ref, dept string) (Reply, error) {
	if err := CheckUser(user); err != nil {
		return Reply{}, err
	}
	rs, ok := d.routing()
	if !ok {
		return Reply{}, Errorf(EINTERNAL, "this store keeps no pending filings") //i18n:ok an internal error: logged, never shown
	}
	id, err := pendingID(ref)
	if err != nil {
		return Reply{}, err
	}
	choice, force := strings.CutPrefix(strings.TrimSpace(dept), fileAnyway)
	dept, typ, _ := strings.Cut(choice, "/")
	dep, err := d.Dir().Department(dept)
	if err != nil {
		return Reply{}, err
	}
	pf, err := rs.TakePendingFiling(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		return Reply{}, E(ENOTFOUND, "routing.gone")
	} else if err != nil {
		return Reply{}, err
	}
	if pf.Requester != user {
		if perr := rs.PutBackPendingFiling(ctx, pf); perr != nil {
			return Reply{}, perr
		}
		return Reply{}, E(EFORBIDDEN, "routing.not_yours")
	}
	if pf.Form != nil {
		// A form's filing chose its department and type; only "File
		// anyway" in the form files it (FileKept).
		if perr := rs.PutBackPendingFiling(ctx, pf); perr != nil {
			return Reply{}, perr
		}
		return Reply{}, E(EINVALID, "routing.from_form")
	}
	if d.Now().Sub(pf.CreatedAt) > PendingFilingTTL {
		return Reply{}, E(ENOTFOUND, "routing.expired")
	}
	if !force {
		// Deflection: an earlier answer may settle it without a request.
		answers, err := d.SimilarAnswers(ctx, user, dep.Name, pf.Text)
		if err == nil && len(answers) > 0 {
			err = rs.PutBackPendingFiling(ctx, pf)
			if err == nil {
				return d.deflectReply(pf, dep, choice, answers), nil
			}
		}
		if err != nil {
			if perr := rs.PutBackPendingFiling(ctx, pf); perr != nil {
				d.Log.ErrorContext(ctx, "put back pending filing", "user", user, "err", perr)
			}
			return Reply{}, err
		}
	}
	if typ == "" {
		// "Someone else…": the menu names a department only.
		if t := routedType(dep, ""); t != nil {
			typ = t.Name
		}
	}
	f := Filing{Requester: user, Dept: dep.Name, Priority: pf.Priority, Text: pf.Text, Source: "routed", Type: typ}
	r, err := d.File(ctx, f)
	if err != nil {
		if perr := rs.PutBackPendingFiling(ctx, pf); perr != nil {
			d.Log.ErrorContext(ctx, "put back pending filing", "user", user, "err", perr)
		}
		return Reply{}, err
	}
	d.forgetRouteModel()
	pr := d.filingPrinter(user, d.Dir().StandardOf(r))
	return Reply{Text: d.FiledTextIn(pr, r, user), Request: r, Lang: pr.Lang(),
		Buttons: []Button{{Label: pr.T("cmd.filed.cancel_button"), Action: ActCancel, RequestID: r.ID}}}, nil
}
