package config_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
)

// notice2026 is the State Council's arrangement of China's 2026 public
// holidays, 国务院办公厅关于2026年部分节假日安排的通知 (4 November 2025),
// copied from the notice: each break, first and last day off inclusive,
// and the weekend days worked for it (上班).
var notice2026 = []struct {
	name     string
	from, to string
	work     []string
}{
	{"元旦", "2026-01-01", "2026-01-03", []string{"2026-01-04"}},
	{"春节", "2026-02-15", "2026-02-23", []string{"2026-02-14", "2026-02-28"}},
	{"清明节", "2026-04-04", "2026-04-06", nil},
	{"劳动节", "2026-05-01", "2026-05-05", []string{"2026-05-09"}},
	{"端午节", "2026-06-19", "2026-06-21", nil},
	{"中秋节", "2026-09-25", "2026-09-27", nil},
	{"国庆节", "2026-10-01", "2026-10-07", []string{"2026-09-20", "2026-10-10"}},
}

// noticeDays returns the notice's days off and make-up days, each with
// the festival it belongs to.
func noticeDays(t *testing.T) (off, work map[string]string) {
	t.Helper()
	off, work = map[string]string{}, map[string]string{}
	for _, h := range notice2026 {
		from, err1 := time.Parse(time.DateOnly, h.from)
		to, err2 := time.Parse(time.DateOnly, h.to)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", h.name, err1, err2)
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			off[d.Format(time.DateOnly)] = h.name
		}
		for _, w := range h.work {
			work[w] = h.name
		}
	}
	// The notice's own counts: 3+9+3+5+3+3+7 days off, six make-up days.
	if len(off) != 33 || len(work) != 6 {
		t.Fatalf("the table says %d days off and %d make-up days; the notice says 33 and 6", len(off), len(work))
	}
	return off, work
}

func loadExample(t *testing.T, path string) (*config.Config, *bot.Directory) {
	t.Helper()
	c, err := config.Load(path)
	if err != nil {
		t.Fatalf("%s has problems:\n%v", path, err)
	}
	dir, err := c.Directory()
	if err != nil {
		t.Fatal(err)
	}
	return c, dir
}

// Every date of 2026 is closed or open in the Shanghai calendars exactly as
// the notice says: its days off closed, its make-up Saturdays and Sundays
// open with the working hours, every other weekend closed and every other
// weekday open. Both examples' Shanghai departments are held to it.
func TestExampleShanghaiCalendarsKeepTheNotice2026(t *testing.T) {
	off, work := noticeDays(t)
	_, zhDir := loadExample(t, "../../config.example.zh.toml")
	_, enDir := loadExample(t, "../../config.example.toml")
	cals := map[string]*bot.Calendar{"config.example.toml facilities": enDir.ByName("facilities").Calendar}
	for _, dep := range zhDir.Departments {
		cals["config.example.zh.toml "+dep.Name] = dep.Calendar
	}
	for name, cal := range cals {
		t.Run(strings.ReplaceAll(name, " ", "/"), func(t *testing.T) {
			if cal.Location.String() != "Asia/Shanghai" {
				t.Fatalf("zone %s, want Asia/Shanghai", cal.Location)
			}
			monday := cal.OpenOn(2026, time.March, 2)
			if len(monday) == 0 {
				t.Fatal("closed on Monday 2 March 2026")
			}
			for d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
				date := d.Format(time.DateOnly)
				y, m, day := d.Date()
				got := cal.OpenOn(y, m, day)
				weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
				switch fest, isOff := off[date]; {
				case isOff:
					if len(got) != 0 {
						t.Errorf("%s (%s, %s) open %v; the notice gives it off", date, d.Weekday(), fest, got)
					}
					if n := cal.Holidays[date]; !strings.HasPrefix(n, fest) {
						t.Errorf("%s is named %q, want %s", date, n, fest)
					}
				case work[date] != "":
					if !weekend {
						t.Errorf("%s: a make-up day on a %s", date, d.Weekday())
					}
					if !sameHours(got, monday) {
						t.Errorf("%s (%s, %s调休) open %v, want the working hours %v", date, d.Weekday(), work[date], got, monday)
					}
					if n := cal.Workdays[date].Name; !strings.HasPrefix(n, work[date]+"调休") {
						t.Errorf("make-up day %s is named %q, want %s调休", date, n, work[date])
					}
				case weekend:
					if len(got) != 0 {
						t.Errorf("%s (%s) open %v; a plain weekend", date, d.Weekday(), got)
					}
				default:
					if !sameHours(got, monday) {
						t.Errorf("%s (%s) open %v, want the working hours %v", date, d.Weekday(), got, monday)
					}
				}
			}
			// Nothing else is a holiday or a make-up day in 2026.
			for date := range cal.Holidays {
				if _, ok := off[date]; !ok && strings.HasPrefix(date, "2026-") {
					t.Errorf("holiday %s is not in the notice", date)
				}
			}
			for date := range cal.Workdays {
				if _, ok := work[date]; !ok {
					t.Errorf("make-up day %s is not in the notice", date)
				}
			}
		})
	}
}

// sameHours compares a date's openings with Monday 2 March 2026's by wall
// clock.
func sameHours(a, b []bot.Interval) bool {
	clock := func(ivs []bot.Interval) []string {
		var out []string
		for _, iv := range ivs {
			out = append(out, iv.Start.Format("15:04")+"-"+iv.End.Format("15:04"))
		}
		return out
	}
	return slices.Equal(clock(a), clock(b))
}

// Business time across the Spring Festival skips its nine days off and
// counts both make-up Saturdays: from Friday 13 February 18:00 to Monday 2
// March 09:00 are six working days of eight hours (14, 24–27 and 28
// February).
func TestExampleZhSpringFestivalBusinessTime(t *testing.T) {
	_, dir := loadExample(t, "../../config.example.zh.toml")
	cal := dir.ByName("finance").Calendar
	sh := cal.Location
	from := time.Date(2026, 2, 13, 18, 0, 0, 0, sh)
	to := time.Date(2026, 3, 2, 9, 0, 0, 0, sh)
	if got, want := cal.Between(from, to), 6*8*time.Hour; got != want {
		t.Errorf("business time %v, want %v", got, want)
	}
	for _, tc := range []struct {
		at   time.Time
		bd   bot.BusinessDuration
		want time.Time
	}{
		// 4h from Friday evening: the make-up Saturday's morning and an
		// hour after lunch.
		{from, bot.BusinessDuration{Time: 4 * time.Hour}, time.Date(2026, 2, 14, 14, 0, 0, 0, sh)},
		// One working day from Friday 10:00 is the make-up Saturday; two
		// jump the festival to Tuesday 24 February.
		{time.Date(2026, 2, 13, 10, 0, 0, 0, sh), bot.BusinessDuration{Days: 1}, time.Date(2026, 2, 14, 10, 0, 0, 0, sh)},
		{time.Date(2026, 2, 13, 10, 0, 0, 0, sh), bot.BusinessDuration{Days: 2}, time.Date(2026, 2, 24, 10, 0, 0, 0, sh)},
		// Five working days from Tuesday 24 February end on the second
		// make-up Saturday, 28 February, not on Monday 2 March.
		{time.Date(2026, 2, 24, 10, 0, 0, 0, sh), bot.BusinessDuration{Days: 4}, time.Date(2026, 2, 28, 10, 0, 0, 0, sh)},
	} {
		if got := cal.Deadline(tc.at, tc.bd); !got.Equal(tc.want) {
			t.Errorf("%s + %v = %s, want %s", tc.at.Format("Mon 01-02 15:04"), tc.bd, got.Format("Mon 01-02 15:04"), tc.want.Format("Mon 01-02 15:04"))
		}
	}
}

// The Chinese example is a whole company: departments with Chinese display
// names and aliases, one Shanghai working day, targets like the English
// example's, and staff who belong where they work.
func TestExampleZh(t *testing.T) {
	c, dir := loadExample(t, "../../config.example.zh.toml")

	want := []string{"finance", "hr", "it", "admin", "legal", "purchasing"}
	if got := dir.Names(); !slices.Equal(got, want) {
		t.Errorf("departments %v, want %v", got, want)
	}
	for name, display := range map[string]string{"finance": "财务部", "hr": "人力资源部", "it": "IT部", "admin": "行政部", "legal": "法务部", "purchasing": "采购部"} {
		if got := dir.ByName(name).DisplayName; got != display {
			t.Errorf("%s display name %q, want %q", name, got, display)
		}
	}
	for typed, want := range map[string]string{
		"财务": "finance", "财务部": "finance", "会计": "finance", "ＦＩＮ": "finance",
		"人事": "hr", "人力资源部": "hr", "IT": "it", "信息部": "it",
		"行政": "admin", "后勤": "admin", "法务": "legal", "采购": "purchasing",
	} {
		dep, err := dir.Department(typed)
		if err != nil {
			t.Errorf("Department(%q): %v", typed, err)
		} else if dep.Name != want {
			t.Errorf("Department(%q) = %s, want %s", typed, dep.Name, want)
		}
	}

	// 09:00–12:00 and 13:00–18:00 on weekdays, closed at the weekend.
	day := []bot.Span{{Start: 9 * 60, End: 12 * 60}, {Start: 13 * 60, End: 18 * 60}}
	for _, dep := range dir.Departments {
		cal := dep.Calendar
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			want := day
			if wd == time.Saturday || wd == time.Sunday {
				want = nil
			}
			if got := cal.Hours[wd]; !slices.Equal(got, want) {
				t.Errorf("%s %s = %v, want %v", dep.Name, wd, got, want)
			}
		}
		if dep.Description == "" || len(dep.Keywords) < 20 {
			t.Errorf("%s: description %q and %d keywords; want both", dep.Name, dep.Description, len(dep.Keywords))
		}
		for _, w := range append([]string{dep.DisplayName, dep.Description}, dep.Keywords...) {
			if !hasHan(w) && !slices.Contains([]string{"NDA", "VPN", "WiFi", "ERP", "OA"}, w) {
				t.Errorf("%s: %q is not Chinese", dep.Name, w)
			}
		}
	}
	if got := c.Schedule.Calendar; dir.Lookup(got) == nil {
		t.Errorf("schedule.calendar %q names no department", got)
	}
	if got := c.Schedule.Timezone; got != "Asia/Shanghai" {
		t.Errorf("schedule.timezone %q", got)
	}

	fin := dir.ByName("finance")
	if got, want := fin.Target(bot.Urgent), (bot.Target{FirstResponse: bot.BusinessDuration{Time: time.Hour}, Resolution: bot.BusinessDuration{Days: 1}}); got != want {
		t.Errorf("finance urgent = %+v, want %+v", got, want)
	}
	if q := fin.Quality; q != (bot.QualityTarget{RightFirstTime: 90, Satisfaction: 4.2}) {
		t.Errorf("finance quality target = %+v", q)
	}
	if got := dir.ByName("admin").Target(bot.Urgent).Resolution; got.Kind != bot.CalendarTime {
		t.Errorf("admin urgent resolution %+v, want calendar time", got)
	}
	// Request types, their fields and select options speak Chinese.
	for _, dep := range dir.Departments {
		for _, rt := range dep.Types {
			if !hasHan(rt.DisplayName) {
				t.Errorf("%s type %s display name %q", dep.Name, rt.Name, rt.DisplayName)
			}
			for _, f := range rt.Fields {
				if !hasHan(f.Label) {
					t.Errorf("%s type %s field %s label %q", dep.Name, rt.Name, f.Name, f.Label)
				}
				for _, o := range f.Options {
					if !hasHan(o) {
						t.Errorf("%s field %s option %q", dep.Name, f.Name, o)
					}
				}
			}
		}
	}
	if rt := fin.Types; len(rt) != 3 || fin.DefaultType().Name != "general" {
		t.Errorf("finance types %d, default %s", len(rt), fin.DefaultType().Name)
	}

	for _, dep := range dir.Departments {
		for _, id := range append(slices.Clone(dep.Leads), dep.Members...) {
			p, ok := dir.People[id]
			if !ok {
				t.Errorf("%s staff %s is not in [people]", dep.Name, id)
			} else if p.Department != dep.Name || p.Name == "" {
				t.Errorf("%s staff %s: %+v", dep.Name, id, *p)
			}
		}
	}
	for _, id := range dir.Admins {
		if _, ok := dir.People[id]; !ok {
			t.Errorf("admin %s is not in [people]", id)
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}
