package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/askdesk/askdesk/bot/i18n"
)

// FieldKind is what an intake field holds.
type FieldKind string

const (
	FieldShortText FieldKind = "short_text" // one line
	FieldLongText  FieldKind = "long_text"  // several lines
	FieldNumber    FieldKind = "number"     // 42.50, 1,200
	FieldSelect    FieldKind = "select"     // one of Options
	FieldDate      FieldKind = "date"       // 2026-12-10
	FieldPerson    FieldKind = "person"     // a Slack user
)

// FieldKinds lists the kinds a field may have, in the order the docs give.
var FieldKinds = []FieldKind{FieldShortText, FieldLongText, FieldNumber, FieldSelect, FieldDate, FieldPerson}

// Limits on request types and their fields: what a form and a card can show.
const (
	MaxTypes        = 20  // request types per department (one select in the form)
	MaxFields       = 10  // fields per request type
	MaxOptions      = 50  // options of a select field
	MaxShortTextLen = 150 // characters in a short_text field
	MaxLongTextLen  = 2000
)

// Field is one intake field of a request type.
type Field struct {
	Name     string // key, lower case: "amount"; typed as amount=42.50
	Label    string // shown in the form and on the card: "Amount"
	Kind     FieldKind
	Required bool
	Options  []string // select only
	Hint     string   // optional help under the field in the form
}

// FieldValue is one field as filed: its name and its value, normalised
// (a person is a user ID, a date YYYY-MM-DD, a select one of its options).
type FieldValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// RequestType is one kind of request a department takes (Finance:
// reimbursement, budget figures, invoice), with its own intake fields and,
// optionally, its own targets and privacy.
type RequestType struct {
	Name        string   // lower case: "reimbursement"
	DisplayName string   // "Reimbursement"
	Aliases     []string // other words a requester may type after the department
	Description string
	Default     bool // filed when a requester names no type
	// Private types (HR and Finance matters) keep their text and fields
	// out of the queue channel, digests and exports: only the requester
	// and the department's members see them, in DMs and /ask status.
	Private bool
	// Targets replace the department's for the priorities they name;
	// other priorities keep the department's (see Department.RequestTarget).
	Targets map[Priority]Target
	Fields  []Field
}

// Target returns the type's own target for p, if it sets one.
func (t *RequestType) Target(p Priority) (Target, bool) {
	if t == nil {
		return Target{}, false
	}
	tg, ok := t.Targets[p]
	return tg, ok
}

// Field returns the field called name (any case), or nil.
func (t *RequestType) Field(name string) *Field {
	if t == nil {
		return nil
	}
	n := NormalizeName(name)
	for i := range t.Fields {
		if t.Fields[i].Name == n {
			return &t.Fields[i]
		}
	}
	return nil
}

// RequiredFields lists the names of the fields a filing must give.
func (t *RequestType) RequiredFields() []*Field {
	var out []*Field
	for i := range t.Fields {
		if t.Fields[i].Required {
			out = append(out, &t.Fields[i])
		}
	}
	return out
}

// Type returns the department's request type that name names (its name,
// display name or an alias, ignoring case and width), or nil.
func (d *Department) Type(name string) *RequestType {
	n := NormalizeName(name)
	if n == "" {
		return nil
	}
	for _, t := range d.Types {
		for _, k := range append([]string{t.Name, t.DisplayName}, t.Aliases...) {
			if NormalizeName(k) == n {
				return t
			}
		}
	}
	return nil
}

// DefaultType returns the type filed when none is named: the one marked
// default, else the first; nil for a department without types.
func (d *Department) DefaultType() *RequestType {
	for _, t := range d.Types {
		if t.Default {
			return t
		}
	}
	if len(d.Types) > 0 {
		return d.Types[0]
	}
	return nil
}

// TypeNames lists the department's type names in config order.
func (d *Department) TypeNames() []string {
	out := make([]string, len(d.Types))
	for i, t := range d.Types {
		out[i] = t.Name
	}
	return out
}

// RequestTarget returns the targets of a request of type typ and priority
// p: the type's own for p when it sets them, else the department's.
func (d *Department) RequestTarget(typ string, p Priority) Target {
	if typ != "" {
		for _, t := range d.Types {
			if t.Name == typ {
				if tg, ok := t.Target(p); ok {
					return tg
				}
				break
			}
		}
	}
	return d.Target(p)
}

// typeByName is the type with canonical name n, or nil.
func (d *Department) typeByName(n string) *RequestType {
	for _, t := range d.Types {
		if t.Name == n {
			return t
		}
	}
	return nil
}

// ParseFields checks the values given for t's fields (keyed by field name,
// as typed) and returns them normalised, in the type's order. problems,
// keyed by field name, says what is wrong with each bad or missing value;
// it is nil when the values are usable. A name that is not one of t's
// fields is a problem under that name.
func (t *RequestType) ParseFields(dir *Directory, given map[string]string) (values []FieldValue, problems map[string]string) {
	return t.ParseFieldsIn(nil, dir, given)
}

// ParseFieldsIn is ParseFields with the problems said in p's language
// (nil: English).
func (t *RequestType) ParseFieldsIn(p *i18n.Printer, dir *Directory, given map[string]string) (values []FieldValue, problems map[string]string) {
	values, errs := t.parseFields(dir, given)
	if errs == nil {
		return values, nil
	}
	problems = make(map[string]string, len(errs))
	for name, err := range errs {
		problems[name] = ErrorText(p, err)
	}
	return nil, problems
}

// parseFields is ParseFields with each problem a coded error, said in
// whichever language reads it.
func (t *RequestType) parseFields(dir *Directory, given map[string]string) (values []FieldValue, problems map[string]*Error) {
	fail := func(name string, err *Error) {
		if problems == nil {
			problems = map[string]*Error{}
		}
		problems[name] = err
	}
	seen := map[string]bool{}
	for name := range given {
		if f := t.Field(name); f == nil {
			fail(name, E(EINVALID, "reqtype.field.unknown", "Type", typeLabel(t), "Name", Escape(name), "Fields", fieldNameList(t)))
		} else {
			seen[f.Name] = true
		}
	}
	for _, f := range t.Fields {
		raw := ""
		for name, v := range given {
			if NormalizeName(name) == f.Name {
				raw = strings.TrimSpace(CleanText(v))
			}
		}
		if raw == "" {
			if f.Required {
				fail(f.Name, E(EINVALID, "reqtype.field.required", "Label", f.Label))
			}
			continue
		}
		v, err := f.parse(dir, raw)
		if err != nil {
			fail(f.Name, err)
			continue
		}
		values = append(values, FieldValue{Name: f.Name, Value: v})
	}
	if problems != nil {
		return nil, problems
	}
	return values, nil
}

// Parse checks one value of f and returns it normalised; the error (an
// EINVALID *Error) is a sentence to show the person who typed it:
// ErrorText says it in their language.
func (f *Field) Parse(dir *Directory, s string) (string, error) {
	v, err := f.parse(dir, s)
	if err != nil {
		return "", err
	}
	return v, nil
}

func (f *Field) parse(dir *Directory, s string) (string, *Error) {
	s = strings.TrimSpace(s)
	switch f.Kind {
	case FieldNumber, FieldDate, FieldPerson:
		// Typed with a Chinese keyboard: １２００，２０２６－１２－１０，＠张伟.
		s = foldValue(s)
	}
	switch f.Kind {
	case FieldNumber:
		n := strings.NewReplacer(",", "", "_", "", " ", "").Replace(s)
		if _, err := strconv.ParseFloat(n, 64); err != nil || strings.ContainsAny(n, "eEnNiI") {
			return "", E(EINVALID, "reqtype.field.number", "Label", f.Label)
		}
		return n, nil
	case FieldDate:
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			return "", E(EINVALID, "reqtype.field.date", "Label", f.Label)
		}
		return d.Format("2006-01-02"), nil
	case FieldSelect:
		for _, o := range f.Options {
			if NormalizeName(o) == NormalizeName(s) {
				return o, nil
			}
		}
		return "", E(EINVALID, "reqtype.field.select", "Label", f.Label, "Options", escapedList(f.Options))
	case FieldPerson:
		id := strings.TrimSuffix(strings.TrimPrefix(s, "<@"), ">")
		id, _, _ = strings.Cut(id, "|")
		if IsUserID(id) {
			return id, nil
		}
		if dir != nil {
			if u, ok := dir.UserByName(s); ok {
				return u, nil
			}
		}
		return "", E(EINVALID, "reqtype.field.person", "Label", f.Label)
	case FieldLongText:
		if n := utf8.RuneCountInString(s); n > MaxLongTextLen {
			return "", E(EINVALID, "reqtype.field.too_long", "Label", f.Label, "N", n, "Limit", MaxLongTextLen)
		}
		return s, nil
	default: // short text
		if strings.Contains(s, "\n") {
			return "", E(EINVALID, "reqtype.field.one_line", "Label", f.Label)
		}
		if n := utf8.RuneCountInString(s); n > MaxShortTextLen {
			return "", E(EINVALID, "reqtype.field.too_long", "Label", f.Label, "N", n, "Limit", MaxShortTextLen)
		}
		return s, nil
	}
}

// Example is a value of f to show in help: "amount=42.50".
func (f *Field) Example() string {
	v := "…"
	switch f.Kind {
	case FieldNumber:
		v = "42.50"
	case FieldDate:
		v = "2026-12-10"
	case FieldPerson:
		v = "@name"
	case FieldSelect:
		if len(f.Options) > 0 {
			v = f.Options[0]
			if strings.ContainsAny(v, " \t") {
				v = `"` + v + `"`
			}
		}
	case FieldShortText, FieldLongText:
		v = `"…"`
	}
	return f.Name + "=" + v
}

func typeLabel(t *RequestType) string { return "“" + Escape(t.DisplayName) + "”" }

// fieldNameList lists t's field names, or says it has none.
func fieldNameList(t *RequestType) any {
	if len(t.Fields) == 0 {
		return S("reqtype.no_fields")
	}
	names := make([]any, len(t.Fields))
	for i, f := range t.Fields {
		names[i] = f.Name
	}
	return List{Sep: "reqtype.sep", Items: names}
}

// escapedList is words from the config (options, type names) as a list in
// the reader's language, escaped.
func escapedList(words []string) List {
	items := make([]any, len(words))
	for i, w := range words {
		items[i] = Escape(w)
	}
	return List{Sep: "reqtype.sep", Items: items}
}

// FieldLines renders r's fields for people allowed to see them, one
// "Label: value" per field, in the type's order; a field no longer in the
// config is shown by its name.
func (d *Directory) FieldLines(r *Request) []string { return d.FieldLinesIn(nil, r) }

// FieldLinesIn is FieldLines in p's language.
func (d *Directory) FieldLinesIn(p *i18n.Printer, r *Request) []string {
	var t *RequestType
	if dep := d.StandardOf(r); dep != nil {
		t = dep.typeByName(r.Type)
	}
	out := make([]string, 0, len(r.Fields))
	for _, fv := range r.Fields {
		label, kind := fv.Name, FieldShortText
		if f := t.Field(fv.Name); f != nil {
			label, kind = f.Label, f.Kind
		}
		v := Escape(fv.Value)
		if kind == FieldPerson && IsUserID(fv.Value) {
			v = Mention(fv.Value)
		}
		out = append(out, p.T("reqtype.field_line", "Label", Escape(label), "Value", v))
	}
	return out
}

// TypeDisplay is how r's type is named to people: its display name (from
// the owning department, else from the first that has a type so called),
// or its stored name when the type has left the config; "" for no type.
func (d *Directory) TypeDisplay(r *Request) string {
	if r.Type == "" {
		return ""
	}
	if dep := d.StandardOf(r); dep != nil {
		if t := dep.typeByName(r.Type); t != nil {
			return t.DisplayName
		}
	}
	// Transferred: the type is the first department's.
	for _, dep := range d.Departments {
		if t := dep.typeByName(r.Type); t != nil {
			return t.DisplayName
		}
	}
	return r.Type
}

// MaySeePrivate reports whether user may see the text and fields of r when
// r is private: its requester and the owning department's members and
// leads may. Everyone may see a request that is not private.
func (d *Directory) MaySeePrivate(user string, r *Request) bool {
	if !r.Private || user == r.Requester {
		return true
	}
	dep := d.ByName(r.Dept)
	return dep != nil && dep.IsStaff(user)
}

// Redacted returns r as shown where its text must not go (a queue channel,
// a digest, a viewer outside the department) when r is private: its title
// names the type and says it is private, its text and fields are gone. A
// request that is not private is returned as is.
func (d *Directory) Redacted(r *Request) *Request { return d.RedactedIn(nil, r) }

// RedactedIn is Redacted with the title said in p's language (nil:
// English).
func (d *Directory) RedactedIn(p *i18n.Printer, r *Request) *Request {
	if !r.Private {
		return r
	}
	c := *r
	c.Title = PrivateTitleIn(p, d.TypeDisplay(r))
	c.Text, c.Fields = "", nil
	return &c
}

// PrivateTitle is what stands for a private request's title: "Private
// grievance request".
func PrivateTitle(typeDisplay string) string { return PrivateTitleIn(nil, typeDisplay) }

// PrivateTitleIn is PrivateTitle in p's language (nil: English): 私密请求（申诉）.
func PrivateTitleIn(p *i18n.Printer, typeDisplay string) string {
	if typeDisplay == "" {
		return p.T("reqtype.private.title")
	}
	return p.T("reqtype.private.title_of", "Type", typeDisplay)
}

func (t *RequestType) name() string {
	if t == nil {
		return ""
	}
	return t.Name
}

// filingType resolves the type a filing names in dep (the default when it
// names none) and checks its fields. It returns a nil type for a
// department without types, and EINVALID saying what to fix: an unknown
// type, a field the type does not have, a missing required field.
func (d *Directory) filingType(dep *Department, name string, given map[string]string) (*RequestType, []FieldValue, error) {
	if len(dep.Types) == 0 {
		if name != "" {
			return nil, nil, E(EINVALID, "reqtype.no_types", "Dept", Escape(dep.DisplayName), "Name", dep.Name)
		}
		if len(given) > 0 {
			return nil, nil, E(EINVALID, "reqtype.no_type_fields", "Dept", Escape(dep.DisplayName))
		}
		return nil, nil, nil
	}
	t := dep.DefaultType()
	if name != "" {
		if t = dep.Type(name); t == nil {
			return nil, nil, E(EINVALID, "reqtype.unknown_type", "Dept", Escape(dep.DisplayName), "Name", Escape(name), "Types", List{Sep: "reqtype.sep", Items: anys(dep.TypeNames())})
		}
	}
	values, problems := t.parseFields(d, given)
	if problems != nil {
		return nil, nil, fieldProblemError(dep, t, problems)
	}
	return t, values, nil
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// fieldProblemError says, for a slash command or the console, what is
// wrong with the fields of a filing of t: each problem in the type's
// order, how to give fields by typing, and that the form asks for them one
// by one; in the language of whoever reads it (ErrorText).
func fieldProblemError(dep *Department, t *RequestType, problems map[string]*Error) *Error {
	var lines, rest []any
	for _, f := range t.Fields {
		if e, ok := problems[f.Name]; ok {
			lines = append(lines, S("reqtype.problem", "Problem", e))
		}
	}
	var unknown []string
	for name := range problems {
		if t.Field(name) == nil {
			unknown = append(unknown, name)
		}
	}
	// In a fixed order: by the English message, as before.
	slices.SortFunc(unknown, func(a, b string) int { return strings.Compare(problems[a].Message, problems[b].Message) })
	for _, name := range unknown {
		rest = append(rest, S("reqtype.problem", "Problem", problems[name]))
	}
	lines = append(lines, rest...)
	example := fmt.Sprintf("/ask %s %s ", dep.Name, t.Name) //i18n:ok command syntax
	for _, f := range t.Fields {
		if f.Required {
			example += f.Example() + " "
		}
	}
	return E(EINVALID, "reqtype.problems", "Dept", Escape(dep.DisplayName), "Type", typeLabel(t),
		"Lines", List{Sep: "reqtype.lines_sep", Items: lines}, "Example", example)
}

// PrivateCardNote is what a private request's card says instead of its
// text.
func PrivateCardNote(dep *Department, id string) string { return PrivateCardNoteIn(nil, dep, id) }

// PrivateCardNoteIn is PrivateCardNote in p's language (nil: English).
func PrivateCardNoteIn(p *i18n.Printer, dep *Department, id string) string {
	return p.T("reqtype.private.card_note", "Dept", Escape(dep.DisplayName), "ID", id)
}
