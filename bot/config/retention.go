package config

import (
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// RetentionConfig is [retention]: how long askdesk keeps what people wrote.
type RetentionConfig struct {
	// RedactAfter is how long after a request is closed or cancelled its
	// text (title, description, replies, notes, rating comments) is
	// replaced by "[redacted]", in calendar time ("365d"); survey comments
	// go as long after they were given. Times, people, departments,
	// states, priorities and scores are kept, so figures do not change.
	// "off" or left out: text is kept for good.
	RedactAfter string `toml:"redact_after"`
}

// RedactAfter returns the calendar time after which finished requests'
// text is redacted, or 0 when it is kept for good. It assumes a config
// that Parse or Validate accepted.
func (c *Config) RedactAfter() time.Duration {
	if c.Retention == nil {
		return 0
	}
	d, ok := redactAfter(c.Retention.RedactAfter)
	if !ok {
		return 0
	}
	return d
}

// redactAfter reads redact_after: 0 for off; ok false when it does not
// parse (the problem is reported by checkRetention).
func redactAfter(s string) (time.Duration, bool) {
	switch strings.TrimSpace(s) {
	case "", "off":
		return 0, true
	}
	d, err := bot.ParseBusinessDuration(s)
	if err != nil || d.IsZero() {
		return 0, false
	}
	return calendarTime(d), true
}

func calendarTime(d bot.BusinessDuration) time.Duration {
	return time.Duration(d.Days)*24*time.Hour + d.Time
}

// checkRetention validates [retention]. Text may go only once nothing can
// add to it: after the reopen window and the rating window, both counted
// from the resolution, which comes before the close.
func checkRetention(r *reporter, rc *RetentionConfig, dir *bot.Directory) {
	if rc == nil {
		return
	}
	const key = "retention.redact_after"
	v := strings.TrimSpace(rc.RedactAfter)
	if v == "" || v == "off" {
		return
	}
	d, ok := duration(r, key, v)
	if !ok {
		return
	}
	after := calendarTime(d)
	if reopen := calendarTime(dir.ReopenWindow); after < reopen {
		r.addf(key, "%q is shorter than reopen_window %q: a request could be reopened after its text is gone", v, dir.ReopenWindow)
		return
	}
	if window := dir.Ratings.Window; after < window {
		days := bot.BusinessDuration{Days: int(window / (24 * time.Hour)), Time: window % (24 * time.Hour)}
		r.addf(key, "%q is shorter than ratings.window %q: a rating comment could come after the text is gone", v, days)
	}
}
