package catalog

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
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

func formFields() []field {
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
	add := func(f bot.FormField, keys []string, get func(d *config.DepartmentConfig) string, set func(d *config.DepartmentConfig, s string) error) {
		fs = append(fs, field{FormField: f, keys: keys, get: get, set: set})
	}
	g, s := text(func(d *config.DepartmentConfig) *string { return &d.DisplayName })
	add(bot.FormField{Key: "display_name", Label: "Name shown", Optional: true}, []string{"display_name"}, g, s)
	g, s = text(func(d *config.DepartmentConfig) *string { return &d.Description })
	add(bot.FormField{Key: "description", Label: "What the department serves", Multiline: true, Optional: true}, []string{"description"}, g, s)
	g, s = text(func(d *config.DepartmentConfig) *string { return &d.Channel })
	add(bot.FormField{Key: "channel", Label: "Queue channel", Hint: "Where new requests are posted: #name or a channel ID (C0123ABCD)."}, []string{"channel"}, g, s)
	g, s = users(func(d *config.DepartmentConfig) *[]string { return &d.Leads })
	add(bot.FormField{Key: "leads", Label: "Leads", Users: true, Optional: true, Hint: "Told of breaches and bad ratings; may reassign and edit these standards."}, []string{"leads"}, g, s)
	g, s = users(func(d *config.DepartmentConfig) *[]string { return &d.Members })
	add(bot.FormField{Key: "members", Label: "Members", Users: true, Optional: true, Hint: "Work the queue."}, []string{"members"}, g, s)
	g, s = text(func(d *config.DepartmentConfig) *string { return &d.Usergroup })
	add(bot.FormField{Key: "usergroup", Label: "Slack user group", Optional: true, Hint: "Its members are members too, kept in step with Slack: its ID (S0123ABCD) or @handle."}, []string{"usergroup"}, g, s)
	g, s = text(func(d *config.DepartmentConfig) *string { return &d.Timezone })
	add(bot.FormField{Key: "timezone", Label: "Time zone", Hint: "An IANA name such as Europe/Paris: the hours and holidays are in it."}, []string{"timezone"}, g, s)
	add(bot.FormField{Key: "hours", Label: "Opening hours", Multiline: true,
		Hint: "One line per day: weekdays, mon … sun, then the hours, e.g. \"weekdays 09:00-12:30,13:30-17:30\" or \"sat closed\"."},
		[]string{"hours"}, getHours, setHours)
	add(bot.FormField{Key: "holidays", Label: "Holidays", Multiline: true, Optional: true,
		Hint: "One per line: the date, then its name, e.g. \"2026-12-25 Christmas Day\"."},
		[]string{"holidays"}, getHolidays, setHolidays)
	add(bot.FormField{Key: "workdays", Label: "Extra working days", Multiline: true, Optional: true,
		Hint: "Days normally closed but worked (make-up days), one per line: the date, its hours if not Monday's, then its name, e.g. \"2026-02-14 春节调休\" or \"2026-02-28 09:00-12:00 make-up day\"."},
		[]string{"workdays"}, getWorkdays, setWorkdays)
	add(bot.FormField{Key: "targets", Label: "Targets: first response / resolution", Multiline: true,
		Hint: "One line per priority, e.g. \"normal 4h / 3wd\": 4 business hours to the first response, 3 working days to resolution; \"urgent 30m / 24h calendar\" counts nights and weekends too. normal is required; urgent and low default to it."},
		[]string{"sla"}, getTargets, setTargets)
	add(bot.FormField{Key: "types", Label: "Request types (TOML)", Multiline: true, Optional: true,
		Hint: "The kinds of request you take, each a [[types]] table as in the config file: name, description, default, private, its own sla, and [[types.fields]]."},
		[]string{"types"}, getTypes, setTypes)
	g, s = text(func(d *config.DepartmentConfig) *string { return &d.RightFirstTime })
	add(bot.FormField{Key: "right_first_time", Label: "Quality target: right first time", Optional: true,
		Hint: "The share of resolved requests closed without a reopen and not rated 1 or 2, e.g. 90%. Empty: none."},
		[]string{"right_first_time"}, g, s)
	add(bot.FormField{Key: "satisfaction", Label: "Satisfaction target", Optional: true,
		Hint: "The average rating to reach, 1.0 to 5.0, e.g. 4.2. Empty: none."},
		[]string{"satisfaction"}, getSatisfaction, setSatisfaction)
	add(bot.FormField{Key: "settings", Label: "Other settings (TOML)", Multiline: true, Optional: true,
		Hint: "Everything else of the department as in the config file: aliases, intake channels, reminders, …"},
		nil, nil, nil)
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
			return fmt.Errorf("%q: start each line with weekdays, mon, tue, wed, thu, fri, sat or sun", line)
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
			return fmt.Errorf("%q: write a priority (urgent, normal, low), then first response / resolution, e.g. \"normal 4h / 3d\"", line)
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
		return fmt.Errorf("the request types are not TOML as in the config file: %v", err)
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
		return fmt.Errorf("%q is not a number: write the average rating to reach, such as 4.2", s)
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
		return fmt.Errorf("%s identifies the department and its requests (FIN-42) and cannot change", key)
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
	_, dc, _, err := c.editable(user, dept)
	if err != nil {
		return nil, err
	}
	fs := formFields()
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
		return nil, config.DepartmentConfig{}, 0, bot.Errorf(bot.EINVALID,
			"%s's service standards are kept in %s ([catalog] source = \"file\"), so they are changed there, not in Slack: ask whoever looks after askdesk to edit its [[department]] table and apply it (askdesk catalog apply).",
			bot.Escape(dep.DisplayName), c.o.File)
	}
	if !dep.IsLead(user) && !dir.IsAdmin(user) {
		return nil, config.DepartmentConfig{}, 0, bot.Errorf(bot.EFORBIDDEN, "Only %s's leads and askdesk's admins may change its service standards.", bot.Escape(dep.DisplayName))
	}
	cur, _, err := c.current()
	if err != nil {
		return nil, config.DepartmentConfig{}, 0, err
	}
	i := slices.IndexFunc(cur, func(d config.DepartmentConfig) bool { return d.Name == dep.Name })
	if i < 0 {
		return nil, config.DepartmentConfig{}, 0, bot.Errorf(bot.ENOTFOUND, "%s is not in the service catalogue.", dep.Name)
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
	problems := map[string]string{}
	reason = strings.Join(strings.Fields(bot.CleanText(reason)), " ")
	switch n := len([]rune(reason)); {
	case n == 0:
		problems["reason"] = "Say in a line why the standard changes; it is kept with the change and shown to the department."
	case n > maxReason:
		problems["reason"] = fmt.Sprintf("Keep the reason to one line (at most %d characters; this one has %d).", maxReason, n)
	}
	before := dc
	fs := formFields()
	// The settings first: the form's own fields then win over what it
	// holds of them.
	if s, ok := values["settings"]; ok {
		if err := setSettings(&dc, s, fs); err != nil {
			problems["settings"] = err.Error()
		}
	}
	for key, v := range values {
		if key == "settings" || key == "reason" {
			continue
		}
		j := slices.IndexFunc(fs, func(f field) bool { return f.Key == key })
		if j >= 0 {
			if err := fs[j].set(&dc, bot.CleanText(v)); err != nil {
				problems[key] = err.Error()
			}
			continue
		}
		if err := setKey(&dc, key, bot.CleanText(v)); err != nil {
			problems[fieldOf(fs, key)] = err.Error()
		}
	}
	if len(problems) > 0 {
		return bot.StandardRevision{}, nil, &bot.FormError{Dept: dep.Name, Fields: problems}
	}
	cur, latest, err := c.current()
	if err != nil {
		return bot.StandardRevision{}, nil, err
	}
	after := slices.Clone(cur)
	after[i] = dc
	for key, msg := range c.o.Config.CheckDepartment(cur, after, i) {
		f := fieldOf(fs, key)
		if f == "" {
			// The same clash reads once, seen from this department.
			msg, _, _ = strings.Cut(msg, "; ")
		}
		if key != "" && f == "settings" {
			msg = key + ": " + msg
		}
		if prev, ok := problems[f]; ok {
			msg = prev + "; " + msg
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
		return bot.StandardRevision{}, nil, bot.Errorf(bot.EINVALID, "Nothing changed: %s's standard is already so.", bot.Escape(dep.DisplayName))
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
	what := bot.SummarizeChanges(changes, 4)
	channel := fmt.Sprintf("*%s updated its service standards* (revision %d): %s. Why: “%s” (%s). Requests filed from now on run on these; those filed before keep theirs. `/ask standards %s history` shows every change.",
		bot.Escape(name), rev.Rev, what, bot.Escape(rev.Reason), bot.Mention(rev.Actor), dep.Name)
	dm := fmt.Sprintf("Saved revision %d of %s's service standards: %s. The queue channel has been told.", rev.Rev, bot.Escape(name), what)
	ch := dc.Channel
	if ch == "" {
		ch = dep.Channel
	}
	msgs := []bot.Message{{To: ch, Text: channel}}
	if rev.Source != "console" { // the console's reply says it already
		msgs = append(msgs, bot.Message{To: rev.Actor, DM: true, Text: dm})
	}
	return msgs
}
