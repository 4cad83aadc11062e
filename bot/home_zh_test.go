package bot_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// zhDesk makes the fixture's company speak Chinese by default.
func zhDesk(f *fixture) {
	f.Desk.Dir().Language = "zh-Hans"
}

var (
	leakAllowed = regexp.MustCompile("`[^`]*`|<@[A-Z0-9]+>|\\bU[A-Z0-9]+\\b|\\b[A-Z]+-[0-9]+\\b|:[a-z_]+:|askdesk|SLA|/ask")
	leakWord    = regexp.MustCompile(`[A-Za-z]{3,}`)
)

// englishLeaks are the English words of 3+ letters in s that are none of
// request IDs, mentions, `code` (command syntax), askdesk, SLA and the
// words given (what the user typed, names from config).
func englishLeaks(s string, typed ...string) []string {
	for _, w := range typed {
		s = strings.ReplaceAll(s, w, "")
	}
	return leakWord.FindAllString(leakAllowed.ReplaceAllString(s, ""), -1)
}

func wantChinese(t *testing.T, what, text string, wants []string, typed ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
	if leaks := englishLeaks(text, typed...); len(leaks) > 0 {
		t.Errorf("%s leaks English %q:\n%s", what, leaks, text)
	}
}

// A Chinese reader's Home is in Chinese throughout: headings, status,
// clocks in words with Chinese dates and spans, buttons, the lead's
// standards and figures, who is away.
func TestHomeTextInChinese(t *testing.T) {
	f := newFixture(t)
	zhDesk(f)
	f.File(t, sam, "finance", "报销单")  // FIN-1
	f.File(t, sam, "finance", "季度报表") // FIN-2
	f.Do(t, frank, bot.ActResolve, "FIN-2", "已发")
	f.Clock.Advance(5 * time.Hour)
	f.Desk.Standing = func(_ context.Context, _ *bot.Directory, dept string) (*bot.Standing, error) {
		return &bot.Standing{Week: bot.StandingFigures{Label: "本周", FirstResponses: 4, FirstResponsesMet: 3, Ratings: 2, Average: 4.5},
			Quarter: bot.StandingFigures{Label: "本季度", Resolved: 10, ResolutionsMet: 9, RightFirstTime: 8}}, nil
	}
	f.Desk.Command(f.Ctx, frank, "away")
	fin, _ := f.Desk.Dir().Department("finance")
	for _, tc := range []struct {
		name string
		user string
		want []string
	}{
		{"Requester", sam, []string{"*我的请求*", "*FIN-1* · " + fin.DisplayName + " · 待处理 · 报销单 — 首次响应自周三 04:00起已超时",
			"[回复、撤回]", "_最近关闭_", "*FIN-2* · " + fin.DisplayName + " · 已解决 · 季度报表 — 已于周二 23:00解决", "[关闭、重新打开、评分 1–5]"}},
		{"Lead", fiona, []string{"没有未完成的请求。用 `/ask <部门> <事由>` 可以提请求。", "*我的队列* （未认领的和分给我的，最紧急的在前）",
			"[认领、回复、解决]", "*" + fin.DisplayName + "* （你负责的部门）", "服务标准（普通优先级）：首次响应不超过",
			"本周：首次响应达标 75%（3/4） · 解决达标 –（暂无） · 一次解决率 –（尚无已解决的请求）",
			"满意度 4.5/5（2个评分）", "本季度：首次响应达标 –（暂无） · 解决达标 90%（9/10） · 一次解决率 80%（8/10）",
			"超时最久的请求：", "外出：" + bot.Mention(frank) + "（返回日期未定）"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := f.Desk.Home(f.Ctx, tc.user, bot.HomeQuery{})
			if err != nil {
				t.Fatal(err)
			}
			wantChinese(t, "Home", bot.HomeText(h), tc.want, fin.DisplayName)
		})
	}
}

// The queue's filters and pages are said in Chinese, the filter's state
// and priority by their Chinese names.
func TestHomeQueueFilterInChinese(t *testing.T) {
	f := newFixture(t)
	zhDesk(f)
	f.File(t, sam, "finance", "报销单")
	h, err := f.Desk.Home(f.Ctx, frank, bot.HomeQuery{State: bot.Waiting, Priority: bot.Urgent, Mine: true, Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantChinese(t, "Home", bot.HomeText(h), []string{" · 筛选：状态：等待提出人回复、优先级：紧急、分给我的", "没有待处理的请求。", "第2页。"})
}

// Targets in words, as the Home's standards line says them, in both
// languages: English as TargetWords says it, Chinese without plurals.
func TestHomeStandardsTargetWords(t *testing.T) {
	f := newFixture(t)
	zhDesk(f)
	dep, _ := f.Desk.Dir().Department("finance")
	en := bot.StandingLines(dep, nil)[0]
	tgt := dep.Target(bot.Normal)
	if want := "first response within " + bot.TargetWords(tgt.FirstResponse, dep.Calendar) + ", resolution within " + bot.TargetWords(tgt.Resolution, dep.Calendar); !strings.Contains(en, want) {
		t.Errorf("English standards = %q, want %q", en, want)
	}
	zh := bot.StandingLinesIn(f.Desk.Printer(sam, nil), dep, nil)[0]
	wantChinese(t, "standards", zh, []string{"服务标准（普通优先级）：首次响应不超过"})
	if !strings.Contains(zh, "工作") {
		t.Errorf("Chinese standards %q do not say business time", zh)
	}
}
