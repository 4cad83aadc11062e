package bot

import (
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot/i18n"
)

// viewerTimes says the times of /ask status in the viewer's own zone,
// labelled, with the department's beside them where its clock differs: a
// requester in Chicago reads "Tue 14:00 (your time, America/Chicago; Tue
// 15:00 New York)" for a New York deadline. When askdesk does not know the
// viewer's zone, the times are the department's, and say so.
type viewerTimes struct {
	p     *i18n.Printer // the viewer's language
	now   time.Time
	own   *time.Location // the viewer's zone; the department's when unknown
	known bool           // whether own is the viewer's
	dept  *time.Location
	name  string // the department's display name
}

func (d *Desk) viewerTimes(p *i18n.Printer, viewer string, dep *Department, now time.Time) viewerTimes {
	v := viewerTimes{p: p, now: now, dept: dep.Calendar.Location, name: dep.DisplayName}
	v.own, v.known = d.userZone(viewer)
	if !v.known {
		v.own = v.dept
	}
	return v
}

// legend is the line that says whose time the times are.
func (v viewerTimes) legend() string {
	if !v.known {
		return v.p.T("explain.zone.legend_unknown", "Dept", Escape(v.name), "Zone", v.dept.String())
	}
	if v.own.String() == v.dept.String() {
		return v.p.T("explain.zone.legend_same", "Zone", v.own.String(), "Dept", Escape(v.name))
	}
	return v.p.T("explain.zone.legend_differs", "Zone", v.own.String(), "Place", PlaceName(v.dept))
}

// full says an instant with its label: "Tue 14:00 (your time,
// America/Chicago; Tue 15:00 New York)".
func (v viewerTimes) full(t time.Time) string {
	mine := v.p.When(t, v.now, v.own)
	if !v.known {
		return v.p.T("status.clock.zoned", "When", mine, "Zone", v.dept.String())
	}
	if theirs := v.p.When(t, v.now, v.dept); theirs != mine {
		return v.p.T("explain.zone.full_theirs", "When", mine, "Zone", v.own.String(), "Theirs", theirs, "Place", PlaceName(v.dept))
	}
	return v.p.T("explain.zone.full", "When", mine, "Zone", v.own.String())
}

// short says an instant in a list under the legend: "Tue 14:00 (Tue 15:00
// New York)", or "Tue 14:00" where both clocks agree.
func (v viewerTimes) short(t time.Time) string {
	mine := v.p.When(t, v.now, v.own)
	if theirs := v.p.When(t, v.now, v.dept); theirs != mine {
		return v.p.T("explain.zone.beside", "Mine", mine, "Theirs", theirs, "Place", PlaceName(v.dept))
	}
	return mine
}

// span says a stretch in the viewer's zone, with the department's beside
// it where the clock differs.
func (v viewerTimes) span(a, z time.Time) string {
	mine := spanIn(v.p, a, z, v.own)
	if theirs := spanIn(v.p, a, z, v.dept); theirs != mine {
		return v.p.T("explain.zone.beside", "Mine", mine, "Theirs", theirs, "Place", PlaceName(v.dept))
	}
	return mine
}

// spanIn renders a stretch in loc: "Mon 2 Jan 09:00–12:00", or with both
// dates when it crosses midnight; "1月2日 周一 09:00–12:00" in Chinese.
func spanIn(p *i18n.Printer, a, z time.Time, loc *time.Location) string {
	a, z = a.In(loc), z.In(loc)
	at := func(t time.Time) string { return p.Date(t) + " " + t.Format("15:04") }
	if a.YearDay() == z.YearDay() && a.Year() == z.Year() {
		return at(a) + "–" + z.Format("15:04")
	}
	return at(a) + " – " + at(z)
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
