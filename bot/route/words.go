package route

import (
	"strings"
	"unicode"

	"github.com/askdesk/askdesk/bot/cjk"
)

// Words splits text into the words the model compares: lower-cased, folded
// to a rough stem (Stem), with common words (stopWords) and one-letter
// words left out. Letters of any script and digits make words; everything
// else separates them. Chinese is written without spaces, so a run of Han
// characters becomes its overlapping pairs (hanWords): "电脑坏了" gives
// 电脑, 脑坏, 坏了, and a keyword 电脑 meets it.
func Words(text string) []string {
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && r != '\''
	})
	if strings.IndexFunc(text, isHan) < 0 {
		// Each field gives at most one word: reuse fields' array.
		out := fields[:0]
		for _, f := range fields {
			out = appendWord(out, f)
		}
		return out
	}
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		if strings.IndexFunc(f, isHan) < 0 {
			out = appendWord(out, f)
			continue
		}
		// Han and other letters typed together ("vpn连不上"): each run
		// on its own.
		for len(f) > 0 {
			han := isHan([]rune(f)[0])
			n := strings.IndexFunc(f, func(r rune) bool { return isHan(r) != han })
			if n < 0 {
				n = len(f)
			}
			if han {
				out = hanWords(out, f[:n])
			} else {
				out = appendWord(out, f[:n])
			}
			f = f[n:]
		}
	}
	return out
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// hanWords appends the overlapping pairs of characters of run, a run of
// Han characters folded to simplified ones (cjk.ToSimplified), leaving out
// pairs that are common words (hanStopWords); a run of one character is
// kept as it is.
func hanWords(out []string, run string) []string {
	rs := []rune(cjk.ToSimplified(run))
	if len(rs) == 1 {
		return append(out, string(rs))
	}
	for i := 0; i+1 < len(rs); i++ {
		if w := string(rs[i : i+2]); !hanStopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// appendWord appends f, a word of letters other than Han, stemmed, unless
// it is too short or a common word.
func appendWord(out []string, f string) []string {
	f = strings.Trim(f, "'")
	f = strings.TrimSuffix(f, "'s")
	if len([]rune(f)) < 2 || stopWords[f] {
		return out
	}
	if s := Stem(f); !stopWords[s] {
		out = append(out, s)
	}
	return out
}

// hanStopWords are pairs of Han characters that say nothing about a
// department: the words of asking and thanking, pronouns, time words.
var hanStopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`需要 请问 麻烦 帮忙 帮我 请帮 一下 谢谢 感谢 你好 您好 我们 你们 他们 我的 你的
		可以 能否 是否 能不 怎么 什么 这个 那个 一个 已经 没有 现在 今天 明天 昨天 尽快 马上 问题 请求 处理`) {
		m[w] = true
	}
	return m
}()

// Stem folds plurals and common endings so that forms of one word meet:
// "invoices", "invoiced" and "invoicing" all become "invoic"; "laptops"
// "laptop"; "policies" "polic". It is deliberately crude (no dictionary),
// and the same fold is applied to the catalogue and to what people type.
func Stem(w string) string {
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		w = w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "sses"):
		w = w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:n-1]
	}
	n = len(w)
	switch {
	case n > 6 && strings.HasSuffix(w, "ing"):
		w = w[:n-3]
	case n > 5 && strings.HasSuffix(w, "ed"):
		w = w[:n-2]
	}
	n = len(w)
	if n > 4 && strings.HasSuffix(w, "e") {
		w = w[:n-1]
	}
	if n := len(w); n > 3 && strings.HasSuffix(w, "y") {
		w = w[:n-1] + "i"
	}
	// A doubled last consonant left by -ing or -ed: "shipp" → "ship".
	if n := len(w); n > 4 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouls", rune(w[n-1])) {
		w = w[:n-1]
	}
	return w
}

// stopWords carry no hint of a department: grammar words, greetings,
// and the words of asking ("need", "please", "help").
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all am an and any are aren't as at be because been
		before being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
		each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
		himself his how how's i i'd i'll i'm i've if in into is isn't it's its itself let's me more most mustn't my myself
		no nor not of off on once only or other ought our ours ourselves out over own same shan't she she'd she'll she's should
		shouldn't so some such than that that's the their theirs them themselves then there there's these they they'd they'll
		they're they've this those through to too under until up very was wasn't we we'd we'll we're we've were weren't what
		what's when when's where where's which while who who's whom why why's with won't would wouldn't you you'd you'll you're
		you've your yours yourself yourselves it
		need needs needed please pls help hi hello hey thanks thank hope get got getting want wanted like just also still
		someone somebody anyone something anything know let may might must will shall us one two new now today tomorrow yesterday
		week asap quick quickly urgent soon back again sure could can make made way thing things able lot`) {
		m[w] = true
	}
	return m
}()

// IsStopWord reports whether w (any case) is a common word that says
// nothing about a department.
func IsStopWord(w string) bool { return stopWords[strings.ToLower(w)] }
