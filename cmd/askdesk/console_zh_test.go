package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConsoleLangZhRunsTheChineseExample: with no config file, console
// --lang zh-Hans runs the built-in Chinese company (config.example.zh.toml)
// on a database of its own, says so, and speaks Chinese; without --lang the
// English example is unchanged (TestDemo).
func TestConsoleLangZhRunsTheChineseExample(t *testing.T) {
	t.Chdir(t.TempDir())
	code, out, errOut := run(t, ":whoami\n:as chenjing\n:advance 2h\n", "console", "--lang", "zh-Hans", "--now", "2026-12-08T09:30:00+08:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := "配置：config.example.zh.toml（内置的示例公司） · 数据库：askdesk.zh.db\n" +
		"askdesk 控制台：你现在是 songjie（U0SONG001，采购部）。输入 /ask 帮助 查看用法，输入 :help 查看控制台命令。\n" +
		"模拟时间：2026年12月8日 周二 09:30 CST（Asia/Shanghai）\n" +
		"\nsongjie> :whoami\n你是 songjie（U0SONG001，采购部）。\n" +
		"\nsongjie> :as chenjing\n你现在是 chenjing（U0CHEN001，财务部负责人）。\n" +
		"\nchenjing> :advance 2h\n模拟时间：2026年12月8日 周二 11:30 CST（Asia/Shanghai），拨快了2小时\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	if _, err := os.Stat("askdesk.zh.db"); err != nil {
		t.Errorf("the Chinese example's database: %v", err)
	}
	if _, err := os.Stat("askdesk.db"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("askdesk.db, the English example's database, was touched: %v", err)
	}
}

// TestConsoleLangZhWithConfig: --config names the company; --lang zh-Hans
// still makes the console's own words Chinese.
func TestConsoleLangZhWithConfig(t *testing.T) {
	cfg, err := filepath.Abs("../../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "en.db")
	code, out, errOut := run(t, ":whoami\n", "console", "--config", cfg, "--db", db, "--lang", "zh-Hans", "--now", "2026-11-24T09:30:00-05:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{
		"配置：" + cfg + " · 数据库：" + db + "\n",
		"askdesk 控制台：你现在是 mona（U0MONA001，Marketing）。",
		"模拟时间：2026年11月24日 周二 06:30 PST（America/Los_Angeles）\n",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	// The English example with an explicit --config in English is English.
	code, out, _ = run(t, "", "console", "--config", cfg, "--db", db, "--now", "2026-11-24T09:30:00-05:00")
	if code != 0 || !strings.HasPrefix(out, "Config: "+cfg+" · Database: "+db+"\naskdesk console: you are mona (U0MONA001, in marketing).") {
		t.Errorf("English console: exit %d\n%s", code, out)
	}
}
