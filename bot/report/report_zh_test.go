package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/i18n"
	"github.com/askdesk/askdesk/bot/report"
)

// checkZhGolden compares got with testdata/name (-update-zh rewrites it).
func checkZhGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateZh {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs; run with -update-zh and read the diff:\n%s", path, got)
	}
}

// checkChinese fails on an English word in zh text other than allowed
// (what the company or a person wrote, IDs, commands) and SLA.
func checkChinese(t *testing.T, text string, allowed ...string) {
	t.Helper()
	ok := map[string]bool{"SLA": true, "America": true, "New_York": true, "New": true, "York": true, "Europe": true, "London": true,
		"Finance": true, "Purchasing": true}
	for _, a := range allowed {
		ok[a] = true
	}
	for _, w := range englishWord.FindAllString(text, -1) {
		if !ok[w] {
			t.Errorf("English word %q in the Chinese text:\n%s", w, text)
			return
		}
	}
}

// TestScorecardInChinese: the right-first-time week's scorecard (ratings
// against a target, people, a date period) in Chinese, against a golden
// read by a Chinese reader; transfers and self-served questions get their
// Chinese lines too.
func TestScorecardInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	f, n := seedRightFirstTime(t)
	period, err := report.DatePeriod(n("2026-11-30 00:00"), n("2026-12-06 00:00"))
	if err != nil {
		t.Fatal(err)
	}
	// On Thursday: the period is not over.
	r := f.report(t, report.ReportOptions{Period: period, Now: n("2026-12-03 15:30")})
	var b bytes.Buffer
	if err := report.WriteReportIn(&b, zh, r, "table", f.Desk.Dir()); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	checkZhGolden(t, "report.zh-Hans.golden", got)
	for _, want := range []string{
		"服务报告 · 2026-11-30至2026-12-06 · 2026年11月30日至12月6日，对比2026-11-23至2026-11-29\n",
		"本期尚未结束：数据截至12月3日 周四 15:30，未结和已超时的请求按当时统计。",
		"  一次解决率  90%   55%（5/9），未达标",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in:\n%s", want, got)
		}
	}
	checkChinese(t, got, "IT", "Asia", "Shanghai")
	// English is unchanged by a nil printer.
	var en, def bytes.Buffer
	if err := report.WriteReportIn(&en, nil, r, "table", f.Desk.Dir()); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteReport(&def, r, "table", f.Desk.Dir()); err != nil {
		t.Fatal(err)
	}
	if en.String() != def.String() || !strings.HasPrefix(en.String(), "Service report · 2026-11-30 to 2026-12-06") {
		t.Errorf("English:\n%s", en.String())
	}
	// CSV and JSON are the same in every language.
	for _, format := range []string{"csv", "json"} {
		var a, b bytes.Buffer
		report.WriteReportIn(&a, zh, r, format, f.Desk.Dir())
		report.WriteReport(&b, r, format, f.Desk.Dir())
		if a.String() != b.String() {
			t.Errorf("%s differs in Chinese", format)
		}
	}
}

// TestScorecardTransfersInChinese: the transfer rows and note in Chinese.
func TestScorecardTransfersInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	f := newFixture(t)
	f.Desk.SetDir(bottest.WithPurchasing(t, testDir(t)))
	bottest.SeedTransfers(t, f.Fixture)
	p, err := report.DatePeriod(at(t, time.UTC, "2026-11-23 00:00"), at(t, time.UTC, "2026-11-29 00:00"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := report.ComputeReport(f.Ctx, f.DB, f.Desk.Dir(), report.ReportOptions{Period: p, Now: at(t, time.UTC, "2026-12-01 12:00")})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := report.WriteReportIn(&b, zh, rep, "markdown", f.Desk.Dir()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| 转入 |", "| 转出 |", "_转交的请求：各部门只计算请求在本部门期间的部分。", "## 全部部门 · UTC"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no %q in:\n%s", want, b.String())
		}
	}
	checkChinese(t, b.String(), "IT", "Europe", "London", "UTC", "Asia", "Kolkata", "Legal", "Marketing", "Los_Angeles", "Los", "Angeles",
		"Sales", "Chicago", "Facilities", "Shanghai", "Production", "Berlin")
}

// TestMapInChinese: /ask map and its formats for a Chinese reader.
func TestMapInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	f, n := seedQ3(t)
	m, err := report.ComputeMap(f.Ctx, f.DB, f.Desk.Dir(), report.QuarterPeriod(bot.Quarter{Year: 2026, Q: 3}), n("2026-10-05 09:00"))
	if err != nil {
		t.Fatal(err)
	}
	want := "*部门服务关系图* · 2026年第3季度（2026年7月1日至9月30日）\n" +
		"*往来最多的部门* （提交的请求 · 时限达标 · 评分）：\n" +
		"• sales → Finance：2个请求 · 首次响应和解决时限共4项，达标75% · 评分5.0/5（1个评分）\n" +
		"• marketing → Finance：1个请求 · 首次响应和解决时限共2项，达标100% · 评分2.0/5（1个评分）\n" +
		"• sales → IT：1个请求 · 首次响应和解决时限共2项，达标100% · 评分4.0/5（1个评分）\n" +
		"• 未知部门 → Finance：1个请求 · 首次响应和解决时限共1项，达标0%\n" +
		"*各部门最大的内部客户：*\n" +
		"• Finance：sales，占4个请求中的2个（50%）\n" +
		"• IT：sales，占1个请求中的1个（100%）\n" +
		"_有1个请求来自无法归入部门的人（显示为“未知部门”）。要把他们归入部门，可以：把他们加入某个部门的 `members` 或其 Slack `usergroup` 里；在 `[people]` 中写明其部门；或者把 `[slack] department_field` 设为存放部门的 Slack 个人资料字段。_\n" +
		"_提出人的部门是其提交请求时所在的部门，依据配置中的 `[people]` 表、其任职的部门或其 Slack 个人资料确定。完整的关系图可用 `askdesk map --format mermaid` 生成，或用 `askdesk map --format dot` 生成 Graphviz 格式。_"
	if got := m.SlackTextIn(zh, zh.Quarter(2026, 3)); got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}

	// /ask 关系图 answers each reader in their language.
	f.Desk.Dir().People[sam].Lang = "zh-Hans"
	f.Clock.Set(n("2026-07-20 09:00"))
	reply := f.Desk.Command(f.Ctx, sam, "/ask 关系图")
	for _, want := range []string{"*部门服务关系图* · 近30天（2026年6月21日至7月20日）\n", "• sales → Finance：2个请求", "• Finance：sales，占3个请求中的2个（66%）"} {
		if !strings.Contains(reply.Text, want) {
			t.Errorf("/ask 关系图 lacks %q:\n%s", want, reply.Text)
		}
	}
	if en := f.Desk.Command(f.Ctx, tina, "/ask map"); !strings.HasPrefix(en.Text, "*Who serves whom* · last 30 days (21 Jun – 20 Jul 2026)\n") {
		t.Errorf("/ask map for an English reader:\n%s", en.Text)
	}
	if reply := f.Desk.Command(f.Ctx, sam, "map 2026-Q3"); !strings.Contains(reply.Text, "`/ask map` 不带其他参数，显示的是近30天的情况。") {
		t.Errorf("/ask map 2026-Q3: %s", reply.Text)
	}

	var table bytes.Buffer
	if err := report.WriteMapIn(&table, zh, m, "table"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"  提出 \\ 服务  Finance  IT  合计\n", "  未知部门     1        ·   1\n",
		"来自无法归入部门的人（“未知部门”）的请求：1个。要把他们归入部门，可以：把他们加入某个部门的 members 或其 Slack usergroup 里"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	checkChinese(t, table.String(), "sales", "marketing", "members", "Slack", "usergroup", "people", "slack", "department", "field", "IT")
	if err := report.WriteMapIn(&table, zh, m, "svg"); bot.ErrorText(zh, err) != "未知的格式“svg”：请用 table、dot、mermaid。" {
		t.Errorf("format svg: %v", bot.ErrorText(zh, err))
	}
}

// TestReportErrorsInChinese: the period's and week's errors say what to
// write in the reader's language, and stay English for an English one.
func TestReportErrorsInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	now := time.Date(2026, 10, 5, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		err    error
		zh, en string
	}{
		{perr(report.ParsePeriod("2026-Q3", "2026-07-01", "", now)), "请给出季度或起止日期，不要两者都给。", "Give either a quarter or dates (from and to), not both."},
		{perr(report.ParsePeriod("", "2026-07-01", "", now)), "请给出时段的起止两个日期（含首尾两天），例如2026-07-01和2026-09-30。", ""},
		{perr(report.ParsePeriod("", "2026-07-01", "2026-13-01", now)), "“2026-13-01”不是日期，请写成2026-07-01这样的格式", "“2026-13-01” is not a date; write it like 2026-07-01"},
		{perr(report.ParsePeriod("", "2026-07-02", "2026-07-01", now)), "时段的结束日期（2026-07-01）早于开始日期（2026-07-02）。", "The period ends (2026-07-01) before it starts (2026-07-02)."},
		{perr(report.ParsePeriod("", "2020-01-01", "2026-07-01", now)), "2020-01-01至2026-07-01共2374天；一份报告最多覆盖1098天（三年）。", "2020-01-01 to 2026-07-01 is 2374 days; a report covers at most 1098 (three years)."},
		{wkerr(report.ParseISOWeek("2026-W54")), "“2026-W54”不是 ISO 周：2026年只有第1至53周；请写成2026-W47这样的格式", "“2026-W54” is not an ISO week: 2026 has weeks 1 to 53; write it like 2026-W47"},
		{wkerr(report.ParseISOWeek("week 3")), "“week 3”不是 ISO 周，请写成2026-W47这样的格式", "“week 3” is not an ISO week; write it like 2026-W47"},
	} {
		if c.zh != "" {
			if got := bot.ErrorText(zh, c.err); got != c.zh {
				t.Errorf("zh: %q, want %q", got, c.zh)
			}
		}
		if c.en != "" {
			if got := bot.ErrorMessage(c.err); got != c.en {
				t.Errorf("en: %q, want %q", got, c.en)
			}
		}
	}
	f, n := seedQ3(t)
	_, err := report.ComputeMap(f.Ctx, f.DB, f.Desk.Dir(), report.QuarterPeriod(bot.Quarter{Year: 2027, Q: 1}), n("2026-10-05 09:00"))
	if got := bot.ErrorText(zh, err); got != "2027年第1季度尚未开始。" {
		t.Errorf("not begun: %q", got)
	}
	if got := bot.ErrorMessage(err); got != "2027-Q1 has not begun yet." {
		t.Errorf("not begun, English: %q", got)
	}

	// The digest of a week not over is not posted; exports name what there is.
	fin := f.Desk.Dir().ByName("finance")
	_, _, err = report.PostDigest(f.Ctx, f.Desk, f.DB, fin, report.ISOWeek{Year: 2026, Week: 41}, "", nil, nil)
	_, werr := report.NewRecordWriter(&bytes.Buffer{}, "xlsx", report.RequestColumns)
	_, terr := report.NewExporter(f.Desk.Dir(), f.Clock.Now()).Export(f.Ctx, f.DB, "people", time.Time{}, time.Time{}, nil)
	_, derr := report.StandingCommand(f.Desk)(f.Ctx, f.Desk.Dir(), "finanse")
	for _, c := range []struct {
		err    error
		zh, en string
	}{
		{err, "2026年第41周尚未结束（10月12日 周一 00:00 EDT结束）；只发布完整的周。", "2026-W41 is not over yet (it ends Mon 12 Oct 00:00 EDT); only complete weeks are posted."},
		{werr, "未知的导出格式“xlsx”：请用 csv 或 jsonl。", "Unknown export format “xlsx”: use csv or jsonl."},
		{terr, "没有可导出的表“people”：请用 requests、events 或 ratings。", "There is no table “people” to export: use requests, events or ratings."},
		{derr, "没有名为 finanse 的部门。", "There is no department called finanse."},
	} {
		if got := bot.ErrorText(zh, c.err); got != c.zh {
			t.Errorf("zh: %q, want %q", got, c.zh)
		}
		if got := bot.ErrorMessage(c.err); got != c.en {
			t.Errorf("en: %q, want %q", got, c.en)
		}
	}
}

func perr(_ report.Period, err error) error { return err }

func wkerr(_, _ int, err error) error { return err }

// TestQualityAndStandingInChinese: /ask depts learns its period's days, a lead's
// Home its week and quarter, and the digest its ratings against the target
// in the reader's language (the digest through bot's quality texts).
func TestQualityAndStandingInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	f, n := seedRightFirstTime(t)
	f.Clock.Set(n("2026-12-04 10:00"))
	// /ask depts (bot/command.go) says Days in its reader's language.
	q, err := f.Desk.Quality(f.Ctx, f.Desk.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if q.Days != 30 || q.Period != "the last 30 days" || zh.T("report.last_days", "N", q.Days) != "近30天" {
		t.Errorf("quality over %d days, %q", q.Days, q.Period)
	}

	dep := f.Desk.Dir().ByName("finance")
	s, err := report.ComputeStanding(f.Ctx, f.DB, f.Desk.Dir(), dep, n("2026-12-04 10:00"))
	if err != nil {
		t.Fatal(err)
	}
	zhLines, enLines := strings.Join(bot.StandingLinesIn(zh, dep, s), "\n"), strings.Join(bot.StandingLines(dep, s), "\n")
	for _, want := range []string{"本周（11月30日 周一起）", "本季度（2026年第4季度，截至目前）"} {
		if !strings.Contains(zhLines, want) {
			t.Errorf("zh standing lacks %q:\n%s", want, zhLines)
		}
	}
	for _, want := range []string{"This week (from Mon 30 Nov)", "This quarter (2026-Q4, so far)"} {
		if !strings.Contains(enLines, want) {
			t.Errorf("standing lacks %q:\n%s", want, enLines)
		}
	}

	d := f.digest(t, "finance", "2026-W49", n("2026-12-07 09:00"))
	if want := "• *满意度：* 2.9/5（7个评分），邀请11次，评分率63%，低于4.2的目标\n"; !strings.Contains(d.TextIn(zh), want) {
		t.Errorf("zh digest lacks %q:\n%s", want, d.TextIn(zh))
	}
	if want := "• *Satisfaction*: 2.9 / 5 from 7 ratings (63% of 11 asked), below the 4.2 target\n"; !strings.Contains(d.Text(), want) {
		t.Errorf("digest lacks %q:\n%s", want, d.Text())
	}
}
