package report

import (
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// calendarTimesNoteIn is what the note under a digest or report adds when a
// department it covers has targets in calendar time: those clocks, and so
// their times, count every hour. It is in p's language.
func calendarTimesNoteIn(p *i18n.Printer, deps ...*bot.Department) string {
	for _, dep := range deps {
		if dep == nil {
			continue
		}
		for _, pr := range bot.Priorities {
			t := dep.Target(pr)
			if t.FirstResponse.Kind == bot.CalendarTime || t.Resolution.Kind == bot.CalendarTime {
				return p.T("digest.calendar_times_note")
			}
		}
	}
	return ""
}
