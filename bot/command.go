package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Reply is what the person who typed a command sees, and only they.
type Reply struct {
	Text    string
	Buttons []Button
	// Request is the request the command filed or showed, if any.
	Request *Request
}

// command is one /ask subcommand. Help is generated from the table, so it
// cannot drift from what the parser accepts.
type command struct {
	Name string
	// Aliases are other words typed for the command, in Chinese: input
	// words, not wording, so they live here and not in a catalogue, and
	// every alias works whatever the reader's language. A natural word
	// may also start a request ("/ask 我的 电脑坏了"), so an alias counts
	// only when what follows fits the command (aliasFits); the Name
	// always counts.
	Aliases []string
	Args    string
	Summary string
	run     func(d *Desk, ctx context.Context, user, args string) (Reply, error)
}

// commandTable is the /ask grammar; anything else is "/ask <dept> …". It is
// a function only because help refers back to it.
func commandTable() []command {
	return []command{
		{Name: "help", Aliases: []string{"帮助"}, Summary: "show this help", run: (*Desk).help},
		{Name: "depts", Aliases: []string{"部门"}, Summary: "the departments, what each serves, their hours and targets", run: (*Desk).depts},
		{Name: "list", Aliases: []string{"我的"}, Summary: "your requests, newest first", run: (*Desk).list},
		{Name: "queue", Aliases: []string{"队列"}, Args: "[dept]", Summary: "a department's open requests, most urgent first (for its members)", run: (*Desk).queue},
		{Name: "status", Aliases: []string{"状态"}, Args: "<id>", Summary: "where a request is, with its SLA clocks explained", run: (*Desk).status},
		{Name: "search", Aliases: []string{"搜索"}, Args: "<words> [dept:<dept>] [status:<state>] [from:@person] [after:YYYY-MM-DD] [before:YYYY-MM-DD] [page:N]", Summary: "find requests you can see by the words in their title, text, fields, replies or resolution note, best match first", run: (*Desk).search},
		{Name: "cancel", Aliases: []string{"撤回", "取消"}, Args: "<id>", Summary: "withdraw a request you filed", run: (*Desk).cancel},
		{Name: "standards", Aliases: []string{"服务标准", "标准"}, Args: "<dept> [history | <revision>]", Summary: "a department's published service standard, its history of changes, or what one change was", run: (*Desk).standards},
		{Name: "manage", Aliases: []string{"管理"}, Args: "<dept>", Summary: "change a department's service standard (its leads and admins)", run: (*Desk).manage},
		{Name: "away", Aliases: []string{"外出"}, Args: "[until YYYY-MM-DD]", Summary: "you are out of office (until the day you are back, or until `/ask back`): reminders skip you and your leads see your claimed requests", run: (*Desk).away},
		{Name: "back", Aliases: []string{"回来"}, Summary: "you are back: reminders reach you again", run: (*Desk).back},
		{Name: "map", Aliases: []string{"关系图"}, Summary: "who serves whom, the last 30 days: the busiest pairs of departments and each one's busiest internal customer", run: (*Desk).relmap},
	}
}

// commands is the command table built once, for parsing every /ask line
// without building it again; help builds its own (commandTable), which
// keeps the two from referring to each other at initialisation.
var commands = sync.OnceValue(commandTable)

// relmap is /ask map. The map is analytics (bot/report), which the desk
// does not import; cmd wires it in through Desk.Map.
func (d *Desk) relmap(ctx context.Context, user, args string) (Reply, error) {
	if d.Map == nil {
		return Reply{}, Errorf(EINTERNAL, "the map is not wired into this desk")
	}
	return d.Map(ctx, user, args)
}

// CommandWords are the subcommand names and their aliases; no department
// may be called so.
func CommandWords() []string {
	var out []string
	for _, c := range commands() {
		out = append(out, c.Name)
		out = append(out, c.Aliases...)
	}
	return out
}

// Command runs one /ask command line for user and returns the reply to show
// them. Errors become replies too: a coded error's message, or an apology.
func (d *Desk) Command(ctx context.Context, user, text string) Reply {
	// A form-encoded slash command can carry bytes that are not UTF-8
	// (%FF) or control characters (%00); stored raw, the request's text
	// would differ from its history, which is JSON, and PostgreSQL would
	// refuse a NUL.
	text = CleanText(text)
	text = stripCommandName(strings.TrimSpace(text))
	word, rest := cutWord(text)
	reply, err := Reply{}, CheckUser(user)
	if err == nil {
		switch c := d.findCommand(word, rest); {
		case word == "":
			reply, err = d.help(ctx, user, "")
		case c != nil:
			reply, err = c.run(d, ctx, user, rest)
		default:
			reply, err = d.fileCommand(ctx, user, text)
		}
	}
	if err != nil {
		if ErrorCode(err) == EINTERNAL {
			d.Log.ErrorContext(ctx, "command failed", "user", user, "err", err)
		}
		return Reply{Text: ErrorText(d.Printer(user, nil), err)}
	}
	return reply
}

// stripCommandName drops a leading "/ask" (any case), as typed in the console.
func stripCommandName(s string) string {
	if len(s) >= 4 && strings.EqualFold(s[:4], "/ask") {
		if rest := s[4:]; rest == "" || unicode.IsSpace([]rune(rest)[0]) {
			return strings.TrimSpace(rest)
		}
	}
	return s
}

// cutWord splits off the first word at any Unicode space (a tab, a
// no-break space, a newline typed after the department).
func cutWord(s string) (word, rest string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// maxDeptWords is the most words a department name or alias may take up at
// the start of a filing ("human resources").
const maxDeptWords = 4

// splitDepartment finds the department at the start of text, trying the
// longest run of words first so multi-word aliases match.
func (d *Desk) splitDepartment(text string) (*Department, string, error) {
	words := strings.FieldsFunc(text, unicode.IsSpace)
	for n := min(maxDeptWords, len(words)); n > 1; n-- {
		// Lookup, not Department: a miss here is normal (most filings name
		// a one-word department) and must not cost a "did you mean".
		if dep := d.Dir().Lookup(strings.Join(words[:n], " ")); dep != nil {
			rest := text
			for i := 0; i < n; i++ {
				_, rest = cutWord(rest)
			}
			return dep, rest, nil
		}
	}
	first, rest := cutWord(text)
	dir := d.Dir()
	if dep := dir.Lookup(first); dep != nil {
		return dep, rest, nil
	}
	// Chinese puts no space after the department: "财务需要第三季度预算".
	if dep, after := dir.LookupPrefix(first); dep != nil {
		// The rest of the line as typed, new lines and all.
		t := strings.TrimSpace(text)
		return dep, strings.TrimSpace(t[len(first)-len(after):]), nil
	}
	dep, err := dir.Department(first)
	return dep, rest, err
}

// findCommand returns the command word names, or nil. A name always
// counts; an alias only when args fit the command (aliasFits).
func (d *Desk) findCommand(word, args string) *command {
	w := NormalizeName(word)
	for _, c := range commands() {
		if c.Name == w {
			return &c
		}
		for _, a := range c.Aliases { // written folded (TestCommandAliasesAreFolded)
			if a == w && d.aliasFits(c, args) {
				return &c
			}
		}
	}
	return nil
}

// aliasFits reports whether args are what c takes, so that a line starting
// with a word that is also a command alias is only taken for the command
// when it reads as one: "/ask 我的" lists, "/ask 我的 电脑坏了" is a request.
// A command of no arguments fits nothing after it; one of a request ID, an
// ID; one of a department, a department; away, a date.
func (d *Desk) aliasFits(c command, args string) bool {
	first, _ := cutWord(args)
	switch {
	case c.Args == "":
		return args == ""
	case strings.HasPrefix(c.Args, "<id>"):
		_, err := NormalizeID(first)
		return err == nil
	case strings.HasPrefix(c.Args, "<dept>"):
		return d.Dir().Lookup(first) != nil
	case strings.HasPrefix(c.Args, "[dept]"):
		return args == "" || d.Dir().Lookup(args) != nil
	case c.Name == "away":
		r, _ := utf8.DecodeRuneInString(first)
		return args == "" || strings.EqualFold(first, "until") || '0' <= r && r <= '9'
	}
	return true
}

// ParseFiling splits "[!urgent|!low] text" after the department word. The
// priority flag may come first or last, typed half- or full-width
// (！紧急), in English or Chinese (priorityWords). The text is returned as
// typed.
func ParseFiling(rest string) (Priority, string, error) {
	fields := strings.Fields(rest)
	var p Priority
	flag := func(tok string) (bool, error) {
		word, ok := strings.CutPrefix(foldSyntax(tok), "!")
		if !ok || word == "" || !isFlagWord(word) {
			return false, nil
		}
		pr, err := parsePriorityWord(word)
		if err != nil {
			return false, Errorf(EINVALID, "Unknown priority %q: use !urgent or !low (normal is the default).", tok)
		}
		p = pr
		return true, nil
	}
	if len(fields) > 0 {
		if ok, err := flag(fields[0]); err != nil {
			return "", "", err
		} else if ok {
			rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), fields[0]))
		} else if ok, err := flag(fields[len(fields)-1]); err == nil && ok {
			rest = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), fields[len(fields)-1]))
		}
	}
	return p, rest, nil
}

// priorityWords are the Chinese words for the priorities, as typed after
// "!" (NormalizeName folds traditional 緊急 to 紧急).
var priorityWords = map[string]Priority{
	"紧急": Urgent, "加急": Urgent, "急": Urgent,
	"普通": Normal, "一般": Normal,
	"低": Low, "不急": Low,
}

// parsePriorityWord returns the priority a flag's word names, English
// (ParsePriority) or Chinese (priorityWords).
func parsePriorityWord(w string) (Priority, error) {
	if isLetters(w) {
		return ParsePriority(w)
	}
	if p, ok := priorityWords[NormalizeName(w)]; ok {
		return p, nil
	}
	return ParsePriority(w)
}

// isFlagWord reports whether s could be a priority after "!": ASCII
// letters, as ever, or Han characters; "!!!" and "!42" are text.
func isFlagWord(s string) bool {
	return isLetters(s) || isHanWord(s)
}

// isHanWord reports whether s is one or more Han characters and nothing
// else.
func isHanWord(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

// foldSyntax folds the width of a syntax token (！ is !, ＝ is =) and
// nothing else: it is applied to the flag and field tokens, never to the
// text a person wrote.
func foldSyntax(tok string) string {
	for i := 0; i < len(tok); i++ {
		if tok[i] >= utf8.RuneSelf {
			return norm.NFKC.String(width.Fold.String(tok))
		}
	}
	return tok // ASCII folds to itself
}

func isLetters(s string) bool {
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// isMisspeltHan reports whether first, the first word of a filing that
// names no department, is a Han word taken for a misspelt department
// ("财物" for 财务). Two characters are enough: IsMisspeltDepartment wants
// three letters, as English words are longer, and most Chinese names are
// two to four characters.
func isMisspeltHan(dir *Directory, first string) bool {
	return isHanWord(first) && utf8.RuneCountInString(first) >= 2 && len(dir.Suggest(first)) > 0
}

func (d *Desk) fileCommand(ctx context.Context, user, line string) (Reply, error) {
	dep, rest, err := d.splitDepartment(line)
	if ErrorCode(err) == ENOTFOUND {
		// No department named: a misspelt one gets "did you mean", free
		// text is routed (routing.go).
		if first, _ := cutWord(line); !d.Dir().IsMisspeltDepartment(first) && !isMisspeltHan(d.Dir(), first) {
			return d.Route(ctx, user, line)
		}
	}
	if err != nil {
		return Reply{}, err
	}
	dept := dep.Name
	typ, rest := splitType(dep, rest)
	fields, rest := ExtractFields(dep, typ, rest)
	p, text, err := ParseFiling(rest)
	if err != nil {
		return Reply{}, err
	}
	if err := CheckText(text); err != nil {
		return Reply{}, Errorf(EINVALID, "%s\nUsage: `/ask %s %s[!urgent|!low] <what you need>`", ErrorMessage(err), dept, typeUsage(dep))
	}
	f := Filing{Requester: user, Dept: dept, Priority: p, Text: text, Source: "slash", Fields: fields}
	if typ != nil {
		f.Type = typ.Name
	}
	r, err := d.File(ctx, f)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: d.FiledText(r, user), Request: r,
		Buttons: []Button{{Label: "Cancel", Action: ActCancel, RequestID: r.ID}}}, nil
}

// FiledText is the acknowledgement a requester sees: the ID, where it went
// and the deadlines in their own time zone.
func (d *Desk) FiledText(r *Request, user string) string {
	dep := d.Dir().StandardOf(r)
	now := r.CreatedAt
	loc := d.Location(user, dep)
	first, res := r.Statuses(dep, now)
	kind := ""
	if t := d.Dir().TypeDisplay(r); t != "" {
		kind = Escape(t) + ", "
	}
	seen := fmt.Sprintf("%s will see it in %s.", Escape(dep.DisplayName), ChannelRef(dep.Channel))
	if r.Private {
		seen = fmt.Sprintf("It is private: %s's queue shows its type and ID but not what you wrote.", Escape(dep.DisplayName))
	}
	return fmt.Sprintf("Filed *%s* with %s (%s%s priority): %s\n• %s\n• %s\n%s `/ask status %s` shows where it stands.",
		r.ID, Escape(dep.DisplayName), kind, r.Priority, Escape(r.Title),
		capitalize(ClockLine("first response", first, now, loc)), capitalize(ClockLine("resolution", res, now, loc)),
		seen, r.ID)
}

func (d *Desk) help(_ context.Context, _, _ string) (Reply, error) {
	var b strings.Builder
	b.WriteString("*askdesk*: ask another department for something, and see it through.\n")
	b.WriteString("• `/ask <dept> [type] [!urgent|!low] <what you need> [field=value …]`: file a request, e.g. `/ask finance need the Q3 budget numbers`; `/ask depts` lists each department's request types and their fields\n")
	for _, c := range commandTable() {
		usage := "/ask " + c.Name
		if c.Args != "" {
			usage += " " + Escape(c.Args)
		}
		fmt.Fprintf(&b, "• `%s`: %s\n", usage, c.Summary)
	}
	b.WriteString("Departments: " + strings.Join(d.Dir().Names(), ", ") + ". Targets count business time in each department's hours unless they say calendar time.")
	return Reply{Text: b.String()}, nil
}

func (d *Desk) depts(ctx context.Context, _, _ string) (Reply, error) {
	quality, err := d.qualityActuals(ctx)
	if err != nil {
		return Reply{}, err
	}
	var b strings.Builder
	b.WriteString("*Departments and what they serve*\n")
	b.WriteString("_Quality: " + RightFirstTimeRule + "; satisfaction is the average rating requesters gave, 1 to 5._\n")
	for _, dep := range d.Dir().Departments {
		fmt.Fprintf(&b, "\n*%s* (`%s`", Escape(dep.DisplayName), dep.Name)
		if len(dep.Aliases) > 0 {
			fmt.Fprintf(&b, ", also %s", Escape(strings.Join(dep.Aliases, ", ")))
		}
		fmt.Fprintf(&b, ") · queue %s\n", ChannelRef(dep.Channel))
		if dep.Description != "" {
			fmt.Fprintf(&b, "%s\n", Escape(dep.Description))
		}
		if line := teamLine(dep); line != "" {
			b.WriteString(line + "\n")
		}
		fmt.Fprintf(&b, "Hours: %s (%s)\nTargets:\n", HoursSummary(dep.Calendar), dep.Calendar.Location)
		for _, p := range Priorities {
			t := dep.Target(p)
			fmt.Fprintf(&b, "• %s: first response within %s; resolution within %s\n", p,
				TargetWords(t.FirstResponse, dep.Calendar), TargetWords(t.Resolution, dep.Calendar))
		}
		b.WriteString(qualityDeptLine(dep, quality))
		b.WriteString(typesSummary(dep))
	}
	return Reply{Text: strings.TrimRight(b.String(), "\n")}, nil
}

func (d *Desk) list(ctx context.Context, user, _ string) (Reply, error) {
	const shown = 20
	rs, err := d.Store.Requests(ctx, Filter{Requester: user, Limit: shown + 1})
	if err != nil {
		return Reply{}, err
	}
	if len(rs) == 0 {
		return Reply{Text: "You have no requests yet. File one with `/ask <dept> <what you need>`; `/ask depts` lists the departments."}, nil
	}
	now := d.Now()
	lines := []string{"*Your requests* (newest first)"}
	for i, r := range rs {
		if i == shown {
			lines = append(lines, fmt.Sprintf("… and older ones; `/ask status <id>` shows any of them."))
			break
		}
		lines = append(lines, "• "+d.ListLine(r, user, now))
	}
	return Reply{Text: strings.Join(lines, "\n")}, nil
}

func (d *Desk) queue(ctx context.Context, user, args string) (Reply, error) {
	var dep *Department
	if args != "" {
		var err error
		if dep, err = d.Dir().Department(args); err != nil {
			return Reply{}, err
		}
	} else if mine := d.Dir().StaffOf(user); len(mine) == 1 {
		dep = mine[0]
	} else if len(mine) > 1 {
		return Reply{}, Errorf(EINVALID, "You work in several departments; say which: `/ask queue %s`.", mine[0].Name)
	} else {
		return Reply{}, Errorf(EINVALID, "Say which department's queue: `/ask queue <dept>`.")
	}
	if !dep.IsStaff(user) && !d.Dir().IsAdmin(user) {
		return Reply{}, Errorf(EFORBIDDEN, "Only %s's members and leads can see its queue. `/ask list` shows your own requests.", Escape(dep.DisplayName))
	}
	const shown = 50
	rs, err := d.Store.Requests(ctx, Filter{Dept: dep.Name, ActiveOnly: true, Limit: shown + 1})
	if err != nil {
		return Reply{}, err
	}
	if len(rs) == 0 {
		return Reply{Text: fmt.Sprintf("%s's queue is empty. Nicely done.", Escape(dep.DisplayName))}, nil
	}
	now := d.Now()
	header := fmt.Sprintf("*%s queue*: %d open, most urgent first", Escape(dep.DisplayName), len(rs))
	if len(rs) > shown {
		header = fmt.Sprintf("*%s queue*: the %d most urgent of more than %d open", Escape(dep.DisplayName), shown, shown)
		rs = rs[:shown]
	}
	lines := []string{header}
	for _, r := range rs {
		lines = append(lines, "• "+d.ListLine(r, user, now))
	}
	return Reply{Text: strings.Join(lines, "\n")}, nil
}

func (d *Desk) status(ctx context.Context, user, args string) (Reply, error) {
	if args == "" {
		return Reply{}, Errorf(EINVALID, "Which request? `/ask status FIN-42`")
	}
	r, evs, err := d.Get(ctx, user, args)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: d.Explain(r, evs, user, d.Now()), Request: r}, nil
}

func (d *Desk) cancel(ctx context.Context, user, args string) (Reply, error) {
	if args == "" {
		return Reply{}, Errorf(EINVALID, "Which request? `/ask cancel FIN-42`")
	}
	id, reason, _ := strings.Cut(args, " ")
	r, err := d.Do(ctx, Act{Actor: user, Action: ActCancel, ID: id, Text: reason})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: fmt.Sprintf("Cancelled *%s*. %s has been told.", r.ID, Escape(d.Dir().StandardOf(r).DisplayName)), Request: r}, nil
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
