package i18n

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"
)

// messages reads every catalogue file of the embedded catalogue as written,
// by language and then by key.
func messages(t *testing.T) map[language.Tag]map[string]*goi18n.Message {
	t.Helper()
	b := goi18n.NewBundle(En)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(locales, "locales/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	out := map[language.Tag]map[string]*goi18n.Message{}
	for _, n := range names {
		buf, err := fs.ReadFile(locales, n)
		if err != nil {
			t.Fatal(err)
		}
		f, err := b.ParseMessageFileBytes(buf, path.Base(n))
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if out[f.Tag] == nil {
			out[f.Tag] = map[string]*goi18n.Message{}
		}
		for _, m := range f.Messages {
			if _, dup := out[f.Tag][m.ID]; dup {
				t.Errorf("%s: key %s is also in another %s file", n, m.ID, f.Tag)
			}
			out[f.Tag][m.ID] = m
		}
	}
	for _, tag := range supported {
		if len(out[tag]) == 0 {
			t.Fatalf("no messages in %s", tag)
		}
	}
	return out
}

func forms(m *goi18n.Message) map[string]string {
	f := map[string]string{}
	for name, s := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other} {
		if s != "" {
			f[name] = s
		}
	}
	return f
}

var action = regexp.MustCompile(`{{(.*?)}}`)
var field = regexp.MustCompile(`\.([A-Za-z_][A-Za-z0-9_]*)`)

// placeholders lists the {{.X}} names a message uses, in any form.
func placeholders(m *goi18n.Message) []string {
	var names []string
	for _, s := range forms(m) {
		for _, a := range action.FindAllStringSubmatch(s, -1) {
			for _, f := range field.FindAllStringSubmatch(a[1], -1) {
				if !slices.Contains(names, f[1]) {
					names = append(names, f[1])
				}
			}
		}
	}
	sort.Strings(names)
	return names
}

func TestEveryKeyIsInEveryLanguage(t *testing.T) {
	all := messages(t)
	for _, tag := range supported {
		for _, other := range supported {
			for id := range all[tag] {
				if _, ok := all[other][id]; !ok {
					t.Errorf("%s has %s but %s does not", tag, id, other)
				}
			}
		}
	}
}

// leftOut are the placeholders a language leaves out of a message on
// purpose, by message and language, with why.
var leftOut = map[string]map[language.Tag][]string{
	// The report's quality grid has the target in the column beside: the
	// Chinese cell says only 达标 or 未达标 (English keeps its sentence).
	"report.achieved.not_yet": {ZhHans: {"Target"}},
	"report.achieved.meets":   {ZhHans: {"Target"}},
	"report.achieved.below":   {ZhHans: {"Target"}},
}

func TestPlaceholdersAreTheSameInEveryLanguage(t *testing.T) {
	all := messages(t)
	for id, en := range all[En] {
		for _, tag := range supported[1:] {
			m, ok := all[tag][id]
			if !ok {
				continue // TestEveryKeyIsInEveryLanguage says so
			}
			want := slices.DeleteFunc(placeholders(en), func(name string) bool { return slices.Contains(leftOut[id][tag], name) })
			if got := placeholders(m); !slices.Equal(got, want) {
				t.Errorf("%s %s uses %v; en uses %v", tag, id, got, want)
			}
		}
	}
}

// pluralForms are CLDR's cardinal forms of each supported language
// (go-i18n's plural rules are internal, and this is a two-line table).
var pluralForms = map[language.Tag][]string{En: {"one", "other"}, ZhHans: {"other"}}

func TestPluralFormsFollowEachLanguage(t *testing.T) {
	all := messages(t)
	for id, en := range all[En] {
		plural := len(forms(en)) > 1 || en.One != ""
		for _, tag := range supported {
			m, ok := all[tag][id]
			if !ok {
				continue
			}
			var got []string
			for f := range forms(m) {
				got = append(got, f)
			}
			sort.Strings(got)
			want := []string{"other"}
			if plural {
				want = pluralForms[tag]
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s %s has forms %v, want %v", tag, id, got, want)
			}
		}
	}
}

// Every message renders in every language when given its placeholders,
// for every count a plural can take.
func TestEveryMessageRenders(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	all := messages(t)
	for _, tag := range supported {
		p := c.For(tag)
		for id, m := range all[tag] {
			var kv []any
			for _, name := range placeholders(m) {
				kv = append(kv, name, 7)
			}
			if m.One == "" {
				s, err := p.Text(id, kv...)
				if err != nil || s == "" || strings.Contains(s, "<no value>") {
					t.Errorf("%s %s = %q, %v", tag, id, s, err)
				}
				continue
			}
			for _, n := range []int{0, 1, 2} {
				s, err := p.NText(id, n, kv...)
				if err != nil || s == "" || strings.Contains(s, "<no value>") {
					t.Errorf("%s %s (count %d) = %q, %v", tag, id, n, s, err)
				}
			}
		}
	}
}

func TestAMissingArgumentIsAnError(t *testing.T) {
	p := English()
	if s, err := p.Text("fmt.span.hm", "H", 3); err == nil {
		t.Errorf("Text without M = %q, want an error", s)
	}
	if got := p.T("fmt.span.hm", "H", 3); got != "{fmt.span.hm}" {
		t.Errorf("T without M = %q, want the key shown as {fmt.span.hm}", got)
	}
	if _, err := p.Text("fmt.span.hm", "H"); err == nil {
		t.Error("an odd argument list rendered")
	}
	if _, err := p.Text("no.such.key"); err == nil {
		t.Error("an unknown key rendered")
	}
}

func TestPluralChoosesTheFormByCount(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		tag  language.Tag
		n    int
		want string
	}{
		{En, 0, "0 days"}, {En, 1, "1 day"}, {En, 2, "2 days"},
		{ZhHans, 1, "1天"}, {ZhHans, 2, "2天"},
	} {
		if got := c.For(tc.tag).N("fmt.age.day", tc.n); got != tc.want {
			t.Errorf("%s N(fmt.age.day, %d) = %q, want %q", tc.tag, tc.n, got, tc.want)
		}
	}
}

func TestMatchSlackLocales(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want language.Tag
		ok   bool
	}{
		{"en", En, true}, {"en-US", En, true}, {"en-GB", En, true}, {"en_US", En, true},
		{"zh", ZhHans, true}, {"zh-CN", ZhHans, true}, {"zh-SG", ZhHans, true}, {"zh-Hans", ZhHans, true},
		{"zh-Hans-CN", ZhHans, true}, {"zh_CN", ZhHans, true},
		// No zh-Hant catalogue yet: Traditional readers get Simplified.
		{"zh-TW", ZhHans, true}, {"zh-HK", ZhHans, true}, {"zh-Hant", ZhHans, true},
		{"ja-JP", language.Und, false}, {"fr-FR", language.Und, false}, {"klingon", language.Und, false},
		{"", language.Und, false}, {"!!", language.Und, false},
	} {
		got, ok := Match(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Match(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestForAnUnsupportedTagIsEnglish(t *testing.T) {
	c := Default()
	if got := c.For(language.Japanese).Lang(); got != "en" {
		t.Errorf("For(ja).Lang() = %q, want en", got)
	}
	if got := c.For(ZhHans).Lang(); got != "zh-Hans" {
		t.Errorf("For(zh-Hans).Lang() = %q", got)
	}
	if c.For(ZhHans) != c.For(ZhHans) {
		t.Error("For builds a printer per call; want one per language")
	}
	var nilp *Printer
	if got := nilp.Span(90 * 60e9); got != "1h 30m" {
		t.Errorf("a nil printer's Span = %q, want English", got)
	}
}
