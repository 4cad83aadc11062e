package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk"
	"github.com/askdesk/askdesk/bot/config"
)

// serve's survey keeps schedule.calendar's department's calendar as the
// directory has it now, Monday to Friday without one, and fails (logged as
// the survey's failure) when the department is gone.
func TestSurveyCalendar(t *testing.T) {
	cfg, err := config.Parse("config.example.zh.toml", bytes.NewReader(askdesk.ExampleConfigZh))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := cfg.Directory()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := surveyCalendar(cfg.Schedule, dir)
	if err != nil || cal != dir.ByName("hr").Calendar {
		t.Fatalf("calendar %p, %v; want hr's", cal, err)
	}
	if got := cal.OpenOn(2026, time.October, 1); len(got) != 0 {
		t.Errorf("open on 国庆节: %v", got)
	}
	if cal, err := surveyCalendar(config.ScheduleConfig{}, dir); cal != nil || err != nil {
		t.Errorf("no schedule.calendar: %v, %v; want nil (Monday to Friday)", cal, err)
	}
	if _, err := surveyCalendar(config.ScheduleConfig{Calendar: "sales"}, dir); err == nil {
		t.Error("a department that is gone: no error")
	}
}

// The daily check runs every day, so that a quarter whose first working day
// is a make-up Sunday (4 January 2026 in China) gets its survey.
func TestSurveyCheckRunsEveryDay(t *testing.T) {
	s, err := config.CronParser.Parse(surveyCheck)
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	if got, want := s.Next(time.Date(2026, 1, 3, 12, 0, 0, 0, sh)), time.Date(2026, 1, 4, 10, 0, 0, 0, sh); !got.Equal(want) {
		t.Errorf("next check after Saturday noon: %s, want Sunday 10:00", got)
	}
}

// The console sends the survey when serve would: on the first working day
// of the quarter on schedule.calendar's calendar (8 October 2026, after
// 国庆节), not at midnight on the holiday the quarter starts on.
func TestConsoleSurveyKeepsTheCalendar(t *testing.T) {
	db := filepath.Join(t.TempDir(), "survey.db")
	script := ":as songjie\n/ask 财务 需要第三季度的预算数据\n:advance 26h\n:advance 7d\n"
	code, out, errOut := run(t, script, "console", "--config", "../../config.example.zh.toml", "--db", db, "--now", "2026-09-30T09:30:00+08:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	holiday, after, ok := strings.Cut(out, "模拟时间：2026年10月8日 周四") // the console speaks the config's Chinese
	if !ok {
		t.Fatalf("no jump to 8 October:\n%s", out)
	}
	if strings.Contains(holiday, ":survey 2026-Q3") {
		t.Errorf("survey sent on the holiday:\n%s", holiday)
	}
	if !strings.Contains(after, ":survey 2026-Q3") {
		t.Errorf("no survey on 8 October:\n%s", after)
	}
}
