package bot

// Action is something a person can do to a request; the policy decides who.
type Action string

// The values name the actions in code and logs; people read err.act.*.
const (
	ActView     Action = "see"
	ActClaim    Action = "claim"
	ActReply    Action = "reply to"    //i18n:ok an identifier; people read err.act.*
	ActWait     Action = "put on hold" //i18n:ok an identifier; people read err.act.*
	ActResume   Action = "resume"
	ActResolve  Action = "resolve"
	ActClose    Action = "close"
	ActReopen   Action = "reopen"
	ActCancel   Action = "cancel"
	ActTransfer Action = "transfer"
	ActReassign Action = "reassign"
	ActRate     Action = "rate"
	ActComment  Action = "comment on the rating of" //i18n:ok an identifier; people read err.act.*
	ActSurvey   Action = "answer the survey"        //i18n:ok an identifier; people read err.act.*
)

// Phrase says the action done to id: "claim FIN-1", "put FIN-1 on hold".
func (a Action) Phrase(id string) string {
	s := a.phrase(id)
	if s.Key == "" {
		return string(a) + " " + id
	}
	return errorRender(nil, s.Key, s.Args)
}

// actKeys names each action's phrase in the catalogue (err.act.*).
var actKeys = map[Action]string{
	ActView: "see", ActClaim: "claim", ActReply: "reply", ActWait: "wait",
	ActResume: "resume", ActResolve: "resolve", ActClose: "close",
	ActReopen: "reopen", ActCancel: "cancel", ActTransfer: "transfer",
	ActReassign: "reassign", ActRate: "rate", ActComment: "comment",
	ActSurvey: "survey", ActUnsaveAnswer: "unsave", ActSearch: "search",
	ActRoute: "route", ActAnswered: "answered", ActSaveAnswer: "save_answer",
}

// phrase is Phrase as a catalogue message, said in the reader's language
// (a zero Sub for an action the catalogue does not know).
func (a Action) phrase(id string) Sub {
	k, ok := actKeys[a]
	if !ok {
		return Sub{}
	}
	return S("err.act."+k, "ID", id)
}

// actArg is the action done to id as an argument of E.
func (a Action) actArg(id string) any {
	if s := a.phrase(id); s.Key != "" {
		return s
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
		return E(EFORBIDDEN, "err.not_yours_to_see", "ID", r.ID, "Staff", staffSub(dep))
	}
	var who Sub
	switch need {
	case roleStaff:
		who = S("err.who.staff", "Staff", staffSub(dep))
	case roleRequester:
		who = S("err.who.requester")
	default:
		who = S("err.who.both", "Staff", staffSub(dep))
	}
	return E(EFORBIDDEN, "err.cant", "Act", act.actArg(r.ID), "Who", who)
}

// staffName says who works dep's requests, in English.
func staffName(dep *Department) string {
	s := staffSub(dep)
	return errorRender(nil, s.Key, s.Args)
}

func staffSub(dep *Department) Sub {
	if dep == nil {
		return S("err.staff.unknown")
	}
	return S("err.staff.dept", "Dept", Escape(dep.DisplayName))
}
