package bot

// Action is something a person can do to a request; the policy decides who.
type Action string

const (
	ActView     Action = "see"
	ActClaim    Action = "claim"
	ActReply    Action = "reply to"
	ActWait     Action = "put on hold"
	ActResume   Action = "resume"
	ActResolve  Action = "resolve"
	ActClose    Action = "close"
	ActReopen   Action = "reopen"
	ActCancel   Action = "cancel"
	ActTransfer Action = "transfer"
	ActReassign Action = "reassign"
	ActRate     Action = "rate"
	ActComment  Action = "comment on the rating of"
	ActSurvey   Action = "answer the survey"
)

// Phrase says the action done to id: "claim FIN-1", "put FIN-1 on hold".
func (a Action) Phrase(id string) string {
	switch a {
	case ActWait:
		return "put " + id + " on hold"
	case ActReply:
		return "reply to " + id
	}
	return string(a) + " " + id
}

// role is how a person relates to a request.
type role int

const (
	roleStaff     role = 1 << iota // member or lead of the owning department
	roleRequester                  // filed it
	roleAdmin                      // may do anything
)

// permissions is the whole policy in one table: who may do what.
var permissions = map[Action]role{
	ActView:     roleStaff | roleRequester,
	ActClaim:    roleStaff,
	ActReply:    roleStaff | roleRequester,
	ActWait:     roleStaff,
	ActResume:   roleStaff | roleRequester,
	ActResolve:  roleStaff,
	ActClose:    roleRequester,
	ActReopen:   roleRequester,
	ActCancel:   roleRequester,
	ActTransfer: roleStaff,
	ActReassign: roleStaff,
	ActRate:     roleRequester,
	ActComment:  roleRequester,
	// ActSaveAnswer (deflect.go): a department keeps its own answers.
	ActSaveAnswer:   roleStaff,
	ActUnsaveAnswer: roleStaff,
}

// ownVoice are the acts that speak for the requester: how they were served.
// Nobody else gives them, admins included: a rating is one customer's word.
var ownVoice = map[Action]bool{ActRate: true, ActComment: true, ActSurvey: true}

// Authorize returns nil if user may do act to r, or EFORBIDDEN with a
// message that says who can.
func (d *Directory) Authorize(user string, act Action, r *Request) error {
	if user == SystemActor || d.IsAdmin(user) && !ownVoice[act] {
		return nil
	}
	var have role
	dep := d.ByName(r.Dept)
	if dep != nil && dep.IsStaff(user) {
		have |= roleStaff
	}
	if r.Requester == user {
		have |= roleRequester
	}
	need := permissions[act]
	if have&need != 0 {
		return nil
	}
	if act == ActView && d.PublicByDept(r) {
		// Its department publishes its requests: anyone may read them
		// (public.go), and only read them.
		return nil
	}
	if have == 0 {
		// An outsider is not told where the request is now (it may have
		// been transferred) nor who handles it.
		dep = nil
	}
	if act == ActView {
		return Errorf(EFORBIDDEN, "%s is not yours to see: only its requester and %s can.", r.ID, staffName(dep))
	}
	var who string
	switch need {
	case roleStaff:
		who = "only " + staffName(dep)
	case roleRequester:
		who = "only the person who filed it"
	default:
		who = "only its requester and " + staffName(dep)
	}
	return Errorf(EFORBIDDEN, "You can't %s: %s can. Ask an admin if this is wrong.", act.Phrase(r.ID), who)
}

func staffName(dep *Department) string {
	if dep == nil {
		return "the staff of the department handling it"
	}
	return Escape(dep.DisplayName) + "'s members and leads"
}
