package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// announce returns what everyone concerned should hear about ev: the card in
// the queue channel is (re)drawn, the conversation gets a line, and the
// requester or the new assignee gets a DM where it matters to them. The
// messages are stored with the change, then delivered.
func (d *Desk) announce(r *Request, ev Event) []Message {
	dep := d.Dir.ByName(r.Dept)
	if dep == nil {
		return nil
	}
	var out []Message
	who := Mention(ev.Actor)
	text := Escape(ev.Text)
	dm := func(user, msg string, buttons ...Button) {
		out = append(out, Message{To: user, DM: true, Thread: r.ID, Text: msg, Buttons: buttons})
	}
	thread := func(channel, msg string) {
		out = append(out, Message{To: channel, Thread: r.ID, Text: msg})
	}
	card := func(change string) {
		out = append(out, Message{To: dep.Channel, CardFor: r.ID, Change: change})
	}
	reqLine := fmt.Sprintf("*%s* (%s)", r.ID, Escape(r.Title))
	switch ev.Kind {
	case EvCreated:
		card(fmt.Sprintf("filed by %s", who))
		if CardClips(r.Text) {
			thread(dep.Channel, "Full text of the request:\n"+Escape(r.Text))
		}
		if ev.OriginChannel != "" && ev.OriginMessage != "" {
			replyTo := ev.OriginThread
			if replyTo == "" {
				replyTo = ev.OriginMessage
			}
			out = append(out, Message{To: ev.OriginChannel, ReplyTo: replyTo,
				Text: fmt.Sprintf("Filed as %s with %s for %s. `/ask status %s` shows where it stands.", reqLine, Escape(dep.DisplayName), who, r.ID)})
		}
		if ev.Source == "modal" || ev.Source == "shortcut" || ev.Source == "reaction" {
			// No ephemeral reply reaches these people, so they hear by DM.
			dm(r.Requester, d.FiledText(r, r.Requester))
		}
	case EvClaimed:
		card("claimed by " + who)
		if ev.Actor != r.Requester {
			dm(r.Requester, fmt.Sprintf("%s from %s is on %s.", who, Escape(dep.DisplayName), reqLine))
		}
	case EvReplied:
		card("replied to by " + who)
		if ev.Source != "thread" { // typed elsewhere: copy it into the card's thread
			thread(dep.Channel, fmt.Sprintf("%s replied: %s", who, text))
		}
		dm(r.Requester, fmt.Sprintf("%s (%s) replied on %s:\n>%s", who, Escape(dep.DisplayName), reqLine, text),
			Button{Label: "Reply", Action: ActReply, RequestID: r.ID, Arg: "text"})
	case EvCommented:
		card("commented on by the requester")
		if ev.Source != "thread" { // typed elsewhere (their DM): copy it into the card's thread
			thread(dep.Channel, fmt.Sprintf("%s (requester) wrote: %s", who, text))
		}
		if r.Assignee != "" && r.Assignee != ev.Actor {
			dm(r.Assignee, fmt.Sprintf("%s wrote on %s:\n>%s", who, reqLine, text))
		}
	case EvWaiting:
		card("put on hold by " + who + ": waiting on the requester")
		msg := fmt.Sprintf("%s (%s) needs something from you on %s before they can go on.", who, Escape(dep.DisplayName), reqLine)
		if text != "" {
			msg += "\n>" + text
		}
		dm(r.Requester, msg+"\nThe clock is paused until you reply.",
			Button{Label: "Reply", Action: ActReply, RequestID: r.ID, Arg: "text"})
	case EvResumed:
		card("resumed by " + who)
	case EvResolved:
		card("resolved by " + who)
		msg := fmt.Sprintf("%s (%s) resolved %s.", who, Escape(dep.DisplayName), reqLine)
		if text != "" {
			msg += "\n>" + text
		}
		dm(r.Requester, msg+"\nIf it isn't right, reopen it; if it is, close it.",
			Button{Label: "Reopen", Action: ActReopen, RequestID: r.ID},
			Button{Label: "Close", Action: ActClose, RequestID: r.ID})
	case EvClosed:
		card("closed by " + who)
		if ev.Actor == SystemActor {
			dm(r.Requester, fmt.Sprintf("%s was resolved a while ago and nobody reopened it, so askdesk closed it. If it isn't done, reopen it.", reqLine),
				Button{Label: "Reopen", Action: ActReopen, RequestID: r.ID})
		}
	case EvReopened:
		card("reopened by " + who)
		if text != "" {
			thread(dep.Channel, fmt.Sprintf("%s reopened it: %s", who, text))
		}
		if r.Assignee != "" && r.Assignee != ev.Actor {
			dm(r.Assignee, fmt.Sprintf("%s reopened %s.", who, reqLine))
		}
	case EvCancelled:
		card("cancelled by " + who)
	case EvReassigned:
		card(fmt.Sprintf("reassigned to %s by %s", Mention(ev.Assignee), who))
		if ev.Assignee != ev.Actor {
			dm(ev.Assignee, fmt.Sprintf("%s assigned %s to you.", who, reqLine))
		}
	case EvTransferred:
		from := d.Dir.ByName(ev.FromDept)
		if from != nil {
			out = append(out, Message{To: from.Channel, CardFor: r.ID, Change: fmt.Sprintf("transferred to %s by %s", Escape(dep.DisplayName), who)})
			msg := fmt.Sprintf("%s transferred this to %s.", who, Escape(dep.DisplayName))
			if text != "" {
				msg += " " + text
			}
			thread(from.Channel, msg)
		}
		card(fmt.Sprintf("transferred here from %s by %s", displayName(from), who))
		if ev.Actor != r.Requester {
			dm(r.Requester, fmt.Sprintf("%s transferred %s to %s, who will take it from here.", who, reqLine, Escape(dep.DisplayName)))
		}
	}
	return out
}

// CardTextLimit is how much of a request's text, escaped and quoted, a card
// shows (a Block Kit section holds 3,000 characters); a longer text is
// clipped on the card and posted in full in its thread.
const CardTextLimit = 2800

// CardClips reports whether a card would clip text.
func CardClips(text string) bool {
	quoted := Escape(text)
	return utf8.RuneCountInString(quoted)+2*(strings.Count(quoted, "\n")+1) > CardTextLimit
}

// DrawCard fills in a card message from r's state at now: the card itself,
// its text, and its buttons when it is in the owning department's channel
// (the card left behind by a transfer has none).
func (d *Desk) DrawCard(m *Message, r *Request, now time.Time) {
	owner := d.Dir.ByName(r.Dept)
	if owner == nil {
		m.Text = fmt.Sprintf("*%s* · %s · %s", r.ID, r.State, Escape(r.Title))
		return
	}
	t := now
	c := &Card{Request: r, Dept: owner, LastChange: m.Change}
	c.First, c.Resolution = r.Statuses(owner, t)
	m.Card, m.Text, m.Buttons = c, d.CardText(c, t), nil
	if m.To == owner.Channel {
		m.Buttons = CardButtons(r)
	}
}

// CardButtons returns the actions a card offers in r's state.
func CardButtons(r *Request) []Button {
	b := func(label string, a Action, arg string) Button {
		return Button{Label: label, Action: a, RequestID: r.ID, Arg: arg}
	}
	switch r.State {
	case Open, Reopened:
		return []Button{b("Claim", ActClaim, ""), b("Reply", ActReply, "text"), b("Resolve", ActResolve, "text"),
			b("Waiting on requester", ActWait, "text"), b("Reassign", ActReassign, "user"), b("Transfer", ActTransfer, "dept")}
	case Acknowledged:
		return []Button{b("Reply", ActReply, "text"), b("Resolve", ActResolve, "text"), b("Waiting on requester", ActWait, "text"),
			b("Reassign", ActReassign, "user"), b("Transfer", ActTransfer, "dept")}
	case Waiting:
		return []Button{b("Resume", ActResume, ""), b("Reply", ActReply, "text"), b("Resolve", ActResolve, "text"),
			b("Reassign", ActReassign, "user"), b("Transfer", ActTransfer, "dept")}
	case Resolved, Closed:
		// Only the requester may reopen; they may be in the channel too.
		return []Button{b("Reopen", ActReopen, "")}
	}
	return nil
}

func displayName(dep *Department) string {
	if dep == nil {
		return "another department"
	}
	return Escape(dep.DisplayName)
}
