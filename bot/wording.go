package bot

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The words askdesk says when a request changes, one function per message,
// so that what people read is found here rather than among the decisions of
// who hears it (announce, in notify.go). Every piece of user text in them is
// escaped (richtext.go). The acknowledgement of a filing is Desk.FiledText
// (command.go), and reminders have their own words (remind.go).

// about is what the words about one event are made of, each piece already
// escaped or mentioned (richtext.go).
type about struct {
	id       string // the request's ID
	req      string // the request as a line shows it: "*R-12* (title)"
	who      string // who acted, mentioned
	dept     string // the owning department's display name (after a transfer, the new one)
	from     string // for a transfer: the department it left, or "another department"
	assignee string // for a reassignment: the new assignee, mentioned
	text     string // what the actor wrote; "" when nothing
}

func aboutEvent(r *Request, ev Event, dep, from *Department) about {
	return about{
		id:       r.ID,
		req:      fmt.Sprintf("*%s* (%s)", r.ID, Escape(r.Title)),
		who:      Mention(ev.Actor),
		dept:     Escape(dep.DisplayName),
		from:     displayName(from),
		assignee: Mention(ev.Assignee),
		text:     Escape(ev.Text),
	}
}

// cardChange is the "who did what last" line of the card in the owning
// department's channel.
func cardChange(k EventKind, a about) string {
	switch k {
	case EvCreated:
		return "filed by " + a.who
	case EvClaimed:
		return "claimed by " + a.who
	case EvReplied:
		return "replied to by " + a.who
	case EvCommented:
		return "commented on by the requester"
	case EvWaiting:
		return "put on hold by " + a.who + ": waiting on the requester"
	case EvResumed:
		return "resumed by " + a.who
	case EvResolved:
		return "resolved by " + a.who
	case EvClosed:
		return "closed by " + a.who
	case EvReopened:
		return "reopened by " + a.who
	case EvCancelled:
		return "cancelled by " + a.who
	case EvReassigned:
		return fmt.Sprintf("reassigned to %s by %s", a.assignee, a.who)
	case EvTransferred:
		return fmt.Sprintf("transferred here from %s by %s", a.from, a.who)
	}
	return ""
}

// fullTextThread carries a request's whole text into its card's thread when
// the card clips it.
func fullTextThread(text string) string {
	return "Full text of the request:\n" + Escape(text)
}

// filedInOrigin answers, in the conversation a request was filed from,
// where it went.
func filedInOrigin(a about) string {
	return fmt.Sprintf("Filed as %s with %s for %s. `/ask status %s` shows where it stands.", a.req, a.dept, a.who, a.id)
}

func claimedDM(a about) string {
	return fmt.Sprintf("%s from %s is on %s.", a.who, a.dept, a.req)
}

// repliedThread copies into the card's thread a reply typed elsewhere.
func repliedThread(a about) string {
	if a.text == "" { // a private request: the reply went to the requester alone
		return fmt.Sprintf("%s replied to the requester (a private request: the reply is in their DM and `/ask status %s`).", a.who, a.id)
	}
	return fmt.Sprintf("%s replied: %s", a.who, a.text)
}

func repliedDM(a about) string {
	return fmt.Sprintf("%s (%s) replied on %s:\n>%s", a.who, a.dept, a.req, a.text)
}

// commentedThread copies into the card's thread what the requester typed
// elsewhere (their DM).
func commentedThread(a about) string {
	if a.text == "" { // a private request
		return fmt.Sprintf("%s (requester) wrote (a private request: see `/ask status %s`).", a.who, a.id)
	}
	return fmt.Sprintf("%s (requester) wrote: %s", a.who, a.text)
}

func commentedDM(a about) string {
	return fmt.Sprintf("%s wrote on %s:\n>%s", a.who, a.req, a.text)
}

func waitingDM(a about) string {
	msg := fmt.Sprintf("%s (%s) needs something from you on %s before they can go on.", a.who, a.dept, a.req)
	return msg + quoted(a.text) + "\nThe clock is paused until you reply."
}

func resolvedDM(a about) string {
	msg := fmt.Sprintf("%s (%s) resolved %s.", a.who, a.dept, a.req)
	return msg + quoted(a.text) + "\nIf it isn't right, reopen it; if it is, close it."
}

// autoClosedDM tells the requester that askdesk closed their resolved
// request for want of a reopen.
func autoClosedDM(a about) string {
	return fmt.Sprintf("%s was resolved a while ago and nobody reopened it, so askdesk closed it. If it isn't done, reopen it.", a.req)
}

func reopenedThread(a about) string {
	return fmt.Sprintf("%s reopened it: %s", a.who, a.text)
}

func reopenedDM(a about) string {
	return fmt.Sprintf("%s reopened %s.", a.who, a.req)
}

func reassignedDM(a about) string {
	return fmt.Sprintf("%s assigned %s to you.", a.who, a.req)
}

// transferredAwayChange is the last change of the card left behind in the
// department a request was transferred from.
func transferredAwayChange(a about) string {
	return fmt.Sprintf("transferred to %s by %s", a.dept, a.who)
}

// transferredAwayThread tells the department a request left where it went,
// with the reason given, if any.
func transferredAwayThread(a about) string {
	msg := fmt.Sprintf("%s transferred this to %s.", a.who, a.dept)
	if a.text != "" {
		msg += " " + a.text
	}
	return msg
}

func transferredDM(a about) string {
	return fmt.Sprintf("%s transferred %s to %s, who will take it from here.", a.who, a.req, a.dept)
}

// quoted is text as a quoted line of its own, or nothing.
func quoted(text string) string {
	if text == "" {
		return ""
	}
	return "\n>" + text
}

func replyButton(id string) Button {
	return Button{Label: "Reply", Action: ActReply, RequestID: id, Arg: "text"}
}

func reopenButton(id string) Button {
	return Button{Label: "Reopen", Action: ActReopen, RequestID: id}
}

func closeButton(id string) Button {
	return Button{Label: "Close", Action: ActClose, RequestID: id}
}

func displayName(dep *Department) string {
	if dep == nil {
		return "another department"
	}
	return Escape(dep.DisplayName)
}

// TargetWords says a target so that nobody can misread it: "4 business
// hours", "24 business hours (about 3 working days)", "1 working day", "1
// working day and 4 business hours", "24 hours, calendar time". Every place
// that shows a target says it with these words. cal gives the typical
// working day for "about N working days"; with a nil cal it is left out.
func TargetWords(d BusinessDuration, cal *Calendar) string {
	var day time.Duration
	if cal != nil {
		day = cal.WorkingDay()
	}
	return targetWords(d, day)
}

// targetWords is TargetWords with the typical working day given (zero:
// unknown).
func targetWords(d BusinessDuration, day time.Duration) string {
	h, m := int(d.Time/time.Hour), int(d.Time%time.Hour/time.Minute)
	var parts []string
	if d.Kind == CalendarTime {
		if d.Days > 0 {
			parts = append(parts, plural(d.Days, "day", "days"))
		}
		if h > 0 {
			parts = append(parts, plural(h, "hour", "hours"))
		}
		if m > 0 {
			parts = append(parts, plural(m, "minute", "minutes"))
		}
		if len(parts) == 0 {
			return "no time at all"
		}
		return strings.Join(parts, " and ") + ", calendar time"
	}
	if d.Days > 0 {
		parts = append(parts, plural(d.Days, "working day", "working days"))
	}
	switch {
	case h > 0 && m > 0:
		parts = append(parts, plural(h, "business hour", "business hours")+" "+plural(m, "minute", "minutes"))
	case h > 0:
		parts = append(parts, plural(h, "business hour", "business hours"))
	case m > 0:
		parts = append(parts, plural(m, "minute", "minutes")+" of business time")
	}
	if len(parts) == 0 {
		return "no time at all"
	}
	s := strings.Join(parts, " and ")
	// Hours that add up to a working day or more are where "24h" was read
	// as one day: say how many working days they come to.
	if day > 0 && d.Time >= day {
		s += " (about " + halves(float64(d.Days)+float64(d.Time)/float64(day)) + " working days)"
		s = strings.Replace(s, "(about 1 working days)", "(about 1 working day)", 1)
	}
	return s
}

// TimeKindWords names what a clock of kind k counts: "business time" or
// "calendar time".
func TimeKindWords(k DurationKind) string {
	if k == CalendarTime {
		return "calendar time"
	}
	return "business time"
}

// halves rounds x to the nearest half: "3", "1½".
func halves(x float64) string {
	n := int(math.Round(x * 2))
	if n%2 == 0 {
		return strconv.Itoa(n / 2)
	}
	if n == 1 {
		return "½"
	}
	return strconv.Itoa(n/2) + "½"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
