package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Out of office: /ask away [until DATE] and /ask back. While someone is
// away, the sweep sends the reminders meant for them elsewhere (their
// claimed requests' reminders to the queue, their escalations to the other
// leads), and when they go away their leads are told, once, which requests
// they had claimed.

// Away is one person's absence.
type Away struct {
	User  string
	Since time.Time
	// Until is when they are back (the start of the day they named, in
	// their zone); zero until they say /ask back.
	Until time.Time
}

// AwayAt reports whether a is in force at t.
func (a Away) AwayAt(t time.Time) bool {
	return !t.Before(a.Since) && (a.Until.IsZero() || t.Before(a.Until))
}

// maxAway is the furthest ahead an absence may be set.
const maxAway = 366 * 24 * time.Hour

// away is /ask away [until YYYY-MM-DD].
func (d *Desk) away(ctx context.Context, user, args string) (Reply, error) {
	p := d.Printer(user, nil)
	ppl := d.people()
	if ppl == nil {
		return Reply{}, Errorf(EINTERNAL, "%s", p.T("away.no_absences"))
	}
	now := d.Now()
	loc := d.Location(user, d.Dir().ByName(d.Dir().HomeDepartment(user)))
	a := Away{User: user, Since: now}
	if args != "" {
		date := strings.TrimSpace(args)
		if w, rest := cutWord(date); strings.EqualFold(w, "until") {
			date = rest
		}
		day, err := time.ParseInLocation("2006-01-02", date, loc)
		if err != nil {
			return Reply{}, Errorf(EINVALID, "%s", p.T("away.bad_date", "Args", Escape(args)))
		}
		if !day.After(now) {
			return Reply{}, Errorf(EINVALID, "%s", p.T("away.past",
				"Day", p.DateYear(day), "Example", now.In(loc).AddDate(0, 0, 7).Format("2006-01-02")))
		}
		if day.Sub(now) > maxAway {
			return Reply{}, Errorf(EINVALID, "%s", p.T("away.too_far"))
		}
		a.Until = day
	}
	if err := ppl.SetAway(ctx, a); err != nil {
		return Reply{}, err
	}
	n, err := d.flagClaimed(ctx, a, loc)
	if err != nil {
		// The absence is recorded; the leads' note is what failed.
		d.Log.ErrorContext(ctx, "away: tell the leads", "user", user, "err", err)
	}
	d.Log.InfoContext(ctx, "away", "user", user, "until", a.Until, "claimed", n)
	until := p.T("away.until_back")
	if !a.Until.IsZero() {
		until = p.T("away.until", "Day", p.Date(a.Until.In(loc)))
	}
	return Reply{Text: p.T("away.set", "Until", until), Lang: p.Lang()}, nil
}

// back is /ask back.
func (d *Desk) back(ctx context.Context, user, args string) (Reply, error) {
	p := d.Printer(user, nil)
	ppl := d.people()
	if ppl == nil {
		return Reply{}, Errorf(EINTERNAL, "%s", p.T("away.no_absences"))
	}
	if args != "" {
		return Reply{}, Errorf(EINVALID, "%s", p.T("away.back_takes_nothing"))
	}
	was, err := ppl.Back(ctx, user)
	if err != nil {
		return Reply{}, err
	}
	if !was {
		return Reply{Text: p.T("away.not_away"), Lang: p.Lang()}, nil
	}
	d.Log.InfoContext(ctx, "back", "user", user)
	return Reply{Text: p.T("away.welcome_back"), Lang: p.Lang()}, nil
}

// flagClaimed tells the leads of each department user works in (the
// admins, when its leads are all away), in one DM per person, which of its
// requests user has claimed and will not work while away; once per
// absence. It returns how many requests it listed.
func (d *Desk) flagClaimed(ctx context.Context, a Away, loc *time.Location) (int, error) {
	dir := d.Dir()
	byLead := map[string][]*Request{}
	var leads []string
	n := 0
	for _, dep := range dir.StaffOf(a.User) {
		rs, err := d.Store.Requests(ctx, Filter{Dept: dep.Name, Assignee: a.User, ActiveOnly: true, Limit: maxReminderLines + 1})
		if err != nil {
			return n, err
		}
		if len(rs) == 0 {
			continue
		}
		n += len(rs)
		for _, lead := range d.leadsPresent(ctx, dep, a.User, a.Since) {
			if _, ok := byLead[lead]; !ok {
				leads = append(leads, lead)
			}
			byLead[lead] = append(byLead[lead], rs...)
		}
	}
	if len(leads) == 0 {
		return n, nil
	}
	var msgs []Message
	for _, lead := range leads {
		p := d.Printer(lead, nil)
		until := p.T("away.until_they_are_back")
		if !a.Until.IsZero() {
			until = p.T("away.until", "Day", p.Date(a.Until.In(loc)))
		}
		rs := byLead[lead]
		var b strings.Builder
		b.WriteString(p.T("away.lead_note", "Who", Mention(a.User), "Until", until))
		b.WriteString(p.N("away.claimed", len(rs)))
		for i, r := range rs {
			if i == maxReminderLines {
				b.WriteString(p.T("away.more", "Dept", r.Dept))
				break
			}
			fmt.Fprintf(&b, "\n• *%s* (%s)", r.ID, Escape(r.Title))
		}
		b.WriteString(p.T("away.reassign"))
		msgs = append(msgs, Message{To: lead, DM: true, Text: b.String()})
	}
	key := fmt.Sprintf("away:%s:%d", a.User, a.Since.UnixMilli())
	if _, err := d.Store.PostOnce(ctx, key, msgs, a.Since); err != nil {
		return n, err
	}
	d.Notify()
	return n, nil
}

// leadsPresent returns dep's leads but user and those away at t; when
// that leaves nobody, the admins who are here.
func (d *Desk) leadsPresent(ctx context.Context, dep *Department, user string, t time.Time) []string {
	away := d.absences(ctx, t)
	here := func(ids []string) []string {
		var out []string
		for _, id := range ids {
			if id != user && !away[id] {
				out = append(out, id)
			}
		}
		return out
	}
	if out := here(dep.Leads); len(out) > 0 {
		return out
	}
	return here(d.Dir().Admins)
}

// absences returns who is away at t; nobody when the store keeps no
// absences or cannot say (then reminders go as usual, and it is logged).
func (d *Desk) absences(ctx context.Context, t time.Time) map[string]bool {
	ppl := d.people()
	if ppl == nil {
		return nil
	}
	as, err := ppl.Absences(ctx, t)
	if err != nil {
		d.Log.WarnContext(ctx, "absences", "err", err)
		return nil
	}
	out := make(map[string]bool, len(as))
	for _, a := range as {
		out[a.User] = true
	}
	return out
}

// skipAway sends elsewhere the reminders due to people away at now: one
// meant for an assignee goes to the department's queue; a lead's
// escalation goes to the leads who are not away, or, when all are, to the
// admins who are not, or else to the queue.
func (d *Desk) skipAway(rems []Reminder, dep *Department, away map[string]bool) []Reminder {
	if len(away) == 0 {
		return rems
	}
	out := rems[:0:0]
	for _, rem := range rems {
		if rem.ToQueue || rem.To == "" || !away[rem.To] {
			out = append(out, rem)
			continue
		}
		switch rem.Kind {
		case RemindWarn, RemindBreach, RemindNudge:
			rem.AwayFrom = rem.To
			rem.To, rem.ToQueue = dep.Channel, true
			out = append(out, rem)
		case RemindEscalate:
			if slices.ContainsFunc(dep.Leads, func(l string) bool { return !away[l] }) {
				continue // the leads who are here have their own
			}
			var admins []string
			for _, a := range d.Dir().Admins {
				if !away[a] {
					admins = append(admins, a)
				}
			}
			rem.AwayFrom = rem.To
			if len(admins) == 0 {
				rem.To, rem.ToQueue = dep.Channel, true
				out = append(out, rem)
				continue
			}
			for _, a := range admins {
				r := rem
				r.To = a
				out = append(out, r)
			}
		default: // the requester's own nudges and the auto-close are theirs
			out = append(out, rem)
		}
	}
	return out
}
