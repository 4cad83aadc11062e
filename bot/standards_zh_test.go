package bot_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/catalog"
	"github.com/askdesk/askdesk/bot/config"
	"github.com/askdesk/askdesk/bot/i18n"
)

// People of config.example.zh.toml.
const (
	chenjing = "U0CHEN001" // leads finance
	zhoumin  = "U0ZHOU001" // finance member
	xulei    = "U0XU00001" // finance member
	songjie  = "U0SONG001" // in purchasing, in no queue
	yangxue  = "U0YANG001" // in finance, in no queue
)

// exampleZhDesk is the desk of the Chinese example company
// (config.example.zh.toml, whose language is zh-Hans), its service
// catalogue kept in Slack on a real SQLite file, at Tuesday 8 December
// 2026 10:00 in Shanghai.
func exampleZhDesk(t *testing.T) *bot.Desk {
	t.Helper()
	f, err := os.Open("../config.example.zh.toml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := config.Parse("config.example.zh.toml", f)
	if err != nil {
		t.Fatal(err)
	}
	clock := bot.NewManualClock(time.Date(2026, 12, 8, 2, 0, 0, 0, time.UTC))
	var desk *bot.Desk
	db := MustOpenStore(t)
	cat, err := catalog.Open(context.Background(), catalog.Options{Config: cfg, File: "config.example.zh.toml", Source: catalog.FromSlack,
		Store: db, Clock: clock, Apply: func(d *bot.Directory) {
			if desk != nil {
				desk.SetDir(d)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	desk = bot.New(cat.Directory(), db, nil, clock, nil)
	desk.Catalogue = cat
	return desk
}

// TestStandardsInChinese: a lead of the Chinese company reads the
// standard, changes a target, and reads the history and the revision, all
// in Chinese; wrong words get the usage in Chinese.
func TestStandardsInChinese(t *testing.T) {
	d := exampleZhDesk(t)
	ctx := context.Background()
	run := func(line string) string { return d.Command(ctx, chenjing, line).Text }
	lead, z, x := bot.Mention(chenjing), bot.Mention(zhoumin), bot.Mention(xulei)

	first := run("/ask 标准 财务")
	wantChinese(t, "standard", first, []string{
		"*财务部的服务标准* （第1版，周二 10:00）\n费用报销、供应商付款与发票、借款、预算与成本中心、月结数据和开票信息。\n",
		"\n队列：#finance-requests\n工作时间：周一–周五 09:00–12:00、13:00–18:00（Asia/Shanghai）\n时限：\n" +
			"• 紧急：首次响应 1个工作小时 以内；解决 1个工作日 以内\n" +
			"• 普通：首次响应 4个工作小时 以内；解决 3个工作日 以内\n" +
			"• 低：首次响应 1个工作日 以内；解决 5个工作日 以内\n" +
			"负责人：" + lead + "\n成员：" + z + "、" + x + "\n",
		"（来自配置文件）。发 `/ask 标准 finance history` 可查看全部修改记录。",
	}, "#finance-requests", "Asia/Shanghai", "config.example.zh.toml", "first published from")

	if got, want := run("/ask 管理 财务 set targets normal 2h / 3d -- 季度结账完成"),
		"已保存财务部服务标准的第2版：普通优先级的首次响应时限 4个工作小时 → 2个工作小时。"; got != want {
		t.Errorf("set:\ngot  %s\nwant %s", got, want)
	}
	wantChinese(t, "standard after the change", run("/ask 标准 财务"), []string{
		"*财务部的服务标准* （第2版，周二 10:00）",
		"• 普通：首次响应 2个工作小时 以内；解决 3个工作日 以内\n",
		"最近一次修改：“季度结账完成”（" + lead + " 修改）。发 `/ask 标准 finance history` 可查看全部修改记录。",
	}, "#finance-requests", "Asia/Shanghai")

	history := run("/ask 标准 财务 history")
	lines := strings.Split(history, "\n")
	if len(lines) != 4 || lines[0] != "*财务部服务标准的修改记录* （最新的在前）" ||
		lines[1] != "• *第2版* · 周二 10:00 · "+lead+" 修改 · “季度结账完成”" ||
		!strings.HasPrefix(lines[2], "• *第1版* · 周二 10:00 · 来自配置文件 · “") ||
		lines[3] != "发 `/ask 标准 finance <版本号>` 可查看某一版改了什么。" {
		t.Errorf("history:\n%s", history)
	}
	// The first revision's reason is the catalogue's own words (bot/catalog).
	wantChinese(t, "history", strings.Join([]string{lines[0], lines[1], lines[3]}, "\n"), nil)
	if got := run("/ask 标准 财务 历史"); got != history {
		t.Errorf("历史:\n%s\nwant the history", got)
	}

	for _, tc := range []struct{ name, line, want string }{
		{"Revision", "/ask 标准 财务 第2版", "*财务部服务标准第2版* · 周二 10:00 · " + lead + " 修改\n修改原因：“季度结账完成”\n• `sla.normal.first_response` ：4h → 2h"},
		{"Usage", "/ask 标准 财务 哪一版", "发 `/ask 标准 finance` 查看服务标准， `… history` 查看全部修改记录， `… 3` 查看第3版改了什么。"},
		{"SetUsage", "/ask 管理 财务 set", "请这样写： `/ask 管理 财务 set <修改项> <新值> -- <原因>` ，例如 `/ask 管理 财务 set sla.normal.resolution 2d -- 月底不那么忙了` 。"},
		{"ManageUsage", "/ask 管理 财务 改名", "发 `/ask 管理 财务` 查看可以修改的内容；发 `/ask 管理 财务 set <修改项> <新值> -- <原因>` 进行修改。"},
		{"ManageListUsage", "/ask 管理 财务 删除", "请这样写： `/ask 管理 财务 添加 <修改项> <内容> -- <原因>` 或 `… 删除 <修改项> <日期或 ID> -- <原因>` ，例如 `/ask 管理 财务 添加 holidays 2027-01-01 元旦 -- 补上明年的元旦` 。可以逐项添加、删除的有：holidays（节假日）、workdays（调休上班日）、leads（负责人）、members（成员）。"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := run(tc.line); got != tc.want {
				t.Errorf("%s:\ngot  %s\nwant %s", tc.line, got, tc.want)
			}
		})
	}
	t.Run("Form", func(t *testing.T) {
		got := run("/ask 管理 财务")
		for _, w := range []string{"*财务服务标准中可以修改的内容* （每次改一项： `/ask 管理 财务 set <修改项> <新值> -- <原因>` ，",
			" （ `display_name` ）\n财务部\n", "（ `usergroup` ）", "\n（无）\n", "\n\n也可以直接用配置文件里的键，例如 `sla.low.resolution` 。"} {
			if !strings.Contains(got, w) {
				t.Errorf("form lacks %q:\n%s", w, got)
			}
		}
	})
	t.Run("Depts", func(t *testing.T) {
		// /ask 部门 lists every department's targets and quality
		// targets, in Chinese.
		got := run("/ask 部门")
		for _, w := range []string{"_服务质量：一次解决率指已解决的请求中，没有被重新打开、也没有被评为1分或2分的比例；",
			"工作时间：周一–周五 09:00–12:00、13:00–18:00（Asia/Shanghai）\n时限：\n• 紧急：首次响应 1个工作小时 以内；解决 1个工作日 以内\n",
			"\n质量目标：一次解决率90% · 满意度4.2\n"} {
			if !strings.Contains(got, w) {
				t.Errorf("depts lack %q:\n%s", w, got)
			}
		}
	})
	t.Run("NotSaved", func(t *testing.T) {
		got := run("/ask 管理 财务 set targets normal 2x / 3d -- 试试")
		if !strings.HasPrefix(got, "未保存：\n• targets：") {
			t.Errorf("refused edit: %s", got)
		}
	})
}

// TestSummarizeChangesInChinese: what a revision changed, as a Chinese
// queue channel reads it; the English is TestSummarizeChanges's.
func TestSummarizeChangesInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	changes := []bot.StandardChange{
		{Key: "sla.normal.first_response", Old: "'4h'", New: "'2h'"},
		{Key: "members", Old: "['U0FRANK01', 'U0FARAH01']", New: "['U0FRANK01', 'U0FELIX01']"},
		{Key: "hours.sat", New: "'10:00-12:00'"},
		{Key: "holidays[3].date", Old: "'2026-12-24'", New: "'2026-12-31'"},
		{Key: "holidays[3].name", Old: "'平安夜'", New: "'元旦前夜'"},
		{Key: "description", Old: "'各类发票和付款'", New: "'发票'"},
		{Key: "reminders.escalate_after", Old: "'1h'", New: "'30m'"},
	}
	got := bot.SummarizeChangesIn(zh, changes, 4)
	want := "普通优先级的首次响应时限 4个工作小时 → 2个工作小时；成员 +" + bot.Mention("U0FELIX01") + " −" + bot.Mention("U0FARAH01") +
		"；周六的工作时间设为 10:00-12:00；节假日 2026-12-24 → 2026-12-31；另有2项"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := bot.SummarizeChangesIn(zh, changes[4:], 4); got != "节假日 平安夜 → 元旦前夜；服务内容 各类发票和付款 → 发票；超时后上报负责人的时间 1h → 30m" {
		t.Errorf("keys by name: %s", got)
	}
	if got := bot.SummarizeChangesIn(zh, []bot.StandardChange{{Key: "sla.urgent.resolution", Old: "'1wd'", New: "'24h calendar'"}}, 4); got != "紧急优先级的解决时限 1个工作日 → 24小时（自然时间）" {
		t.Errorf("calendar target: %s", got)
	}
}
