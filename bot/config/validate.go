package config

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// build checks c and converts it to the domain model in one pass, so that
// the checks and the conversion cannot disagree. The directory is only
// usable when the reporter holds no problems; it is not yet indexed.
func (c *Config) build() (*bot.Directory, *reporter) {
	r := &reporter{file: c.file, ix: c.pos}
	dir := &bot.Directory{People: map[string]*bot.Person{}}

	for i, id := range c.Admins {
		if !isUserID(id) {
			r.addf(at("admins", i), "%q is not a Slack user ID (like U0123ABCD)", id)
		}
	}
	dir.Admins = slices.Clone(c.Admins)

	if p, err := bot.ParsePriority(c.DefaultPriority); err != nil {
		r.addf("default_priority", "%s", bot.ErrorMessage(err))
	} else {
		dir.DefaultPriority = p
	}
	dir.Language = checkLanguage(r, "language", c.Language)
	if d, ok := duration(r, "reopen_window", c.ReopenWindow); ok {
		dir.ReopenWindow = d
	}
	switch u := c.Store.URL; {
	case u != "" && !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://"):
		// Not echoed: it may hold a password.
		r.addf("store.url", "want a PostgreSQL URL starting with postgres://, such as \"postgres://askdesk@db.internal/askdesk\" (or leave it out to use store.path, an SQLite file)")
	case u == "" && strings.TrimSpace(c.Store.Path) == "":
		r.addf("store.path", "required: the SQLite file, such as \"askdesk.db\" (or set store.url to a PostgreSQL URL)")
	}
	if f := c.Slack.DepartmentField; f != "" && f != "title" && !profileFieldRE.MatchString(f) {
		r.addf("slack.department_field", "%q is neither a custom profile field's ID (like \"Xf0123ABCD\", from team.profile.get) nor \"title\"", f)
	}
	c.checkSchedule(r)
	checkLog(r, c.Log)
	dir.Ratings = ratingPolicy(r, c.Ratings)
	checkRetention(r, c.Retention, dir)
	if src := c.Catalog.Source; src != "" && src != "file" && src != "slack" {
		r.addf("catalog.source", "%q: use \"file\" (the [[department]] tables in this file are the standards) or \"slack\" (leads edit them in Slack; this file seeds them once)", src)
	}
	base := policy(r, "reminders", bot.DefaultPolicy, c.Reminders)

	names := c.departments(r, dir)
	for i, dep := range dir.Departments {
		if i < len(c.Departments) {
			p := policy(r, join(at("department", i), "reminders"), base, c.Departments[i].Reminders)
			dep.Reminders = &p
		}
	}
	c.people(r, dir, names)
	return dir, r
}

// claim records which department first took a name, alias or prefix.
type claim struct {
	dept        int
	what, value string
}

// departments checks each department and what they must not share. It
// returns the normalised names, aliases and prefixes, each mapped to the
// department that claimed it.
func (c *Config) departments(r *reporter, dir *bot.Directory) map[string]claim {
	if len(c.Departments) == 0 {
		r.addf("department", "no departments: add at least one [[department]] table")
	}
	names := map[string]claim{}
	queues := map[string]int{} // queue channel → department index
	for i, d := range c.Departments {
		key := at("department", i)
		dep := buildDepartment(r, key, d)
		dir.Departments = append(dir.Departments, dep)

		// Users type any of these after /ask, so each must lead to one
		// department and must not read as a subcommand.
		keys := []struct{ key, what, value string }{
			{join(key, "name"), "name", d.Name},
			{join(key, "prefix"), "prefix", d.Prefix},
		}
		// A display name derived from the name mostly says the same
		// again; check it only when it says something else.
		if d.DisplayName != "" || bot.NormalizeName(dep.DisplayName) != bot.NormalizeName(d.Name) {
			keys = append(keys, struct{ key, what, value string }{join(key, "display_name"), "display name", dep.DisplayName})
		}
		for j, a := range d.Aliases {
			keys = append(keys, struct{ key, what, value string }{at(join(key, "aliases"), j), "alias", a})
		}
		for _, k := range keys {
			if bad := markup(k.value); bad != "" {
				r.addf(k.key, "%s %q holds %s: names are shown as plain text in Slack, so use words, spaces and punctuation other than < > * ~ `", k.what, k.value, bad)
				continue
			}
			n := bot.NormalizeName(k.value)
			if n == "" {
				continue // reported as missing where it is required
			}
			if slices.Contains(ReservedWords, n) {
				r.addf(k.key, "%s %q is an /ask command word; reserved words are %s", k.what, k.value, strings.Join(ReservedWords, ", "))
				continue
			}
			prev, taken := names[n]
			switch {
			case !taken:
				names[n] = claim{i, k.what, k.value}
			case prev.dept != i:
				r.addf(k.key, "%s %q clashes with %s %q of department %q (names, aliases and prefixes match ignoring case and width)",
					k.what, k.value, prev.what, prev.value, c.Departments[prev.dept].Name)
			}
		}

		// A queue channel identifies its department when staff act in it.
		q := strings.ToLower(d.Channel)
		if j, dup := queues[q]; dup {
			r.addf(join(key, "channel"), "channel %q is already the queue of department %q", d.Channel, c.Departments[j].Name)
		} else if q != "" {
			queues[q] = i
		}
	}
	return names
}

// people checks the people table. A person's department may be given by any
// name or alias of it; the directory holds the canonical name.
func (c *Config) people(r *reporter, dir *bot.Directory, names map[string]claim) {
	ids := make([]string, 0, len(c.People))
	for id := range c.People {
		ids = append(ids, id)
	}
	sort.Strings(ids) // problems and handle clashes come out the same every run

	handles := map[string]string{} // normalised handle → user ID
	for _, id := range ids {
		p, key := c.People[id], join("people", id)
		if !isUserID(id) {
			r.addf(key, "%q is not a Slack user ID (like U0123ABCD)", id)
		}
		if p.Name != "" {
			n := bot.NormalizeName(p.Name)
			switch other, dup := handles[n]; {
			case strings.ContainsFunc(p.Name, unicode.IsSpace) || strings.HasPrefix(p.Name, "@"):
				r.addf(join(key, "name"), "handle %q must be one word, without @", p.Name)
			case dup:
				r.addf(join(key, "name"), "handle %q is already %s's", p.Name, other)
			default:
				handles[n] = id
			}
		}
		dept := ""
		if p.Department != "" {
			if cl, ok := names[bot.NormalizeName(p.Department)]; ok {
				dept = c.Departments[cl.dept].Name
			} else {
				r.addf(join(key, "department"), "%s", unknownDepartment(p.Department, c.Departments))
			}
		}
		if p.Timezone != "" {
			loadZone(r, join(key, "timezone"), p.Timezone)
		}
		dir.People[id] = &bot.Person{ID: id, Name: p.Name, Department: dept, Timezone: p.Timezone,
			Lang: checkLanguage(r, join(key, "lang"), p.Lang)}
	}
}

// checkLanguage returns a language as askdesk names it ("zh-CN" is
// "zh-Hans"), or "" for none given or one askdesk does not speak, which is
// a problem at key.
func checkLanguage(r *reporter, key, lang string) string {
	if lang == "" {
		return ""
	}
	t, ok := i18n.Match(lang)
	if !ok {
		r.add(key, bot.E(bot.EINVALID, "config.unsupported_language", "Value", strconv.Quote(lang), "Languages", i18n.SupportedNames()))
		return ""
	}
	return t.String()
}

func unknownDepartment(name string, deps []DepartmentConfig) string {
	known := make([]string, 0, len(deps))
	for _, d := range deps {
		if d.Name != "" {
			known = append(known, d.Name)
		}
	}
	if s := closest(name, known); s != "" {
		return fmt.Sprintf("unknown department %q; did you mean %q?", name, s)
	}
	return fmt.Sprintf("unknown department %q; departments are %s", name, strings.Join(known, ", "))
}

// markup describes what in a name Slack would read as markup or not show,
// or returns "": angle brackets make links and mentions (<!channel>),
// * ~ and ` make bold, strike and code, and control and invisible format
// characters hide or reorder text. & is fine: it is escaped where shown.
func markup(name string) string {
	if i := strings.IndexAny(name, "<>*~`"); i >= 0 {
		return fmt.Sprintf("the markup character %q", name[i])
	}
	if bot.CleanText(name) != name || strings.ContainsAny(name, "\t\n") {
		return "a control or invisible character"
	}
	return ""
}
