package slackapp

import (
	"strings"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
)

// The IDs askdesk puts on interactive elements, so that an interaction can
// be told apart from other apps' and turned back into a desk act:
//
//	action_id  "askdesk:" + verb               "askdesk:claim", "askdesk:transfer"
//	value      the request ID (buttons)        "FIN-3"
//	block_id   "askdesk:req:" + ID [":" + tag] "askdesk:req:FIN-3:v4"
//
// A select's value is what was chosen, so its request ID travels in the
// block_id of its actions block. The tag keeps block IDs unique: a card's
// is its request version, so every redraw has fresh block IDs and Slack
// drops a stale selection instead of showing it on the new card.
const (
	actionIDPrefix = "askdesk:"
	blockIDPrefix  = "askdesk:req:"
)

// actionVerbs pairs the desk actions a button can press with the verb in
// their action_id. Verbs are part of posted messages: never rename one.
var actionVerbs = [...]struct {
	verb   string
	action bot.Action
}{
	{"claim", bot.ActClaim},
	{"reply", bot.ActReply},
	{"wait", bot.ActWait},
	{"resume", bot.ActResume},
	{"resolve", bot.ActResolve},
	{"close", bot.ActClose},
	{"reopen", bot.ActReopen},
	{"cancel", bot.ActCancel},
	{"transfer", bot.ActTransfer},
	{"reassign", bot.ActReassign},
	{"comment", bot.ActComment},
	{"saveanswer", bot.ActSaveAnswer},
	{"unsaveanswer", bot.ActUnsaveAnswer},
}

// surveyActionID is the button that opens the quarterly survey; its value
// is the quarter.
const surveyActionID = actionIDPrefix + "survey"

// searchActionID is the "More" button under search results; its value is
// the search (words, filters and the next page) as typed after /ask search.
const searchActionID = actionIDPrefix + "search"

// rateIDPrefix starts the action_id of a rating button: "askdesk:rate4"
// scores 4, unique within its block.
const rateIDPrefix = actionIDPrefix + "rate"

// Routing's elements (bot.ActRoute): "askdesk:route:" + the department
// (and "/" + type) on a button whose value is the pending filing ("P42"),
// and the "Someone else…" menu, routeMenuID, in the block of the pending
// filing, whose options are department names.
const (
	routeIDPrefix = actionIDPrefix + "route:"
	routeMenuID   = actionIDPrefix + "routeto"
)

// answeredIDPrefix starts the action_id of a deflection's "This answered
// it" (bot.ActAnswered): "askdesk:answered:" + the answering request, a
// colon and the department ("FIN-12:finance"), on a button whose value is
// the pending filing. "File anyway" is a routing button ("askdesk:route:!finance").
const answeredIDPrefix = actionIDPrefix + "answered:"

// actionID returns the action_id for a, or false when a has no button.
func actionID(a bot.Action) (string, bool) {
	for _, v := range actionVerbs {
		if v.action == a {
			return actionIDPrefix + v.verb, true
		}
	}
	return "", false
}

// actionForID returns the desk action an action_id stands for.
func actionForID(id string) (bot.Action, bool) {
	verb, ok := strings.CutPrefix(id, actionIDPrefix)
	if !ok {
		return "", false
	}
	for _, v := range actionVerbs {
		if v.verb == verb {
			return v.action, true
		}
	}
	return "", false
}

// requestBlockID names the actions block holding requestID's elements; tag
// may be empty.
func requestBlockID(requestID, tag string) string {
	if tag == "" {
		return blockIDPrefix + requestID
	}
	return blockIDPrefix + requestID + ":" + tag
}

// requestFromBlockID is the request ID in an askdesk block_id, or "".
func requestFromBlockID(blockID string) string {
	rest, ok := strings.CutPrefix(blockID, blockIDPrefix)
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, ":")
	return id
}

// ParseAction turns one block_actions action back into a desk act. It
// returns ok=false for actions that are not askdesk's, for a select with
// nothing chosen, and when the request ID is malformed. For selects, arg is
// the selected user ID (reassign) or department name (transfer); for
// buttons it is "", and an action that takes text (a note, a reason) gets
// it some other way.
func ParseAction(a *slack.BlockAction) (action bot.Action, requestID, arg string, ok bool) {
	if a == nil {
		return "", "", "", false
	}
	if a.ActionID == surveyActionID {
		if _, err := bot.ParseQuarter(a.Value); err != nil {
			return "", "", "", false
		}
		return bot.ActSurvey, "", a.Value, true
	}
	if a.ActionID == searchActionID {
		if strings.TrimSpace(a.Value) == "" || a.Type != slack.ActionType(slack.METButton) {
			return "", "", "", false
		}
		return bot.ActSearch, "", a.Value, true
	}
	if score, isRate := strings.CutPrefix(a.ActionID, rateIDPrefix); isRate {
		if len(score) != 1 || score < "1" || score > "5" || a.Type != slack.ActionType(slack.METButton) {
			return "", "", "", false
		}
		id, err := bot.NormalizeID(a.Value)
		if err != nil {
			return "", "", "", false
		}
		return bot.ActRate, id, score, true
	}
	if dept, isRoute := strings.CutPrefix(a.ActionID, routeIDPrefix); isRoute {
		if dept == "" || a.Type != slack.ActionType(slack.METButton) || !isPendingRef(a.Value) {
			return "", "", "", false
		}
		return bot.ActRoute, a.Value, dept, true
	}
	if arg, isAnswered := strings.CutPrefix(a.ActionID, answeredIDPrefix); isAnswered {
		if arg == "" || a.Type != slack.ActionType(slack.METButton) || !isPendingRef(a.Value) {
			return "", "", "", false
		}
		return bot.ActAnswered, a.Value, arg, true
	}
	if a.ActionID == routeMenuID {
		ref := requestFromBlockID(a.BlockID)
		if a.Type != slack.ActionType(slack.OptTypeStatic) || a.SelectedOption.Value == "" || !isPendingRef(ref) {
			return "", "", "", false
		}
		return bot.ActRoute, ref, a.SelectedOption.Value, true
	}
	action, ok = actionForID(a.ActionID)
	if !ok {
		return "", "", "", false
	}
	id := requestFromBlockID(a.BlockID)
	switch {
	case a.Type == slack.ActionType(slack.OptTypeUser) && action == bot.ActReassign:
		arg = a.SelectedUser
	case a.Type == slack.ActionType(slack.OptTypeStatic) && action == bot.ActTransfer:
		arg = a.SelectedOption.Value
	case a.Type == slack.ActionType(slack.METButton):
		// The button's value is the request ID; the block_id has it too,
		// but a button needs no particular block to work.
		if a.Value != "" {
			id = a.Value
		}
	default:
		return "", "", "", false
	}
	if a.Type != slack.ActionType(slack.METButton) && arg == "" {
		return "", "", "", false
	}
	requestID, err := bot.NormalizeID(id)
	if err != nil {
		return "", "", "", false
	}
	return action, requestID, arg, true
}

// isPendingRef reports whether s names a pending filing: "P" and digits.
func isPendingRef(s string) bool {
	if len(s) < 2 || len(s) > 20 || s[0] != 'P' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
