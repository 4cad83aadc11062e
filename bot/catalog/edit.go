package catalog

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/i18n"
)

// The form a lead edits: one field per part of the standard, each with the
// department keys it owns, shown and read back as plain text. Anything the
// form has no field for is in "settings", as TOML.
type field struct {
	bot.FormField
	keys []string // the [[department]] keys this field owns
	get  func(d *config.DepartmentConfig) string
	set  func(d *config.DepartmentConfig, s string) error
}

var hourDays = []struct {
	name string
	get  func(h *config.HoursConfig) *string
}{
	{"weekdays", func(h *config.HoursConfig) *string { return &h.Weekdays }},
	{"mon", func(h *config.HoursConfig) *string { return &h.Mon }},
	{"tue", func(h *config.HoursConfig) *string { return &h.Tue }},
	{"wed", func(h *config.HoursConfig) *string { return &h.Wed }},
	{"thu", func(h *config.HoursConfig) *string { return &h.Thu }},
	{"fri", func(h *config.HoursConfig) *string { return &h.Fri }},
	{"sat", func(h *config.HoursConfig) *string { return &h.Sat }},
	{"sun", func(h *config.HoursConfig) *string { return &h.Sun }},
}

var priorities = []struct {
	name string
	get  func(s *config.SLAConfig) **config.TargetConfig
}{
	{"urgent", func(s *config.SLAConfig) **config.TargetConfig { return &s.Urgent }},
	{"normal", func(s *config.SLAConfig) **config.TargetConfig { return &s.Normal }},
	{"low", func(s *config.SLAConfig) **config.TargetConfig { return &s.Low }},
}

// formFields are the form's fields, labelled and explained for a reader
// of p (nil: English).
func formFields(p *i18n.Printer) []field {
	text := func(get func(d *config.DepartmentConfig) *string) (func(d *config.DepartmentConfig) string, func(d *config.DepartmentConfig, s string) error) {
		return func(d *config.DepartmentConfig) string { return *get(d) },
			func(d *config.DepartmentConfig, s string) error { *get(d) = strings.TrimSpace(s); return nil }
	}
	users := func(get func(d *config.DepartmentConfig) *[]string) (func(d *config.DepartmentConfig) string, func(d *config.DepartmentConfig, s string) error) {
		return func(d *config.DepartmentConfig) string { return strings.Join(*get(d), ", ") },
			func(d *config.DepartmentConfig, s string) error {
				*get(d) = strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
				return nil
			}
	}
	var fs []field
	// msg is the field's label (catalog.label.<msg>) and hint
	// (catalog.hint.<msg>, if hinted): its key, but "about" for the
	// description, a name the catalogue keeps for itself.
	add := func(f bot.FormField, msg string, hinted bool, keys []string, get func(d *config.DepartmentConfig) string, set func(d *config.DepartmentConfig, s string) error) {
		f.Label = p.T("catalog.label." + msg)
		if hinted {
			f.Hint = p.T("catalog.hint." + msg)
		}
		fs = append(fs, field{FormField: f, keys: keys, get: get, set: set})
	}
	g, s := text(func(d *config.DepartmentConfig) *string { return &d.DisplayName })
	add(bot.FormField{Key: "display_name", Optional: true}, "display_name", false, []string{"display_name"}, g, s)
	g, s = text(func(d *config.DepartmentConfig) *string { return &d.Description })
	add(bot.FormField{Key: "description", Multiline: true, Optional: true}, "about", false, []string{"description"}, g, s)
	g, s = text(func(d *config.DepartmentConfig) *string { return &d.Channel })
	add(bot.FormField{Key: "channel"}, "channel", true, []string{"channel"}, g, s)
	g, s = users(func(d *config.DepartmentConfig) *[]string { return &d.Leads })
	add(bot.FormField{Key: "leads", Users: true, Optional: true}, "leads", true, []string{"leads"}, g, s)
	g, s = users(func(d *config.DepartmentConfig) *[]string { return &d.Members })
	add(bot.FormField{Key: "members", Users: true, Optional: true}, "members", true, []string{"members"}, g, s)
	g, s = text(func(d *config.DepartmentConfig) *string { return &d.Usergroup })
	add(bot.FormField{Key: "usergroup", Optional: true}, "usergroup", true, []string{"usergroup"}, g, s)
	g, s = text(func(d *config.DepartmentConfig) *string { return &d.Timezone })
	add(bot.FormField{Key: "timezone"}, "timezone", true, []string{"timezone"}, g, s)
	add(bot.FormField{Key: "hours", Multiline: true}, "hours", true, []string{"hours"}, getHours, setHours)
	add(bot.FormField{Key: "holidays", Multiline: true, Optional: true}, "holidays", true, []string{"holidays"}, getHolidays, setHolidays)
	add(bot.FormField{Key: "workdays", Multiline: true, Optional: true}, "workdays", true, []string{"workdays"}, getWorkdays, setWorkdays)
	add(bot.FormField{Key: "targets", Multiline: true}, "targets", true, []string{"sla"}, getTargets, setTargets)
	add(bot.FormField{Key: "types", Multiline: true, Optional: true}, "types", true, []string{"types"}, getTypes, setTypes)
	g, s = text(func(d *config.DepartmentConfig) *string { return &d.RightFirstTime })
	add(bot.FormField{Key: "right_first_time", Optional: true}, "right_first_time", true, []string{"right_first_time"}, g, s)
	add(bot.FormField{Key: "satisfaction", Optional: true}, "satisfaction", true, []string{"satisfaction"}, getSatisfaction, setSatisfaction)
	add(bot.FormField{Key: "settings", Multiline: true, Optional: true}, "settings", true, nil, nil, nil)
	return fs
}

func getHours(d *config.DepartmentConfig) string {
	var lines []string
	for _, day := range hourDays {
		if v := *day.get(&d.Hours); v != "" {
			lines = append(lines, day.name+" "+v)
		}
	}
	return strings.Join(lines, "\n")
}

func setHours(d *config.DepartmentConfig, s string) error {
	d.Hours = config.HoursConfig{}
	for _, line := range nonEmptyLines(s) {
		name, spans, _ := strings.Cut(line, " ")
		i := slices.IndexFunc(hourDays, func(x struct {
			name string
			get  func(h *config.HoursConfig) *string
		}) bool {
			return x.name == strings.ToLower(name)
		})
		if i < 0 {
			return bot.E(bot.EINVALID, "catalog.err.hours_line", "Line", strconv.Quote(line))
		}
		*hourDays[i].get(&d.Hours) = strings.ReplaceAll(strings.TrimSpace(spans), " ", "")
	}
	return nil
}

func getHolidays(d *config.DepartmentConfig) string {
	lines := make([]string, len(d.Holidays))
	for i, h := range d.Holidays {
		lines[i] = strings.TrimSpace(h.Date + " " + h.Name)
	}
	return strings.Join(lines, "\n")
}

func setHolidays(d *config.DepartmentConfig, s string) error {
	d.Holidays = nil
	for _, line := range nonEmptyLines(s) {
		date, name, _ := strings.Cut(line, " ")
		d.Holidays = append(d.Holidays, config.Holiday{Date: date, Name: strings.TrimSpace(name)})
	}
	return nil
}

func getWorkdays(d *config.DepartmentConfig) string {
	lines := make([]string, len(d.Workdays))
	for i, w := range d.Workdays {
		lines[i] = strings.Join(strings.Fields(w.Date+" "+w.Hours+" "+w.Name), " ")
	}
	return strings.Join(lines, "\n")
}

// setWorkdays reads "date [hours] [name]" lines; hours are told from a name
// by starting with a digit and holding a colon ("09:00-12:00").
func setWorkdays(d *config.DepartmentConfig, s string) error {
	d.Workdays = nil
	for _, line := range nonEmptyLines(s) {
		date, rest, _ := strings.Cut(line, " ")
		w := config.Workday{Date: date}
		rest = strings.TrimSpace(rest)
		if first, after, _ := strings.Cut(rest, " "); first != "" && first[0] >= '0' && first[0] <= '9' && strings.Contains(first, ":") {
			w.Hours, rest = first, after
		}
		w.Name = strings.TrimSpace(rest)
		d.Workdays = append(d.Workdays, w)
	}
	return nil
}

func getTargets(d *config.DepartmentConfig) string {
	var lines []string
	for _, p := range priorities {
		if t := *p.get(&d.SLA); t != nil {
			lines = append(lines, fmt.Sprintf("%s %s / %s", p.name, t.FirstResponse, t.Resolution))
		}
	}
	return strings.Join(lines, "\n")
}

func setTargets(d *config.DepartmentConfig, s string) error {
	d.SLA = config.SLAConfig{}
	for _, line := range nonEmptyLines(s) {
		name, rest, _ := strings.Cut(line, " ")
		i := slices.IndexFunc(priorities, func(x struct {
			name string
			get  func(s *config.SLAConfig) **config.TargetConfig
		}) bool {
			return x.name == strings.ToLower(name)
		})
		first, res, ok := strings.Cut(rest, "/")
		if i < 0 || !ok {
			return bot.E(bot.EINVALID, "catalog.err.targets_line", "Line", strconv.Quote(line))
		}
		*priorities[i].get(&d.SLA) = &config.TargetConfig{FirstResponse: strings.TrimSpace(first), Resolution: strings.TrimSpace(res)}
	}
	return nil
}

// typesDoc is how the form writes a department's request types.
type typesDoc struct {
	Types []config.TypeConfig `toml:"types,omitempty"`
}

func getTypes(d *config.DepartmentConfig) string {
	if len(d.Types) == 0 {
		return ""
	}
	var b strings.Builder
	enc := toml.NewEncoder(&b)
	enc.SetIndentTables(true)
	if err := enc.Encode(typesDoc{d.Types}); err != nil {
		return ""
	}
	return strings.TrimSpace(b.String())
}

func setTypes(d *config.DepartmentConfig, s string) error {
	var doc typesDoc
	if err := toml.NewDecoder(strings.NewReader(s)).DisallowUnknownFields().Decode(&doc); err != nil {
		return bot.E(bot.EINVALID, "catalog.err.types_toml", "Error", err.Error())
	}
	d.Types = doc.Types
	return nil
}

func getSatisfaction(d *config.DepartmentConfig) string {
	if d.Satisfaction == 0 {
		return ""
	}
	return strconv.FormatFloat(d.Satisfaction, 'f', -1, 64)
}

func setSatisfaction(d *config.DepartmentConfig, s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		d.Satisfaction = 0
		return nil
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil {
		return bot.E(bot.EINVALID, "catalog.err.not_a_number", "Value", strconv.Quote(s))
	}
	d.Satisfaction = v
	return nil
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// settings is the department without what the form's other fields show,
// nor its name and prefix (which identify it and its requests), as TOML.
func settings(d config.DepartmentConfig, fs []field) (string, error) {
	rest := d
	for _, f := range fs {
		if f.set != nil {
			_ = f.set(&rest, "")
		}
	}
	rest.Name, rest.Prefix = "", ""
	body, err := config.MarshalDepartment(rest)
	return strings.TrimSpace(body), err
}

// setSettings replaces what "settings" holds with s, keeping the fields
// the form shows itself.
func setSettings(d *config.DepartmentConfig, s string, fs []field) error {
	parsed, err := config.ParseDepartment(s)
	if err != nil {
		return err
	}
	keep := *d
	*d = parsed
	for _, f := range fs {
		if f.set != nil {
			_ = f.set(d, f.get(&keep))
		}
	}
	d.Name, d.Prefix = keep.Name, keep.Prefix
	return nil
}

// setKey sets one config key ("sla.low.resolution", "aliases") to value,
// read as a TOML value when it is one ("[\"fin\"]", "true") and as text
// otherwise.
func setKey(d *config.DepartmentConfig, key, value string) error {
	if key == "name" || key == "prefix" {
		return bot.E(bot.EINVALID, "catalog.err.fixed_key", "Key", key)
	}
	body, err := config.MarshalDepartment(*d)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := toml.Unmarshal([]byte(body), &m); err != nil {
		return err
	}
	var v map[string]any
	if toml.Unmarshal([]byte("v = "+value), &v) != nil {
		v = map[string]any{"v": value}
	}
	parts := strings.Split(key, ".")
	t := m
	for _, p := range parts[:len(parts)-1] {
		next, ok := t[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			t[p] = next
		}
		t = next
	}
	t[parts[len(parts)-1]] = v["v"]
	b, err := toml.Marshal(m)
	if err != nil {
		return err
	}
	parsed, err := config.ParseDepartment(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// Form implements bot.Catalogue.
func (c *Catalog) Form(ctx context.Context, user, dept string) ([]bot.FormField, error) {
	dep, dc, _, err := c.editable(user, dept)
	if err != nil {
		return nil, err
	}
	fs := formFields(c.printer(user, dep))
	out := make([]bot.FormField, len(fs))
	for i, f := range fs {
		out[i] = f.FormField
		if f.get != nil {
			out[i].Value = f.get(&dc)
		} else if out[i].Value, err = settings(dc, fs); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// editable checks that user may edit dept's standard here and returns it.
func (c *Catalog) editable(user, dept string) (*bot.Department, config.DepartmentConfig, int, error) {
	dir := c.Directory()
	dep, err := dir.Department(dept)
	if err != nil {
		return nil, config.DepartmentConfig{}, 0, err
	}
	if c.o.Source == FromFile {
		return nil, config.DepartmentConfig{}, 0, bot.E(bot.EINVALID, "catalog.err.file_owned",
			"Dept", bot.Escape(dep.DisplayName), "File", c.fileSub())
	}
	if !dep.IsLead(user) && !dir.IsAdmin(user) {
		return nil, config.DepartmentConfig{}, 0, bot.E(bot.EFORBIDDEN, "catalog.err.not_lead", "Dept", bot.Escape(dep.DisplayName))
	}
	cur, _, err := c.current()
	if err != nil {
		return nil, config.DepartmentConfig{}, 0, err
	}
	i := slices.IndexFunc(cur, func(d config.DepartmentConfig) bool { return d.Name == dep.Name })
	if i < 0 {
		return nil, config.DepartmentConfig{}, 0, bot.E(bot.ENOTFOUND, "catalog.err.not_in_catalogue", "Dept", dep.Name)
	}
	return dep, cur[i], i, nil
}

// maxReason bounds the reason given for a change: one line.
const maxReason = 300

// Edit implements bot.Catalogue.
func (c *Catalog) Edit(ctx context.Context, user, dept string, values map[string]string, reason, source string) (bot.StandardRevision, []bot.StandardChange, error) {
	dep, dc, i, err := c.editable(user, dept)
	if err != nil {
		return bot.StandardRevision{}, nil, err
	}
	p := c.printer(user, dep)
	problems := map[string]string{}
	reason = strings.Join(strings.Fields(bot.CleanText(reason)), " ")
	switch n := len([]rune(reason)); {
	case n == 0:
		problems["reason"] = p.T("catalog.err.reason_missing")
	case n > maxReason:
		problems["reason"] = p.T("catalog.err.reason_long", "Max", maxReason, "N", n)
	}
	before := dc
	fs := formFields(p)
	// The settings first: the form's own fields then win over what it
	// holds of them.
	if s, ok := values["settings"]; ok {
		if err := setSettings(&dc, s, fs); err != nil {
			problems["settings"] = problem(p, err)
		}
	}
	opened := openDays(dc.Hours)
	for key, v := range values {
		if key == "settings" || key == "reason" {
			continue
		}
		if base, add, ok := listEdit(key); ok {
			j := slices.IndexFunc(fs, func(f field) bool { return f.Key == base })
			if j < 0 || !listFields[base] {
				problems[base] = p.T("standards.manage.not_a_list", "Key", base)
				continue
			}
			if err := editList(&dc, fs[j], bot.CleanText(v), add); err != nil {
				problems[base] = problem(p, err)
			}
			continue
		}
		j := slices.IndexFunc(fs, func(f field) bool { return f.Key == key })
		if j >= 0 {
			if err := fs[j].set(&dc, bot.CleanText(v)); err != nil {
				problems[key] = problem(p, err)
			}
			continue
		}
		if err := setKey(&dc, key, bot.CleanText(v)); err != nil {
			problems[fieldOf(fs, key)] = problem(p, err)
		}
	}
	if len(problems) > 0 {
		return bot.StandardRevision{}, nil, &bot.FormError{Dept: dep.Name, Fields: problems}
	}
	dropOpenedWorkdays(&dc, opened)
	cur, latest, err := c.current()
	if err != nil {
		return bot.StandardRevision{}, nil, err
	}
	after := slices.Clone(cur)
	after[i] = dc
	for key, msg := range c.o.Config.CheckDepartmentIn(p, cur, after, i) {
		f := fieldOf(fs, key)
		if f == "" {
			// The same clash reads once, seen from this department.
			msg, _, _ = strings.Cut(msg, p.T("config.problem_sep"))
		}
		if key != "" && f == "settings" {
			msg = key + ": " + msg
		}
		if prev, ok := problems[f]; ok {
			msg = prev + p.T("config.problem_sep") + msg
		}
		problems[f] = msg
	}
	if len(problems) > 0 {
		return bot.StandardRevision{}, nil, &bot.FormError{Dept: dep.Name, Fields: problems}
	}
	a, err := config.Flatten(before)
	if err != nil {
		return bot.StandardRevision{}, nil, err
	}
	b, err := config.Flatten(dc)
	if err != nil {
		return bot.StandardRevision{}, nil, err
	}
	changes := config.Diff(a, b)
	if len(changes) == 0 {
		return bot.StandardRevision{}, nil, bot.E(bot.EINVALID, "catalog.err.unchanged", "Dept", bot.Escape(dep.DisplayName))
	}
	body, err := config.MarshalDepartment(dc)
	if err != nil {
		return bot.StandardRevision{}, nil, err
	}
	rev := bot.StandardRevision{Dept: dep.Name, Rev: latest[dep.Name].Rev + 1, At: time.UnixMilli(c.o.Clock.Now().UnixMilli()).UTC(),
		Actor: user, Source: source, Reason: reason, Body: body}
	revs := []bot.StandardRevision{rev}
	if err := c.o.Store.PublishStandards(ctx, revs, c.announce(dep, dc, revs[0], changes)); err != nil {
		if bot.ErrorCode(err) == bot.ECONFLICT {
			// Another replica published first: load it, so the lead's
			// next look (and retry) starts from it.
			if _, rerr := c.Reload(ctx); rerr != nil {
				c.o.Log.WarnContext(ctx, "service catalogue: reload after a conflict failed", "err", rerr)
			}
		}
		return bot.StandardRevision{}, nil, err
	}
	c.o.Log.InfoContext(ctx, "service standard changed", "dept", dep.Name, "revision", rev.Rev, "user", user, "changed", len(changes))
	if err := c.load(ctx); err != nil {
		return revs[0], changes, err
	}
	return revs[0], changes, nil
}

// problem is err as the form shows it to a reader of p: a coded error in
// p's words, any other (a TOML or config parser's) as it is.
func problem(p *i18n.Printer, err error) string {
	var e *bot.Error
	if errors.As(err, &e) {
		return bot.ErrorText(p, err)
	}
	return err.Error()
}

// fieldOf is the form field that shows config key ("sla.normal.resolution"
// is in "targets"); "settings" for keys the form has no field of its own for.
func fieldOf(fs []field, key string) string {
	top, _, _ := strings.Cut(key, ".")
	top, _, _ = strings.Cut(top, "[")
	if key == "" {
		return "" // another department's: a clash with it
	}
	for _, f := range fs {
		if slices.Contains(f.keys, top) {
			return f.Key
		}
	}
	return "settings"
}

// announce is the note to the department's queue channel after a change,
// and the confirmation to whoever made it.
func (c *Catalog) announce(dep *bot.Department, dc config.DepartmentConfig, rev bot.StandardRevision, changes []bot.StandardChange) []bot.Message {
	name := dep.DisplayName
	if dc.DisplayName != "" {
		name = dc.DisplayName
	}
	cp := c.channelPrinter(dep)
	channel := cp.T("catalog.announce", "Dept", bot.Escape(name), "Rev", rev.Rev, "What", changesIn(cp, changes),
		"Reason", bot.Escape(rev.Reason), "Who", bot.Mention(rev.Actor), "Name", dep.Name)
	p := c.printer(rev.Actor, dep)
	dm := p.T("catalog.saved_dm", "Rev", rev.Rev, "Dept", bot.Escape(name), "What", changesIn(p, changes))
	ch := dc.Channel
	if ch == "" {
		ch = dep.Channel
	}
	msgs := []bot.Message{{To: ch, Text: channel, Lang: cp.Lang()}}
	if rev.Source != "console" { // the console's reply says it already
		msgs = append(msgs, bot.Message{To: rev.Actor, DM: true, Text: dm, Lang: p.Lang()})
	}
	return msgs
}

// changesIn says what a change did, for a reader of p.
func changesIn(p *i18n.Printer, changes []bot.StandardChange) string {
	return bot.SummarizeChangesIn(p, changes, 4)
}

// listFields are the fields a lead may add to or remove from an item at a
// time (/ask manage <dept> add holidays 2027-01-01 New Year's Day), rather
// than set whole.
var listFields = map[string]bool{"holidays": true, "workdays": true, "leads": true, "members": true}

// listEdit reads a key of Edit's values that adds to a list ("holidays+")
// or removes from it ("holidays-").
func listEdit(key string) (base string, add, ok bool) {
	if b, found := strings.CutSuffix(key, "+"); found {
		return b, true, true
	}
	if b, found := strings.CutSuffix(key, "-"); found {
		return b, false, true
	}
	return key, false, false
}

// listItems splits a list field's text into its items: lines of holidays
// and workdays, user IDs of people.
func listItems(f field, s string) []string {
	if f.Users {
		return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
	}
	return nonEmptyLines(s)
}

// itemID is what names an item of a list: a day's date, a person's ID.
func itemID(item string) string {
	id, _, _ := strings.Cut(strings.TrimSpace(item), " ")
	return id
}

// editList adds the items of s to field f's list, or removes those whose
// date (or ID) s names. Removing one the list does not hold is EINVALID.
func editList(d *config.DepartmentConfig, f field, s string, add bool) error {
	items, given := listItems(f, f.get(d)), listItems(f, s)
	if len(given) == 0 {
		return bot.E(bot.EINVALID, "standards.manage.list_empty")
	}
	if add {
		items = append(items, given...)
	} else {
		for _, g := range given {
			id := itemID(g)
			i := slices.IndexFunc(items, func(it string) bool { return itemID(it) == id })
			if i < 0 {
				return bot.E(bot.EINVALID, "standards.manage.not_listed", "Item", id)
			}
			items = slices.Delete(items, i, i+1)
		}
	}
	return f.set(d, strings.Join(items, "\n"))
}

// openDays says which weekdays hours open on.
func openDays(h config.HoursConfig) [7]bool {
	var open [7]bool
	for _, day := range hourDays[1:] {
		v := *day.get(&h)
		wd := weekdayOf[day.name]
		if v == "" && wd >= time.Monday && wd <= time.Friday {
			v = h.Weekdays
		}
		open[wd] = v != "" && !strings.EqualFold(strings.TrimSpace(v), "closed")
	}
	return open
}

var weekdayOf = map[string]time.Weekday{"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday}

// dropOpenedWorkdays removes the make-up working days that fall on a
// weekday the change opened (closed before it, open after): the department
// works those days now anyway, so "set hours sat 10:00-12:00" in a
// company with Saturday make-up days is not refused for them.
func dropOpenedWorkdays(d *config.DepartmentConfig, before [7]bool) {
	after := openDays(d.Hours)
	d.Workdays = slices.DeleteFunc(d.Workdays, func(w config.Workday) bool {
		t, err := time.Parse(time.DateOnly, strings.TrimSpace(w.Date))
		return err == nil && after[t.Weekday()] && !before[t.Weekday()]
	})
}
