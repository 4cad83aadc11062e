package main

import (
	"strings"
	"testing"
)

// The words a Chinese scorecard or map may hold: what the example company
// and its people wrote (department names, zones), and p90.
var reportNames = []string{"Finance", "America", "New_York", "Europe", "London", "Asia", "Kolkata", "Legal", "Marketing",
	"Los_Angeles", "Sales", "Chicago", "Facilities", "Shanghai", "Purchasing", "Production", "Berlin", "New", "York", "Los", "Angeles"}

// TestReportCommandInChinese: askdesk report --lang zh-Hans prints the
// scorecards of TestReportCommand in Chinese, as a table and as Markdown
// (the goldens read by a Chinese reader), with the same figures.
func TestReportCommandInChinese(t *testing.T) {
	db := reportDB(t)
	report := func(t *testing.T, args ...string) string {
		t.Helper()
		code, out, errOut := run(t, "", append([]string{"report", "--db", db, "--now", reportNow, "--lang", "zh-Hans"}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		return out
	}
	t.Run("Table", func(t *testing.T) {
		out := report(t)
		checkGolden(t, "report.zh-Hans.golden", out)
		if !strings.HasPrefix(out, "服务报告 · 2026年第3季度 · 2026年7月1日至9月30日，对比2026年第2季度\n") {
			t.Errorf("heading:\n%s", out)
		}
		for _, want := range []string{
			"  优先级  首次响应时限  达标",
			"  普通    4个工作小时",
			"  满意度      4.2   4.0/5（1个评分），未达标",
			"4.0/5（1个评分，邀请1次，评分率100%）",
			"  首次响应达标        50%（1/2）",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("no %q in:\n%s", want, out)
			}
		}
		checkNoEnglish(t, out, append(reportNames, "IT", "HR")...)
	})
	t.Run("Markdown", func(t *testing.T) {
		out := report(t, "--quarter", "2026-Q3", "--dept", "fin", "--format", "markdown")
		checkGolden(t, "report_finance.zh-Hans.md", out)
		if !strings.HasPrefix(out, "# 服务报告 · 2026年第3季度") {
			t.Errorf("heading:\n%s", out)
		}
		checkNoEnglish(t, out, reportNames...)
	})
	t.Run("Dates", func(t *testing.T) {
		out := report(t, "--from", "2026-09-01", "--to", "2026-09-30", "--dept", "fin")
		if !strings.HasPrefix(out, "服务报告 · 2026-09-01至2026-09-30 · 2026年9月1日至9月30日，对比2026-08-02至2026-08-31\n") {
			t.Errorf("heading:\n%s", out)
		}
	})
	t.Run("NotBegun", func(t *testing.T) {
		code, _, errOut := run(t, "", "report", "--db", db, "--now", reportNow, "--lang", "zh-Hans", "--quarter", "2027-Q1")
		if code != 1 || !strings.Contains(errOut, "2027年第1季度尚未开始。") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}

// TestMapCommandInChinese: askdesk map --lang zh-Hans prints the map of
// TestMapCommand in Chinese: the table, and the words of the Graphviz and
// Mermaid labels.
func TestMapCommandInChinese(t *testing.T) {
	db := reportDB(t)
	for _, c := range []struct{ format, golden string }{
		{"table", "map.zh-Hans.txt"}, {"dot", "map.zh-Hans.dot"}, {"mermaid", "map.zh-Hans.mmd"},
	} {
		t.Run(c.format, func(t *testing.T) {
			code, out, errOut := run(t, "", "map", "--db", db, "--now", reportNow, "--quarter", "2026-Q3", "--format", c.format, "--lang", "zh-Hans")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			checkGolden(t, c.golden, out)
			if !strings.Contains(out, "部门服务关系图 · 2026年第3季度（2026年7月1日至9月30日）") {
				t.Errorf("no title in:\n%s", out)
			}
			if c.format != "table" && !strings.Contains(out, "1个请求 · 首次响应和解决时限共2项，达标100% · 评分4.0/5（1个评分）") && !strings.Contains(out, `1个请求\n首次响应和解决时限共2项，达标100%\n评分4.0/5（1个评分）`) {
				t.Errorf("no pair facts in:\n%s", out)
			}
			// The graph's syntax stays: only its labels are words.
			syntax := []string{"digraph", "askdesk", "labelloc", "rankdir", "node", "shape", "box", "style", "rounded",
				"fontname", "Helvetica", "edge", "fontsize", "label", "weight", "penwidth", "finance", "marketing", "sales",
				"title", "flowchart", "people", "Slack"}
			checkNoEnglish(t, out, append(reportNames, syntax...)...)
		})
	}
}
