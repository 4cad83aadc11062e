package bot_test

import (
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// TestCalendarSegmentsInChinese: why a stretch is closed, or what is
// unusual about an open one, in Chinese; nil is English.
func TestCalendarSegmentsInChinese(t *testing.T) {
	cal := weekdays(t, "Asia/Shanghai", bot.Span{hm(9, 0), hm(12, 0)}, bot.Span{hm(13, 0), hm(18, 0)})
	cal.Holidays["2026-10-01"] = "国庆节"
	cal.Holidays["2026-10-02"] = ""
	cal.Workdays = map[string]bot.Workday{"2026-09-27": {Name: "国庆节调休"}, "2026-10-10": {}}
	loc := cal.Location
	zh := i18n.Default().For(i18n.ZhHans)
	for _, tt := range []struct {
		name, from, to string
		p              *i18n.Printer
		want           []string
	}{
		{"Lunch", "2026-09-29 11:00", "2026-09-29 14:00", zh, []string{"", "非工作时间", ""}},
		{"NamedHoliday", "2026-09-30 17:00", "2026-10-01 14:00", zh, []string{"", "节假日：国庆节"}},
		{"UnnamedHoliday", "2026-10-02 08:00", "2026-10-02 10:00", zh, []string{"节假日"}},
		{"NamedWorkday", "2026-09-27 11:00", "2026-09-27 12:00", zh, []string{"调休上班日：国庆节调休"}},
		{"UnnamedWorkday", "2026-10-10 11:00", "2026-10-10 12:00", zh, []string{"调休上班日"}},
		{"English", "2026-09-27 11:30", "2026-09-27 12:30", nil, []string{"extra working day: 国庆节调休", "outside business hours"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			segs := cal.SegmentsIn(tt.p, at(t, loc, tt.from), at(t, loc, tt.to))
			var got []string
			for _, s := range segs {
				got = append(got, s.Why)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("reasons %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("reasons %q, want %q", got, tt.want)
					break
				}
			}
		})
	}
}
