package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/askdesk/askdesk/bot/i18n"
)

// standards is /ask standards <dept> [history | <revision>]: a
// department's published standard, its history of changes, or what one
// revision changed.
func (d *Desk) standards(ctx context.Context, user, args string) (Reply, error) {
	dept, rest := cutWord(args)
	if dept == "" {
		return d.depts(ctx, user, "")
	}
	dep, err := d.Dir().DepartmentIn(d.Printer(user, nil), dept)
	if err != nil {
		return Reply{}, err
	}
	p := d.Printer(user, dep)
	if d.Catalogue == nil {
		return d.deptStandard(p, dep, nil), nil
	}
	revs, err := d.Catalogue.History(ctx, dep.Name)
	if err != nil {
		return Reply{}, err
	}
	word := strings.ToLower(strings.TrimSpace(rest))
	switch {
	case word == "":
		var last *StandardRevision
		if n := len(revs); n > 0 {
			last = &revs[n-1]
		}
		return d.deptStandard(p, dep, last), nil
	case word == "history" || word == "log" || historyWords[word]:
		return Reply{Text: d.history(p, dep, revs), Lang: p.Lang()}, nil
	}
	word = strings.TrimSuffix(strings.TrimPrefix(word, "第"), "版") //i18n:ok typed: 第3版 is revision 3
	n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimPrefix(word, "revision"), "r"))
	if err != nil {
		return Reply{}, E(EINVALID, "standards.usage", "Name", dep.Name)
	}
	rev, changes, err := d.Catalogue.Compare(ctx, dep.Name, n)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: d.revisionText(p, dep, rev, changes), Lang: p.Lang()}, nil
}

// historyWords are the Chinese words for /ask standards <dept> history.
var historyWords = map[string]bool{"历史": true, "记录": true, "修改记录": true} //i18n:ok words people type, matched, never shown

// deptStandard shows one department's published standard.
func (d *Desk) deptStandard(p *i18n.Printer, dep *Department, last *StandardRevision) Reply {
	lines := []string{p.T("standards.title", "Dept", Escape(dep.DisplayName))}
	if last != nil {
		lines[0] += p.T("standards.revision_of", "Rev", last.Rev, "When", p.When(last.At, d.Now(), dep.Calendar.Location))
	}
	if dep.Description != "" {
		lines = append(lines, Escape(dep.Description))
	}
	lines = append(lines,
		p.T("standards.queue", "Channel", ChannelRef(dep.Channel)),
		p.T("standards.hours", "Hours", HoursSummaryIn(p, dep.Calendar), "Zone", dep.Calendar.Location.String()),
		p.T("standards.targets"))
	for _, pr := range Priorities {
		t := dep.Target(pr)
		lines = append(lines, p.T("standards.target", "Priority", PriorityWord(p, pr),
			"First", TargetWordsIn(p, t.FirstResponse, dep.Calendar), "Resolution", TargetWordsIn(p, t.Resolution, dep.Calendar)))
	}
	if len(dep.Leads) > 0 {
		lines = append(lines, p.T("standards.leads", "People", mentions(p, dep.Leads)))
	}
	if len(dep.Members) > 0 {
		lines = append(lines, p.T("standards.members", "People", mentions(p, dep.Members)))
	}
	if last != nil {
		lines = append(lines, p.T("standards.last_change", "Reason", Escape(reasonIn(p, last)), "Who", d.who(p, last), "Name", dep.Name))
	}
	return Reply{Text: strings.TrimRight(strings.ReplaceAll(strings.Join(lines, "\n"), " ·\n", "\n"), "\n"), Lang: p.Lang()}
}

func mentions(p *i18n.Printer, ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = Mention(id)
	}
	return strings.Join(out, p.T("standards.people_sep"))
}

// who says who made a revision.
// The reasons askdesk gives itself for a revision published from the config
// file are stored in English, like every reason, and said again in the
// reader's language when shown.
const (
	firstPublishedPrefix = "first published from " //i18n:ok stored form of a revision's reason, said in the reader's language by reasonIn
	fileChangedSuffix    = " changed"              //i18n:ok stored form of a revision's reason, said in the reader's language by reasonIn
)

// FirstPublishedReason is the stored reason of a department's first
// revision, taken from file.
func FirstPublishedReason(file string) string { return firstPublishedPrefix + file }

// FileChangedReason is the stored reason of a revision applied from file
// when whoever applied it gave none.
func FileChangedReason(file string) string { return file + fileChangedSuffix }

// reasonIn is r's reason as its reader reads it: askdesk's own reasons for
// a revision from the config file in p's language, a person's as written.
func reasonIn(p *i18n.Printer, r *StandardRevision) string {
	if r.Actor == "" {
		if f, ok := strings.CutPrefix(r.Reason, firstPublishedPrefix); ok && f != "" {
			return p.T("standards.reason.first_published", "File", f)
		}
		if f, ok := strings.CutSuffix(r.Reason, fileChangedSuffix); ok && f != "" {
			return p.T("standards.reason.file_changed", "File", f)
		}
	}
	return r.Reason
}

func (d *Desk) who(p *i18n.Printer, r *StandardRevision) string {
	if r.Actor == "" {
		return p.T("standards.who_file")
	}
	return p.T("standards.who_by", "Who", Mention(r.Actor))
}

// historyShown bounds the revisions /ask standards … history lists.
const historyShown = 15

func (d *Desk) history(p *i18n.Printer, dep *Department, revs []StandardRevision) string {
	if len(revs) == 0 {
		return p.T("standards.history.none", "Dept", Escape(dep.DisplayName))
	}
	now := d.Now()
	lines := []string{p.T("standards.history.title", "Dept", Escape(dep.DisplayName))}
	for i := len(revs) - 1; i >= 0 && len(lines) <= historyShown; i-- {
		r := revs[i]
		lines = append(lines, p.T("standards.history.line", "Rev", r.Rev, "When", p.When(r.At, now, dep.Calendar.Location),
			"Who", d.who(p, &r), "Reason", Escape(reasonIn(p, &r))))
	}
	if len(revs) > historyShown {
		lines = append(lines, p.T("standards.history.earlier", "N", len(revs)-historyShown))
	}
	lines = append(lines, p.T("standards.history.hint", "Name", dep.Name))
	return strings.Join(lines, "\n")
}

// revisionText shows what one revision changed from the one before.
func (d *Desk) revisionText(p *i18n.Printer, dep *Department, r StandardRevision, changes []StandardChange) string {
	lines := []string{p.T("standards.revision.title", "Dept", Escape(dep.DisplayName), "Rev", r.Rev,
		"When", p.When(r.At, d.Now(), dep.Calendar.Location), "Who", d.who(p, &r), "Reason", Escape(reasonIn(p, &r)))}
	if r.Rev == 1 {
		lines = append(lines, p.T("standards.revision.first"))
	}
	for _, c := range changes {
		old, new := Escape(unquote(c.Old)), Escape(unquote(c.New))
		switch {
		case c.Old == "":
			lines = append(lines, p.T("standards.revision.set", "Key", c.Key, "New", new))
		case c.New == "":
			lines = append(lines, p.T("standards.revision.removed", "Key", c.Key, "Old", old))
		default:
			lines = append(lines, p.T("standards.revision.changed", "Key", c.Key, "Old", old, "New", new))
		}
	}
	return strings.Join(lines, "\n")
}

// manage is /ask manage <dept> [set <key> <value> -- <why>]: what a lead may
// change of the department's standard, and a change. In Slack, /ask
// manage <dept> opens the same form as a modal.
func (d *Desk) manage(ctx context.Context, user, args string) (Reply, error) {
	dept, rest := cutWord(args)
	if dept == "" {
		return Reply{}, E(EINVALID, "standards.manage.which")
	}
	if d.Catalogue == nil {
		return Reply{}, E(EINVALID, "standards.manage.no_catalogue")
	}
	p := d.Printer(user, d.Dir().Lookup(dept))
	verb, rest := cutWord(rest)
	switch strings.ToLower(verb) {
	case "":
		fields, err := d.Catalogue.Form(ctx, user, dept)
		if err != nil {
			return Reply{}, err
		}
		return Reply{Text: formText(p, dept, fields), Lang: p.Lang()}, nil
	case "set", "设置", "设为", "改": //i18n:ok words people type, matched, never shown
		change, reason, ok := strings.Cut(rest, " -- ")
		key, value := cutWord(change)
		if !ok || key == "" {
			return Reply{}, E(EINVALID, "standards.manage.set_usage", "Dept", dept)
		}
		rev, changes, err := d.Catalogue.Edit(ctx, user, dept, consoleChange(key, strings.ReplaceAll(value, `\n`, "\n")), reason, "console")
		if err != nil {
			return Reply{}, formErrorText(p, err)
		}
		return d.saved(p, rev, changes), nil
	case "add", "remove", "添加", "增加", "加", "删除", "去掉", "删": //i18n:ok words people type, matched, never shown
		change, reason, ok := strings.Cut(rest, " -- ")
		key, value := cutWord(change)
		if !ok || key == "" || strings.TrimSpace(value) == "" {
			return Reply{}, E(EINVALID, "standards.manage.list_usage", "Dept", dept)
		}
		op := "+"
		if v := strings.ToLower(verb); v == "remove" || strings.HasPrefix(v, "删") || v == "去掉" { //i18n:ok words people type, matched, never shown
			op = "-"
		}
		rev, changes, err := d.Catalogue.Edit(ctx, user, dept, map[string]string{strings.ToLower(key) + op: strings.ReplaceAll(value, `\n`, "\n")}, reason, "console")
		if err != nil {
			return Reply{}, formErrorText(p, err)
		}
		return d.saved(p, rev, changes), nil
	}
	return Reply{}, E(EINVALID, "standards.manage.usage", "Dept", dept)
}

// saved is the reply to a change a lead made.
func (d *Desk) saved(p *i18n.Printer, rev StandardRevision, changes []StandardChange) Reply {
	dep := d.Dir().ByName(rev.Dept)
	return Reply{Text: p.T("standards.manage.saved", "Rev", rev.Rev, "Dept", Escape(dep.DisplayName), "Changes", SummarizeChangesIn(p, changes, 6)), Lang: p.Lang()}
}

// consoleChange reads one typed change. Hours and targets are changed a
// day or a priority at a time ("hours sat 10:00-12:00", "targets normal
// 2h / 2d"), not replaced whole as the form's fields are.
func consoleChange(key, value string) map[string]string {
	first, rest := cutWord(value)
	switch strings.ToLower(key) {
	case "hours":
		if first != "" && rest != "" {
			return map[string]string{"hours." + strings.ToLower(first): rest}
		}
	case "targets":
		if a, b, ok := strings.Cut(rest, "/"); ok && first != "" {
			p := strings.ToLower(first)
			return map[string]string{"sla." + p + ".first_response": strings.TrimSpace(a), "sla." + p + ".resolution": strings.TrimSpace(b)}
		}
	}
	return map[string]string{key: value}
}

// formText shows the edit form as text.
func formText(p *i18n.Printer, dept string, fields []FormField) string {
	var b strings.Builder
	b.WriteString(p.T("standards.form.title", "Dept", Escape(dept), "Name", dept) + "\n")
	for _, f := range fields {
		v := f.Value
		if v == "" {
			v = p.T("standards.form.none")
		}
		b.WriteString(p.T("standards.form.field", "Label", f.Label, "Key", f.Key))
		if f.Hint != "" {
			b.WriteString(p.T("standards.form.hint", "Hint", f.Hint))
		}
		if strings.Contains(v, "\n") || f.Multiline {
			fmt.Fprintf(&b, "\n```\n%s\n```", Escape(v))
		} else {
			fmt.Fprintf(&b, "\n%s", Escape(v))
		}
	}
	b.WriteString(p.T("standards.form.config_keys"))
	return b.String()
}

// formErrorText turns a refused edit into one message, in p's language
// around the fields' own messages.
func formErrorText(p *i18n.Printer, err error) error {
	fe, ok := err.(*FormError)
	if !ok {
		return err
	}
	var lines []string
	for k, v := range fe.Fields {
		if k == "" {
			k = p.T("standards.form.clash")
		}
		lines = append(lines, p.T("standards.form.problem", "Field", k, "Problem", Escape(v)))
	}
	slices.Sort(lines)
	return Errorf(EINVALID, "%s", p.T("standards.form.not_saved", "Lines", strings.Join(lines, "\n")))
}
