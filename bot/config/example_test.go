package config_test

import (
	"slices"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
)

// The example config is embedded in the binary and copied by new users, so
// it must stay valid and mean what its comments say.
func TestExample(t *testing.T) {
	c, err := config.Load("../../config.example.toml")
	if err != nil {
		t.Fatalf("example config has problems:\n%v", err)
	}
	dir, err := c.Directory()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("Departments", func(t *testing.T) {
		want := []string{"finance", "it", "hr", "legal", "marketing", "sales", "facilities", "purchasing", "production"}
		if got := dir.Names(); !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		for typed, want := range map[string]string{
			"finance": "finance", "ＦＩＮ": "finance", "Accounting": "finance", "财务": "finance",
			"IT": "it", "helpdesk": "it", "human resources": "hr", "人事": "hr",
			"LEG": "legal", "行政": "facilities", "procurement": "purchasing", "prod": "production",
		} {
			dep, err := dir.Department(typed)
			if err != nil {
				t.Errorf("Department(%q): %v", typed, err)
			} else if dep.Name != want {
				t.Errorf("Department(%q) = %s, want %s", typed, dep.Name, want)
			}
		}
		if got := dir.ByName("legal").DisplayName; got != "Legal" {
			t.Errorf("default display name = %q, want Legal", got)
		}
	})

	t.Run("QualityTarget", func(t *testing.T) {
		if q := dir.ByName("finance").Quality; q != (bot.QualityTarget{RightFirstTime: 90, Satisfaction: 4.2}) {
			t.Errorf("finance quality target = %+v, want 90%% and 4.2", q)
		}
		if q := dir.ByName("it").Quality; q != (bot.QualityTarget{}) {
			t.Errorf("IT publishes a quality target: %+v", q)
		}
	})

	t.Run("Calendars", func(t *testing.T) {
		fin := dir.ByName("finance").Calendar
		if got := fin.Location.String(); got != "America/New_York" {
			t.Errorf("finance zone = %s", got)
		}
		wantFri := []bot.Span{{Start: 9 * 60, End: 12*60 + 30}, {Start: 13*60 + 30, End: 16 * 60}}
		if got := fin.Hours[time.Friday]; !slices.Equal(got, wantFri) {
			t.Errorf("finance Friday = %v, want %v", got, wantFri)
		}
		if got := fin.Hours[time.Monday]; len(got) != 2 || got[1].End != 17*60+30 {
			t.Errorf("finance Monday = %v, want the weekday hours", got)
		}
		if got := fin.Hours[time.Saturday]; len(got) != 0 {
			t.Errorf("finance Saturday = %v, want closed", got)
		}
		if got := fin.Holidays["2026-11-26"]; got != "Thanksgiving" {
			t.Errorf("finance 2026-11-26 = %q, want Thanksgiving", got)
		}

		// Touching shifts are one span.
		prd := dir.ByName("production").Calendar
		if got, want := prd.Hours[time.Tuesday], []bot.Span{{Start: 6 * 60, End: 22 * 60}}; !slices.Equal(got, want) {
			t.Errorf("production Tuesday = %v, want %v", got, want)
		}
		if got, want := dir.ByName("it").Calendar.Hours[time.Wednesday], []bot.Span{{Start: 0, End: 24 * 60}}; !slices.Equal(got, want) {
			t.Errorf("it Wednesday = %v, want %v", got, want)
		}
		hr := dir.ByName("hr").Calendar
		if _, off := time.Date(2026, 6, 1, 12, 0, 0, 0, hr.Location).Zone(); off != 5*3600+30*60 {
			t.Errorf("hr offset = %ds, want +05:30", off)
		}
		if len(hr.Hours[time.Saturday]) != 1 {
			t.Errorf("hr Saturday = %v, want a morning", hr.Hours[time.Saturday])
		}
	})

	t.Run("Targets", func(t *testing.T) {
		fin := dir.ByName("finance")
		want := bot.Target{FirstResponse: bot.BusinessDuration{Time: time.Hour}, Resolution: bot.BusinessDuration{Days: 1}}
		if got := fin.Target(bot.Urgent); got != want {
			t.Errorf("finance urgent = %+v, want %+v", got, want)
		}
		mkt := dir.ByName("marketing")
		if got, want := mkt.Target(bot.Urgent), mkt.Target(bot.Normal); got != want {
			t.Errorf("marketing urgent = %+v, want normal's %+v", got, want)
		}
	})

	t.Run("People", func(t *testing.T) {
		if !dir.IsAdmin("U0ADA0001") {
			t.Error("ada is not an admin")
		}
		if dir.DefaultPriority != bot.Normal {
			t.Errorf("default priority = %s", dir.DefaultPriority)
		}
		if got, want := dir.ReopenWindow, (bot.BusinessDuration{Days: 14}); got != want {
			t.Errorf("reopen window = %v, want %v", got, want)
		}
		sam, ok := dir.UserByName("sam")
		if !ok {
			t.Fatal("no sam")
		}
		if got := dir.HomeDepartment(sam); got != "sales" {
			t.Errorf("sam's department = %q, want sales", got)
		}
		if got := dir.StaffOf(sam); len(got) != 0 {
			t.Errorf("sam staffs %v, want a plain requester", got)
		}
		// Every staff member is named, and belongs to the department they staff.
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
	})
}
