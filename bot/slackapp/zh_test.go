package slackapp_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/i18n"
	"github.com/askdesk/askdesk/bot/slackapp"
)

// zh is the Simplified Chinese printer of the embedded catalogue.
func zh(tb testing.TB) *i18n.Printer {
	tb.Helper()
	p := i18n.Default().For(i18n.ZhHans)
	if p.Lang() != "zh-Hans" {
		tb.Fatalf("no zh-Hans catalogue: got %s", p.Lang())
	}
	return p
}

// mustChineseDirectory returns the directory of the Chinese example
// company (config.example.zh.toml), whose departments have Chinese names.
func mustChineseDirectory(tb testing.TB) *bot.Directory {
	tb.Helper()
	f, err := os.Open(filepath.Join("..", "..", "config.example.zh.toml"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	cfg, err := config.Parse("config.example.zh.toml", f)
	if err != nil {
		tb.Fatal(err)
	}
	dir, err := cfg.Directory()
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// englishWordRE finds a run of three or more Latin letters.
var englishWordRE = regexp.MustCompile(`[A-Za-z]{3,}`)

// mentionRE matches a Slack mention or channel link (<@U…>, <#C…>),
// which Slack shows as a name.
var mentionRE = regexp.MustCompile(`<[@#][A-Z0-9]+>`)

// keptWords may stand in Chinese text: the product's name, SLA, the /ask
// syntax (a command people type) and its placeholders.
var keptWords = map[string]bool{"askdesk": true, "SLA": true, "ask": true, "dept": true, "text": true}

// textsOf collects every "text" string of a Block Kit JSON value: what a
// person reads (labels, placeholders, options, titles, buttons).
func textsOf(tb testing.TB, v any) []string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	var tree any
	if err := json.Unmarshal(b, &tree); err != nil {
		tb.Fatal(err)
	}
	var out []string
	var walk func(any)
	walk = func(n any) {
		switch n := n.(type) {
		case map[string]any:
			for k, c := range n {
				if s, ok := c.(string); ok && k == "text" {
					out = append(out, s)
				}
				walk(c)
			}
		case []any:
			for _, c := range n {
				walk(c)
			}
		}
	}
	walk(tree)
	return out
}

// assertNoEnglish fails on an English word in texts, other than kept words
// and the words given (what the user typed, request IDs).
func assertNoEnglish(tb testing.TB, texts []string, typed ...string) {
	tb.Helper()
	allowed := map[string]bool{}
	for _, t := range typed {
		for _, w := range englishWordRE.FindAllString(t, -1) {
			allowed[w] = true
		}
	}
	for _, s := range texts {
		for _, w := range englishWordRE.FindAllString(mentionRE.ReplaceAllString(s, ""), -1) {
			if !keptWords[w] && !allowed[w] {
				tb.Errorf("English word %q in Chinese text %q", w, s)
			}
		}
	}
}

// configWords is what the company wrote in its config (departments'
// names and descriptions, types, fields): data, in whatever words it chose.
func configWords(dir *bot.Directory) []string {
	var out []string
	for _, d := range dir.Departments {
		out = append(out, d.DisplayName, d.Description)
		for _, t := range d.Types {
			out = append(out, t.DisplayName, t.Description)
			for _, f := range t.Fields {
				out = append(out, f.Label, f.Hint)
				out = append(out, f.Options...)
			}
		}
	}
	return out
}

// TestFileModalInChinese_Golden: a person whose language is Chinese sees
// the intake form in Chinese (title, labels, priorities, hint,
// placeholder), with the departments of the Chinese example company; the
// typed form for a reimbursement and HR's private type, too.
func TestFileModalInChinese_Golden(t *testing.T) {
	dir := mustChineseDirectory(t)
	p := zh(t)
	v := slackapp.FileModalIn(p, dir, "出差报销单需要审批", "")
	checkLimits(t, v.Blocks.BlockSet)
	assertGolden(t, "modal_file.zh-Hans", v)
	assertNoEnglish(t, textsOf(t, v), configWords(dir)...)
	if v.Title.Text != "向部门提出请求" {
		t.Errorf("title %q, want Chinese", v.Title.Text)
	}

	typed := slackapp.FileModalForIn(p, dir, "机场打车费", "", "finance", "reimbursement")
	checkLimits(t, typed.Blocks.BlockSet)
	assertGolden(t, "modal_file_typed.zh-Hans", typed)
	assertNoEnglish(t, textsOf(t, typed), configWords(dir)...)

	private := slackapp.FileModalForIn(p, dir, "", "", "hr", "personal")
	checkLimits(t, private.Blocks.BlockSet)
	assertGolden(t, "modal_file_private.zh-Hans", private)
	assertNoEnglish(t, textsOf(t, private), configWords(dir)...)
}

// TestFileModalEnglishWithNilPrinter: FileModalIn with no printer is
// exactly FileModal, the English form.
func TestFileModalEnglishWithNilPrinter(t *testing.T) {
	dir := MustExampleDirectory(t)
	a, _ := json.Marshal(slackapp.FileModal(dir, "x", ""))
	b, _ := json.Marshal(slackapp.FileModalIn(nil, dir, "x", ""))
	if !bytes.Equal(a, b) {
		t.Errorf("FileModalIn(nil) differs from FileModal:\n%s\n%s", a, b)
	}
}

// TestParseFileModalInChinese: the form's errors reach a Chinese reader in
// Chinese.
func TestParseFileModalInChinese(t *testing.T) {
	dir := mustChineseDirectory(t)
	modal := slackapp.FileModalIn(zh(t), dir, "", "")
	_, _, _, errs := slackapp.ParseFileModalIn(zh(t), submission(t, modal, map[string]map[string]slack.BlockAction{}))
	if len(errs) == 0 {
		t.Fatal("an empty form passed")
	}
	var texts []string
	for _, e := range errs {
		texts = append(texts, e)
		if !strings.ContainsFunc(e, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("error %q is not Chinese", e)
		}
	}
	assertNoEnglish(t, texts)
}

// slackLimit is Slack's limit, in characters, on a catalogue message by
// where it is shown (/work/shared/slack/limits.md): a modal title, submit
// or close 24, a button or option text 75, a placeholder 150.
func slackLimit(key string) int {
	switch {
	case strings.HasSuffix(key, "_title"), key == "slack.modal.send", key == "slack.modal.cancel", key == "slack.modal.add":
		return 24
	case strings.HasSuffix(key, "_placeholder"), strings.HasPrefix(key, "slack.modal.choose_"), key == "slack.modal.type_choose":
		return 150
	case strings.HasSuffix(key, "_button"), key == "slack.modal.urgent", key == "slack.modal.normal", key == "slack.modal.low":
		return 75
	}
	return 0
}

// zhKeys reads the keys of the Slack surface's Chinese catalogue file.
func zhKeys(tb testing.TB) map[string]string {
	tb.Helper()
	return zhMessages(tb, "slack.zh-Hans.toml")
}

// zhMessages reads the Chinese catalogue files matching pattern (under
// bot/i18n/locales) into their texts by key: a plural message gives one
// entry per form ("key.one", "key.other").
func zhMessages(tb testing.TB, pattern string) map[string]string {
	tb.Helper()
	names, err := filepath.Glob(filepath.Join("..", "i18n", "locales", pattern))
	if err != nil || len(names) == 0 {
		tb.Fatalf("no catalogue files match %s (%v)", pattern, err)
	}
	out := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, sub := range v {
				walk(prefix+"."+k, sub)
			}
		case string:
			out[strings.TrimPrefix(prefix, ".")] = v
		}
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		var doc map[string]any
		if err := toml.Unmarshal(b, &doc); err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		walk("", doc)
	}
	if len(out) == 0 {
		tb.Fatal("no keys read")
	}
	return out
}

// TestChineseSlackTextsFitSlacksLimits: every Chinese modal title,
// submit and close, button, option and placeholder fits Slack's limit.
func TestChineseSlackTextsFitSlacksLimits(t *testing.T) {
	p := zh(t)
	checked := 0
	for key := range zhKeys(t) {
		lim := slackLimit(key)
		if lim == 0 {
			continue
		}
		s, err := p.Text(key, "ID", "FIN-1234", "N", 5, "Name", "张三", "Dept", "人力资源部")
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		if n := utf8.RuneCountInString(s); n > lim {
			t.Errorf("%s: %q is %d characters; Slack allows %d", key, s, n, lim)
		}
		checked++
	}
	if checked < 5 {
		t.Errorf("only %d keys checked: the limit table lost its keys", checked)
	}
}

// markerProblems lists the mrkdwn markers (*bold*, ~strike~, `code`) in
// s whose outside neighbour is neither the text's edge, a space nor ASCII
// punctuation: Slack shows those as literal characters next to a wide
// (CJK) character. Markers pair up in order, as Slack reads them.
func markerProblems(s string) []string {
	rs := []rune(s)
	okOutside := func(i int) bool {
		if i < 0 || i >= len(rs) {
			return true
		}
		r := rs[i]
		return r == ' ' || r == '\n' || (r < utf8.RuneSelf && unicode.IsPunct(r))
	}
	var out []string
	for _, m := range "*~`" {
		open := -1
		for i, r := range rs {
			if r != m {
				continue
			}
			if open < 0 {
				open = i
				if !okOutside(i - 1) {
					out = append(out, string(rs[max(0, i-3):min(len(rs), i+4)]))
				}
				continue
			}
			open = -1
			if !okOutside(i + 1) {
				out = append(out, string(rs[max(0, i-3):min(len(rs), i+4)]))
			}
		}
	}
	return out
}

// TestMarkerProblemsFindsAMarkerTouchingHan pins the check itself.
func TestMarkerProblemsFindsAMarkerTouchingHan(t *testing.T) {
	for s, want := range map[string]int{
		"请用 `/ask list` 查看": 0, "*新请求*": 0, "点击 *新请求* 。": 0,
		"请用`/ask list` 查看": 1, "点击*新请求* 。": 1, "点击 *新请求*。": 1,
	} {
		if got := len(markerProblems(s)); got != want {
			t.Errorf("markerProblems(%q): %d, want %d", s, got, want)
		}
	}
}

// TestChineseMrkdwnMarkersDoNotTouchHan: in every Chinese catalogue
// file (all of them reach Slack), every mrkdwn marker has a space or ASCII
// punctuation outside it, so Slack renders the formatting. Full-width
// punctuation counts as wide: nothing says Slack takes "，" or "（" as a
// boundary, and tools that space CJK text for Slack space those too.
func TestChineseMrkdwnMarkersDoNotTouchHan(t *testing.T) {
	for key, v := range zhMessages(t, "*.zh-Hans.toml") {
		if p := markerProblems(v); len(p) > 0 {
			t.Errorf("%s: markers touch wide characters at %q in %q", key, p, v)
		}
	}
}

// TestHomeInChinese_Golden: the same lead's Home as TestHomeGolden, for a
// reader of Chinese (testdata/home.zh-Hans.golden.json): the Home's own
// headers, buttons, filter menus, rating prompt and notes are Chinese. The
// request lines, standings and away line come from the desk (bot.HomeLine,
// bot.StandingLines), which are another piece's words: the leak check
// covers the adapter's blocks (headers, the Home's action blocks, the
// rating prompt).
func TestHomeInChinese_Golden(t *testing.T) {
	f := bottest.NewFixture(t, slackapp.Mrkdwn)
	f.File(t, bottest.Sam, "finance", "need the Q3 budget numbers for the board deck")
	f.File(t, bottest.Fiona, "it", "my <laptop> & dock will not wake up")
	f.File(t, bottest.Fiona, "it", "a second monitor")
	f.Do(t, bottest.Ivan, bot.ActResolve, "IT-2", "on its way")
	f.Clock.Advance(5 * time.Hour)
	f.File(t, bottest.Tina, "finance", "reimburse the conference fee")
	f.Do(t, bottest.Frank, bot.ActClaim, "FIN-2")
	// Fiona's Slack profile says Chinese: the desk's lines on her Home are
	// Chinese as well as the adapter's chrome.
	f.Desk.Locales = zhReaders{bottest.Fiona: true}
	h, err := f.Desk.Home(f.Ctx, bottest.Fiona, bot.HomeQuery{})
	if err != nil {
		t.Fatal(err)
	}
	v := slackapp.HomeViewIn(zh(t), h, f.Desk.Dir())
	checkLimitsOf(t, v.Blocks.BlockSet, 100)
	assertGolden(t, "home.zh-Hans", v)

	var own []slack.Block
	rated := false
	for _, b := range v.Blocks.BlockSet {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			own = append(own, b)
		case *slack.ActionBlock:
			if strings.HasPrefix(b.BlockID, "askdesk:home:") {
				own = append(own, b)
			}
		case *slack.ContextBlock:
			for _, e := range b.ContextElements.Elements {
				if t, ok := e.(*slack.TextBlockObject); ok && strings.Contains(t.Text, "处理得怎么样") {
					own, rated = append(own, b), true
				}
			}
		}
	}
	if len(own) < 5 || !rated {
		t.Fatalf("found %d of the Home's own blocks (rating prompt %v)", len(own), rated)
	}
	assertNoEnglish(t, textsOf(t, own), configWords(f.Desk.Dir())...)
}

// TestEmptyHomeInChinese: a Home with nothing open and an empty queue says
// so in Chinese, keeping the /ask syntax people type.
func TestEmptyHomeInChinese(t *testing.T) {
	dir := bottest.Directory(t)
	h := &bot.Home{Viewer: bottest.Fiona, Now: bottest.Tuesday10, Loc: time.UTC,
		Queue: &bot.HomeQueue{Depts: dir.Departments, Query: bot.HomeQuery{Page: 1}}}
	blocks := slackapp.HomeBlocksIn(zh(t), h, dir)
	texts := textsOf(t, blocks)
	joined := strings.Join(texts, "\n")
	for _, want := range []string{"我的请求", "目前没有未完成的请求", "`/ask <部门> <需要什么>`", "我的队列", "这里没有待处理的请求", "← 上一页", "全部状态", "紧急"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the empty Chinese Home lacks %q:\n%s", want, joined)
		}
	}
	assertNoEnglish(t, texts, configWords(dir)...)
}

// TestCardBlocksInChinese_Golden: cards whose message is in Chinese
// (Message.Lang zh-Hans, as the desk writes it for a Chinese channel), for
// the Chinese example company (testdata/card_*.zh-Hans.golden.json): the
// field labels, states, priorities, the cut-text note, the transferred
// card's pointer and the cancel confirmation are Chinese, and so is what
// the desk drew (the SLA clock, the last change, the buttons): every word
// but the header, which is the user's title.
func TestCardBlocksInChinese_Golden(t *testing.T) {
	dir := mustChineseDirectory(t)
	cases := cardCases(t, dir)
	for _, name := range []string{"card_open", "card_waiting", "card_private", "card_transferred_away"} {
		t.Run(name, func(t *testing.T) {
			c, ok := cases[name]
			if !ok {
				t.Fatalf("no case %s", name)
			}
			c.m.Lang = "zh-Hans"
			blocks := slackapp.CardBlocks(c.m, dir, c.now)
			checkLimits(t, blocks)
			assertGolden(t, name+".zh-Hans", blocks)
			var own []any
			var all []any
			for _, b := range blocks {
				if _, header := b.(*slack.HeaderBlock); !header {
					all = append(all, b)
				}
				switch b := b.(type) {
				case *slack.SectionBlock:
					if len(b.Fields) > 0 {
						own = append(own, b.Fields)
					}
				case *slack.ActionBlock:
					for _, el := range b.Elements.ElementSet {
						if btn, ok := el.(*slack.ButtonBlockElement); ok && btn.Confirm != nil {
							own = append(own, btn.Confirm)
						}
					}
				}
			}
			if len(own) == 0 {
				t.Fatal("no fields found")
			}
			texts := textsOf(t, own)
			joined := strings.Join(texts, "\n")
			for _, want := range []string{"*提出人*", "*部门*", "*优先级*", "*状态*"} {
				if !strings.Contains(joined, want) {
					t.Errorf("no %q in the fields:\n%s", want, joined)
				}
			}
			assertNoEnglish(t, texts, configWords(dir)...)
			data := configWords(dir) // and the channels and zones it names
			for _, d := range dir.Departments {
				data = append(data, d.Channel, d.Calendar.Location.String())
			}
			assertNoEnglish(t, textsOf(t, all), data...)
		})
	}
}

// TestCardFollowsTheChannelLanguageWhenTheMessageHasNone: a message with
// no Lang is drawn in its department's (or the company's) language, and
// English for the English example company.
func TestCardFollowsTheChannelLanguageWhenTheMessageHasNone(t *testing.T) {
	for _, tc := range []struct {
		dir  *bot.Directory
		want string
	}{{mustChineseDirectory(t), "*提出人*"}, {MustExampleDirectory(t), "*Requested by*"}} {
		c := cardCases(t, tc.dir)["card_open"]
		c.m.Lang = ""
		raw, err := json.Marshal(slackapp.CardBlocks(c.m, tc.dir, c.now))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(raw), tc.want) {
			t.Errorf("card lacks %q: %s", tc.want, raw)
		}
	}
}

// TestDeflectModalInChinese: the earlier-answers form's own words (title,
// buttons) reach a Chinese reader in Chinese, within Slack's limits;
// the answers and advice are the desk's.
func TestDeflectModalInChinese(t *testing.T) {
	dir := mustChineseDirectory(t)
	x := &bot.Deflected{Pending: &bot.PendingFiling{ID: 42}, Dept: dir.ByName("finance"), Answers: hostileAnswers()}
	v := slackapp.DeflectModalIn(zh(t), x)
	if v.Title.Text != "以前有人问过？" || v.Submit.Text != "仍然提交" || v.Close.Text != "取消" {
		t.Errorf("title/submit/close %q/%q/%q, want Chinese", v.Title.Text, v.Submit.Text, v.Close.Text)
	}
	n := 0
	for _, b := range v.Blocks.BlockSet {
		if s, ok := b.(*slack.SectionBlock); ok && s.Accessory != nil && s.Accessory.ButtonElement != nil {
			n++
			if got := s.Accessory.ButtonElement.Text.Text; got != "这个答案解决了我的问题" {
				t.Errorf("button %q, want Chinese", got)
			}
		}
	}
	if n == 0 {
		t.Error("no answer buttons")
	}
	checkLimits(t, v.Blocks.BlockSet)
}

// TestCardJourneyInChineseKeepsItsCharacters: the journey line of a
// transferred request's card, Chinese in a Chinese channel, reaches Slack
// whole (only a cased first letter is capitalized).
func TestCardJourneyInChineseKeepsItsCharacters(t *testing.T) {
	dir := mustChineseDirectory(t)
	c := cardCases(t, dir)["card_open"]
	c.m.Lang = "zh-Hans"
	c.m.Card.Journey = "已提交1小时；自周三 10:00起由财务部处理"
	raw, err := json.Marshal(slackapp.CardBlocks(c.m, dir, c.now))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `\n已提交1小时；自周三 10:00起由财务部处理"`) || strings.ContainsRune(string(raw), utf8.RuneError) {
		t.Errorf("the journey is not whole: %s", raw)
	}
}

// zhReaders is a chat whose profiles say zh-CN for the users it holds.
type zhReaders map[string]bool

func (z zhReaders) UserLocale(user string) (string, bool) {
	if z[user] {
		return "zh-CN", true
	}
	return "", false
}
