package bot_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
)

// The calendar helpers of the test company (bot/bottest), by their short names.
var (
	mustZone = bottest.MustZone
	weekdays = bottest.Weekdays
	allDay   = bottest.AllDay
	hm       = bottest.HM
	at       = bottest.At
)

func TestCalendarAdd(t *testing.T) {
	ny := weekdays(t, "America/New_York", bot.Span{hm(9, 0), hm(18, 0)})
	ny.Holidays["2026-12-24"] = "Christmas Eve"
	ny.Holidays["2026-12-25"] = "Christmas"
	sh := weekdays(t, "Asia/Shanghai", bot.Span{hm(9, 0), hm(12, 0)}, bot.Span{hm(13, 0), hm(18, 0)})
	in := weekdays(t, "Asia/Kolkata", bot.Span{hm(9, 30), hm(18, 30)})
	nyAll := allDay(t, "America/New_York")

	tests := []struct {
		name  string
		cal   *bot.Calendar
		start string
		add   time.Duration
		want  string
	}{
		{"SameDay", ny, "2026-11-24 10:00", 4 * time.Hour, "2026-11-24 14:00"},
		{"EndsAtClose", ny, "2026-11-24 14:00", 4 * time.Hour, "2026-11-24 18:00"},
		{"Overnight", ny, "2026-11-24 16:00", 4 * time.Hour, "2026-11-25 11:00"},
		{"OverWeekend", ny, "2026-11-27 17:00", 2 * time.Hour, "2026-11-30 10:00"},
		{"StartsOnSaturday", ny, "2026-11-28 10:00", time.Hour, "2026-11-30 10:00"},
		{"StartsBeforeOpening", ny, "2026-11-24 06:00", 30 * time.Minute, "2026-11-24 09:30"},
		{"ZeroIsNextOpening", ny, "2026-11-24 20:00", 0, "2026-11-25 09:00"},
		{"Holidays", ny, "2026-12-23 17:00", 2 * time.Hour, "2026-12-28 10:00"},
		{"SplitDayLunch", sh, "2026-11-24 11:00", 2 * time.Hour, "2026-11-24 14:00"},
		{"SplitDayStartsAtLunch", sh, "2026-11-24 12:30", time.Hour, "2026-11-24 14:00"},
		{"KolkataHalfHour", in, "2026-11-23 18:00", time.Hour, "2026-11-24 10:00"},
		{"FallBackWeekend", ny, "2026-10-30 17:00", 2 * time.Hour, "2026-11-02 10:00"},
		{"SpringForwardAllDay", nyAll, "2026-03-07 12:00", 24 * time.Hour, "2026-03-08 13:00"},
		{"FallBackAllDay", nyAll, "2026-10-31 12:00", 24 * time.Hour, "2026-11-01 11:00"},
		{"Midnight", nyAll, "2026-11-24 23:30", time.Hour, "2026-11-25 00:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := tt.cal.Location
			start := at(t, loc, tt.start)
			got := tt.cal.Add(start, tt.add)
			if want := at(t, loc, tt.want); !got.Equal(want) {
				t.Fatalf("Add(%s, %s) = %s, want %s", tt.start, tt.add, got.In(loc), want)
			}
			if b := tt.cal.Between(start, got); b != tt.add {
				t.Errorf("Between(start, due) = %s, want %s", b, tt.add)
			}
		})
	}
}

func TestCalendarKolkataInUTC(t *testing.T) {
	in := weekdays(t, "Asia/Kolkata", bot.Span{hm(9, 30), hm(18, 30)})
	// 12:00 UTC on Monday is 17:30 IST: one business hour left that day.
	start := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	got := in.Add(start, 2*time.Hour).UTC()
	if want := time.Date(2026, 11, 24, 5, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("got %s, want %s (10:30 IST)", got, want)
	}
}

func TestCalendarAddDays(t *testing.T) {
	ny := weekdays(t, "America/New_York", bot.Span{hm(9, 0), hm(18, 0)})
	ny.Holidays["2026-11-26"] = "Thanksgiving"
	fri := weekdays(t, "America/New_York", bot.Span{hm(9, 0), hm(18, 0)})
	fri.Hours[time.Friday] = []bot.Span{{hm(9, 0), hm(13, 0)}}
	tests := []struct {
		name  string
		cal   *bot.Calendar
		start string
		days  int
		want  string
	}{
		{"SamePosition", ny, "2026-11-16 14:00", 3, "2026-11-19 14:00"},
		{"OverWeekend", ny, "2026-11-20 14:00", 1, "2026-11-23 14:00"},
		{"SkipsHoliday", ny, "2026-11-25 10:00", 1, "2026-11-27 10:00"},
		{"FromSaturdayCountsFromMonday", ny, "2026-11-21 11:00", 1, "2026-11-24 09:00"},
		{"ShortDayClampsToClose", fri, "2026-11-19 16:00", 1, "2026-11-20 13:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cal.AddDays(at(t, tt.cal.Location, tt.start), tt.days)
			if want := at(t, tt.cal.Location, tt.want); !got.Equal(want) {
				t.Fatalf("AddDays = %s, want %s", got.In(tt.cal.Location), want)
			}
		})
	}
}

func TestCalendarSegments(t *testing.T) {
	ny := weekdays(t, "America/New_York", bot.Span{hm(9, 0), hm(12, 0)}, bot.Span{hm(13, 0), hm(18, 0)})
	ny.Holidays["2026-11-26"] = "Thanksgiving"
	loc := ny.Location
	segs := ny.Segments(at(t, loc, "2026-11-25 11:00"), at(t, loc, "2026-11-27 10:00"))
	want := []struct {
		from, to string
		open     bool
		why      string
	}{
		{"2026-11-25 11:00", "2026-11-25 12:00", true, ""},
		{"2026-11-25 12:00", "2026-11-25 13:00", false, "outside business hours"},
		{"2026-11-25 13:00", "2026-11-25 18:00", true, ""},
		{"2026-11-25 18:00", "2026-11-27 09:00", false, "holiday: Thanksgiving"},
		{"2026-11-27 09:00", "2026-11-27 10:00", true, ""},
	}
	if len(segs) != len(want) {
		t.Fatalf("got %d segments %+v, want %d", len(segs), segs, len(want))
	}
	for i, w := range want {
		s := segs[i]
		if !s.Start.Equal(at(t, loc, w.from)) || !s.End.Equal(at(t, loc, w.to)) || s.Open != w.open || s.Why != w.why {
			t.Errorf("segment %d = %s–%s open=%v %q, want %+v", i, s.Start.In(loc), s.End.In(loc), s.Open, s.Why, w)
		}
	}
}

// TestCalendarProperties checks, for random starts over two years (both DST
// switches each year), with holidays, extra working days and the wall clock,
// and random targets, that the business time between a
// start and its deadline is the target, that deadlines fall within business
// hours, and that a longer target never gives an earlier deadline.
func TestCalendarProperties(t *testing.T) {
	cals := map[string]*bot.Calendar{
		"NewYork":       weekdays(t, "America/New_York", bot.Span{hm(9, 0), hm(18, 0)}),
		"ShanghaiLunch": weekdays(t, "Asia/Shanghai", bot.Span{hm(9, 0), hm(12, 0)}, bot.Span{hm(13, 0), hm(18, 0)}),
		"Kolkata":       weekdays(t, "Asia/Kolkata", bot.Span{hm(9, 30), hm(18, 30)}),
		"LondonNights":  weekdays(t, "Europe/London", bot.Span{hm(0, 0), hm(2, 30)}, bot.Span{hm(22, 0), hm(24, 0)}),
		"AllDayNY":      allDay(t, "America/New_York"),
	}
	cals["NewYork"].Holidays["2026-07-03"] = "Independence Day"
	cals["NewYork"].Holidays["2026-12-25"] = "Christmas"
	// Make-up working days: Saturdays and Sundays worked, one with short
	// hours, around holidays.
	cals["ShanghaiMakeUp"] = shanghai2026(t)
	cals["ShanghaiMakeUp"].Workdays["2026-05-09"] = bot.Workday{Hours: []bot.Span{{hm(10, 0), hm(11, 0)}}}
	cals["ShanghaiMakeUp"].Workdays["2026-09-20"] = bot.Workday{Name: "National Day make-up day"}
	cals["ShanghaiMakeUp"].Workdays["2027-01-03"] = bot.Workday{}
	// The wall clock: calendar time.
	cals["WallClock"] = weekdays(t, "America/New_York", bot.Span{hm(9, 0), hm(18, 0)}).WallClock()
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for name, cal := range cals {
		t.Run(name, func(t *testing.T) {
			for i := 0; i < 1500; i++ {
				start := base.Add(time.Duration(rng.Int64N(int64(2 * 365 * 24 * time.Hour)))).Truncate(time.Minute)
				d := time.Duration(rng.Int64N(120*60)) * time.Minute
				due := cal.Add(start, d)
				if got := cal.Between(start, due); got != d {
					t.Fatalf("start %s target %s: Between(start, due=%s) = %s", start.In(cal.Location), d, due.In(cal.Location), got)
				}
				if !cal.IsOpen(due) && !cal.IsOpen(due.Add(-time.Nanosecond)) {
					t.Fatalf("start %s target %s: due %s is outside business hours", start.In(cal.Location), d, due.In(cal.Location))
				}
				if due.Before(start) {
					t.Fatalf("due %s before start %s", due, start)
				}
				if later := cal.Add(start, d+time.Minute); later.Before(due) {
					t.Fatalf("start %s: +%s gives %s, +1m more gives earlier %s", start, d, due, later)
				}
			}
		})
	}
}
