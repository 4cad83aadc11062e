package bot_test

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
)

// TestAChineseRequesterHearsChineseWhileTheEnglishQueueReadsEnglish: Sam
// ([people] lang = "zh-Hans") and Tina (Slack locale zh-CN) file with the
// English finance department. Their DMs are Chinese and marked zh-Hans,
// buttons included; finance's cards and thread lines stay English and are
// marked en.
func TestAChineseRequesterHearsChineseWhileTheEnglishQueueReadsEnglish(t *testing.T) {
	sam, tina, frank := bottest.Sam, bottest.Tina, bottest.Frank
	for _, tc := range []struct {
		name string
		user string
		set  func(f *bottest.Fixture)
	}{
		{"PeopleLang", sam, func(f *bottest.Fixture) {
			dir := testDir(t)
			dir.People[sam].Lang = "zh-Hans"
			f.Desk.SetDir(dir)
		}},
		{"SlackLocale", tina, func(f *bottest.Fixture) { f.Desk.Locales = locales{tina: "zh-CN"} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			tc.set(f.Fixture)
			r := f.File(t, tc.user, "finance", "Q3 budget numbers")
			check := func(step string, wantDMs int, wantButtons ...bot.Action) {
				t.Helper()
				dms := 0
				for _, m := range f.Sent(t) {
					switch {
					case m.To == "#finance":
						if m.Lang != "en" {
							t.Errorf("%s: #finance message marked %q, want en", step, m.Lang)
						}
						if m.CardFor != "" && (m.Change == "" || firstEnglishWord(m.Change) == "") {
							t.Errorf("%s: card change %q, want English", step, m.Change)
						}
						for _, b := range m.Buttons {
							if strings.ContainsFunc(b.Label, isHan) {
								t.Errorf("%s: card button %q in #finance is not English", step, b.Label)
							}
						}
					case m.To == tc.user && m.DM:
						dms++
						if m.Lang != "zh-Hans" {
							t.Errorf("%s: DM marked %q, want zh-Hans", step, m.Lang)
						}
						if !strings.ContainsFunc(m.Text, isHan) || leaked(m.Text, r.ID, "Q3 budget numbers", "Finance", "/ask status", "which cost centre?", "numbers attached", ">done") != "" {
							t.Errorf("%s: DM %q, want Chinese", step, m.Text)
						}
						var got []bot.Action
						rating := 0
						for _, b := range m.Buttons {
							got = append(got, b.Action)
							if b.Action == bot.ActRate { // an emoji that carries its score
								rating++
								if b.Arg != strconv.Itoa(rating) || b.RequestID != r.ID {
									t.Errorf("%s: rating button %d = %+v, want rating %d of %s", step, rating, b, rating, r.ID)
								}
								continue
							}
							if !strings.ContainsFunc(b.Label, isHan) || firstEnglishWord(b.Label) != "" {
								t.Errorf("%s: DM button %q, want a Chinese label", step, b.Label)
							}
						}
						if !slices.Equal(got, wantButtons) {
							t.Errorf("%s: DM buttons %v, want %v", step, got, wantButtons)
						}
					}
				}
				if dms != wantDMs {
					t.Errorf("%s: %d DMs to the requester, want %d", step, dms, wantDMs)
				}
			}
			check("filed", 0)
			f.Do(t, frank, bot.ActClaim, r.ID)
			check("claimed", 1)
			f.Do(t, frank, bot.ActWait, r.ID, "which cost centre?")
			check("waiting", 1, bot.ActReply)
			f.Do(t, frank, bot.ActResume, r.ID)
			check("resumed", 0)
			f.Do(t, frank, bot.ActReply, r.ID, "numbers attached")
			check("replied", 1, bot.ActReply)
			f.Do(t, frank, bot.ActResolve, r.ID, "done")
			// Resolved: the rating prompt rides on the DM, five scores and a comment.
			check("resolved", 1, bot.ActReopen, bot.ActClose, bot.ActRate, bot.ActRate, bot.ActRate, bot.ActRate, bot.ActRate, bot.ActComment)
			f.Do(t, tc.user, bot.ActReopen, r.ID, "missing October")
			check("reopened", 0)
			f.Do(t, bottest.Fiona, bot.ActTransfer, r.ID, "it")
			check("transferred", 1)
		})
	}
}

var mention = regexp.MustCompile(`<@[A-Z0-9]+>`)

func isHan(r rune) bool { return r >= 0x4e00 && r <= 0x9fff || r >= 0x3400 && r <= 0x4dbf }

// firstEnglishWord returns the first run of three or more Latin letters in s.
func firstEnglishWord(s string) string {
	n := 0
	for i, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			n++
			if n >= 3 {
				j := i
				for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
					j++
				}
				return s[i-2 : j]
			}
			continue
		}
		n = 0
	}
	return ""
}

// leaked is the first English word of s once the allowed words (request
// IDs, what the user typed, names) are taken out.
func leaked(s string, allowed ...string) string {
	s = mention.ReplaceAllString(s, "")
	for _, a := range allowed {
		s = strings.ReplaceAll(s, a, "")
	}
	return firstEnglishWord(s)
}
