package config

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// The service catalogue keeps each department's standard as its
// [[department]] table in TOML: these turn a DepartmentConfig into that text
// and back, and check a changed catalogue with the rules and messages of
// check-config.

// MarshalDepartment writes d as the body of a [[department]] table.
func MarshalDepartment(d DepartmentConfig) (string, error) {
	var b bytes.Buffer
	enc := toml.NewEncoder(&b)
	enc.SetIndentTables(true)
	if err := enc.Encode(d); err != nil {
		return "", fmt.Errorf("write department %s: %w", d.Name, err)
	}
	return b.String(), nil
}

// ParseDepartment reads the body of a [[department]] table, refusing keys
// a department does not have (with the nearest known key suggested).
func ParseDepartment(body string) (DepartmentConfig, error) {
	var d DepartmentConfig
	err := toml.NewDecoder(strings.NewReader(body)).DisallowUnknownFields().Decode(&d)
	var strict *toml.StrictMissingError
	var de *toml.DecodeError
	switch {
	case err == nil:
		return d, nil
	case errors.As(err, &strict):
		var msgs []string
		for _, e := range strict.Errors {
			key := strings.Join(e.Key(), ".")
			msgs = append(msgs, key+": "+unknownKeyMsg("department[0]."+key))
		}
		return d, errors.New(strings.Join(msgs, "; "))
	case errors.As(err, &de):
		row, _ := de.Position()
		return d, fmt.Errorf("line %d: %s", row, de.Error())
	default:
		return d, err
	}
}

// WithDepartments returns a copy of c whose departments are deps: the file
// with the catalogue's departments in place of its own.
func (c *Config) WithDepartments(deps []DepartmentConfig) *Config {
	cp := *c
	cp.Departments = slices.Clone(deps)
	cp.pos = nil // positions in the file say nothing of the catalogue's text
	return &cp
}

// CheckDepartment checks deps (the catalogue after a change to deps[i]) as
// check-config would, and returns the problems the change brought, keyed
// by the department's own key path ("sla.normal.first_response"); "" keys
// problems that are not the department's (a clash seen from another).
// before is the catalogue before the change, whose problems are not the
// change's fault.
func (c *Config) CheckDepartment(before, after []DepartmentConfig, i int) map[string]string {
	return c.CheckDepartmentIn(nil, before, after, i)
}

// CheckDepartmentIn is CheckDepartment with the problems said to a reader
// of p (nil: English), as far as the catalogue holds their messages.
func (c *Config) CheckDepartmentIn(p *i18n.Printer, before, after []DepartmentConfig, i int) map[string]string {
	old := map[string]bool{}
	if before != nil {
		_, r := c.WithDepartments(before).build()
		for _, p := range r.probs {
			old[p.Key+"\x00"+p.Msg] = true
		}
	}
	_, r := c.WithDepartments(after).build()
	own := at("department", i)
	out := map[string]string{}
	for _, pr := range r.probs {
		if old[pr.Key+"\x00"+pr.Msg] {
			continue
		}
		key := ""
		if rest, ok := strings.CutPrefix(pr.Key, own); ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
			key = strings.TrimPrefix(rest, ".")
		}
		msg := pr.text(p)
		if prev, dup := out[key]; dup {
			out[key] = prev + p.T("config.problem_sep") + msg
		} else {
			out[key] = msg
		}
	}
	return out
}

// BuildDepartment converts one department of the catalogue on its own
// (an earlier revision, for the requests filed under it).
func (c *Config) BuildDepartment(d DepartmentConfig) (*bot.Department, error) {
	one := c.WithDepartments([]DepartmentConfig{d})
	one.People = nil // they name the other departments too
	// So may schedule.calendar: an earlier revision of finance must build
	// in a company whose survey keeps hr's calendar.
	one.Schedule.Calendar = ""
	dir, err := one.Directory()
	if err != nil {
		return nil, err
	}
	return dir.Departments[0], nil
}

// Flatten lists d's settings as key = value lines ("sla.normal.resolution"
// = "3d"), sorted by key, for showing what a revision changed.
func Flatten(d DepartmentConfig) (map[string]string, error) {
	body, err := MarshalDepartment(d)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := toml.Unmarshal([]byte(body), &m); err != nil {
		return nil, fmt.Errorf("flatten department %s: %w", d.Name, err)
	}
	out := map[string]string{}
	flatten(out, "", m)
	return out, nil
}

func flatten(out map[string]string, prefix string, v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			flatten(out, join(prefix, k), x)
		}
	case []any:
		tables := len(v) > 0
		for _, x := range v {
			if _, ok := x.(map[string]any); !ok {
				tables = false
			}
		}
		if !tables {
			out[prefix] = inline(v)
			return
		}
		for i, x := range v {
			flatten(out, at(prefix, i), x)
		}
	default:
		out[prefix] = inline(v)
	}
}

// inline renders a value as TOML would on one line.
func inline(v any) string {
	b, err := toml.Marshal(map[string]any{"v": v})
	if err != nil {
		return fmt.Sprint(v)
	}
	s := strings.TrimSpace(strings.TrimPrefix(string(b), "v = "))
	return s
}

// Diff lists the keys whose values differ between a and b, sorted. A
// target spelt differently but meaning the same ("3d" and "3wd") has not
// changed.
func Diff(a, b map[string]string) []bot.StandardChange {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var out []bot.StandardChange
	for k := range keys {
		if a[k] != b[k] && !sameTarget(k, a[k], b[k]) {
			out = append(out, bot.StandardChange{Key: k, Old: a[k], New: b[k]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return keyLess(out[i].Key, out[j].Key) })
	return out
}

// keyLess orders key paths by their parts, indices by number:
// holidays[2] comes before holidays[10].
func keyLess(a, b string) bool {
	for a != "" && b != "" {
		i := strings.IndexFunc(a, isDigit)
		j := strings.IndexFunc(b, isDigit)
		if i < 0 || j < 0 || a[:i] != b[:j] {
			return a < b
		}
		a, b = a[i:], b[j:]
		i = strings.IndexFunc(a, func(r rune) bool { return !isDigit(r) })
		j = strings.IndexFunc(b, func(r rune) bool { return !isDigit(r) })
		if i < 0 {
			i = len(a)
		}
		if j < 0 {
			j = len(b)
		}
		if na, nb := strings.TrimLeft(a[:i], "0"), strings.TrimLeft(b[:j], "0"); na != nb {
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			return na < nb
		}
		a, b = a[i:], b[j:]
	}
	return a < b
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// sameTarget reports whether two values of an sla key are durations that
// mean the same.
func sameTarget(key, a, b string) bool {
	if !strings.HasPrefix(key, "sla.") {
		return false
	}
	da, errA := bot.ParseBusinessDuration(strings.Trim(a, `'"`))
	db, errB := bot.ParseBusinessDuration(strings.Trim(b, `'"`))
	return errA == nil && errB == nil && da == db
}
