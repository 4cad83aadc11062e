// Package cjk holds what Chinese text needs that Latin text does not: a
// way to search words in runs of Han characters, which are written with no
// spaces between the words.
package cjk

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsHan reports whether r is a Han character (a Chinese character, a kanji
// or a hanja, and the ideographic iteration mark and zero), one that the
// search engines' tokenizers take for part of a word: not the radicals,
// which are symbols.
func IsHan(r rune) bool {
	return unicode.Is(unicode.Han, r) && (unicode.IsLetter(r) || unicode.IsNumber(r))
}

// HasHan reports whether s holds a Han character.
func HasHan(s string) bool { return strings.IndexFunc(s, IsHan) >= 0 }

// fold is how a Han character is written in the index and in a query:
// Traditional folded to Simplified (t2s.go), on both sides, so 預算 finds
// 预算 and 预算 finds 預算.
func fold(run string) string { return ToSimplified(run) }

// Bigrams is the index's text for the Han in text: for each run of Han
// characters, the overlapping pairs of characters in it and then its last
// character alone, separated by spaces, the runs one after the other. So
// 需要第三季度预算 gives "需要 要第 第三 三季 季度 度预 预算 算". Every character starts a
// term, so a word of two or more characters is the phrase of its pairs
// (QueryGrams) found anywhere in a run, and a word of one character the
// start of a term. Text with no Han gives "".
func Bigrams(text string) string {
	var b strings.Builder
	for _, run := range Runs(text) {
		rs := []rune(fold(run))
		for i := range rs {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(rs[i])
			if i+1 < len(rs) {
				b.WriteRune(rs[i+1])
			}
		}
	}
	return b.String()
}

// QueryGrams is a run of Han characters as the terms a search looks for in
// Bigrams' text: its overlapping pairs, to be found one after the other
// (a phrase); a single character is itself, to be found as the start of a
// term.
func QueryGrams(run string) []string {
	rs := []rune(fold(run))
	if len(rs) <= 1 {
		return []string{string(rs)}
	}
	out := make([]string, 0, len(rs)-1)
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, string(rs[i:i+2]))
	}
	return out
}

// Runs returns the runs of Han characters in text, in order.
func Runs(text string) []string {
	var out []string
	start := -1
	for i, r := range text {
		switch {
		case IsHan(r) && start < 0:
			start = i
		case !IsHan(r) && start >= 0:
			out = append(out, text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, text[start:])
	}
	return out
}

// Split cuts a word (letters, digits and marks) where Han characters meet
// others: "vpn报销" gives "vpn" and "报销". A word with no Han is itself.
func Split(word string) []string {
	var out []string
	start, han := 0, false
	for i, r := range word {
		if i == 0 {
			han = IsHan(r)
			continue
		}
		if h := IsHan(r); h != han && !unicode.IsMark(r) {
			out = append(out, word[start:i])
			start, han = i, h
		}
	}
	if start < len(word) {
		out = append(out, word[start:])
	}
	return out
}

// IsHanWord reports whether word (one of Split's) is a run of Han.
func IsHanWord(word string) bool {
	r, _ := utf8.DecodeRuneInString(word)
	return IsHan(r)
}
