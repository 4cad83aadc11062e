package bot

import (
	"strings"
	"time"
)

// viewerTimes says the times of /ask status in the viewer's own zone,
// labelled, with the department's beside them where its clock differs: a
// requester in Chicago reads "Tue 14:00 (your time, America/Chicago; Tue
// 15:00 New York)" for a New York deadline. When askdesk does not know the
// viewer's zone, the times are the department's, and say so.
type viewerTimes struct {
	now   time.Time
	own   *time.Location // the viewer's zone; the department's when unknown
	known bool           // whether own is the viewer's
	dept  *time.Location
	name  string // the department's display name
}

func (d *Desk) viewerTimes(viewer string, dep *Department, now time.Time) viewerTimes {
	v := viewerTimes{now: now, dept: dep.Calendar.Location, name: dep.DisplayName}
	v.own, v.known = d.userZone(viewer)
	if !v.known {
		v.own = v.dept
	}
	return v
}

// legend is the line that says whose time the times are.
func (v viewerTimes) legend() string {
	if !v.known {
		return "Times are " + Escape(v.name) + "'s (" + v.dept.String() + "): askdesk does not know your time zone."
	}
	if v.own.String() == v.dept.String() {
		return "Times are your time (" + v.own.String() + "), which is " + Escape(v.name) + "'s too."
	}
	return "Times are your time (" + v.own.String() + "), with " + PlaceName(v.dept) + "'s beside them where the clock differs."
}

// full says an instant with its label: "Tue 14:00 (your time,
// America/Chicago; Tue 15:00 New York)".
func (v viewerTimes) full(t time.Time) string {
	mine := FormatWhen(t, v.now, v.own)
	if !v.known {
		return mine + " (" + v.dept.String() + ")"
	}
	label := "your time, " + v.own.String()
	if theirs := FormatWhen(t, v.now, v.dept); theirs != mine {
		label += "; " + theirs + " " + PlaceName(v.dept)
	}
	return mine + " (" + label + ")"
}

// short says an instant in a list under the legend: "Tue 14:00 (Tue 15:00
// New York)", or "Tue 14:00" where both clocks agree.
func (v viewerTimes) short(t time.Time) string {
	mine := FormatWhen(t, v.now, v.own)
	if theirs := FormatWhen(t, v.now, v.dept); theirs != mine {
		return mine + " (" + theirs + " " + PlaceName(v.dept) + ")"
	}
	return mine
}

// span says a stretch in the viewer's zone, with the department's beside
// it where the clock differs.
func (v viewerTimes) span(a, z time.Time) string {
	mine := spanIn(a, z, v.own)
	if theirs := spanIn(a, z, v.dept); theirs != mine {
		return mine + " (" + theirs + " " + PlaceName(v.dept) + ")"
	}
	return mine
}

// spanIn renders a stretch in loc: "Mon 2 Jan 09:00–12:00", or with both
// dates when it crosses midnight.
func spanIn(a, z time.Time, loc *time.Location) string {
	a, z = a.In(loc), z.In(loc)
	if a.YearDay() == z.YearDay() && a.Year() == z.Year() {
		return a.Format("Mon 2 Jan 15:04") + "–" + z.Format("15:04")
	}
	return a.Format("Mon 2 Jan 15:04") + " – " + z.Format("Mon 2 Jan 15:04")
}

// PlaceName is the place a zone is named for, as people say it:
// "America/New_York" is "New York", "UTC" stays "UTC".
func PlaceName(loc *time.Location) string {
	n := loc.String()
	if i := strings.LastIndex(n, "/"); i >= 0 {
		n = n[i+1:]
	}
	return strings.ReplaceAll(n, "_", " ")
}
