package config

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/askdesk/askdesk/bot"
)

// TypeConfig is one [[department.types]] table: a kind of request the
// department takes, with its own intake fields and, optionally, targets
// and privacy.
type TypeConfig struct {
	Name        string   `toml:"name"`                   // lower-case identifier: "reimbursement"
	DisplayName string   `toml:"display_name,omitempty"` // default: Name title-cased
	Aliases     []string `toml:"aliases,omitempty"`      // other words typed after the department
	Description string   `toml:"description,omitempty"`
	// Default marks the type filed when none is named (at most one; the
	// first type when none is marked).
	Default bool `toml:"default,omitempty"`
	// Private keeps the text and fields out of the queue channel, digests
	// and exports.
	Private bool `toml:"private,omitempty"`
	// SLA overrides the department's targets for the priorities it gives,
	// in the same shape as the department's sla.
	SLA    *SLAConfig    `toml:"sla,omitempty"`
	Fields []FieldConfig `toml:"fields,omitempty"`
}

// FieldConfig is one [[department.types.fields]] table: an intake field.
type FieldConfig struct {
	Name     string   `toml:"name"`            // typed as name=value: "amount"
	Label    string   `toml:"label,omitempty"` // default: Name title-cased
	Kind     string   `toml:"kind"`            // short_text, long_text, number, select, date, person
	Required bool     `toml:"required,omitempty"`
	Options  []string `toml:"options,omitempty"` // select only
	Hint     string   `toml:"hint,omitempty"`    // help under the field in the form
}

// Field names are typed as name=value, so they hold no "=" or spaces.
var fieldNameRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// Limits that keep a field readable in Slack's form (a label holds 2,000
// characters, an option 75, a hint 2,000; a card line should stay short).
const (
	maxLabelLen  = 80
	maxOptionLen = 75
	maxHintLen   = 150
)

// buildTypes checks a department's request types and converts them.
func buildTypes(r *reporter, key string, ts []TypeConfig) []*bot.RequestType {
	if len(ts) == 0 {
		return nil
	}
	tkey := join(key, "types")
	if len(ts) > bot.MaxTypes {
		r.addf(tkey, "%d request types; a department may have at most %d (the form offers them in one menu)", len(ts), bot.MaxTypes)
	}
	var out []*bot.RequestType
	words := map[string]int{} // normalised name or alias → the type's index
	defaults := 0
	for i, tc := range ts {
		k := at(tkey, i)
		t := &bot.RequestType{
			Name: tc.Name, DisplayName: strings.TrimSpace(tc.DisplayName), Aliases: slices.Clone(tc.Aliases),
			Description: strings.TrimSpace(tc.Description), Default: tc.Default, Private: tc.Private,
		}
		switch {
		case tc.Name == "":
			r.addf(join(k, "name"), "required: a lower-case identifier such as \"reimbursement\"")
		case !nameRE.MatchString(tc.Name):
			r.addf(join(k, "name"), "%q is not a lower-case identifier: use a-z, 0-9, _ and -, at most 32", tc.Name)
		}
		if t.DisplayName == "" {
			t.DisplayName = titleCase(tc.Name)
		}
		if tc.Default {
			if defaults++; defaults > 1 {
				r.addf(join(k, "default"), "a second default type: only one type of a department may be the default")
			}
		}
		// Each word a requester may type after the department must lead to
		// one type.
		claims := []struct{ key, value string }{{join(k, "name"), tc.Name}}
		if tc.DisplayName != "" {
			claims = append(claims, struct{ key, value string }{join(k, "display_name"), tc.DisplayName})
		}
		for j, a := range tc.Aliases {
			claims = append(claims, struct{ key, value string }{at(join(k, "aliases"), j), a})
		}
		for _, c := range claims {
			n := bot.NormalizeName(c.value)
			if n == "" {
				if c.key != join(k, "name") {
					r.addf(c.key, "empty")
				}
				continue
			}
			if prev, taken := words[n]; taken && prev != i {
				r.addf(c.key, "%q is already a name or alias of type %q of this department", c.value, ts[prev].Name)
				continue
			}
			words[n] = i
		}
		if tc.SLA != nil {
			t.Targets = buildTargetTable(r, join(k, "sla"), *tc.SLA)
		}
		t.Fields = buildFields(r, k, tc.Fields)
		out = append(out, t)
	}
	return out
}

// buildFields checks a request type's intake fields.
func buildFields(r *reporter, key string, fs []FieldConfig) []bot.Field {
	fkey := join(key, "fields")
	if len(fs) > bot.MaxFields {
		r.addf(fkey, "%d fields; a request type may have at most %d (a longer form is better split into types)", len(fs), bot.MaxFields)
	}
	var out []bot.Field
	seen := map[string]bool{}
	for i, fc := range fs {
		k := at(fkey, i)
		f := bot.Field{Name: fc.Name, Label: strings.TrimSpace(fc.Label), Kind: bot.FieldKind(fc.Kind),
			Required: fc.Required, Options: slices.Clone(fc.Options), Hint: strings.TrimSpace(fc.Hint)}
		switch {
		case fc.Name == "":
			r.addf(join(k, "name"), "required: a lower-case identifier such as \"amount\", typed as amount=42.50")
		case !fieldNameRE.MatchString(fc.Name):
			r.addf(join(k, "name"), "%q is not a field name: start with a-z, then a-z, 0-9, _ and -, at most 32 (it is typed as %s=…)", fc.Name, fc.Name)
		case seen[fc.Name]:
			r.addf(join(k, "name"), "a second field called %q in this type", fc.Name)
		}
		seen[fc.Name] = true
		if f.Label == "" {
			f.Label = titleCase(fc.Name)
		}
		if utf8.RuneCountInString(f.Label) > maxLabelLen {
			r.addf(join(k, "label"), "%d characters; a label may have at most %d", utf8.RuneCountInString(f.Label), maxLabelLen)
		}
		if utf8.RuneCountInString(f.Hint) > maxHintLen {
			r.addf(join(k, "hint"), "%d characters; a hint may have at most %d", utf8.RuneCountInString(f.Hint), maxHintLen)
		}
		switch {
		case fc.Kind == "":
			r.addf(join(k, "kind"), "required: one of %s", kindList())
		case !slices.Contains(bot.FieldKinds, f.Kind):
			r.addf(join(k, "kind"), "%q is not a field kind; use one of %s", fc.Kind, kindList())
		}
		switch {
		case f.Kind == bot.FieldSelect && len(fc.Options) == 0:
			r.addf(join(k, "options"), "required for a select field: the choices, such as [\"travel\", \"meals\"]")
		case f.Kind != bot.FieldSelect && fc.Options != nil:
			r.addf(join(k, "options"), "only a select field has options; this one is %q", fc.Kind)
		case len(fc.Options) > bot.MaxOptions:
			r.addf(join(k, "options"), "%d options; a select field may have at most %d", len(fc.Options), bot.MaxOptions)
		}
		opts := map[string]bool{}
		for j, o := range fc.Options {
			n := bot.NormalizeName(o)
			switch {
			case n == "":
				r.addf(at(join(k, "options"), j), "empty option")
			case utf8.RuneCountInString(o) > maxOptionLen:
				r.addf(at(join(k, "options"), j), "%d characters; an option may have at most %d", utf8.RuneCountInString(o), maxOptionLen)
			case opts[n]:
				r.addf(at(join(k, "options"), j), "%q is given twice", o)
			}
			opts[n] = true
		}
		out = append(out, f)
	}
	return out
}

func kindList() string {
	s := make([]string, len(bot.FieldKinds))
	for i, k := range bot.FieldKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// checkIntakeType: a reaction in an intake channel files the default type
// with no way to give fields, so that type must not require any.
func checkIntakeType(r *reporter, key string, d DepartmentConfig, dep *bot.Department) {
	t := dep.DefaultType()
	if len(d.IntakeChannels) == 0 || t == nil {
		return
	}
	var req []string
	for _, f := range t.RequiredFields() {
		req = append(req, f.Name)
	}
	if len(req) == 0 {
		return
	}
	i := slices.IndexFunc(dep.Types, func(x *bot.RequestType) bool { return x == t })
	k := join(at(join(key, "types"), i), "name")
	if t.Default {
		k = join(at(join(key, "types"), i), "default")
	}
	r.addf(k, "the default type %q requires %s, which a message filed by reaction in the intake channels cannot give: make a type without required fields the default", t.Name, strings.Join(req, ", "))
}
