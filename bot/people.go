package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot/i18n"
)

// What the desk learns of people beyond the config: each requester's
// department (for the relationship map and scorecards), the members of
// departments' Slack user groups, and who is away (away.go). It is kept in
// the store, so every replica and every restart sees the same.

// People is the storage of what the desk learns of people; the store
// implements it (store/people.go) beside Store, and the desk finds it there.
type People interface {
	// LearnedDept returns what was last learned of user's department;
	// ok is false when nothing was.
	LearnedDept(ctx context.Context, user string) (l LearnedDept, ok bool, err error)
	// LearnDept records l, replacing what was known of l.User.
	LearnDept(ctx context.Context, l LearnedDept) error
	// Groups returns every user group as last read from the chat.
	Groups(ctx context.Context) ([]Group, error)
	// SetGroup replaces a group's handle and members.
	SetGroup(ctx context.Context, g Group) error
	// SetAway records an absence, replacing any earlier one of a.User.
	SetAway(ctx context.Context, a Away) error
	// Back ends user's absence; it reports whether there was one.
	Back(ctx context.Context, user string) (bool, error)
	// Absences returns everyone away at now: since at or before now, and
	// until unset or after now.
	Absences(ctx context.Context, now time.Time) ([]Away, error)
}

// LearnedDept is what a person's chat profile said of their department.
type LearnedDept struct {
	User   string
	Dept   string // a department's name when the profile named one, else the profile's words; "" for nothing
	Source string // "profile"
	At     time.Time
}

// Group is a chat user group (a Slack user group) as last read.
type Group struct {
	ID       string // "S0123ABCD"
	Handle   string // "finance-team", without the @
	Members  []string
	SyncedAt time.Time
}

// Names reports whether name ("S0123ABCD" or "@finance-team") is this group.
func (g Group) Names(name string) bool {
	if h, ok := strings.CutPrefix(name, "@"); ok {
		return g.Handle != "" && strings.EqualFold(h, g.Handle)
	}
	return name == g.ID
}

// ProfileFinder reads the department a person gives in their chat profile
// (Slack's users.profile.get, the field the config names).
type ProfileFinder interface {
	// ProfileDept returns the profile field's words, "" when it is empty.
	ProfileDept(ctx context.Context, user string) (string, error)
}

// learnedFor is how long a department read from a profile is trusted
// before it is read again; an empty profile is asked again sooner, since
// it is likely to be filled in.
const (
	learnedFor      = 30 * 24 * time.Hour
	learnedEmptyFor = 24 * time.Hour
)

// profileWait bounds the profile read while a request is filed: the
// requester is waiting, and the request goes in without a department
// rather than late.
const profileWait = 1500 * time.Millisecond

// profileBudget is how long the profile may take now: profileWait, but no
// more than a third of what is left before the answer is due (the filing's
// own write comes after it and must make the acknowledgement).
func profileBudget(ctx context.Context) time.Duration {
	wait := profileWait
	if by, ok := AnswerBy(ctx); ok {
		wait = min(wait, time.Until(by)/3)
	}
	return max(wait, 0)
}

// people returns the store's People, or nil when it keeps none.
func (d *Desk) people() People {
	p, _ := d.Store.(People)
	return p
}

// RequesterDept returns the department user belongs to, as a customer:
// the config's [people] entry first; then the department they work in
// (its members and leads, or its user group); then what their chat
// profile says, read once and kept (again after 30 days). It returns ""
// when none says. A department the profile names that askdesk does not
// serve is returned in the profile's words: it is still a customer.
func (d *Desk) RequesterDept(ctx context.Context, user string) string {
	dir := d.Dir()
	if p, ok := dir.People[user]; ok && p.Department != "" {
		if dep := dir.Lookup(p.Department); dep != nil {
			return dep.Name
		}
		return p.Department
	}
	if mine := dir.StaffOf(user); len(mine) > 0 {
		return mine[0].Name
	}
	ppl := d.people()
	if ppl == nil {
		return ""
	}
	now := d.Now()
	l, known, err := ppl.LearnedDept(ctx, user)
	if err != nil {
		d.Log.WarnContext(ctx, "learned department", "user", user, "err", err)
	}
	fresh := known && (now.Sub(l.At) < learnedFor && l.Dept != "" || now.Sub(l.At) < learnedEmptyFor)
	if fresh || d.Profiles == nil {
		return l.Dept
	}
	pctx, cancel := context.WithTimeout(ctx, profileBudget(ctx))
	defer cancel()
	words, err := d.Profiles.ProfileDept(pctx, user)
	if err != nil {
		d.Log.WarnContext(ctx, "profile department", "user", user, "err", err)
		return l.Dept // what was known before, stale or nothing
	}
	l = LearnedDept{User: user, Dept: d.profileDept(words), Source: "profile", At: now}
	if err := ppl.LearnDept(ctx, l); err != nil {
		d.Log.WarnContext(ctx, "learn department", "user", user, "err", err)
	}
	return l.Dept
}

// profileDept turns a profile field's words into a department: the one
// they name (any name or alias), else the words themselves, cleaned.
func (d *Desk) profileDept(words string) string {
	words = strings.TrimSpace(CleanText(words))
	if words == "" {
		return ""
	}
	if dep := d.Dir().Lookup(words); dep != nil {
		return dep.Name
	}
	if r := []rune(words); len(r) > 80 {
		words = string(r[:80])
	}
	return words
}

// LoadGroups reads the user groups from the store and puts a directory in
// force whose departments count their group's members as members. It
// reports, for each department whose group has no members known yet, a
// line to log (the department then has only its listed staff).
func (d *Desk) LoadGroups(ctx context.Context) (missing []string, err error) {
	ppl := d.people()
	if ppl == nil {
		return nil, nil
	}
	gs, err := ppl.Groups(ctx)
	if err != nil {
		return nil, fmt.Errorf("load user groups: %w", err)
	}
	d.dirMu.Lock()
	d.groups = gs
	d.dir.Store(withGroups(d.base, gs))
	d.dirMu.Unlock()
	for _, dep := range d.Dir().Departments {
		if dep.Usergroup != "" && len(dep.GroupMembers) == 0 {
			missing = append(missing, fmt.Sprintf("%s: user group %s has no members known yet", dep.Name, dep.Usergroup)) //i18n:ok a line to log
		}
	}
	return missing, nil
}

// SetGroup stores what the chat says of a user group; LoadGroups puts it
// in force. It returns EINTERNAL when the store keeps no groups.
func (d *Desk) SetGroup(ctx context.Context, g Group) error {
	ppl := d.people()
	if ppl == nil {
		return Errorf(EINTERNAL, "this desk keeps no user groups") //i18n:ok internal: logged, never shown
	}
	return ppl.SetGroup(ctx, g)
}

// Groups returns the user groups last loaded.
func (d *Desk) Groups() []Group {
	d.dirMu.Lock()
	defer d.dirMu.Unlock()
	return slices.Clone(d.groups)
}

// Usergroups returns the user groups the departments name, each once.
func (d *Desk) Usergroups() []string {
	var out []string
	for _, dep := range d.Dir().Departments {
		if dep.Usergroup != "" && !slices.Contains(out, dep.Usergroup) {
			out = append(out, dep.Usergroup)
		}
	}
	return out
}

// teamLine says where a department's team comes from when it names a user
// group, for /ask depts; "" when it does not.
func teamLine(p *i18n.Printer, dep *Department) string {
	if dep.Usergroup == "" {
		return ""
	}
	if n := len(dep.GroupMembers); n > 0 {
		return p.N("request.team.members", n, "Group", Escape(dep.Usergroup))
	}
	return p.T("request.team.unknown", "Group", Escape(dep.Usergroup))
}

// withGroups returns dir with each department that names a user group
// given that group's members; dir itself when none names one.
func withGroups(dir *Directory, gs []Group) *Directory {
	if dir == nil || !slices.ContainsFunc(dir.Departments, func(d *Department) bool { return d.Usergroup != "" }) {
		return dir
	}
	nd := *dir
	nd.Departments = make([]*Department, len(dir.Departments))
	for i, dep := range dir.Departments {
		if dep.Usergroup == "" {
			nd.Departments[i] = dep
			continue
		}
		c := *dep
		c.GroupMembers = nil
		if j := slices.IndexFunc(gs, func(g Group) bool { return g.Names(dep.Usergroup) }); j >= 0 {
			c.GroupMembers = slices.Clone(gs[j].Members)
		}
		nd.Departments[i] = &c
	}
	nd.Index()
	return &nd
}
