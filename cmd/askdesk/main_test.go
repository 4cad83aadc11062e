package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// run runs the whole program in-process.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(context.Background(), args, Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv: func(string) string { return "" }, StdinIsTerminal: func() bool { return false },
	})
	return code, out.String(), errOut.String()
}

// TestDemo replays the shipped console demo against a fresh database and
// compares the transcript with testdata/demo.golden (go test -update
// rewrites it), so the demo in the README and docs/console.md is always
// what the product does.
func TestDemo(t *testing.T) {
	script, err := os.ReadFile("../../testdata/demo.txt")
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "demo.db")
	code, out, errOut := run(t, string(script), "console", "--db", db, "--now", "2026-11-24T09:30:00-05:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	out = strings.ReplaceAll(out, db, "DEMO.db")
	golden := "../../testdata/demo.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/askdesk -update)", err)
	}
	if out != string(want) {
		t.Errorf("demo transcript differs from %s; run with -update and review the diff.\n--- got ---\n%s", golden, out)
	}
	for _, must := range []string{
		"Filed *FIN-1*", "Did you mean “finance”", "Please say what you need",
		"is not yours to see", "You can't claim FIN-1", "paused", "Cancelled *FIN-2*",
	} {
		if !strings.Contains(out, must) {
			t.Errorf("transcript lacks %q", must)
		}
	}
	// :advance 26h prints what was sent in the order it was sent: the
	// reminder at 87% of FIN-2's first response (14:00) before the
	// escalation 30m past its deadline (15:00).
	reminder := strings.Index(out, "87% of the first response target used")
	escalation := strings.Index(out, "first response overdue by 30m of business time; it was due by Tue 14:30 (America/New_York); nobody has claimed it")
	if reminder < 0 || escalation < 0 || escalation < reminder {
		t.Errorf("the 87%% reminder (at %d) is not printed before the escalation (at %d)", reminder, escalation)
	}
}

// TestDemoZh replays the Chinese console demo, the same story in a company
// in Shanghai on the example's calendar (filed the day before 国庆节, due
// after it and on a make-up Saturday), against testdata/demo-zh.golden
// (go test -update rewrites it).
func TestDemoZh(t *testing.T) {
	script, err := os.ReadFile("../../testdata/demo-zh.txt")
	if err != nil {
		t.Fatal(err)
	}
	// The weekly digest's chart is saved beside the console's temporary
	// files; the transcript names it as TMP.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	db := filepath.Join(t.TempDir(), "demo-zh.db")
	code, out, errOut := run(t, string(script), "console", "--lang", "zh-Hans", "--config", "../../config.example.zh.toml",
		"--db", db, "--now", "2026-09-30T09:30:00+08:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if errOut != "" {
		t.Errorf("the demo logged:\n%s", errOut)
	}
	// As the documented command, run from the repository, prints it.
	out = strings.ReplaceAll(out, "../../config.example.zh.toml", "config.example.zh.toml")
	out = strings.ReplaceAll(strings.ReplaceAll(out, db, "DEMO.db"), tmp, "TMP")
	golden := "../../testdata/demo-zh.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/askdesk -update)", err)
	}
	if out != string(want) {
		t.Errorf("demo transcript differs from %s; run with -update and review the diff.\n--- got ---\n%s", golden, out)
	}
	for _, must := range []string{
		"*askdesk* 帮你向其他部门提出请求", // /ask 帮助
		"你是不是要找“财务部”",           // 财物
		"请说明你需要什么",
		"已提交 *FIN-1* 给财务部（一般咨询，紧急优先级）", // ！紧急
		"已提交 *FIN-2* 给财务部",             // ＦＩＮ
		"费用报销",
		"已提交 *FIN-3* 给财务部（费用报销，普通优先级）",
		"金额（元）：86.50",
		"这是私密请求",
		"你无权查看 FIN-1",
		"*财务部队列*",
		"你回复之前，计时暂停。",
		"@songjie（提出人）补充：只要华东区的，谢谢",
		"*这次服务怎么样？*",
		"@songjie 重新打开了请求：缺了九月份的",
		"转交给采购部",
		"已撤回 *FIN-2* 并通知了采购部。",
		"*你的请求*",
		"*我的请求*",
		"有1个请求与“华东区 status:open”匹配",
		"没有与“工资条”匹配",
		"*财务部* （你负责的部门）",
		"季度结账忙完了，可以回复得更快",
		"*每周摘要 · 财务部 · 2026年第40周*",
		"*2026年第3季度，我们的服务怎么样？*",
	} {
		if !strings.Contains(out, must) {
			t.Errorf("transcript lacks %q", must)
		}
	}
	// What was typed to no avail left no trace: the typo, the department
	// alone, the reimbursement without its fields filed nothing (FIN-4
	// never), and the one from IT claimed nothing.
	for _, mustNot := range []string{"*FIN-4*", "@hujing 已认领"} {
		if strings.Contains(out, mustNot) {
			t.Errorf("transcript has %q", mustNot)
		}
	}
}

func TestCheckConfig(t *testing.T) {
	t.Run("ExampleIsValid", func(t *testing.T) {
		code, out, errOut := run(t, "", "check-config", "--config", "../../config.example.toml")
		if code != 0 || !strings.Contains(out, "is valid") {
			t.Fatalf("exit %d: %s %s", code, out, errOut)
		}
	})
	t.Run("ExampleZhIsValid", func(t *testing.T) {
		code, out, errOut := run(t, "", "check-config", "--config", "../../config.example.zh.toml")
		if code != 0 || !strings.Contains(out, "is valid: 6 departments") {
			t.Fatalf("exit %d: %s %s", code, out, errOut)
		}
	})
	t.Run("ProblemsWithLines", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bad.toml")
		os.WriteFile(path, []byte(`default_priority = "whenever"
colour = "blue"

[[department]]
name = "finance"
prefix = "FIN"
channel = "#fin"
leads = ["U0FIONA01"]
timezone = "Mars/Olympus"
hours = { weekdays = "09:00-18:00" }
sla.normal = { first_response = "4x", resolution = "2d" }
`), 0o644)
		code, _, errOut := run(t, "", "check-config", "--config", path)
		if code != 2 {
			t.Fatalf("exit %d, want 2; stderr:\n%s", code, errOut)
		}
		for _, want := range []string{"bad.toml:1:", "default_priority", "bad.toml:2:", "colour", "bad.toml:9:", "timezone", "bad.toml:11:", "first_response"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q:\n%s", want, errOut)
			}
		}
	})
	t.Run("MissingNamedFile", func(t *testing.T) {
		code, _, errOut := run(t, "", "check-config", "--config", filepath.Join(t.TempDir(), "nope.toml"))
		if code == 0 || !strings.Contains(errOut, "nope.toml") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
}

func TestMigrateAndVersion(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	code, out, errOut := run(t, "", "migrate", "--db", db)
	if code != 0 || !strings.Contains(out, "applied migrations") {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	if code, out, _ = run(t, "", "migrate", "--db", db); code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("second migrate: %d %s", code, out)
	}
	if code, out, _ = run(t, "", "version"); code != 0 || !strings.HasPrefix(out, "askdesk ") {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestHelpEverywhere(t *testing.T) {
	for _, sub := range []string{"", "console", "check-config", "migrate", "version", "serve", "digest", "report", "map", "export", "backup", "retention"} {
		args := []string{"--help"}
		if sub != "" {
			args = []string{sub, "--help"}
		}
		code, out, _ := run(t, "", args...)
		if code != 0 || !strings.Contains(out, "Usage:") {
			t.Errorf("askdesk %s --help: exit %d\n%s", sub, code, out)
		}
	}
}

// TestDemoFreshRunsAgainTheSame: the documented demo command, --fresh on the
// same file, gives the same transcript on a second run (FIN-1 again, not
// FIN-3).
func TestDemoFreshRunsAgainTheSame(t *testing.T) {
	script, err := os.ReadFile("../../testdata/demo.txt")
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "demo.db")
	var outs []string
	for range 2 {
		code, out, errOut := run(t, string(script), "console", "--fresh", "--db", db, "--now", "2026-11-24T09:30:00-05:00")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		outs = append(outs, out)
	}
	if outs[0] != outs[1] {
		t.Error("a second --fresh run of the demo differs from the first")
	}
	if code, _, errOut := run(t, "", "console", "--fresh", "--db", "postgres://postgres@127.0.0.1:5432/test"); code == 0 || !strings.Contains(errOut, "does not empty a PostgreSQL database") {
		t.Errorf("--fresh on PostgreSQL: exit %d: %s", code, errOut)
	}
}
