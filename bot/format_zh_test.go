package bot

import (
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/i18n"
)

// TestClockLinesInChinese: each way a clock can stand reads in Chinese,
// and in English exactly as before the catalogue.
func TestClockLinesInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 8, 10, 0, 0, 0, loc) // Tue
	due := time.Date(2026, 12, 8, 14, 0, 0, 0, loc)
	four := BusinessDuration{Time: 4 * time.Hour}
	day := BusinessDuration{Days: 1, Kind: CalendarTime}
	cases := []struct {
		name   string
		clock  string
		s      ClockStatus
		en, zh string
	}{
		{"Due", FirstResponseClock, ClockStatus{Spec: four, Target: 4 * time.Hour, Remaining: 3*time.Hour + 20*time.Minute, Due: due},
			"first response due by Tue 14:00 (Asia/Shanghai), in 3h 20m of business time",
			"首次响应须在周二 14:00（Asia/Shanghai）前完成，还剩3小时20分钟（工作时间）"},
		{"Met", ResolutionClock, ClockStatus{Spec: four, Target: 4 * time.Hour, Elapsed: 45 * time.Minute, Stopped: true, StoppedAt: now},
			"resolution met in 45m of business time, within a target of 4 business hours",
			"解决已达标：用时45分钟（工作时间），时限为4个工作小时"},
		{"Missed", FirstResponseClock, ClockStatus{Spec: four, Target: 4 * time.Hour, Elapsed: 5 * time.Hour, Stopped: true,
			StoppedAt: due.Add(time.Hour), Breached: true, BreachedAt: due},
			"first response missed: due by Tue 14:00 (Asia/Shanghai), done Tue 15:00, 5h of business time against a target of 4 business hours",
			"首次响应未达标：应在周二 14:00（Asia/Shanghai）前完成，实际周二 15:00完成，用时5小时（工作时间），时限为4个工作小时"},
		{"Paused", ResolutionClock, ClockStatus{Spec: four, Target: 4 * time.Hour, Remaining: 2 * time.Hour, Paused: true, Due: due},
			"resolution clock paused while waiting on the requester, 2h of business time left",
			"解决计时已暂停，正在等待提出人回复，还剩2小时（工作时间）"},
		{"OverdueSinceCalendar", ResolutionClock, ClockStatus{Spec: day, Target: 24 * time.Hour, Breached: true, Due: due},
			"resolution overdue since Tue 14:00 (Asia/Shanghai)",
			"解决已于周二 14:00（Asia/Shanghai）超时"},
		{"OverdueSinceClosed", FirstResponseClock, ClockStatus{Spec: four, Target: 4 * time.Hour, Breached: true, Due: due},
			"first response overdue since Tue 14:00 (Asia/Shanghai) (no business hours have passed since)",
			"首次响应已于周二 14:00（Asia/Shanghai）超时，此后还没有经过工作时间"},
		{"OverdueBy", FirstResponseClock, ClockStatus{Spec: day, Target: 24 * time.Hour, Remaining: -90 * time.Minute, Breached: true, Due: due},
			"first response overdue by 1h 30m of calendar time; it was due by Tue 14:00 (Asia/Shanghai)",
			"首次响应已超时1小时30分钟（自然时间），原应在周二 14:00（Asia/Shanghai）前完成"},
		{"TargetUnpublished", ResolutionClock, ClockStatus{Target: 4 * time.Hour, Elapsed: time.Hour, Stopped: true, StoppedAt: now},
			"resolution met in 1h of business time, within a target of 4h of business time",
			"解决已达标：用时1小时（工作时间），时限为4小时（工作时间）"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ClockLine(c.clock, c.s, now, loc); got != c.en {
				t.Errorf("en %q\nwant %q", got, c.en)
			}
			if got := ClockLineIn(zh, c.clock, c.s, now, loc); got != c.zh {
				t.Errorf("zh %q\nwant %q", got, c.zh)
			}
		})
	}
}

// TestJourneyLineInChinese: a transferred request's journey on its card,
// in each state, in Chinese and in English as before.
func TestJourneyLineInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	loc := time.UTC
	filed := time.Date(2026, 12, 7, 9, 0, 0, 0, loc) // Mon
	now := filed.Add(50 * time.Hour)
	dep := &Department{DisplayName: "采购部"}
	r := &Request{State: Acknowledged, Transfers: 1, CreatedAt: filed, HeldSince: filed.Add(29 * time.Hour)}
	cases := []struct {
		name   string
		state  State
		en, zh string
	}{
		{"Open", Acknowledged, "open 2 days 2 hours in all; with 采购部 since Tue 14:00", "已提交2天2小时；自周二 14:00起由采购部处理"},
		{"Resolved", Resolved, "resolved 1 day 5 hours after it was filed; with 采购部 since Tue 14:00", "提交后1天5小时解决；自周二 14:00起由采购部处理"},
		{"Cancelled", Cancelled, "cancelled 1 day 6 hours after it was filed; with 采购部 since Tue 14:00", "提交后1天6小时撤回；自周二 14:00起由采购部处理"},
	}
	r.ResolvedAt, r.ClosedAt = filed.Add(29*time.Hour), filed.Add(30*time.Hour)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r.State = c.state
			if got := JourneyLine(r, dep, now, loc); got != c.en {
				t.Errorf("en %q\nwant %q", got, c.en)
			}
			if got := JourneyLineIn(zh, r, dep, now, loc); got != c.zh {
				t.Errorf("zh %q\nwant %q", got, c.zh)
			}
		})
	}
}
