package bot

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/askdesk/askdesk/bot/i18n"
)

// Priority orders requests and selects their SLA targets.
type Priority string

const (
	Urgent Priority = "urgent"
	Normal Priority = "normal"
	Low    Priority = "low"
)

// Priorities lists the priorities from most to least urgent.
var Priorities = []Priority{Urgent, Normal, Low}

// ParsePriority returns the priority named s, or EINVALID.
func ParsePriority(s string) (Priority, error) { return ParsePriorityIn(nil, s) }

// ParsePriorityIn is ParsePriority with its error for a reader of p (nil:
// English).
func ParsePriorityIn(pr *i18n.Printer, s string) (Priority, error) {
	p := Priority(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Priorities, p) {
		return p, nil
	}
	return "", Errorf(EINVALID, "%s", pr.T("cmd.priority_unknown", "Word", fmt.Sprintf("%q", s)))
}

// Rank is 0 for the most urgent priority; used to sort queues.
func (p Priority) Rank() int {
	if i := slices.Index(Priorities, p); i >= 0 {
		return i
	}
	return len(Priorities)
}

// Target is a department's promise for one priority: how much business time
// may pass before the first response and before resolution.
type Target struct {
	FirstResponse BusinessDuration
	Resolution    BusinessDuration
}

// Department is one internal supplier: whom it serves with what, where its
// queue is, who works it, and the service standard it publishes.
type Department struct {
	Name        string   // canonical key, lower case: "finance"
	DisplayName string   // "Finance"
	Aliases     []string // other names users may type: "fin", "财务"
	Prefix      string   // request ID prefix: "FIN"
	Channel     string   // queue channel (Slack ID or #name)
	// IntakeChannels are channels where a reaction files a message here (issue 3).
	IntakeChannels []string
	Leads          []string // Slack user IDs
	Members        []string // Slack user IDs (leads need not be repeated)
	// Usergroup is a Slack user group (ID "S…" or handle "@…") whose
	// members are members too; GroupMembers is what askdesk last learned
	// of them (see Desk.LoadGroups), nil until it has.
	Usergroup    string
	GroupMembers []string
	Description  string // what it serves
	// Keywords are more words that route free text here (bot/route).
	Keywords []string
	// Language is what the department's channel reads (cards, threads,
	// digests) and its people's default ("zh-Hans"); "" is the company's.
	Language string
	Calendar *Calendar
	Targets  map[Priority]Target
	// Reminders is the department's chasing policy; nil uses DefaultPolicy.
	Reminders *Policy
	// Revision is the catalogue revision this standard is (0 before the
	// catalogue has one).
	Revision int
	// RevisedAt is when that revision was published (zero when unknown).
	RevisedAt time.Time
	// earlier holds the department's earlier revisions by number, for the
	// requests filed under them (see AtRevision).
	earlier map[int]*Department
	// Quality is the quality target it publishes beside its time targets
	// (bot/quality.go); its zero value publishes none.
	Quality QualityTarget
	// Types are the kinds of request it takes, in config order (reqtype.go);
	// none means one implicit type with the department's targets and no fields.
	Types []*RequestType
	// DigestWhenQuiet posts its weekly digest even in a week with nothing
	// filed, open or resolved (bot/report skips such weeks otherwise).
	DigestWhenQuiet bool
	// PublicRequests lets anyone in the workspace find and read (never act
	// on) its requests that are not private (bot/public.go).
	PublicRequests bool
}

// Policy returns the department's reminder policy.
func (d *Department) Policy() Policy {
	if d.Reminders != nil {
		return *d.Reminders
	}
	return DefaultPolicy
}

// IsStaff reports whether user is a member or lead of the department.
func (d *Department) IsStaff(user string) bool {
	return slices.Contains(d.Members, user) || slices.Contains(d.Leads, user) || slices.Contains(d.GroupMembers, user)
}

// Staff returns the department's members and leads, from the config and
// its user group, each once.
func (d *Department) Staff() []string {
	var out []string
	for _, id := range slices.Concat(d.Leads, d.Members, d.GroupMembers) {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// IsLead reports whether user leads the department.
func (d *Department) IsLead(user string) bool { return slices.Contains(d.Leads, user) }

// Target returns the targets for p, falling back to normal.
func (d *Department) Target(p Priority) Target {
	if t, ok := d.Targets[p]; ok {
		return t
	}
	return d.Targets[Normal]
}

// Person is what the config knows of a user beyond their Slack ID.
type Person struct {
	ID         string // Slack user ID
	Name       string // short handle for the console and logs: "fiona"
	Department string // the department they belong to, if any
	Timezone   string // IANA zone used to phrase deadlines for them
	// Lang is the language they read askdesk in ("zh-Hans"), before their
	// chat's own locale; "" leaves it to the chat and the department.
	Lang string
}

// Directory is the company as askdesk sees it: departments, people, admins.
// It is built once from config and read-only afterwards.
type Directory struct {
	Departments     []*Department
	People          map[string]*Person // by Slack user ID
	Admins          []string
	DefaultPriority Priority
	// ReopenWindow is how long after resolution a request may be reopened, in
	// calendar time.
	ReopenWindow BusinessDuration
	// Ratings is how requesters are asked to rate; zero values take the
	// defaults (see RatingPolicy).
	Ratings RatingPolicy
	// Language is the company's default language ("en", "zh-Hans"), after
	// a person's and a department's own; "" is English.
	Language string
	byKey    map[string]*Department
}

// Index prepares the lookup tables; call it after filling the directory.
func (d *Directory) Index() {
	d.byKey = make(map[string]*Department)
	for _, dep := range d.Departments {
		for _, k := range append([]string{dep.Name, dep.DisplayName, dep.Prefix}, dep.Aliases...) {
			if k = NormalizeName(k); k != "" {
				if _, taken := d.byKey[k]; !taken {
					d.byKey[k] = dep
				}
			}
		}
	}
	if d.People == nil {
		d.People = make(map[string]*Person)
	}
	if d.DefaultPriority == "" {
		d.DefaultPriority = Normal
	}
}

// Department returns the department that name or one of its aliases names,
// matching case- and width-insensitively. It returns ENOTFOUND with the
// closest names as a suggestion otherwise.
func (d *Directory) Department(name string) (*Department, error) { return d.DepartmentIn(nil, name) }

// DepartmentIn is Department with the "no such department" message for a
// reader of p (nil: English). A reader of Chinese is offered display names
// (“财务部”), which are what they type, and an English reader the
// canonical names.
func (d *Directory) DepartmentIn(p *i18n.Printer, name string) (*Department, error) {
	if dep := d.Lookup(name); dep != nil {
		return dep, nil
	}
	zh := p.Tag() == i18n.ZhHans
	msg := p.T("cmd.dept.unknown", "Name", Escape(name))
	if s := d.Suggest(name); len(s) > 0 {
		if zh {
			s = d.displayNamesOf(s)
		}
		q := make([]string, len(s))
		for i, n := range s {
			q[i] = p.T("cmd.dept.quote", "Name", n)
		}
		msg += p.T("cmd.dept.mean", "Names", strings.Join(q, p.T("cmd.dept.or")))
	}
	names, sep := d.Names(), ", "
	if zh {
		names, sep = d.DisplayNames(), "、"
	}
	msg += p.T("cmd.dept.list", "Names", strings.Join(names, sep))
	return nil, &Error{Code: ENOTFOUND, Message: msg}
}

// displayNamesOf maps canonical names to display names.
func (d *Directory) displayNamesOf(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if dep := d.ByName(n); dep != nil && dep.DisplayName != "" {
			out[i] = dep.DisplayName
		}
	}
	return out
}

// Lookup returns the department called name (any name or alias, ignoring
// case and width), or nil; unlike Department it builds no suggestions.
func (d *Directory) Lookup(name string) *Department {
	return d.byKey[NormalizeName(name)]
}

// LookupPrefix finds a department named at the start of word with no space
// after it, as Chinese is typed ("财务需要第三季度预算"): the longest name or
// alias written in Han characters that word begins with (after the same
// folding as Lookup), and the rest of word after it. It returns nil and
// word unchanged when word does not start with a Han character or no Han
// name is its prefix, or when nothing would be left after the name.
func (d *Directory) LookupPrefix(word string) (*Department, string) {
	word = strings.TrimSpace(word)
	if r, _ := utf8.DecodeRuneInString(word); !unicode.Is(unicode.Han, r) {
		return nil, word
	}
	// Fold rune by rune so that a prefix of the folded word maps back to
	// a prefix of what was typed (NFKC could merge runes across the cut).
	var best *Department
	rest := word
	var key strings.Builder
	for i, r := range word {
		key.WriteString(NormalizeName(string(r)))
		end := i + utf8.RuneLen(r)
		if end == len(word) {
			break
		}
		if dep, ok := d.byKey[key.String()]; ok && isHanKey(key.String()) {
			best, rest = dep, word[end:]
		}
	}
	if best == nil {
		return nil, word
	}
	return best, rest
}

// isHanKey reports whether a folded name is written in Han characters
// only: ASCII names need a space after them ("fin" must not match "final").
func isHanKey(k string) bool {
	for _, r := range k {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return k != ""
}

// ByName returns the department with canonical name n, or nil.
func (d *Directory) ByName(n string) *Department {
	for _, dep := range d.Departments {
		if dep.Name == n {
			return dep
		}
	}
	return nil
}

// Names lists the canonical department names in config order.
func (d *Directory) Names() []string {
	out := make([]string, len(d.Departments))
	for i, dep := range d.Departments {
		out[i] = dep.Name
	}
	return out
}

// DisplayNames lists the departments' display names in config order.
func (d *Directory) DisplayNames() []string {
	out := make([]string, len(d.Departments))
	for i, dep := range d.Departments {
		out[i] = dep.DisplayName
		if out[i] == "" {
			out[i] = dep.Name
		}
	}
	return out
}

// IsAdmin reports whether user may do anything.
func (d *Directory) IsAdmin(user string) bool { return slices.Contains(d.Admins, user) }

// HomeDepartment returns the department user belongs to: from the people
// table first, then from staff lists. It returns "" when unknown.
func (d *Directory) HomeDepartment(user string) string {
	if p, ok := d.People[user]; ok && p.Department != "" {
		return p.Department
	}
	for _, dep := range d.Departments {
		if dep.IsStaff(user) {
			return dep.Name
		}
	}
	return ""
}

// StaffOf returns the departments where user is a member or lead.
func (d *Directory) StaffOf(user string) []*Department {
	var out []*Department
	for _, dep := range d.Departments {
		if dep.IsStaff(user) {
			out = append(out, dep)
		}
	}
	return out
}

// UserByName resolves a console handle ("fiona") or a Slack user ID to an ID.
func (d *Directory) UserByName(s string) (string, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "@")
	if _, ok := d.People[s]; ok {
		return s, true
	}
	n := NormalizeName(s)
	for id, p := range d.People {
		if NormalizeName(p.Name) == n {
			return id, true
		}
	}
	return "", false
}

// Name returns a person's short handle, or their ID when unknown.
func (d *Directory) Name(user string) string {
	if p, ok := d.People[user]; ok && p.Name != "" {
		return p.Name
	}
	return user
}
