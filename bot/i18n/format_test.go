package i18n_test

import (
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestChineseFormats(t *testing.T) {
	loc := shanghai(t)
	zh := i18n.Default().For(i18n.ZhHans)
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, loc) // a Saturday
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, loc) }
	for _, tc := range []struct{ name, got, want string }{
		{"WhenThisWeek", zh.When(at(2026, 12, 8, 14, 0), now, loc), "周二 14:00"},
		{"WhenLater", zh.When(at(2026, 12, 15, 14, 0), now, loc), "12月15日 周二 14:00"},
		{"WhenEarlier", zh.When(at(2026, 11, 24, 14, 0), now, loc), "11月24日 周二 14:00"},
		{"WhenNextYear", zh.When(at(2027, 1, 5, 14, 0), now, loc), "2027年1月5日 周二 14:00"},
		{"WhenInTheReadersZone", zh.When(time.Date(2026, 12, 8, 6, 0, 0, 0, time.UTC), now, loc), "周二 14:00"},
		{"SpanHoursMinutes", zh.Span(3*time.Hour + 20*time.Minute), "3小时20分钟"},
		{"SpanMinutes", zh.Span(45 * time.Minute), "45分钟"},
		{"SpanHours", zh.Span(2 * time.Hour), "2小时"},
		{"SpanNegative", zh.Span(-90 * time.Minute), "1小时30分钟"},
		{"AgeDaysHours", zh.Age(74*time.Hour + 10*time.Minute), "3天2小时"},
		{"AgeHoursMinutes", zh.Age(5*time.Hour + 10*time.Minute), "5小时10分钟"},
		{"AgeMinute", zh.Age(time.Minute), "1分钟"},
		{"AgeZero", zh.Age(0), "0分钟"},
		{"AgeStopsAtAZeroUnit", zh.Age(72*time.Hour + 5*time.Minute), "3天"},
		{"Percent", zh.Percent(95), "95%"},
		{"Share", zh.Share(19, 20), "95%（19/20）"},
		{"Date", zh.Date(at(2026, 12, 7, 0, 0)), "12月7日 周一"},
		{"DateYear", zh.DateYear(at(2026, 12, 13, 0, 0)), "2026年12月13日 周日"},
		{"WeekRange", zh.WeekRange(at(2026, 12, 7, 0, 0), at(2026, 12, 13, 0, 0)), "2026年12月7日 周一 – 12月13日 周日"},
		{"WeekRangeOverNewYear", zh.WeekRange(at(2026, 12, 28, 0, 0), at(2027, 1, 3, 0, 0)), "12月28日 周一 – 2027年1月3日 周日"},
		{"DateRange", zh.DateRange(at(2026, 10, 1, 0, 0), at(2026, 12, 31, 0, 0)), "2026年10月1日至12月31日"},
		{"DateRangeOverNewYear", zh.DateRange(at(2026, 12, 1, 0, 0), at(2027, 1, 31, 0, 0)), "2026年12月1日至2027年1月31日"},
		{"Week", zh.Week(2026, 47), "2026年第47周"},
		{"WeekUnpadded", zh.Week(2026, 7), "2026年第7周"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

// English formats must stay byte-identical to what bot printed before the
// catalogue: compare with bot's own functions over a spread of inputs.
func TestEnglishFormatsMatchToday(t *testing.T) {
	en := i18n.English()
	loc := shanghai(t)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, loc)
	for _, l := range []*time.Location{loc, ny, time.UTC} {
		for h := -24 * 400; h <= 24*400; h += 7 {
			at := now.Add(time.Duration(h)*time.Hour + time.Duration(h%60)*time.Minute)
			if got, want := en.When(at, now, l), bot.FormatWhen(at, now, l); got != want {
				t.Fatalf("When(%v, %v) = %q, want %q", at, l, got, want)
			}
		}
	}
	for m := -600; m <= 60*24*9; m += 7 {
		d := time.Duration(m)*time.Minute + time.Duration(m%61)*time.Second
		if got, want := en.Span(d), bot.FormatSpan(d); got != want {
			t.Fatalf("Span(%v) = %q, want %q", d, got, want)
		}
		if got, want := en.Age(d), bot.FormatAge(d); got != want {
			t.Fatalf("Age(%v) = %q, want %q", d, got, want)
		}
	}
	for _, m := range []int{0, 1, 59, 60, 61, 120, 60 * 24, 60*24 + 1, 60*25 + 1, 60 * 48} {
		d := time.Duration(m) * time.Minute
		if got, want := en.Age(d), bot.FormatAge(d); got != want {
			t.Errorf("Age(%v) = %q, want %q", d, got, want)
		}
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct{ got, want string }{
		{en.Date(day(2026, 12, 7)), day(2026, 12, 7).Format("Mon 2 Jan")},
		{en.DateYear(day(2026, 12, 13)), day(2026, 12, 13).Format("Mon 2 Jan 2006")},
		{en.WeekRange(day(2026, 12, 7), day(2026, 12, 13)), "Mon 7 Dec – Sun 13 Dec 2026"},
		{en.WeekRange(day(2026, 12, 28), day(2027, 1, 3)), "Mon 28 Dec – Sun 3 Jan 2027"},
		{en.DateRange(day(2026, 10, 1), day(2026, 12, 31)), "1 Oct – 31 Dec 2026"},
		{en.DateRange(day(2026, 12, 1), day(2027, 1, 31)), "1 Dec 2026 – 31 Jan 2027"},
		{en.Week(2026, 7), "2026-W07"},
		{en.Percent(95), "95%"},
		{en.Share(19, 20), "95% (19 of 20)"},
		{en.T("err.internal"), bot.ErrorMessage(errUncoded{})},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

type errUncoded struct{}

func (errUncoded) Error() string { return "boom" }
