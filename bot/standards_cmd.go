package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// standards is /ask standards <dept> [history | <revision>]: a
// department's published standard, its history of changes, or what one
// revision changed.
func (d *Desk) standards(ctx context.Context, user, args string) (Reply, error) {
	dept, rest := cutWord(args)
	if dept == "" {
		return d.depts(ctx, user, "")
	}
	dep, err := d.Dir().Department(dept)
	if err != nil {
		return Reply{}, err
	}
	if d.Catalogue == nil {
		return d.deptStandard(dep, nil), nil
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
		return d.deptStandard(dep, last), nil
	case word == "history" || word == "log":
		return Reply{Text: d.history(dep, revs)}, nil
	}
	n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimPrefix(word, "revision"), "r"))
	if err != nil {
		return Reply{}, Errorf(EINVALID, "`/ask standards %s` shows its standard, `… history` every change, `… 3` what revision 3 changed.", dep.Name)
	}
	rev, changes, err := d.Catalogue.Compare(ctx, dep.Name, n)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: d.revisionText(dep, rev, changes)}, nil
}

// deptStandard shows one department's published standard.
func (d *Desk) deptStandard(dep *Department, last *StandardRevision) Reply {
	var b strings.Builder
	fmt.Fprintf(&b, "*%s's service standard*", Escape(dep.DisplayName))
	if last != nil {
		fmt.Fprintf(&b, " (revision %d, %s)", last.Rev, FormatWhen(last.At, d.Now(), dep.Calendar.Location))
	}
	b.WriteString("\n")
	if dep.Description != "" {
		b.WriteString(Escape(dep.Description) + "\n")
	}
	fmt.Fprintf(&b, "Queue: %s\n", ChannelRef(dep.Channel))
	fmt.Fprintf(&b, "Hours: %s (%s)\n", HoursSummary(dep.Calendar), dep.Calendar.Location)
	b.WriteString("Targets:\n")
	for _, p := range Priorities {
		t := dep.Target(p)
		fmt.Fprintf(&b, "• %s: first response within %s; resolution within %s\n", p,
			TargetWords(t.FirstResponse, dep.Calendar), TargetWords(t.Resolution, dep.Calendar))
	}
	if len(dep.Leads) > 0 {
		fmt.Fprintf(&b, "Leads: %s\n", mentions(dep.Leads))
	}
	if len(dep.Members) > 0 {
		fmt.Fprintf(&b, "Members: %s\n", mentions(dep.Members))
	}
	if last != nil {
		fmt.Fprintf(&b, "Last change: “%s” (%s). `/ask standards %s history` lists every change.", Escape(last.Reason), d.who(last), dep.Name)
	}
	return Reply{Text: strings.TrimRight(strings.ReplaceAll(b.String(), " ·\n", "\n"), "\n")}
}

func mentions(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = Mention(id)
	}
	return strings.Join(out, ", ")
}

// who says who made a revision.
func (d *Desk) who(r *StandardRevision) string {
	if r.Actor == "" {
		return "from the config file"
	}
	return "by " + Mention(r.Actor)
}

// historyShown bounds the revisions /ask standards … history lists.
const historyShown = 15

func (d *Desk) history(dep *Department, revs []StandardRevision) string {
	if len(revs) == 0 {
		return fmt.Sprintf("%s's standard has no published revisions yet.", Escape(dep.DisplayName))
	}
	now := d.Now()
	lines := []string{fmt.Sprintf("*%s's service standard: history* (newest first)", Escape(dep.DisplayName))}
	for i := len(revs) - 1; i >= 0 && len(lines) <= historyShown; i-- {
		r := revs[i]
		lines = append(lines, fmt.Sprintf("• *Revision %d* · %s · %s · “%s”", r.Rev, FormatWhen(r.At, now, dep.Calendar.Location), d.who(&r), Escape(r.Reason)))
	}
	if len(revs) > historyShown {
		lines = append(lines, fmt.Sprintf("… and %d earlier.", len(revs)-historyShown))
	}
	lines = append(lines, fmt.Sprintf("`/ask standards %s <revision>` shows what one changed.", dep.Name))
	return strings.Join(lines, "\n")
}

// revisionText shows what one revision changed from the one before.
func (d *Desk) revisionText(dep *Department, r StandardRevision, changes []StandardChange) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*%s's service standard, revision %d* · %s · %s\nWhy: “%s”\n", Escape(dep.DisplayName), r.Rev,
		FormatWhen(r.At, d.Now(), dep.Calendar.Location), d.who(&r), Escape(r.Reason))
	if r.Rev == 1 {
		b.WriteString("The first published standard.\n")
	}
	for _, c := range changes {
		old, new := Escape(unquote(c.Old)), Escape(unquote(c.New))
		switch {
		case c.Old == "":
			fmt.Fprintf(&b, "• `%s` set to %s\n", c.Key, new)
		case c.New == "":
			fmt.Fprintf(&b, "• `%s` removed (was %s)\n", c.Key, old)
		default:
			fmt.Fprintf(&b, "• `%s`: %s → %s\n", c.Key, old, new)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// manage is /ask manage <dept> [set <key> <value> -- <why>]: what a lead may
// change of the department's standard, and a change. In Slack, /ask
// manage <dept> opens the same form as a modal.
func (d *Desk) manage(ctx context.Context, user, args string) (Reply, error) {
	dept, rest := cutWord(args)
	if dept == "" {
		return Reply{}, Errorf(EINVALID, "Whose standards? `/ask manage finance`")
	}
	if d.Catalogue == nil {
		return Reply{}, Errorf(EINVALID, "This desk has no service catalogue to edit.")
	}
	verb, rest := cutWord(rest)
	switch strings.ToLower(verb) {
	case "":
		fields, err := d.Catalogue.Form(ctx, user, dept)
		if err != nil {
			return Reply{}, err
		}
		return Reply{Text: formText(dept, fields)}, nil
	case "set":
		change, reason, ok := strings.Cut(rest, " -- ")
		key, value := cutWord(change)
		if !ok || key == "" {
			return Reply{}, Errorf(EINVALID, "Write `/ask manage %s set <what> <new value> -- <why>`, e.g. `/ask manage %s set sla.normal.resolution 2d -- month-end is quieter now`.", dept, dept)
		}
		rev, changes, err := d.Catalogue.Edit(ctx, user, dept, consoleChange(key, strings.ReplaceAll(value, `\n`, "\n")), reason, "console")
		if err != nil {
			return Reply{}, formErrorText(err)
		}
		dep := d.Dir().ByName(rev.Dept)
		return Reply{Text: fmt.Sprintf("Saved revision %d of %s's service standards: %s.", rev.Rev, Escape(dep.DisplayName), SummarizeChanges(changes, 6))}, nil
	}
	return Reply{}, Errorf(EINVALID, "`/ask manage %s` shows what you can change; `/ask manage %s set <what> <new value> -- <why>` changes it.", dept, dept)
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
func formText(dept string, fields []FormField) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*What you can change of %s's standard* (one thing at a time: `/ask manage %s set <what> <new value> -- <why>`, e.g. `set hours sat 10:00-12:00`, `set targets normal 2h / 2d`; a field set whole takes `\\n` for a new line)\n", Escape(dept), dept)
	for _, f := range fields {
		v := f.Value
		if v == "" {
			v = "(none)"
		}
		fmt.Fprintf(&b, "\n*%s* (`%s`)", f.Label, f.Key)
		if f.Hint != "" {
			fmt.Fprintf(&b, ": %s", f.Hint)
		}
		if strings.Contains(v, "\n") || f.Multiline {
			fmt.Fprintf(&b, "\n```\n%s\n```", Escape(v))
		} else {
			fmt.Fprintf(&b, "\n%s", Escape(v))
		}
	}
	b.WriteString("\n\nKeys of the config file work too, e.g. `sla.low.resolution`.")
	return b.String()
}

// formErrorText turns a refused edit into one message.
func formErrorText(err error) error {
	fe, ok := err.(*FormError)
	if !ok {
		return err
	}
	var lines []string
	for k, v := range fe.Fields {
		if k == "" {
			k = "clashes with another department"
		}
		lines = append(lines, fmt.Sprintf("• %s: %s", k, Escape(v)))
	}
	slices.Sort(lines)
	return Errorf(EINVALID, "Not saved:\n%s", strings.Join(lines, "\n"))
}
