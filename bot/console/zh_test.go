package console_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/console"
	"github.com/askdesk/askdesk/bot/i18n"
)

// startZh is Tuesday 8 December 2026, 09:30 in Shanghai: Finance of the
// Chinese example company is open.
var startZh = time.Date(2026, 12, 8, 9, 30, 0, 0, mustZone("Asia/Shanghai"))

// People of config.example.zh.toml.
const (
	songjie  = "U0SONG001" // requester in purchasing
	chenjing = "U0CHEN001" // lead of finance
)

// MustOpenConsoleZh is MustOpenConsole on the Chinese example company
// (config.example.zh.toml, language zh-Hans).
func MustOpenConsoleZh(tb testing.TB, user string) *fixture {
	tb.Helper()
	return mustOpenConsoleOf(tb, "config.example.zh.toml", user, startZh)
}

// TestChineseConsoleChrome: in a Chinese company the console's own words
// (banner, clock, who, usage lines, where a message went, the buttons'
// placeholders, the replies to console commands) are Chinese.
func TestChineseConsoleChrome(t *testing.T) {
	f := MustOpenConsoleZh(t, songjie)
	out := f.run(strings.Join([]string{
		":whoami",
		"/ask 财务 需要第三季度的预算数据",
		":as chenjing",
		":claim",
		":transfer FIN-1",
		":claim FIN-1",
		":resolve FIN-1 已发到你的邮箱",
		":as songjie",
		":react FIN-1 🙂",
		":comment FIN-1 很快",
		":unreact FIN-1 🙂",
		":react FIN-1",
		":route P1",
		":answered P1",
		":survey 2026-Q4",
		":home bogus",
		":home",
		":advance 3x",
		":advance 2h",
		":as nobody",
		":bogus",
		":help",
	}, "\n"))
	mustContain(t, out,
		"askdesk 控制台：你现在是 songjie（U0SONG001，采购部）。输入 /ask 帮助 查看用法，输入 :help 查看控制台命令。\n",
		"模拟时间：2026年12月8日 周二 09:30 CST（Asia/Shanghai）\n",
		"\nsongjie> :whoami\n你是 songjie（U0SONG001，采购部）。\n",
		"  ┌ 仅你可见\n  │ 已提交 *FIN-1* 给财务部",
		"  ┌ #finance-requests · 卡片 FIN-1\n",
		" [:reply FIN-1 <内容>] [:resolve FIN-1 [说明]] [:wait FIN-1 [说明]] [:reassign FIN-1 <成员>] [:transfer FIN-1 <部门>]\n",
		"你现在是 chenjing（U0CHEN001，财务部负责人）。\n",
		"\nchenjing> :claim\n哪个请求？例如 :claim FIN-1\n",
		"\nchenjing> :transfer FIN-1\n用法：:transfer FIN-1 <部门>\n",
		"\nchenjing> :claim FIN-1\n  ┌ 仅你可见\n  │ 完成：FIN-1 现在的状态是“已受理”。\n  └\n",
		"  ┌ 私信给 songjie · 消息串 FIN-1\n",
		"  │ 完成：FIN-1 现在的状态是“已解决”。\n",
		"\nsongjie> :react FIN-1 🙂\n  ┌ 仅你可见\n  │ 谢谢！你给 FIN-1 打了4分（满分5分）。\n  └\n",
		"\nsongjie> :comment FIN-1 很快\n  ┌ 仅你可见\n  │ 谢谢，你的意见已附在评分上。\n  └\n",
		"\nsongjie> :unreact FIN-1 🙂\n  ┌ 仅你可见\n  │ 你对 FIN-1 的评分已撤回。\n  └",
		"\nsongjie> :react FIN-1\n用法：:react FIN-1 🙂（或 :rate FIN-1 4，撤回用 :unreact FIN-1 🙂）\n",
		"\nsongjie> :route P1\n用法：:route P1 <部门>\n",
		"\nsongjie> :answered P1\n用法：:answered P1 <请求编号>:<部门>\n",
		"\nsongjie> :survey 2026-Q4\n用法：:survey 2026-Q3 <部门> <1-5> [意见]\n",
		"\nsongjie> :home bogus\n用法：:home [page N] [mine] [urgent|normal|low] [open|acknowledged|waiting|reopened] [dept <名称>] [type <名称>]\n",
		"\nsongjie> :home\n  ┌ 你的主页\n",
		"\nsongjie> :advance 3x\n用法：:advance <时长>，例如 :advance 90m、:advance 26h、:advance 3d\n",
		"\nsongjie> :advance 2h\n模拟时间：2026年12月8日 周二 11:30 CST（Asia/Shanghai），拨快了2小时\n",
		"\nsongjie> :as nobody\n没有叫“nobody”的人。请用配置里的名字（:people 列出所有人），或 Slack 用户 ID，例如 U0123ABC。\n",
		"\nsongjie> :bogus\n没有 :bogus 这个控制台命令。输入 :help 查看所有命令。\n",
		"\nsongjie> :help\n控制台命令（其他输入都按 /ask 命令处理，可以不写“/ask”）：\n  :as <用户>                    以某人的身份操作（配置里的名字或 Slack 用户 ID）\n",
		"  :quit                         退出\n",
	)
	if words := englishChrome(out); len(words) > 0 {
		t.Errorf("English words in the console's own lines: %q\n%s", words, out)
	}
}

// TestChineseConsoleSend: where a message went, a saved file and the
// reactions added are said in Chinese.
func TestChineseConsoleSend(t *testing.T) {
	f := MustOpenConsoleZh(t, songjie)
	f.con.FileDir = t.TempDir()
	ctx := context.Background()
	f.out.Reset()
	if err := f.con.Send(ctx, bot.Message{To: songjie, DM: true, ThreadOf: "FIN-1", Text: "好的", Reactions: []string{"slightly_smiling_face"},
		File: &bot.File{Name: "digest.png", Title: "每周摘要图表", Data: []byte("png")}}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(f.con.FileDir, "digest.png")
	want := "  ┌ 私信给 songjie · 消息串 FIN-1\n" +
		"  │ 好的\n" +
		"  │ （每周摘要图表已保存到 " + path + "）\n" +
		"  │ （已添加表情：🙂）\n" +
		"  └\n"
	if got := f.out.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	f.out.Reset()
	if err := f.con.Send(ctx, bot.Message{To: "#finance-requests", CardFor: "FIN-1", Text: "卡片",
		Buttons: []bot.Button{{Action: bot.ActRoute, RequestID: "P1"}, {Action: bot.ActSurvey, Arg: "2026-Q4"}}}); err != nil {
		t.Fatal(err)
	}
	want = "  ┌ #finance-requests · 卡片 FIN-1\n  │ 卡片\n  └ [:route P1 <部门>] [:survey 2026-Q4 <部门> <1-5> [意见]]\n"
	if got := f.out.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// commandish are the parts of a console line that stay as typed in every
// language: commands, IDs, mentions, channels, zones and the filters :home
// takes.
var commandish = regexp.MustCompile(`:[a-z]+|/ask( \w+)?|[A-Z]+-\d+|U0[A-Z0-9]+|#[a-z-]+|@\w+|Asia/Shanghai|\bCST\b|\bSlack\b|\baskdesk\b|page N|mine|urgent\|normal\|low|open\|acknowledged\|waiting\|reopened|dept |type `)

// englishChrome returns the English words of the console's own lines: not
// the desk's text inside a message's box, not the echoed input, not names.
func englishChrome(out string) []string {
	var words []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "  │") || strings.Contains(line, "> ") && !strings.HasPrefix(line, " ") {
			continue
		}
		line = commandish.ReplaceAllString(line, "")
		for _, name := range []string{"songjie", "chenjing", "nobody", "bogus"} {
			line = strings.ReplaceAll(line, name, "")
		}
		words = append(words, regexp.MustCompile(`[A-Za-z]{3,}`).FindAllString(line, -1)...)
	}
	return words
}

// TestChineseConsoleSaysWhatWasDone: a reply is answered as a reply sent,
// and a request ID that names no request, a department that is none and
// a wrong quarter are refused in Chinese.
func TestChineseConsoleSaysWhatWasDone(t *testing.T) {
	f := MustOpenConsoleZh(t, songjie)
	f.con.Surveys = f.db
	out := f.run(strings.Join([]string{
		"/ask 行政 需要会议室",
		"/ask 状态 FIN-99",
		"/ask 撤回 IT-9",
		":survey 2025-Q9 财务 4",
		":survey 2026-Q4 市场 2 太慢",
		":as lina",
		":reopen FIN-99",
		":transfer ADM-1 市场部",
		":claim ADM-1",
		":reply ADM-1 好的，下午三点的会议室给你留着",
	}, "\n"))
	depts := "部门有：财务部、人力资源部、IT部、行政部、法务部、采购部。"
	mustContain(t, out,
		"songjie> /ask 状态 FIN-99\n  ┌ 仅你可见\n  │ 没有编号为 FIN-99 的请求。\n",
		"songjie> /ask 撤回 IT-9\n  ┌ 仅你可见\n  │ 没有编号为 IT-9 的请求。\n",
		"  │ “2025-Q9”不是季度，请写成 2026-Q3 这样的格式。\n",
		"  │ 没有叫“市场”的部门。"+depts+"\n",
		"lina> :reopen FIN-99\n  ┌ 仅你可见\n  │ 没有编号为 FIN-99 的请求。\n",
		"  │ 没有叫“市场部”的部门。"+depts+"\n",
		"lina> :claim ADM-1\n  ┌ 仅你可见\n  │ 完成：ADM-1 现在的状态是“已受理”。\n",
		"lina> :reply ADM-1 好的，下午三点的会议室给你留着\n  ┌ 仅你可见\n  │ 已发送回复。ADM-1 现在的状态是“已受理”。\n",
	)
}

// TestAdvanceWords: :advance says how far it moved the clock in the
// reader's units, part by part as typed; English prints what was typed.
func TestAdvanceWords(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	for _, tt := range []struct{ in, en, zh string }{
		{"45m", "45m", "45分钟"},
		{"26h", "26h", "26小时"},
		{"7d", "7d", "7天"},
		{"90m", "90m", "90分钟"},
		{"1h30m", "1h30m", "1小时30分钟"},
		{"1.5h", "1.5h", "1.5小时"},
		{"90s", "90s", "90秒"},
		{"500ms", "500ms", "500ms"}, // sub-second: as typed
		{"26H", "26H", "26H"},       // capitals: as typed
	} {
		if got := console.AdvanceWords(nil, tt.in); got != tt.en {
			t.Errorf("English %q: %q, want %q", tt.in, got, tt.en)
		}
		if got := console.AdvanceWords(zh, tt.in); got != tt.zh {
			t.Errorf("Chinese %q: %q, want %q", tt.in, got, tt.zh)
		}
	}
}
