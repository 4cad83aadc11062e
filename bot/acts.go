package bot

import (
	"strings"
	"unicode/utf8"
)

// fillEvent picks the event kind for an act and checks its arguments; each
// act that needs more than a kind has its own function below.
func (d *Desk) fillEvent(r *Request, a Act, ev *Event) error {
	if utf8.RuneCountInString(ev.Text) > MaxTextLen {
		return E(EINVALID, "err.too_long", "Limit", MaxTextLen)
	}
	switch a.Action {
	case ActClaim:
		return fillClaim(r, a, ev)
	case ActReply:
		return d.fillReply(r, a, ev)
	case ActReopen:
		return d.fillReopen(r, a, ev)
	case ActReassign:
		return d.fillReassign(r, a, ev)
	case ActTransfer:
		return d.fillTransfer(r, a, ev)
	}
	kind, ok := plainEvent(a.Action)
	if !ok {
		return E(EINVALID, "err.unknown_action", "Action", a.Action)
	}
	ev.Kind = kind
	return nil
}

// plainEvent is the event of an act that takes no argument and has nothing
// to check beyond who may and the request's state (Authorize and Apply).
func plainEvent(act Action) (EventKind, bool) {
	switch act {
	case ActWait:
		return EvWaiting, true
	case ActResume:
		return EvResumed, true
	case ActResolve:
		return EvResolved, true
	case ActClose:
		return EvClosed, true
	case ActCancel:
		return EvCancelled, true
	}
	return "", false
}

// fillClaim: claiming again what one already holds is a conflict, so a
// double click says so instead of recording nothing new.
func fillClaim(r *Request, a Act, ev *Event) error {
	if r.Assignee == a.Actor && r.State.Active() {
		return E(ECONFLICT, "err.already_claimed", "ID", r.ID)
	}
	ev.Kind, ev.Assignee = EvClaimed, a.Actor
	return nil
}

// fillReply: a reply needs words. Staff of the department (or an admin)
// reply, which counts as a first response; the requester, or anyone else
// allowed, comments.
func (d *Desk) fillReply(r *Request, a Act, ev *Event) error {
	if ev.Text == "" {
		return E(EINVALID, "err.reply_empty", "ID", r.ID)
	}
	ev.Kind = EvCommented
	if d.isStaffOf(r, a.Actor) && a.Actor != r.Requester {
		ev.Kind = EvReplied
	}
	return nil
}

func (d *Desk) isStaffOf(r *Request, user string) bool {
	if d.Dir().IsAdmin(user) {
		return true
	}
	dep := d.Dir().ByName(r.Dept)
	return dep != nil && dep.IsStaff(user)
}

// fillReopen: a resolved or closed request can be reopened within the
// reopen window after its resolution (admins excepted); later, a new request
// is the way.
func (d *Desk) fillReopen(r *Request, a Act, ev *Event) error {
	ev.Kind = EvReopened
	win := d.Dir().ReopenWindow
	if win.IsZero() || d.Dir().IsAdmin(a.Actor) || (r.State != Resolved && r.State != Closed) {
		return nil
	}
	limit := r.ResolvedAt.AddDate(0, 0, win.Days).Add(win.Time)
	if ev.At.After(limit) {
		return E(ECONFLICT, "err.reopen_too_late", "ID", r.ID, "Days", win.Days)
	}
	return nil
}

// fillReassign: the new assignee must be staff of the request's department
// and not already hold it.
func (d *Desk) fillReassign(r *Request, a Act, ev *Event) error {
	user := d.assigneeNamed(a.Target)
	dep := d.Dir().ByName(r.Dept)
	if user == "" || dep == nil || !dep.IsStaff(user) {
		return E(EINVALID, "err.not_member", "Name", Escape(a.Target), "Dept", d.deptArg(r.Dept))
	}
	if user == r.Assignee {
		return E(ECONFLICT, "err.already_assigned", "ID", r.ID, "Who", Mention(user))
	}
	ev.Kind, ev.Assignee = EvReassigned, user
	return nil
}

// assigneeNamed is the user ID a reassignment's target names: a Slack
// mention (<@U…> or <@U…|name>), a person's name from the config, or a user
// ID with or without a leading @.
func (d *Desk) assigneeNamed(target string) string {
	target = strings.TrimSpace(target)
	if strings.HasPrefix(target, "<@") && strings.HasSuffix(target, ">") {
		target, _, _ = strings.Cut(strings.TrimSuffix(strings.TrimPrefix(target, "<@"), ">"), "|")
	}
	if user, ok := d.Dir().UserByName(target); ok {
		return user
	}
	return strings.TrimPrefix(target, "@")
}

// fillTransfer: the target must be a department, and another one.
func (d *Desk) fillTransfer(r *Request, a Act, ev *Event) error {
	to, err := d.Dir().DepartmentIn(d.Printer(a.Actor, nil), a.Target)
	if err != nil {
		return err
	}
	if to.Name == r.Dept {
		return E(EINVALID, "err.already_with", "ID", r.ID, "Dept", Escape(to.DisplayName))
	}
	// The receiving department's standard in force now applies from here.
	ev.Kind, ev.Dept, ev.FromDept, ev.Standard = EvTransferred, to.Name, r.Dept, to.Revision
	return nil
}
