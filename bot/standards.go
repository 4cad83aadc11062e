package bot

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot/i18n"
)

// StandardRevision is one published change of a department's service
// standards (its catalogue entry): who made it, when and why, and the whole
// standard as it stood after the change.
type StandardRevision struct {
	ID     int64  // order of publication across all departments
	Dept   string // canonical department name
	Rev    int    // 1, 2, … within the department
	At     time.Time
	Actor  string // Slack user ID; "" when the config file was applied
	Source string // "file", "slack" or "console"
	Reason string
	Body   string // the department's [[department]] table, as TOML
}

// StandardChange is one key of a department's standard that a revision
// changed, with its value before and after ("" when absent).
type StandardChange struct {
	Key, Old, New string
}

// FormField is one thing a lead may edit of a department's standard, with
// its value now as the lead types it; both the Slack modal and the console
// show these.
type FormField struct {
	Key       string // "description", "targets", …
	Label     string
	Hint      string
	Value     string
	Multiline bool
	Users     bool // a list of people (a user picker in Slack)
	Optional  bool
}

// FormError is a standard that was refused: a message per form field (by
// FormField.Key, "" for a clash with another department, "reason" for the
// reason), in check-config's words.
type FormError struct {
	Dept   string
	Fields map[string]string
}

func (e *FormError) Error() string {
	msg := "the standard was not saved:" //i18n:ok for logs; people read formErrorText or the form
	for k, v := range e.Fields {
		msg += " " + k + ": " + v + ";"
	}
	return msg
}

// Catalogue is the service catalogue as the desk's commands use it
// (implemented in bot/catalog): departments' published standards, their
// history, and edits by leads.
type Catalogue interface {
	// Owner says where the standards are kept: "file" (the config file is
	// authoritative) or "slack" (leads edit them in Slack).
	Owner() string
	// History lists a department's revisions, oldest first.
	History(ctx context.Context, dept string) ([]StandardRevision, error)
	// Compare returns what revision rev of dept changed from the one before.
	Compare(ctx context.Context, dept string, rev int) (StandardRevision, []StandardChange, error)
	// Form is what user may edit of dept's standard, with its values now;
	// EACCES when user is neither a lead of dept nor an admin, EINVALID
	// when the file owns the catalogue.
	Form(ctx context.Context, user, dept string) ([]FormField, error)
	// Edit publishes a new revision of dept's standard with values (by
	// FormField.Key, or a config key such as "sla.low.resolution") changed;
	// reason is required. It returns a *FormError when the result breaks a
	// rule, and the revision and its changes when saved.
	Edit(ctx context.Context, user, dept string, values map[string]string, reason, source string) (StandardRevision, []StandardChange, error)
}

// StandardOf returns the department r belongs to, running on the standard
// r was filed (or transferred) under: today's team, channel and names, with
// the targets (its request types' too), calendar and rules of r's
// catalogue revision. A change to a standard applies to requests filed
// after it.
func (d *Directory) StandardOf(r *Request) *Department {
	cur := d.ByName(r.Dept)
	if cur == nil {
		return nil
	}
	return cur.AtRevision(r.StandardRev)
}

// AtRevision is the department running on the standard of revision rev:
// today's team, channel and names, with the targets, calendar, reminder
// rules and request types of rev (itself when rev is today's, 0, or one
// the directory does not hold).
func (dep *Department) AtRevision(rev int) *Department {
	if rev == 0 || rev == dep.Revision {
		return dep
	}
	old := dep.earlier[rev]
	if old == nil {
		return dep
	}
	at := *dep
	at.Revision, at.Calendar, at.Targets, at.Reminders = old.Revision, old.Calendar, old.Targets, old.Reminders
	at.RevisedAt = old.RevisedAt
	// Request types carry targets too, and the fields r was filed with.
	at.Types = old.Types
	return &at
}

// StandardDuring returns the department on the standard in force at the
// end of the period [from, to): the last revision published before to
// (the earliest the directory holds when none was), with that revision's
// quality target too; and how many revisions were in force during the
// period (1 when none was published in it). A report for a past period
// shows the targets of its time, not today's.
func (dep *Department) StandardDuring(from, to time.Time) (*Department, int) {
	revs := dep.Revisions()
	in := revs[len(revs)-1] // the earliest held, when none was before to
	if len(revs) > 1 {
		in = revs[1]
	}
	n, before := 0, false
	for _, r := range revs {
		if r.RevisedAt.IsZero() || !r.RevisedAt.Before(to) {
			continue
		}
		if in.RevisedAt.IsZero() || !in.RevisedAt.Before(to) || r.RevisedAt.After(in.RevisedAt) {
			in = r
		}
		if r.RevisedAt.After(from) {
			n++
		} else {
			before = true
		}
	}
	if before || n == 0 {
		n++
	}
	if in == dep {
		return dep, n
	}
	at := *in
	at.Quality = dep.earlier[in.Revision].Quality
	return &at, n
}

// Revisions returns the department at today's revision and at each
// earlier one the directory holds, by revision number: everything a figure
// worked out for one of its requests can depend on.
func (dep *Department) Revisions() []*Department {
	out := []*Department{dep}
	for _, old := range dep.earlier {
		out = append(out, dep.AtRevision(old.Revision))
	}
	slices.SortFunc(out[1:], func(a, b *Department) int { return cmp.Compare(a.Revision, b.Revision) })
	return out
}

// AddStandard records an earlier revision of a department, for the
// requests filed under it (see StandardOf). Call it before the directory
// is in use.
func (d *Directory) AddStandard(old *Department) {
	cur := d.ByName(old.Name)
	if cur == nil {
		return
	}
	if cur.earlier == nil {
		cur.earlier = map[int]*Department{}
	}
	cur.earlier[old.Revision] = old
}

// SummarizeChanges says in words what a revision changed, at most max
// items ("normal resolution 3d → 2d, hours on fri, members and 2 more").
func SummarizeChanges(changes []StandardChange, max int) string {
	return SummarizeChangesIn(nil, changes, max)
}

// SummarizeChangesIn is SummarizeChanges in p's language (nil: English):
// "普通优先级的解决时限 3个工作日 → 2个工作日；周五的工作时间".
func SummarizeChangesIn(p *i18n.Printer, changes []StandardChange, max int) string {
	var parts []string
	seen := map[string]bool{}
	lengths := listLengths(changes)
	for _, c := range changes {
		name := changeName(p, c.Key)
		if seen[name] {
			continue
		}
		seen[name] = true
		if list, _, ok := strings.Cut(c.Key, "["); ok && dayLists[list] {
			if n := lengths[list]; n[0] != n[1] {
				parts = append(parts, p.T("standards.change.list", "Name", name,
					"Old", p.N("standards.change.days", n[0]), "New", p.N("standards.change.days", n[1])))
				continue
			}
		}
		short := len(c.Old) <= 24 && len(c.New) <= 24 && !strings.ContainsAny(c.Old+c.New, "[{\n")
		if c.Key == "leads" || c.Key == "members" {
			parts = append(parts, p.T("standards.change.people", "Name", name, "Change", peopleChange(c.Old, c.New)))
			continue
		}
		switch {
		case short && c.Old != "" && c.New != "":
			parts = append(parts, p.T("standards.change.from_to", "Name", name, "Old", changeValue(p, c.Key, c.Old), "New", changeValue(p, c.Key, c.New)))
		case short && c.Old == "" && c.New != "":
			parts = append(parts, p.T("standards.change.set_to", "Name", name, "Value", changeValue(p, c.Key, c.New)))
		default:
			parts = append(parts, name)
		}
	}
	if len(parts) > max {
		parts = append(parts[:max], p.T("standards.change.more", "N", len(parts)-max))
	}
	return strings.Join(parts, p.T("standards.change.sep"))
}

// dayLists are the lists of days whose changes are said by their length
// ("holidays: 33 days → 1 day") when it changed.
var dayLists = map[string]bool{"holidays": true, "workdays": true}

// listLengths is the length before and after of each list the changes
// touch ("holidays[3].date"). A list that grew has its items from the old
// length on added (no value before), and one that shrank its items from
// the new length on removed; one whose length stayed has neither, and is
// said as {0, 0}.
func listLengths(changes []StandardChange) map[string][2]int {
	type span struct{ first, end int } // indices: the lowest added or removed, one past the highest
	added, removed := map[string]*span{}, map[string]*span{}
	note := func(m map[string]*span, list string, i int) {
		if s := m[list]; s != nil {
			s.first, s.end = min(s.first, i), max(s.end, i+1)
		} else {
			m[list] = &span{i, i + 1}
		}
	}
	for _, c := range changes {
		list, rest, ok := strings.Cut(c.Key, "[")
		if !ok {
			continue
		}
		num, _, _ := strings.Cut(rest, "]")
		i, err := strconv.Atoi(num)
		if err != nil {
			continue
		}
		switch {
		case c.Old == "" && c.New != "":
			note(added, list, i)
		case c.New == "" && c.Old != "":
			note(removed, list, i)
		}
	}
	out := map[string][2]int{}
	for list, s := range added {
		out[list] = [2]int{s.first, s.end}
	}
	for list, s := range removed {
		if _, both := added[list]; !both {
			out[list] = [2]int{s.end, s.first}
		}
	}
	return out
}

// changeName names a standard's key for people: "sla.normal.resolution"
// is "normal resolution target", "hours.fri" is "hours on fri",
// "holidays[3].date" is "holidays"; in Chinese 普通优先级的解决时限,
// 周五的工作时间, 节假日. A key the catalogue does not name is said as
// written, its underscores as spaces.
func changeName(p *i18n.Printer, key string) string {
	parts := strings.Split(key, ".")
	for i, part := range parts {
		if j := strings.IndexByte(part, '['); j >= 0 {
			parts = parts[:i]
			parts = append(parts, part[:j])
			break
		}
	}
	words := func(s string) string { return strings.ReplaceAll(s, "_", " ") }
	// known is the catalogue's word for a key, else the key in words.
	known := func(prefix, k string) string {
		if s, err := p.Text(prefix + k); err == nil {
			return s
		}
		return words(k)
	}
	switch {
	case len(parts) == 3 && parts[0] == "sla":
		return p.T("standards.change.target", "Priority", known("cmd.priority.", parts[1]), "Clock", known("standards.clock.", parts[2]))
	case len(parts) == 2 && parts[0] == "hours":
		return p.T("standards.change.hours_on", "Day", known("standards.day.", parts[1]))
	}
	k := strings.Join(parts, "_")
	if k == "description" { // a reserved name in the catalogue
		k = "serves"
	}
	if s, err := p.Text("standards.key." + k); err == nil {
		return s
	}
	return words(strings.Join(parts, " "))
}

// changeValue is a changed value as people read it: a target in words
// ("2 business hours"), anything else as written.
func changeValue(p *i18n.Printer, key, v string) string {
	v = unquote(v)
	if strings.HasPrefix(key, "sla.") {
		if d, err := ParseBusinessDuration(v); err == nil && !d.IsZero() {
			return TargetWordsIn(p, d, nil)
		}
	}
	return Escape(v)
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// peopleChange says who a list of people gained and lost: "+@frank −@fiona".
func peopleChange(old, new string) string {
	before, after := tomlList(old), tomlList(new)
	var out []string
	for _, id := range after {
		if !slices.Contains(before, id) {
			out = append(out, "+"+Mention(id))
		}
	}
	for _, id := range before {
		if !slices.Contains(after, id) {
			out = append(out, "−"+Mention(id))
		}
	}
	return strings.Join(out, " ")
}

// tomlList reads a one-line TOML array of strings ("['U1', 'U2']").
func tomlList(s string) []string {
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "["), "]")
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = unquote(strings.TrimSpace(f)); f != "" {
			out = append(out, f)
		}
	}
	return out
}
