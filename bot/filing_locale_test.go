package bot_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/i18n"
	"golang.org/x/text/language"
)

// cachedLocales is a chat like Slack's adapter: CachedUserLocale answers
// from what it knows; UserLocale would start a users.info lookup, and
// counts how often it was asked.
type cachedLocales struct {
	known  map[string]string
	lookup map[string]int
}

func (c *cachedLocales) UserLocale(user string) (string, bool) {
	c.lookup[user]++
	l, ok := c.known[user]
	return l, ok
}

func (c *cachedLocales) CachedUserLocale(user string) (string, bool) {
	l, ok := c.known[user]
	return l, ok
}

// TestFilingIsInTheFilersChatLanguage: in an English company, a person
// whose Slack locale is zh-CN reads their typed filing's reply, the
// routing question, the deflection and the routed filing's reply in
// Chinese, each marked zh-Hans for the adapter's own words, as the form
// already was. Their locale is asked of the chat's cache only: filing
// starts no lookup, for them or for a person never seen, who reads
// English.
func TestFilingIsInTheFilersChatLanguage(t *testing.T) {
	for _, tc := range []struct {
		name    string
		finder  func() bot.LocaleFinder
		lookups func(bot.LocaleFinder) map[string]int
	}{
		{"LocaleFinder", func() bot.LocaleFinder { return chatLocales{bottest.Sam: "zh-CN"} }, nil},
		{"LocaleCache", func() bot.LocaleFinder {
			return &cachedLocales{known: map[string]string{bottest.Sam: "zh-CN"}, lookup: map[string]int{}}
		}, func(l bot.LocaleFinder) map[string]int { return l.(*cachedLocales).lookup }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, old := deflectFixture(t)
			finder := tc.finder()
			f.Desk.Locales = finder

			typed := f.Desk.Command(f.Ctx, bottest.Sam, "/ask finance need the Q3 budget")
			wantReply(t, "typed filing", typed, i18n.ZhHans,
				"已提交 *FIN-1* 给Finance（普通优先级）：need the Q3 budget", "发 `/ask 状态 FIN-1` 可查看进展。")
			if len(typed.Buttons) != 1 || typed.Buttons[0].Label != "撤回" {
				t.Errorf("typed filing's buttons %+v, want 撤回", typed.Buttons)
			}

			ask := f.Desk.Command(f.Ctx, bottest.Sam, "vpn token expired again")
			wantReply(t, "routing question", ask, i18n.ZhHans,
				"你没有指定部门，下面是这件事最可能归属的部门：\n> vpn token expired again\n最可能是IT。")
			bs := routeButtons(t, ask)
			if bs[0].Label != "提交给IT" || bs[len(bs)-1].Label != "其他部门…" {
				t.Errorf("routing buttons %+v", bs)
			}

			deflected, err := f.Desk.FileRouted(f.Ctx, bottest.Sam, bs[0].RequestID, bs[0].Arg)
			if err != nil {
				t.Fatal(err)
			}
			wantReply(t, "deflection", deflected, i18n.ZhHans, "提交给 *IT* 之前：", "*"+old.ID+"*", "否则请点 *仍然提交* 按钮。")
			anyway := buttonsOf(deflected, bot.ActRoute)
			if len(anyway) != 1 || anyway[0].Label != "仍然提交" {
				t.Fatalf("file-anyway buttons %+v", anyway)
			}

			routed, err := f.Desk.FileRouted(f.Ctx, bottest.Sam, anyway[0].RequestID, anyway[0].Arg)
			if err != nil {
				t.Fatal(err)
			}
			wantReply(t, "routed filing", routed, i18n.ZhHans, "已提交 *IT-2* 给IT（普通优先级）：vpn token expired again")
			if len(routed.Buttons) != 1 || routed.Buttons[0].Label != "撤回" {
				t.Errorf("routed filing's buttons %+v, want 撤回", routed.Buttons)
			}

			// Tina's locale is unknown: English, as before.
			tina := f.Desk.Command(f.Ctx, bottest.Tina, "/ask finance a new chair")
			wantReply(t, "filing of someone never seen", tina, i18n.En, "Filed *FIN-2* with Finance")

			if tc.lookups != nil {
				if n := tc.lookups(finder); len(n) != 0 {
					t.Errorf("filing started chat lookups %v, want none", n)
				}
			}
		})
	}
}

// wantReply checks r is written in lang, holds wants, and, in Chinese,
// no English but what was typed and the company's names.
func wantReply(t *testing.T, what string, r bot.Reply, lang language.Tag, wants ...string) {
	t.Helper()
	if got := r.Lang; got != lang.String() {
		t.Errorf("%s: Lang %q, want %q", what, got, lang.String())
	}
	for _, w := range wants {
		if !strings.Contains(r.Text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, r.Text)
		}
	}
	if lang == i18n.ZhHans {
		// What was typed, the company's names and Sam's zone as the tz
		// database names it stay as they are.
		typed := []string{"need the Q3 budget", "vpn token expired again", "my vpn token expired on the laptop",
			"Renew it at vpn.example.com/renew with your badge number", "Finance", "finance", "Asia/Shanghai"}
		if leaks := englishLeaks(r.Text, typed...); len(leaks) > 0 {
			t.Errorf("%s leaks English %q:\n%s", what, leaks, r.Text)
		}
	}
}
