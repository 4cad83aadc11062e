package cjk

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
)

// tsCharacters is OpenCC's TSCharacters.txt (Apache-2.0, see
// LICENSE-OpenCC and NOTICE): one traditional character a line, a tab,
// then its simplified forms separated by spaces, the usual one first.
//
//go:embed TSCharacters.txt
var tsCharacters string

// t2s is the table parsed from tsCharacters, built on first use: about
// 4,100 entries, read-only once built.
var t2s = sync.OnceValue(func() map[rune]rune {
	m := make(map[rune]rune, 4200)
	for line := range strings.Lines(tsCharacters) {
		from, to, ok := strings.Cut(strings.TrimRight(line, "\r\n"), "\t")
		if !ok {
			continue
		}
		f, t := []rune(from), []rune(to)
		// Only single Han characters: a conversion of one rune into
		// another, never of ASCII, so text other than Han passes as it was.
		if len(f) != 1 || len(t) == 0 || !unicode.Is(unicode.Han, f[0]) || !unicode.Is(unicode.Han, t[0]) {
			continue
		}
		m[f[0]] = t[0]
	}
	return m
})

// firstHan is where Han characters start (CJK Radicals Supplement).
const firstHan = 0x2E80

// ToSimplified returns s with each traditional Han character replaced by
// its usual simplified form (財務 → 财务, 資源 → 资源), character by
// character; every other rune is left as it is. It is for matching names
// and words, not for converting prose: a character with several simplified
// forms always takes the first (乾 → 干), and phrases are not looked at.
func ToSimplified(s string) string {
	tab := t2s()
	i := strings.IndexFunc(s, func(r rune) bool {
		if r < firstHan {
			return false // most text: no map lookup
		}
		_, ok := tab[r]
		return ok
	})
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if to, ok := tab[r]; ok {
			r = to
		}
		b.WriteRune(r)
	}
	return b.String()
}
