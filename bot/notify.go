package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/askdesk/askdesk/bot/i18n"
)

// announce returns what everyone concerned should hear about ev: the card in
// the queue channel is (re)drawn, the conversation gets a line, and the
// requester or the new assignee gets a DM where it matters to them. The
// messages are stored with the change, then delivered. This decides who
// hears what; the words are in wording.go.
func (d *Desk) announce(r *Request, ev Event) []Message {
	dep := d.Dir().StandardOf(r)
	if dep == nil {
		return nil
	}
	from := d.Dir().ByName(ev.FromDept)
	a := aboutEvent(r, ev, dep, from)
	// pub is what channels hear: for a private request, no title and no
	// text (reqtype.go); DMs go to people who may see it all.
	pub := a
	if r.Private {
		pub = aboutEvent(d.Dir().Redacted(r), Event{Actor: ev.Actor, Assignee: ev.Assignee}, dep, from)
	}
	// Cards and threads speak the channel's language; each DM its reader's.
	n := &notes{id: r.ID, channel: d.ChannelPrinter(dep), reader: func(user string) *i18n.Printer { return d.Printer(user, dep) }}
	switch ev.Kind {
	case EvCreated:
		d.announceFiled(n, r, ev, dep, a, pub)
		return n.out
	case EvTransferred:
		d.announceTransfer(n, r, ev, dep, from, a, pub)
		return n.out
	}
	// Every other change redraws the card; some are also worth a line or a DM.
	cp := n.channel
	if cardChange(cp, ev.Kind, a) == "" { // a kind nobody hears about
		return nil
	}
	n.card(dep.Channel, cp, cardChange(cp, ev.Kind, a))
	rp := n.reader(r.Requester)
	switch ev.Kind {
	case EvClaimed:
		if ev.Actor != r.Requester {
			n.dm(r.Requester, rp, claimedDM(rp, a))
		}
	case EvReplied:
		if ev.Source != "thread" { // typed elsewhere: copy it into the card's thread
			n.thread(dep.Channel, cp, repliedThread(cp, pub))
		}
		n.dm(r.Requester, rp, repliedDM(rp, a), replyButton(rp, r.ID))
	case EvCommented:
		if ev.Source != "thread" { // typed elsewhere (their DM): copy it into the card's thread
			n.thread(dep.Channel, cp, commentedThread(cp, pub))
		}
		if r.Assignee != "" && r.Assignee != ev.Actor {
			ap := n.reader(r.Assignee)
			n.dm(r.Assignee, ap, commentedDM(ap, a))
		}
	case EvWaiting:
		n.dm(r.Requester, rp, waitingDM(rp, a), replyButton(rp, r.ID))
	case EvResolved:
		n.dm(r.Requester, rp, resolvedDM(rp, a), reopenButton(rp, r.ID), closeButton(rp, r.ID))
	case EvClosed:
		if ev.Actor == SystemActor {
			n.dm(r.Requester, rp, autoClosedDM(rp, a), reopenButton(rp, r.ID))
		}
	case EvReopened:
		if pub.text != "" {
			n.thread(dep.Channel, cp, reopenedThread(cp, pub))
		}
		if r.Assignee != "" && r.Assignee != ev.Actor {
			ap := n.reader(r.Assignee)
			n.dm(r.Assignee, ap, reopenedDM(ap, a))
		}
	case EvReassigned:
		if ev.Assignee != ev.Actor {
			ap := n.reader(ev.Assignee)
			n.dm(ev.Assignee, ap, reassignedDM(ap, a))
		}
	}
	return n.out
}

// announceFiled: the new card, the full text in its thread when the card
// clips it, an answer where the request was filed from, and a DM to a
// requester who got no other acknowledgement.
func (d *Desk) announceFiled(n *notes, r *Request, ev Event, dep *Department, a, pub about) {
	cp := n.channel
	n.card(dep.Channel, cp, cardChange(cp, EvCreated, a))
	if CardClips(r.Text) && !r.Private {
		n.thread(dep.Channel, cp, fullTextThread(cp, r.Text))
	}
	if ev.OriginChannel != "" && ev.OriginMessage != "" {
		replyTo := ev.OriginThread
		if replyTo == "" {
			replyTo = ev.OriginMessage
		}
		// The answer is to the requester, in their language; others may
		// read it, so a private request is named by its type, in that
		// language too.
		rp := n.reader(r.Requester)
		if r.Private {
			pub = aboutEvent(d.Dir().RedactedIn(rp, r), Event{Actor: ev.Actor, Assignee: ev.Assignee}, dep, nil)
		}
		n.out = append(n.out, Message{To: ev.OriginChannel, ReplyTo: replyTo, Text: filedInOrigin(rp, pub), Lang: rp.Lang()})
	}
	if ev.Source == "modal" || ev.Source == "shortcut" || ev.Source == "reaction" {
		// No ephemeral reply reaches these people, so they hear by DM.
		n.dm(r.Requester, n.reader(r.Requester), d.FiledText(r, r.Requester))
	}
}

// announceTransfer: the card left behind and a line in its thread for the
// department the request left (when it still exists), the card in the new
// department, and a DM to the requester unless they moved it themselves.
func (d *Desk) announceTransfer(n *notes, r *Request, ev Event, dep, from *Department, a, pub about) {
	if from != nil {
		fp := d.ChannelPrinter(from)
		n.card(from.Channel, fp, transferredAwayChange(fp, a))
		n.thread(from.Channel, fp, transferredAwayThread(fp, pub))
	}
	n.card(dep.Channel, n.channel, cardChange(n.channel, EvTransferred, a))
	if ev.Actor != r.Requester {
		rp := n.reader(r.Requester)
		n.dm(r.Requester, rp, transferredDM(rp, a))
	}
}

// notes collects, in order, the messages about one request's event.
type notes struct {
	id      string                          // the request
	channel *i18n.Printer                   // the owning department's channel's
	reader  func(user string) *i18n.Printer // a person's, for their DMs
	out     []Message
}

// card (re)draws the request's card in channel, saying what changed.
func (n *notes) card(channel string, p *i18n.Printer, change string) {
	n.out = append(n.out, Message{To: channel, CardFor: n.id, Change: change, Lang: p.Lang()})
}

// thread posts text in the request's thread in channel.
func (n *notes) thread(channel string, p *i18n.Printer, text string) {
	n.out = append(n.out, Message{To: channel, ThreadOf: n.id, Text: text, Lang: p.Lang()})
}

// dm sends text to user in their DM with askdesk, in the request's thread.
func (n *notes) dm(user string, p *i18n.Printer, text string, buttons ...Button) {
	n.out = append(n.out, Message{To: user, DM: true, ThreadOf: n.id, Text: text, Buttons: buttons, Lang: p.Lang()})
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
// (the card left behind by a transfer has none). It is drawn in the
// language of the channel it is in (cardPrinter), which for the card left
// behind is the old department's, not the owner's.
func (d *Desk) DrawCard(m *Message, r *Request, now time.Time) {
	owner := d.Dir().StandardOf(r)
	p := d.cardPrinter(m, owner)
	if owner == nil {
		// English says the stored state as it always has ("waiting", where
		// the word on a live card is "waiting on requester").
		state := string(r.State)
		if p.Tag() != i18n.En {
			state = StateWord(p, r.State)
		}
		m.Text = fmt.Sprintf("*%s* · %s · %s", r.ID, state, Escape(d.Dir().RedactedIn(p, r).Title))
		return
	}
	t := now
	c := &Card{Request: d.Dir().RedactedIn(p, r), Dept: owner, LastChange: m.Change,
		Type: d.Dir().TypeDisplay(r), Private: r.Private}
	if !r.Private {
		c.Fields = d.Dir().FieldLinesIn(p, r)
	}
	c.First, c.Resolution = r.Statuses(owner, t)
	c.Journey = JourneyLineIn(p, r, owner, t, owner.Calendar.Location)
	m.Card, m.Text, m.Buttons = c, CardTextIn(p, c, t), nil
	if m.To == owner.Channel {
		m.Buttons = CardButtonsIn(p, r)
	}
}

// cardPrinter is the printer of the channel a card is in: the language it
// was written in (m.Lang, which its change line is in), else that of the
// department whose channel it is, else the owner's.
func (d *Desk) cardPrinter(m *Message, owner *Department) *i18n.Printer {
	if m.Lang != "" {
		if p, ok := d.words().Printer(m.Lang); ok {
			return p
		}
	}
	if dir := d.Dir(); dir != nil {
		for _, dep := range dir.Departments {
			if dep.Channel == m.To {
				return d.ChannelPrinter(dep)
			}
		}
	}
	return d.ChannelPrinter(owner)
}

// CardButtons returns the actions a card offers in r's state.
func CardButtons(r *Request) []Button { return CardButtonsIn(nil, r) }

// CardButtonsIn is CardButtons labelled in p's language (the channel's).
func CardButtonsIn(p *i18n.Printer, r *Request) []Button {
	b := func(label string, a Action, arg string) Button {
		return Button{Label: p.T("card.button." + label), Action: a, RequestID: r.ID, Arg: arg}
	}
	switch r.State {
	case Open, Reopened:
		return []Button{b("claim", ActClaim, ""), b("reply", ActReply, "text"), b("resolve", ActResolve, "text"),
			b("wait", ActWait, "text"), b("reassign", ActReassign, "user"), b("transfer", ActTransfer, "dept")}
	case Acknowledged:
		return []Button{b("reply", ActReply, "text"), b("resolve", ActResolve, "text"), b("wait", ActWait, "text"),
			b("reassign", ActReassign, "user"), b("transfer", ActTransfer, "dept")}
	case Waiting:
		return []Button{b("resume", ActResume, ""), b("reply", ActReply, "text"), b("resolve", ActResolve, "text"),
			b("reassign", ActReassign, "user"), b("transfer", ActTransfer, "dept")}
	case Resolved, Closed:
		// Only the requester may reopen; they may be in the channel too.
		// Staff may keep the resolution note as a saved answer, which
		// everyone may read: never a private request's.
		if r.Private {
			return []Button{b("reopen", ActReopen, "")}
		}
		return []Button{b("reopen", ActReopen, ""), b("save_answer", ActSaveAnswer, "")}
	}
	return nil
}
