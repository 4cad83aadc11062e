package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/askdesk/askdesk/bot/i18n"
	"golang.org/x/text/width"
)

// What a person types with a Chinese keyboard that the English grammar
// alone would misread: a department that does not exist named the way
// Chinese names departments, a command alias with its argument missing
// or mistyped, a priority flag doubled or run into the text.

// deptSuffixes end the names of departments and teams in Chinese: 市场部,
// 财务处, 人事科, 设计组, 客服中心. Not 室: 会议室 is a room, not a team.
var deptSuffixes = []string{"部", "处", "科", "组", "中心"} //i18n:ok words people type, matched, never shown

// looksLikeDeptName reports whether word, which names no department,
// reads as the name of one: three characters or more, letters only,
// ending in a department suffix (市场部, IT部). Two characters are too
// few: 全部, 内部, 好处 are ordinary words.
func looksLikeDeptName(word string) bool {
	n := NormalizeName(word)
	if utf8.RuneCountInString(n) < 3 || strings.IndexFunc(n, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
		return false
	}
	for _, s := range deptSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// argNamesDept reports whether word, the argument of a command that takes
// a department, was meant for one though no department is called so, and
// so the command should answer (with "there is no such department")
// rather than the line be taken for a request: it looks like a
// department's name, or a misspelt one, or, with nothing after it, is a
// short word (队列 市场, 队列 marketing) that holds none of the words
// routing knows ("管理 账号" asks for an account to be managed).
func (d *Desk) argNamesDept(word, after string) bool {
	dir := d.Dir()
	switch {
	case word == "":
		return false
	case looksLikeDeptName(word), dir.IsMisspeltDepartment(word), isMisspeltHan(dir, word):
		return true
	case after != "":
		return false
	case isLetters(word):
		return true
	}
	return isHanWord(word) && utf8.RuneCountInString(word) <= 3 && !dir.hasKeyword(word)
}

// hasKeyword reports whether word holds a department's routing keyword.
func (dir *Directory) hasKeyword(word string) bool {
	w := NormalizeName(word)
	for _, dep := range dir.Departments {
		for _, k := range dep.Keywords {
			if k := NormalizeName(k); k != "" && strings.Contains(w, k) {
				return true
			}
		}
	}
	return false
}

// idShaped reports whether word was meant for a request ID though it is
// not one (FIN42, 42, fin-x1): Latin letters, digits and dashes, with a
// digit. 3号会议室 is not: it starts a request.
func idShaped(word string) bool {
	n := NormalizeName(word)
	digit := false
	for _, r := range n {
		switch {
		case '0' <= r && r <= '9':
			digit = true
		case 'a' <= r && r <= 'z', r == '-', r == '#':
		default:
			return false
		}
	}
	return digit
}

// isCommandWord reports whether word is a subcommand's name or alias, as
// after 帮助 ("/ask 帮助 我的": help about a command).
func isCommandWord(word string) bool {
	w := NormalizeName(word)
	for _, c := range CommandWords() {
		if c == w {
			return true
		}
	}
	return false
}

// awayWords say "until" in Chinese, as typed after 外出.
var awayWords = []string{"到", "至", "直到"} //i18n:ok words people type, matched, never shown

// awayArgShaped reports whether word, after 外出, was meant for the day
// one is back: a date typed full-width (２０２６－１２－２０), or "until" in
// Chinese, alone or run into the date (到 2026-12-20, 到2026-12-20). 外出
// answers it, with its usage when it cannot read it, rather than the line
// be taken for a request; "外出 培训" is a request.
func awayArgShaped(word string) bool {
	w := foldValue(word)
	for _, a := range awayWords {
		if rest, ok := strings.CutPrefix(w, a); ok && (rest == "" || '0' <= rest[0] && rest[0] <= '9') {
			return true
		}
	}
	return w != "" && '0' <= w[0] && w[0] <= '9'
}

// deptNamesFor lists the departments for a reader of p: their names in
// English, their display names in Chinese, as DepartmentIn does.
func (dir *Directory) deptNamesFor(p *i18n.Printer) string {
	if p.Tag() == i18n.ZhHans {
		return strings.Join(dir.DisplayNames(), "、")
	}
	return strings.Join(dir.Names(), ", ")
}

// priorityFlag reads tok as a priority flag: "!urgent", "！紧急", the same
// doubled ("!!urgent", "！！紧急"), and, first on the line only (glue),
// a Chinese priority word run into the text after it ("！紧急需要预算":
// urgent, glued "需要预算", as typed). ok is false when tok is no flag
// (text); bad when it is a flag of a word that is no priority ("!high",
// "！高"). A doubled flag of no priority is text, as it was before
// doubling was read ("!!help").
func priorityFlag(tok string, glue bool) (p Priority, glued string, ok, bad bool) {
	word, isFlag := strings.CutPrefix(foldSyntax(tok), "!")
	word, doubled := strings.CutPrefix(word, "!")
	if !isFlag || word == "" {
		return "", "", false, false
	}
	if isFlagWord(word) {
		if got, err := parsePriorityWord(word); err == nil {
			return got, "", true, false
		}
	}
	if r, _ := utf8.DecodeRuneInString(word); glue && unicode.Is(unicode.Han, r) {
		// The longest priority word the Han after the flag starts with,
		// and the text after it as typed: the flag's runes and the
		// word's skipped in tok itself, which folding maps one for one.
		rs := []rune(tok)
		bangs := 0
		for bangs < len(rs) && strings.Trim(foldSyntax(string(rs[bangs])), "!") == "" {
			bangs++
		}
		for n := min(len(rs)-bangs, maxPriorityRunes); n > 0; n-- {
			if got, ok := priorityWords[NormalizeName(string(rs[bangs:bangs+n]))]; ok {
				return got, string(rs[bangs+n:]), true, false
			}
		}
	}
	if isFlagWord(word) && !doubled {
		return "", "", false, true
	}
	return "", "", false, false
}

// maxPriorityRunes is the longest priority word, in runes.
var maxPriorityRunes = func() int {
	n := 0
	for w := range priorityWords {
		n = max(n, utf8.RuneCountInString(w))
	}
	return n
}()

// foldValue folds the width of a field value whose kind is ASCII syntax
// (a number, a date, an @name): full-width digits, letters and signs, as
// a Chinese keyboard types them, are their ASCII selves (１２００ is 1200,
// ２０２６－１２－１０ a date). Text fields keep what was typed.
func foldValue(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return width.Fold.String(s)
		}
	}
	return s
}
