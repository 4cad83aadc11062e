package bot_test

import (
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// TestParseBusinessDurationChineseUnits: a lead may write a target with
// Chinese units; each means what its English unit does, and a bad one is
// refused in the reader's language.
func TestParseBusinessDurationChineseUnits(t *testing.T) {
	for in, want := range map[string]bot.BusinessDuration{
		"2小时":         {Time: 2 * time.Hour},
		"4个工作小时":      {Time: 4 * time.Hour},
		"3天":          {Days: 3},
		"3个工作日":       {Days: 3},
		"30分钟":        {Time: 30 * time.Minute},
		"1天4小时":       {Days: 1, Time: 4 * time.Hour},
		"2天 calendar": {Days: 2, Kind: bot.CalendarTime},
	} {
		if got, err := bot.ParseBusinessDuration(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	_, err := bot.ParseBusinessDuration("3周")
	zh := i18n.Default().For(i18n.ZhHans)
	if got, want := bot.ErrorText(zh, err), `时长 "3周" 有误：单位 '周' 不是 wd、d、h 或 m；工作小时写成“4h”“2h30m”或“4小时”，工作日写成“1wd”“1wd4h”“3d”或“3个工作日”，自然时间写成“24h calendar”`; got != want {
		t.Errorf("zh: %s", got)
	}
	if got, want := bot.ErrorText(nil, err), `bad duration "3周": unit '周' is not wd, d, h or m; write business hours like "4h" or "2h30m", working days like "1wd" or "1wd4h" ("3d" also means working days), or calendar time like "24h calendar"`; got != want {
		t.Errorf("en: %s", got)
	}
}
