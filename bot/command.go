package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/askdesk/askdesk/bot/i18n"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Reply is what the person who typed a command sees, and only they.
type Reply struct {
	Text    string
	Buttons []Button
	// Request is the request the command filed or showed, if any.
	Request *Request
	// Lang is the language the reply was written in ("zh-Hans"), so the
	// adapter says its own words (a button's confirmation, a menu's
	// placeholder) in it too; empty is the company's.
	Lang string
}

// Message is the reply as a message to its reader, with its language.
func (r Reply) Message() Message {
	return Message{Text: r.Text, Buttons: r.Buttons, Lang: r.Lang}
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
	// Args is what the command takes, as its grammar (aliasFits reads
	// it); help shows cmd.args.<name> from the catalogue.
	Args string
	run  func(d *Desk, ctx context.Context, user, args string) (Reply, error)
}

// commandTable is the /ask grammar; anything else is "/ask <dept> …". It is
// a function only because help refers back to it.
func commandTable() []command {
	return []command{
		{Name: "help", Aliases: []string{"帮助"}, run: (*Desk).help},
		{Name: "depts", Aliases: []string{"部门"}, run: (*Desk).depts},
		{Name: "list", Aliases: []string{"我的"}, run: (*Desk).list},
		{Name: "queue", Aliases: []string{"队列"}, Args: "[dept]", run: (*Desk).queue},
		{Name: "status", Aliases: []string{"状态"}, Args: "<id>", run: (*Desk).status},
		{Name: "search", Aliases: []string{"搜索"}, Args: "<words>", run: (*Desk).search},
		{Name: "cancel", Aliases: []string{"撤回", "取消"}, Args: "<id>", run: (*Desk).cancel},
		{Name: "standards", Aliases: []string{"服务标准", "标准"}, Args: "<dept>", run: (*Desk).standards},
		{Name: "manage", Aliases: []string{"管理"}, Args: "<dept>", run: (*Desk).manage},
		{Name: "away", Aliases: []string{"外出"}, Args: "[until]", run: (*Desk).away},
		{Name: "back", Aliases: []string{"回来"}, run: (*Desk).back},
		{Name: "map", Aliases: []string{"关系图"}, run: (*Desk).relmap},
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
		return Reply{}, Errorf(EINTERNAL, "the map is not wired into this desk") //i18n:ok internal: logged, the reader sees err.internal
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
	reply, err := Reply{}, CheckUserIn(d.ChannelPrinter(nil), user)
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
		p := d.Printer(user, nil)
		return Reply{Text: ErrorText(p, err), Lang: p.Lang()}
	}
	return reply
}

// stripCommandName drops a leading "/ask" (any case), as typed in the
// console, typed full-width too (／ask, as a Chinese keyboard gives it).
func stripCommandName(s string) string {
	head := s
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		head = s[:i]
	}
	if len(head) >= 4 && len(head) <= 4*utf8.UTFMax && strings.ToLower(width.Fold.String(head)) == "/ask" {
		return strings.TrimSpace(s[len(head):])
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
func (d *Desk) splitDepartment(p *i18n.Printer, text string) (*Department, string, error) {
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
	dep, err := dir.DepartmentIn(p, first)
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
// A command of no arguments fits nothing after it (help: a command word,
// "/ask 帮助 我的"); one of a request ID, an ID or something shaped like
// one; one of a department, a department or a word meant for one
// (argNamesDept); away, a date. A command that takes an argument fits
// nothing after it too, and answers with its usage ("/ask 状态": which
// request?), as its English name does.
func (d *Desk) aliasFits(c command, args string) bool {
	first, after := cutWord(args)
	switch {
	case c.Args == "":
		return args == "" || c.Name == "help" && isCommandWord(first)
	case strings.HasPrefix(c.Args, "<id>"):
		_, err := NormalizeID(first)
		return err == nil || args == "" || idShaped(first)
	case strings.HasPrefix(c.Args, "<dept>"):
		return args == "" || d.Dir().Lookup(first) != nil || d.argNamesDept(first, after)
	case strings.HasPrefix(c.Args, "[dept]"):
		return args == "" || d.Dir().Lookup(args) != nil || d.argNamesDept(first, after)
	case c.Name == "away":
		// 到 takes a day only: "/ask 外出 到上海出差…" is a request.
		if rest, ok := cutUntil(args); ok {
			first = rest
		}
		r, _ := utf8.DecodeRuneInString(first)
		return args == "" || strings.EqualFold(first, "until") || '0' <= r && r <= '9' || awayArgShaped(first)
	}
	return true
}

// ParseFiling splits "[!urgent|!low] text" after the department word. The
// priority flag may come first or last, typed half- or full-width
// (！紧急), in English or Chinese (priorityWords). The text is returned as
// typed.
func ParseFiling(rest string) (Priority, string, error) { return ParseFilingIn(nil, rest) }

// ParseFilingIn is ParseFiling with its errors in the reader's language
// (p nil: English).
func ParseFilingIn(pr *i18n.Printer, rest string) (Priority, string, error) {
	fields := strings.Fields(rest)
	var p Priority
	badFlag := func(tok string) error {
		return Errorf(EINVALID, "%s", pr.T("cmd.filed.bad_priority", "Flag", fmt.Sprintf("%q", tok)))
	}
	if len(fields) > 0 {
		if got, glued, ok, bad := priorityFlag(fields[0], true); bad {
			return "", "", badFlag(fields[0])
		} else if ok {
			// The text glued to the flag ("！紧急需要预算"), then the rest
			// as typed, new lines and all.
			p, rest = got, strings.TrimSpace(glued+strings.TrimPrefix(strings.TrimSpace(rest), fields[0]))
		} else if got, _, ok, _ := priorityFlag(fields[len(fields)-1], false); ok {
			p, rest = got, strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), fields[len(fields)-1]))
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
	pr := d.filingPrinter(user, nil)
	dep, rest, err := d.splitDepartment(pr, line)
	if ErrorCode(err) == ENOTFOUND {
		// No department named: a misspelt one gets "did you mean", free
		// text is routed (routing.go), and so is text after a department
		// that does not exist, saying so ("市场部 帮忙做个海报"); such a
		// department alone is just that.
		if first, after := cutWord(line); !d.Dir().IsMisspeltDepartment(first) && !isMisspeltHan(d.Dir(), first) {
			switch {
			case !looksLikeDeptName(first):
				return d.Route(ctx, user, line)
			case after != "":
				return d.route(ctx, user, line, first)
			}
		}
	}
	if err != nil {
		return Reply{}, err
	}
	dept := dep.Name
	typ, rest := splitType(dep, rest)
	fields, rest := ExtractFields(dep, typ, rest)
	pr = d.filingPrinter(user, dep)
	p, text, err := ParseFilingIn(pr, rest)
	if err != nil {
		return Reply{}, err
	}
	if err := CheckText(text); err != nil {
		return Reply{}, Errorf(EINVALID, "%s", pr.T("cmd.filed.usage", "Error", ErrorText(pr, err), "Dept", dept, "Type", typeUsage(dep)))
	}
	f := Filing{Requester: user, Dept: dept, Priority: p, Text: text, Source: "slash", Fields: fields}
	if typ != nil {
		f.Type = typ.Name
	}
	r, err := d.File(ctx, f)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: d.FiledTextIn(pr, r, user), Request: r, Lang: pr.Lang(),
		Buttons: []Button{{Label: pr.T("cmd.filed.cancel_button"), Action: ActCancel, RequestID: r.ID}}}, nil
}

// FiledText is the acknowledgement a requester sees: the ID, where it went
// and the deadlines in their own time zone.
func (d *Desk) FiledText(r *Request, user string) string {
	return d.FiledTextIn(d.filingPrinter(user, d.Dir().StandardOf(r)), r, user)
}

// filingPrinter is the filing path's printer: CachedPrinter, so a person
// whose chat locale is known reads in it, and one seen for the first time
// costs no users.info call
// (TestSlackLifecycleAtMostSixCallsForSomeoneSeenBefore).
func (d *Desk) filingPrinter(user string, dep *Department) *i18n.Printer {
	return d.CachedPrinter(user, dep)
}

// FiledTextIn is FiledText for a reader of p (nil: English).
func (d *Desk) FiledTextIn(p *i18n.Printer, r *Request, user string) string {
	dep := d.Dir().StandardOf(r)
	now := r.CreatedAt
	loc := d.Location(user, dep)
	// The clocks say their own names, which ClockLineIn words.
	fc, rc := r.Clocks(dep)
	first, res := fc.Status(dep.Calendar, now), rc.Status(dep.Calendar, now)
	kind := ""
	if t := d.Dir().TypeDisplay(r); t != "" {
		kind = p.T("cmd.filed.kind", "Type", Escape(t))
	}
	seen := p.T("cmd.filed.seen", "Dept", Escape(dep.DisplayName), "Channel", ChannelRef(dep.Channel))
	if r.Private {
		seen = p.T("cmd.filed.private", "Dept", Escape(dep.DisplayName))
	}
	return p.T("cmd.filed.text", "ID", r.ID, "Dept", Escape(dep.DisplayName), "Kind", kind,
		"Priority", PriorityWord(p, r.Priority), "Title", Escape(r.Title),
		"First", capitalize(ClockLineIn(p, fc.Name, first, now, loc)),
		"Resolution", capitalize(ClockLineIn(p, rc.Name, res, now, loc)),
		"Seen", seen)
}

// PriorityWord is a priority's name for a reader of p: "urgent", 紧急.
func PriorityWord(p *i18n.Printer, pr Priority) string {
	if s, err := p.Text("cmd.priority." + string(pr)); err == nil {
		return s
	}
	return string(pr)
}

func (d *Desk) help(_ context.Context, user, _ string) (Reply, error) {
	p := d.Printer(user, nil)
	// A reader of Chinese sees each command by its Chinese word first
	// (the aliases are Chinese), and the departments by their names.
	zh := p.Tag() == i18n.ZhHans
	var b strings.Builder
	b.WriteString(p.T("cmd.help.title") + "\n")
	b.WriteString(p.T("cmd.help.file") + "\n")
	for _, c := range commandTable() {
		word := c.Name
		if zh && len(c.Aliases) > 0 {
			word = c.Aliases[0]
		}
		usage := "/ask " + word //i18n:ok command syntax
		if c.Args != "" {
			usage += " " + Escape(p.T("cmd.args."+c.Name))
		}
		summary := p.T("cmd.summary." + c.Name)
		if word != c.Name {
			b.WriteString(p.T("cmd.help.line_alias", "Usage", usage, "Name", "/ask "+c.Name, "Summary", summary) + "\n") //i18n:ok command syntax
		} else {
			b.WriteString(p.T("cmd.help.line", "Usage", usage, "Summary", summary) + "\n")
		}
	}
	names := d.Dir().Names()
	sep := ", "
	if zh {
		names, sep = d.Dir().DisplayNames(), "、"
	}
	b.WriteString(p.T("cmd.help.depts", "Names", strings.Join(names, sep)))
	return Reply{Text: b.String(), Lang: p.Lang()}, nil
}

func (d *Desk) depts(ctx context.Context, user, _ string) (Reply, error) {
	quality, err := d.qualityActuals(ctx)
	if err != nil {
		return Reply{}, err
	}
	pr := d.Printer(user, nil)
	var b strings.Builder
	b.WriteString(pr.T("cmd.depts.title") + "\n")
	b.WriteString(pr.T("cmd.depts.quality", "Rule", RightFirstTimeRuleIn(pr)) + "\n")
	for _, dep := range d.Dir().Departments {
		b.WriteString("\n" + pr.T("cmd.depts.head", "Dept", Escape(dep.DisplayName), "Name", dep.Name))
		if len(dep.Aliases) > 0 {
			b.WriteString(pr.T("cmd.depts.also", "Aliases", Escape(strings.Join(dep.Aliases, pr.T("fmt.list_sep")))))
		}
		b.WriteString(pr.T("cmd.depts.queue", "Channel", ChannelRef(dep.Channel)) + "\n")
		if dep.Description != "" {
			fmt.Fprintf(&b, "%s\n", Escape(dep.Description))
		}
		if line := teamLine(pr, dep); line != "" {
			b.WriteString(line + "\n")
		}
		b.WriteString(pr.T("cmd.depts.hours", "Hours", HoursSummaryIn(pr, dep.Calendar), "Zone", dep.Calendar.Location.String()) + "\n")
		for _, p := range Priorities {
			t := dep.Target(p)
			b.WriteString(pr.T("cmd.depts.target", "Priority", PriorityWord(pr, p),
				"First", TargetWordsIn(pr, t.FirstResponse, dep.Calendar), "Resolution", TargetWordsIn(pr, t.Resolution, dep.Calendar)) + "\n")
		}
		b.WriteString(qualityDeptLineIn(pr, dep, quality))
		b.WriteString(typesSummaryIn(pr, dep))
	}
	return Reply{Text: strings.TrimRight(b.String(), "\n"), Lang: pr.Lang()}, nil
}

func (d *Desk) list(ctx context.Context, user, _ string) (Reply, error) {
	const shown = 20
	rs, err := d.Store.Requests(ctx, Filter{Requester: user, Limit: shown + 1})
	if err != nil {
		return Reply{}, err
	}
	p := d.Printer(user, nil)
	if len(rs) == 0 {
		return Reply{Text: p.T("cmd.list.none"), Lang: p.Lang()}, nil
	}
	now := d.Now()
	lines := []string{p.T("cmd.list.title")}
	for i, r := range rs {
		if i == shown {
			lines = append(lines, p.T("cmd.list.more"))
			break
		}
		lines = append(lines, "• "+d.ListLine(r, user, now))
	}
	return Reply{Text: strings.Join(lines, "\n"), Lang: p.Lang()}, nil
}

func (d *Desk) queue(ctx context.Context, user, args string) (Reply, error) {
	p := d.Printer(user, nil)
	var dep *Department
	if args != "" {
		var err error
		if dep, err = d.Dir().DepartmentIn(p, args); err != nil {
			return Reply{}, err
		}
	} else if mine := d.Dir().StaffOf(user); len(mine) == 1 {
		dep = mine[0]
	} else if len(mine) > 1 {
		return Reply{}, Errorf(EINVALID, "%s", p.T("cmd.queue.several", "Dept", mine[0].Name))
	} else {
		return Reply{}, Errorf(EINVALID, "%s", p.T("cmd.queue.which"))
	}
	if !dep.IsStaff(user) && !d.Dir().IsAdmin(user) {
		return Reply{}, Errorf(EFORBIDDEN, "%s", p.T("cmd.queue.forbidden", "Dept", Escape(dep.DisplayName)))
	}
	const shown = 50
	rs, err := d.Store.Requests(ctx, Filter{Dept: dep.Name, ActiveOnly: true, Limit: shown + 1})
	if err != nil {
		return Reply{}, err
	}
	if len(rs) == 0 {
		return Reply{Text: p.T("cmd.queue.empty", "Dept", Escape(dep.DisplayName)), Lang: p.Lang()}, nil
	}
	now := d.Now()
	header := p.T("cmd.queue.title", "Dept", Escape(dep.DisplayName), "N", len(rs))
	if len(rs) > shown {
		header = p.T("cmd.queue.title_more", "Dept", Escape(dep.DisplayName), "N", shown)
		rs = rs[:shown]
	}
	lines := []string{header}
	for _, r := range rs {
		lines = append(lines, "• "+d.ListLine(r, user, now))
	}
	return Reply{Text: strings.Join(lines, "\n"), Lang: p.Lang()}, nil
}

func (d *Desk) status(ctx context.Context, user, args string) (Reply, error) {
	if args == "" {
		return Reply{}, Errorf(EINVALID, "%s", d.Printer(user, nil).T("cmd.status.which"))
	}
	r, evs, err := d.Get(ctx, user, args)
	if err != nil {
		return Reply{}, err
	}
	p := d.Printer(user, d.Dir().StandardOf(r))
	text := d.Explain(r, evs, user, d.Now())
	rated, err := d.ratingLine(ctx, p, user, r)
	if err != nil {
		return Reply{}, err
	}
	if rated != "" {
		text = strings.TrimRight(text, "\n") + "\n" + rated
	}
	return Reply{Text: text, Request: r, Lang: p.Lang()}, nil
}

func (d *Desk) cancel(ctx context.Context, user, args string) (Reply, error) {
	if args == "" {
		return Reply{}, Errorf(EINVALID, "%s", d.Printer(user, nil).T("cmd.cancel.which"))
	}
	id, reason, _ := strings.Cut(args, " ")
	r, err := d.Do(ctx, Act{Actor: user, Action: ActCancel, ID: id, Text: reason})
	if err != nil {
		return Reply{}, err
	}
	dep := d.Dir().StandardOf(r)
	p := d.Printer(user, dep)
	return Reply{Text: p.T("cmd.cancel.done", "ID", r.ID, "Dept", Escape(dep.DisplayName)), Request: r, Lang: p.Lang()}, nil
}

// capitalize upper-cases the first letter of s, where its script has
// cases ("first response…"); Chinese is left as it is.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
