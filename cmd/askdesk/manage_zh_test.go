package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestManageInChinese: a Chinese lead changes finance's standard in the
// console with the Chinese example company, as a tester did: every refusal
// is Chinese (the config file's checks, said in the lead's language),
// Chinese duration units are read, the suggested "set hours sat" is saved
// (the make-up Saturdays, now regular working days, are dropped and the
// reply says so), one holiday is added and removed at a time, a replaced
// list is said by its length, and a revision lists its items by number.
func TestManageInChinese(t *testing.T) {
	cfg, err := filepath.Abs("../../config.example.zh.toml")
	if err != nil {
		t.Fatal(err)
	}
	script := strings.Join([]string{
		"/ask 管理 财务 set targets normal 2小时 / 4个工作日 -- 试试中文单位",
		"/ask 管理 财务 set targets normal 2小时 / 3周 -- 试试",
		"/ask 管理 财务 set holidays 2027-02-30 春节 -- 试试",
		"/ask 管理 财务 set satisfaction 6 -- 试试",
		"/ask 管理 财务 set leads @songjie -- 试试",
		"/ask 管理 财务 set hours sat 10:00-12:00 -- 周六值班",
		"/ask 管理 财务 添加 workdays 2026-05-16 -- 再加",
		"/ask 管理 财务 添加 holidays 2027-10-01 国庆节 -- 先补上国庆节",
		"/ask 管理 财务 删除 holidays 2030-01-01 -- 删掉",
		"/ask 管理 财务 删除 holidays 2027-10-01 -- 删掉",
		"/ask 管理 财务 set holidays 2027-01-01 元旦 -- 只留元旦",
		"/ask 标准 财务 6",
	}, "\n") + "\n"
	db := filepath.Join(t.TempDir(), "zh.db")
	code, out, errOut := run(t, script, "console", "--config", cfg, "--db", db, "--lang", "zh-Hans", "--as", "chenjing", "--now", "2026-12-01T10:00:00+08:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{
		"已保存财务部服务标准的第2版：普通优先级的首次响应时限 4个工作小时 → 2个工作小时；普通优先级的解决时限 3个工作日 → 4个工作日。",
		"• targets：时长 \"3周\" 有误：单位 '周' 不是 wd、d、h 或 m；工作小时写成“4h”“2h30m”或“4小时”，工作日写成“1wd”“1wd4h”“3d”或“3个工作日”，自然时间写成“24h calendar”",
		"• holidays：节假日日期 \"2027-02-30\" 有误：请写成 YYYY-MM-DD，例如“2026-10-01”",
		"• satisfaction：6 不是1.0到5.0之间的平均评分，请写成4.2这样（满意度：提出人评分的平均值）",
		"• leads：\"@songjie\" 不是 Slack 用户 ID（形如 U0123ABCD）。",
		"已保存财务部服务标准的第3版：周六的工作时间设为 10:00-12:00；调休上班日：6天 → 2天。",
		"• workdays：2026-05-16 是周六，部门这天本来就上班，不用列为调休上班日",
		"已保存财务部服务标准的第4版：节假日：34天 → 35天。",
		"• holidays：列表中没有 2030-01-01",
		"已保存财务部服务标准的第5版：节假日：35天 → 34天。",
		"已保存财务部服务标准的第6版：节假日：34天 → 1天。",
		"• `holidays[9].name` 已删除（原为 春节）\n  │ • `holidays[10].date` 已删除（原为 2026-02-22）",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q", w)
		}
	}
	// No English leaks into what the lead reads: only config keys, IDs,
	// the duration syntax and commands.
	allowed := regexp.MustCompile("`[^`]*`|\"[^\"]*\"|“[^”]*”|YYYY-MM-DD|HH:MM|Slack|U0[A-Z0-9]+|chenjing|CST|Asia/Shanghai|askdesk|:help|/ask|#[a-z-]+|" +
		`\b(targets|holidays|workdays|satisfaction|leads|calendar|wd|d|h|m)\b`)
	for _, line := range strings.Split(allowed.ReplaceAllString(out, ""), "\n") {
		if regexp.MustCompile(`[A-Za-z]{3,}`).MatchString(line) && !strings.Contains(line, "> ") && !strings.Contains(line, "配置：") {
			t.Errorf("English in %q", line)
		}
	}
}

// TestManageAddHolidayInEnglish: the same add and replace in English; a
// list whose length changed is said by its length.
func TestManageAddHolidayInEnglish(t *testing.T) {
	cfg, err := filepath.Abs("../../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	script := "/ask manage finance add holidays 2028-01-03 New Year's Day -- next year's\n" +
		"/ask manage finance remove holidays 2028-01-03 -- not yet\n" +
		"/ask manage finance add budget 2027-01-01 -- no\n"
	db := filepath.Join(t.TempDir(), "en.db")
	code, out, errOut := run(t, script, "console", "--config", cfg, "--db", db, "--as", "U0FIONA01", "--now", "2026-11-24T09:30:00-05:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{
		"Saved revision 2 of Finance's service standards: holidays: ",
		" days → ",
		"Saved revision 3 of Finance's service standards: holidays: ",
		"budget is not a list you can add to or remove from one item at a time",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}
