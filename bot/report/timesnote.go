package report

import "github.com/askdesk/askdesk/bot"

// calendarTimesNote is what the note under a digest or report adds when a
// department it covers has targets in calendar time: those clocks, and so
// their times, count every hour.
func calendarTimesNote(deps ...*bot.Department) string {
	for _, dep := range deps {
		if dep == nil {
			continue
		}
		for _, p := range bot.Priorities {
			t := dep.Target(p)
			if t.FirstResponse.Kind == bot.CalendarTime || t.Resolution.Kind == bot.CalendarTime {
				return " Where a target is in calendar time, its times are too: nights, weekends and holidays count."
			}
		}
	}
	return ""
}
