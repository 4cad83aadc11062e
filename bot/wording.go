package bot

import (
	"math"
	"strconv"
	"time"

	"github.com/askdesk/askdesk/bot/i18n"
)

// The words askdesk says when a request changes, one function per message,
// so that what people read is found here rather than among the decisions of
// who hears it (announce, in notify.go). Every piece of user text in them is
// escaped (richtext.go). The acknowledgement of a filing is Desk.FiledText
// (command.go), and reminders have their own words (remind.go).

// about is what the words about one event are made of, each piece already
// escaped or mentioned (richtext.go). The words themselves are in the
// catalogue (bot/i18n/locales/card.*, dm.*), said in the reader's language.
type about struct {
	id       string // the request's ID
	title    string // the request's title, escaped
	who      string // who acted, mentioned
	dept     string // the owning department's display name (after a transfer, the new one)
	from     string // for a transfer: the department it left, escaped; "" when it is gone
	assignee string // for a reassignment: the new assignee, mentioned
	text     string // what the actor wrote; "" when nothing
}

func aboutEvent(r *Request, ev Event, dep, from *Department) about {
	a := about{
		id:       r.ID,
		title:    Escape(r.Title),
		who:      Mention(ev.Actor),
		dept:     Escape(dep.DisplayName),
		assignee: Mention(ev.Assignee),
		text:     Escape(ev.Text),
	}
	if from != nil {
		a.from = Escape(from.DisplayName)
	}
	return a
}

// req is the request as a line shows it: "*R-12* (title)".
func (a about) req(p *i18n.Printer) string {
	return p.T("card.req", "ID", a.id, "Title", a.title)
}

// fromWords is the department a request was transferred from, or "another
// department" when it is gone.
func (a about) fromWords(p *i18n.Printer) string {
	if a.from == "" {
		return p.T("card.another_department")
	}
	return a.from
}

// cardChange is the "who did what last" line of the card in the owning
// department's channel, in p's language (the channel's).
func cardChange(p *i18n.Printer, k EventKind, a about) string {
	key := ""
	switch k {
	case EvCreated:
		key = "card.change.created"
	case EvClaimed:
		key = "card.change.claimed"
	case EvReplied:
		key = "card.change.replied"
	case EvCommented:
		return p.T("card.change.commented")
	case EvWaiting:
		key = "card.change.waiting"
	case EvResumed:
		key = "card.change.resumed"
	case EvResolved:
		key = "card.change.resolved"
	case EvClosed:
		key = "card.change.closed"
	case EvReopened:
		key = "card.change.reopened"
	case EvCancelled:
		key = "card.change.cancelled"
	case EvReassigned:
		return p.T("card.change.reassigned", "Assignee", a.assignee, "Who", a.who)
	case EvTransferred:
		return p.T("card.change.transferred_here", "From", a.fromWords(p), "Who", a.who)
	default:
		return ""
	}
	return p.T(key, "Who", a.who)
}

// fullTextThread carries a request's whole text into its card's thread when
// the card clips it.
func fullTextThread(p *i18n.Printer, text string) string {
	return p.T("card.thread.full_text", "Text", Escape(text))
}

// filedInOrigin answers, in the conversation a request was filed from,
// where it went.
func filedInOrigin(p *i18n.Printer, a about) string {
	return p.T("card.origin.filed", "Req", a.req(p), "Dept", a.dept, "Who", a.who, "ID", a.id)
}

func claimedDM(p *i18n.Printer, a about) string {
	return p.T("dm.claimed", "Who", a.who, "Dept", a.dept, "Req", a.req(p))
}

// repliedThread copies into the card's thread a reply typed elsewhere.
func repliedThread(p *i18n.Printer, a about) string {
	if a.text == "" { // a private request: the reply went to the requester alone
		return p.T("card.thread.replied_private", "Who", a.who, "ID", a.id)
	}
	return p.T("card.thread.replied", "Who", a.who, "Text", a.text)
}

func repliedDM(p *i18n.Printer, a about) string {
	return p.T("dm.replied", "Who", a.who, "Dept", a.dept, "Req", a.req(p), "Text", a.text)
}

// commentedThread copies into the card's thread what the requester typed
// elsewhere (their DM).
func commentedThread(p *i18n.Printer, a about) string {
	if a.text == "" { // a private request
		return p.T("card.thread.commented_private", "Who", a.who, "ID", a.id)
	}
	return p.T("card.thread.commented", "Who", a.who, "Text", a.text)
}

func commentedDM(p *i18n.Printer, a about) string {
	return p.T("dm.commented", "Who", a.who, "Req", a.req(p), "Text", a.text)
}

func waitingDM(p *i18n.Printer, a about) string {
	msg := p.T("dm.waiting", "Who", a.who, "Dept", a.dept, "Req", a.req(p))
	return msg + quoted(a.text) + p.T("dm.waiting_paused")
}

func resolvedDM(p *i18n.Printer, a about) string {
	msg := p.T("dm.resolved", "Who", a.who, "Dept", a.dept, "Req", a.req(p))
	return msg + quoted(a.text) + p.T("dm.resolved_next")
}

// autoClosedDM tells the requester that askdesk closed their resolved
// request for want of a reopen.
func autoClosedDM(p *i18n.Printer, a about) string {
	return p.T("dm.auto_closed", "Req", a.req(p))
}

func reopenedThread(p *i18n.Printer, a about) string {
	return p.T("card.thread.reopened", "Who", a.who, "Text", a.text)
}

func reopenedDM(p *i18n.Printer, a about) string {
	return p.T("dm.reopened", "Who", a.who, "Req", a.req(p))
}

func reassignedDM(p *i18n.Printer, a about) string {
	return p.T("dm.reassigned", "Who", a.who, "Req", a.req(p))
}

// transferredAwayChange is the last change of the card left behind in the
// department a request was transferred from.
func transferredAwayChange(p *i18n.Printer, a about) string {
	return p.T("card.change.transferred_away", "Dept", a.dept, "Who", a.who)
}

// transferredAwayThread tells the department a request left where it went,
// with the reason given, if any.
func transferredAwayThread(p *i18n.Printer, a about) string {
	if a.text != "" {
		return p.T("card.thread.transferred_away_reason", "Who", a.who, "Dept", a.dept, "Text", a.text)
	}
	return p.T("card.thread.transferred_away", "Who", a.who, "Dept", a.dept)
}

// transferredDM tells the requester where their request went; for a
// private one, that its readers went with it (MaySeePrivate): the new
// department's members and leads can now read it, the old one's cannot.
func transferredDM(p *i18n.Printer, a about, private bool) string {
	if private {
		return p.T("dm.transferred_private", "Who", a.who, "Req", a.req(p), "Dept", a.dept, "From", a.fromWords(p))
	}
	return p.T("dm.transferred", "Who", a.who, "Req", a.req(p), "Dept", a.dept)
}

// quoted is text as a quoted line of its own, or nothing.
func quoted(text string) string {
	if text == "" {
		return ""
	}
	return "\n>" + text
}

func replyButton(p *i18n.Printer, id string) Button {
	return Button{Label: p.T("dm.button.reply"), Action: ActReply, RequestID: id, Arg: "text"}
}

func reopenButton(p *i18n.Printer, id string) Button {
	return Button{Label: p.T("dm.button.reopen"), Action: ActReopen, RequestID: id}
}

func closeButton(p *i18n.Printer, id string) Button {
	return Button{Label: p.T("dm.button.close"), Action: ActClose, RequestID: id}
}

// TargetWords says a target so that nobody can misread it: "4 business
// hours", "24 business hours (about 3 working days)", "1 working day", "1
// working day and 4 business hours", "24 hours, calendar time". Every place
// that shows a target says it with these words. cal gives the typical
// working day for "about N working days"; with a nil cal it is left out.
func TargetWords(d BusinessDuration, cal *Calendar) string {
	return TargetWordsIn(nil, d, cal)
}

// TargetWordsIn is TargetWords in p's language: "4个工作小时",
// "1个工作日零4个工作小时（约1.5个工作日）", "24小时（自然时间）".
func TargetWordsIn(p *i18n.Printer, d BusinessDuration, cal *Calendar) string {
	var day time.Duration
	if cal != nil {
		day = cal.WorkingDay()
	}
	return targetWords(p, d, day)
}

// targetWords is TargetWordsIn with the typical working day given (zero:
// unknown).
func targetWords(p *i18n.Printer, d BusinessDuration, day time.Duration) string {
	h, m := int(d.Time/time.Hour), int(d.Time%time.Hour/time.Minute)
	join := func(key string, parts []string) string {
		s := parts[0]
		for _, q := range parts[1:] {
			s = p.T(key, "A", s, "B", q)
		}
		return s
	}
	var parts []string
	if d.Kind == CalendarTime {
		if d.Days > 0 {
			parts = append(parts, p.N("clock.days", d.Days))
		}
		if h > 0 {
			parts = append(parts, p.N("clock.hours", h))
		}
		if m > 0 {
			parts = append(parts, p.N("clock.minutes", m))
		}
		if len(parts) == 0 {
			return p.T("clock.none")
		}
		return p.T("clock.calendar", "Span", join("clock.join_calendar", parts))
	}
	if d.Days > 0 {
		parts = append(parts, p.N("clock.working_days", d.Days))
	}
	switch {
	case h > 0 && m > 0:
		parts = append(parts, p.T("clock.hours_minutes", "Hours", p.N("clock.business_hours", h), "Minutes", p.N("clock.minutes", m)))
	case h > 0:
		parts = append(parts, p.N("clock.business_hours", h))
	case m > 0:
		parts = append(parts, p.T("clock.business_minutes", "Minutes", p.N("clock.minutes", m)))
	}
	if len(parts) == 0 {
		return p.T("clock.none")
	}
	s := join("clock.join", parts)
	// Hours that add up to a working day or more are where "24h" was read
	// as one day: say how many working days they come to.
	if day > 0 && d.Time >= day {
		x := float64(d.Days) + float64(d.Time)/float64(day)
		n := 2 // the plural form: "1" alone reads "working day"
		if math.Round(x*2) == 2 {
			n = 1
		}
		s += p.N("clock.about", n, "Days", halves(p, x))
	}
	return s
}

// TimeKindWords names what a clock of kind k counts: "business time" or
// "calendar time".
func TimeKindWords(k DurationKind) string { return TimeKindWordsIn(nil, k) }

// TimeKindWordsIn is TimeKindWords in p's language.
func TimeKindWordsIn(p *i18n.Printer, k DurationKind) string {
	if k == CalendarTime {
		return p.T("clock.kind.calendar")
	}
	return p.T("clock.kind.business")
}

// halves rounds x to the nearest half: "3", "1½" (in Chinese "1.5").
func halves(p *i18n.Printer, x float64) string {
	n := int(math.Round(x * 2))
	if n%2 == 0 {
		return strconv.Itoa(n / 2)
	}
	if p.Tag() != i18n.En {
		return strconv.Itoa(n/2) + ".5"
	}
	if n == 1 {
		return "½"
	}
	return strconv.Itoa(n/2) + "½"
}
