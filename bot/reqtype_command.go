package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/askdesk/askdesk/bot/i18n"
)

// maxTypeWords is the most words a request type's name or alias may take
// up after the department ("budget figures").
const maxTypeWords = 3

// splitType finds a request type of dep named at the start of text,
// trying the longest run of words first, and returns it with the rest of
// the text; nil and text unchanged when the first words name no type.
func splitType(dep *Department, text string) (*RequestType, string) {
	if len(dep.Types) == 0 {
		return nil, text
	}
	words := strings.FieldsFunc(text, unicode.IsSpace)
	for n := min(maxTypeWords, len(words)); n > 0; n-- {
		if t := dep.Type(strings.Join(words[:n], " ")); t != nil {
			rest := text
			for range n {
				_, rest = cutWord(rest)
			}
			return t, rest
		}
	}
	return nil, text
}

// ExtractFields takes the words name=value out of text whose name is a
// field of typ (the department's default type when typ is nil) and
// returns them by field name, with the rest of the text. A value with
// spaces is quoted: purpose="client lunch" (straight or curly quotes).
// Words whose name is no field stay in the text.
func ExtractFields(dep *Department, typ *RequestType, text string) (map[string]string, string) {
	if typ == nil {
		typ = dep.DefaultType()
	}
	if typ == nil || len(typ.Fields) == 0 {
		return nil, text
	}
	var fields map[string]string
	var kept strings.Builder
	rs := []rune(text)
	for i := 0; i < len(rs); {
		// At the start of a word?
		if i > 0 && !unicode.IsSpace(rs[i-1]) {
			kept.WriteRune(rs[i])
			i++
			continue
		}
		eq := -1
		for j := i; j < len(rs) && !unicode.IsSpace(rs[j]); j++ {
			if rs[j] == '=' || rs[j] == '＝' { // full-width as typed with a Chinese keyboard
				eq = j
				break
			}
		}
		if eq <= i || fieldTyped(typ, string(rs[i:eq])) == nil {
			kept.WriteRune(rs[i])
			i++
			continue
		}
		name := fieldTyped(typ, string(rs[i:eq])).Name
		j := eq + 1
		var val string
		if j < len(rs) && (rs[j] == '"' || rs[j] == '“') {
			closer := '"'
			if rs[j] == '“' {
				closer = '”'
			}
			k := j + 1
			for k < len(rs) && rs[k] != closer {
				k++
			}
			val = string(rs[j+1 : min(k, len(rs))])
			j = min(k+1, len(rs))
		} else {
			k := j
			for k < len(rs) && !unicode.IsSpace(rs[k]) {
				k++
			}
			val = string(rs[j:k])
			j = k
		}
		if fields == nil {
			fields = map[string]string{}
		}
		fields[name] = val
		i = j
	}
	if fields == nil {
		return nil, text
	}
	// Where a field was taken out, tidy the spaces it leaves; lines stay.
	lines := strings.Split(kept.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return fields, strings.TrimSpace(strings.Join(lines, "\n"))
}

// fieldTyped returns typ's field that name, typed before "=", means: its
// name (amount), or its label when the label is in Han characters (金额,
// or 金额 for a label 金额（元）: a unit in brackets may be left out),
// since a field's name is ASCII and Chinese speakers type the label; or,
// failing that, the one label that starts or ends with name, when name is
// two Han characters or more and no other label does (类别 for 费用类别;
// 费用 for 费用类别 and 费用发生日期 is neither). An English label is not
// matched, so English text parses as it always has.
func fieldTyped(typ *RequestType, name string) *Field {
	if f := typ.Field(name); f != nil {
		return f
	}
	n := NormalizeName(name)
	var part *Field
	parts := 0
	for i := range typ.Fields {
		l := NormalizeName(typ.Fields[i].Label) // NFKC: （元） is (元)
		if !strings.ContainsFunc(l, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			continue
		}
		if l == n {
			return &typ.Fields[i]
		}
		if open := strings.IndexByte(l, '('); open > 0 && strings.HasSuffix(l, ")") {
			if l = strings.TrimSpace(l[:open]); l == n {
				return &typ.Fields[i]
			}
		}
		if isHanWord(n) && utf8.RuneCountInString(n) >= 2 && (strings.HasPrefix(l, n) || strings.HasSuffix(l, n)) {
			part, parts = &typ.Fields[i], parts+1
		}
	}
	if parts == 1 {
		return part
	}
	return nil
}

// typeUsage is the "[type] " part of a department's usage line, "" when it
// has no types.
func typeUsage(dep *Department) string {
	if len(dep.Types) == 0 {
		return ""
	}
	return "[" + strings.Join(dep.TypeNames(), "|") + "] "
}

// typesSummary is a department's request types as /ask depts lists them,
// one line each, "" for a department without types.
func typesSummary(dep *Department) string { return typesSummaryIn(nil, dep) }

// typesSummaryIn is typesSummary for a reader of pr (nil: English).
func typesSummaryIn(pr *i18n.Printer, dep *Department) string {
	if len(dep.Types) == 0 {
		return ""
	}
	def := dep.DefaultType()
	var b strings.Builder
	b.WriteString(pr.T("cmd.types.title") + "\n")
	for _, t := range dep.Types {
		b.WriteString("  ◦ `" + t.Name + "`")
		var notes []string
		if t == def {
			notes = append(notes, pr.T("cmd.types.default"))
		}
		if t.Private {
			notes = append(notes, pr.T("cmd.types.private", "Dept", Escape(dep.DisplayName)))
		}
		if len(notes) > 0 {
			b.WriteString(pr.T("cmd.types.notes", "Notes", strings.Join(notes, pr.T("cmd.types.notes_sep"))))
		}
		if t.Description != "" {
			b.WriteString(pr.T("cmd.types.about", "Text", Escape(t.Description)))
		}
		var fs []string
		for _, f := range t.Fields {
			s := f.Name
			if f.Required {
				s = pr.T("cmd.types.required", "Field", s)
			}
			fs = append(fs, s)
		}
		if len(fs) > 0 {
			b.WriteString(pr.T("cmd.types.fields", "Fields", strings.Join(fs, ", ")))
		}
		var ts []string
		for _, p := range Priorities {
			if tg, ok := t.Target(p); ok {
				ts = append(ts, pr.T("cmd.types.target", "Priority", PriorityWord(pr, p),
					"First", TargetWords(tg.FirstResponse, dep.Calendar), "Resolution", TargetWords(tg.Resolution, dep.Calendar)))
			}
		}
		if len(ts) > 0 {
			b.WriteString(pr.T("cmd.types.targets", "Targets", strings.Join(ts, pr.T("cmd.types.targets_sep"))))
		}
		b.WriteString("\n")
	}
	return b.String()
}
