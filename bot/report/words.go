package report

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// orList is a list of choices as an argument of a coded error: "csv or
// jsonl", "csv或jsonl".
func orList(choices []string) bot.Sub {
	n := len(choices)
	if n < 2 {
		return bot.S("report.single", "A", strings.Join(choices, ""))
	}
	return bot.S("report.or", "A", listOf(choices[:n-1]), "B", choices[n-1])
}

// listOf is choices joined by the reader's list separator (", ", "、").
func listOf(choices []string) bot.List {
	items := make([]any, len(choices))
	for i, c := range choices {
		items[i] = c
	}
	return bot.List{Sep: "report.list_sep", Items: items}
}

// capitalized is s with its first letter upper case, for a sentence that
// begins with a phrase said elsewhere in the middle of one (a rule).
func capitalized(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// quarterName is a quarter as written ("2026-Q3") in p's language
// ("2026年第3季度"); anything else as it is.
func quarterName(p *i18n.Printer, s string) string {
	q, err := bot.ParseQuarter(s)
	if err != nil {
		return s
	}
	return p.Quarter(q.Year, q.Q)
}
