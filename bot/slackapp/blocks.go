package slackapp

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// Block Kit limits, in characters (https://api.slack.com/reference/block-kit/blocks). Slack
// rejects the whole message when one is exceeded, so everything that holds
// text of unbounded length is cut to fit here.
const (
	limBlocks      = 50   // blocks per message
	limSectionText = 3000 // section text
	limFieldText   = 2000 // each section field
	limHeaderText  = 150  // header text
	limButtonText  = 75   // button text
	limButtonValue = 2000 // button value
	limOptionText  = 75   // option text
	limOptionValue = 150  // option value
	limOptions     = 100  // options in a static select
	limPlaceholder = 150  // a menu's placeholder
)

// Notes that say text was cut.
const (
	messageTextClipped = "… (message shortened)" //i18n:ok English copy of slack.note.message_clipped, for cutting
)

// CardBlocks renders a request card: m.CardFor set and m.Card filled by
// bot.Desk.DrawCard. From the top: a header with the ID and title, the
// requester, department, priority and status as fields, the request text as
// a quote, the running SLA clock, who did what last, and the card's buttons.
// A message whose card could not be drawn (its department left the config)
// is rendered from its text by MessageBlocks.
func CardBlocks(m bot.Message, dir *bot.Directory, now time.Time) []slack.Block {
	c := m.Card
	if c == nil || c.Request == nil || c.Dept == nil {
		return MessageBlocks(m, dir)
	}
	r, dep := c.Request, c.Dept
	p := messagePrinter(m, dir, dep)
	// The title is raw user text: plain_text shows it as typed, and Slack
	// parses no mentions or links in it.
	title := strings.Join(strings.Fields(r.ID+" · "+r.Title), " ")
	// The card left behind by a transfer is not redrawn again, so it shows
	// nothing that would go stale (state, assignee, clock), only where the
	// request went.
	away := m.To != dep.Channel
	blocks := []slack.Block{
		slack.NewHeaderBlock(plainText(clipRunes(title, limHeaderText))),
		slack.NewSectionBlock(nil, cardFields(p, r, dep, away, c.Type), nil),
	}
	if len(c.Fields) > 0 {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwnText(clipRunes(Mrkdwn(strings.Join(c.Fields, "\n")), limSectionText)), nil, nil))
	}
	if c.Private {
		// The request is redacted (bot.Directory.Redacted): say why.
		blocks = append(blocks, slack.NewContextBlock("", mrkdwnText(Mrkdwn(bot.PrivateCardNoteIn(p, dep, r.ID)))))
	} else if strings.TrimSpace(r.Text) != strings.TrimSpace(r.Title) {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwnText(quoteClipped(r.Text, bot.CardTextLimit, p.T("slack.card.text_clipped"))), nil, nil))
	}
	status := Mrkdwn(cardSLA(p, c, now))
	if c.Journey != "" {
		status += "\n" + Mrkdwn(capitalize(c.Journey))
	}
	if away {
		status = p.T("slack.card.away", "Dept", escapeMrkdwn(dep.DisplayName), "Channel", channelRef(dep.Channel)) //i18n:ok placeholder names
	}
	blocks = append(blocks, slack.NewContextBlock("", mrkdwnText(status)))
	change := m.Change
	if change == "" {
		change = c.LastChange
	}
	if change != "" {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwnText(clipRunes(Mrkdwn(change), limSectionText))))
	}
	acts, _ := actionBlocks(p, m.Buttons, dir, dep.Name, "v"+strconv.Itoa(r.Version))
	return append(blocks, acts...)
}

// MessageBlocks renders any other message: its text, as mrkdwn, in as many
// sections as it needs (shortened, with a note, past what 50 blocks hold),
// then its buttons. Reply buttons become a line saying to reply in the
// thread, which is where replies go in Slack.
func MessageBlocks(m bot.Message, dir *bot.Directory) []slack.Block {
	p := messagePrinter(m, dir, nil)
	acts, replyDropped := actionBlocks(p, m.Buttons, dir, "", "")
	var tail []slack.Block
	if replyDropped {
		tail = append(tail, slack.NewContextBlock("", mrkdwnText(p.T("slack.card.reply_hint"))))
	}
	if n := limBlocks - 1 - len(tail); len(acts) > n {
		acts = acts[:n]
	}
	tail = append(tail, acts...)
	var blocks []slack.Block
	for _, s := range splitMrkdwn(Mrkdwn(m.Text), limSectionText, limBlocks-len(tail)) {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwnText(s), nil, nil))
	}
	return append(blocks, tail...)
}

// cardFields are the card's facts, two by two. A card left behind by a
// transfer says only that, since it is not redrawn as the request moves on.
func cardFields(p *i18n.Printer, r *bot.Request, dep *bot.Department, away bool, typ string) []*slack.TextBlockObject {
	status := stateWord(p, r.State)
	if r.Assignee != "" && r.State.Active() {
		status = p.T("slack.card.assigned", "Status", status, "Assignee", userMention(r.Assignee)) //i18n:ok placeholder names
	}
	if away {
		status = p.T("slack.card.state_transferred")
	}
	field := func(name, value string) *slack.TextBlockObject {
		return mrkdwnText(clipRunes("*"+name+"*\n"+value, limFieldText))
	}
	out := []*slack.TextBlockObject{
		field(p.T("slack.card.requested_by"), userMention(r.Requester)),
		field(p.T("slack.card.department"), escapeMrkdwn(dep.DisplayName)),
		field(p.T("slack.card.priority"), escapeMrkdwn(priorityWord(p, r.Priority))),
		field(p.T("slack.card.status"), status),
	}
	if typ != "" {
		out = append(out, field(p.T("slack.card.type"), escapeMrkdwn(typ)))
	}
	return out
}

// capitalize upper-cases the first letter of s where its script has cases
// ("open 3 days…"); Chinese is left as it is.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// cardSLA is the line for the clock that matters now, phrased in the
// department's zone as on the console's card, with a warning sign once it
// is breached.
func cardSLA(p *i18n.Printer, c *bot.Card, now time.Time) string {
	r := c.Request
	if r.State == bot.Cancelled {
		return p.T("slack.card.sla_cancelled")
	}
	loc := time.UTC
	if c.Dept.Calendar != nil && c.Dept.Calendar.Location != nil {
		loc = c.Dept.Calendar.Location
	}
	name, s := bot.ResolutionClock, c.Resolution
	if !c.First.Stopped {
		name, s = bot.FirstResponseClock, c.First
	}
	line := p.T("slack.card.sla", "Clock", bot.ClockLineIn(p, name, s, now, loc)) //i18n:ok placeholder names
	if s.Breached {
		line = "⚠ " + line
	}
	return line
}

// actionBlocks renders buttons as actions blocks, one per run of buttons
// for the same request and row (see buttonRow), each action_id once per block (Slack wants them
// unique within a block): a verb repeated is shown once, while the five
// rating buttons, whose action_ids differ ("askdesk:rate1" to "…rate5"),
// are all shown. Ten verbs, five scores and the survey stay under Slack's
// 25 elements. Reply buttons are dropped, since Slack users reply in the
// thread; replyDropped says whether there was one. ownerDept, when known,
// is left out of the transfer menu; tag goes into the block IDs (see
// requestBlockID).
func actionBlocks(p *i18n.Printer, buttons []bot.Button, dir *bot.Directory, ownerDept, tag string) (blocks []slack.Block, replyDropped bool) {
	seen := map[string]int{} // actions blocks per request so far
	var cur *slack.ActionBlock
	var curID, curRow string
	var inBlock map[string]bool // action IDs in cur
	for _, b := range buttons {
		if b.Action == bot.ActReply {
			replyDropped = true
			continue
		}
		el := actionElement(p, b, dir, ownerDept)
		if el == nil {
			continue
		}
		id := elementActionID(el)
		if cur == nil || curID != b.RequestID || curRow != buttonRow(b) {
			n := seen[b.RequestID]
			seen[b.RequestID] = n + 1
			t := tag
			if n > 0 {
				t = strings.TrimPrefix(tag+"."+strconv.Itoa(n+1), ".")
			}
			cur, curID, curRow, inBlock = slack.NewActionBlock(requestBlockID(b.RequestID, t)), b.RequestID, buttonRow(b), map[string]bool{}
			blocks = append(blocks, cur)
		}
		if inBlock[id] {
			continue
		}
		inBlock[id] = true
		cur.Elements.ElementSet = append(cur.Elements.ElementSet, el)
	}
	return blocks, replyDropped
}

// buttonRow groups buttons into rows: the rating choices (and the comment
// that goes with them) sit on a row of their own, under the request's
// other buttons (Reopen, Close), so the five faces read as one scale.
func buttonRow(b bot.Button) string {
	if b.Action == bot.ActRate || b.Action == bot.ActComment {
		return "rating"
	}
	return ""
}

// actionElement renders one button: a users menu for reassign, a
// department menu for transfer, else a button whose value is the request
// ID. It returns nil for what cannot be shown (an action askdesk has no
// verb for, a transfer with nowhere to go).
func actionElement(p *i18n.Printer, b bot.Button, dir *bot.Directory, ownerDept string) slack.BlockElement {
	if b.Action == bot.ActSurvey {
		return slack.NewButtonBlockElement(surveyActionID, b.Arg, plainText(clipRunes(b.Label, limButtonText))).WithStyle(slack.StylePrimary)
	}
	if b.Action == bot.ActRate {
		return slack.NewButtonBlockElement(rateIDPrefix+b.Arg, b.RequestID, plainText(clipRunes(b.Label, limButtonText)))
	}
	if b.Action == bot.ActRoute {
		if b.Arg == "" {
			opts := deptOptions(dir, "")
			if len(opts) == 0 {
				return nil
			}
			return slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText(clipRunes(b.Label, limPlaceholder)), routeMenuID, opts...)
		}
		return slack.NewButtonBlockElement(routeIDPrefix+b.Arg, b.RequestID, plainText(clipRunes(b.Label, limButtonText)))
	}
	if b.Action == bot.ActAnswered {
		return slack.NewButtonBlockElement(answeredIDPrefix+b.Arg, b.RequestID, plainText(clipRunes(b.Label, limButtonText)))
	}
	if b.Action == bot.ActSearch {
		if utf8.RuneCountInString(b.Arg) > limButtonValue {
			return nil // the reply's text says how to ask for the next page
		}
		return slack.NewButtonBlockElement(searchActionID, b.Arg, plainText(clipRunes(b.Label, limButtonText)))
	}
	id, ok := actionID(b.Action)
	if !ok {
		return nil
	}
	switch b.Action {
	case bot.ActReassign:
		return slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plainText(p.T("slack.card.reassign_placeholder")), id)
	case bot.ActTransfer:
		opts := deptOptions(dir, ownerDept)
		if len(opts) == 0 {
			return nil
		}
		return slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText(p.T("slack.card.transfer_placeholder")), id, opts...)
	}
	label := b.Label
	if strings.TrimSpace(label) == "" {
		label = strings.TrimPrefix(id, actionIDPrefix)
	}
	btn := slack.NewButtonBlockElement(id, b.RequestID, plainText(clipRunes(label, limButtonText)))
	switch b.Action {
	case bot.ActClaim, bot.ActResolve:
		btn.WithStyle(slack.StylePrimary)
	case bot.ActCancel:
		btn.WithStyle(slack.StyleDanger).WithConfirm(slack.NewConfirmationBlockObject(
			plainText(p.T("slack.card.cancel_confirm_title", "ID", b.RequestID)),
			plainText(p.T("slack.card.cancel_confirm_text")),
			plainText(p.T("slack.card.cancel_confirm_yes")),
			plainText(p.T("slack.card.cancel_confirm_no")),
		).WithStyle(slack.StyleDanger))
	}
	return btn
}

// elementActionID is the action_id an element is posted with, which Slack
// wants unique within its block.
func elementActionID(el slack.BlockElement) string {
	switch el := el.(type) {
	case *slack.ButtonBlockElement:
		return el.ActionID
	case *slack.SelectBlockElement:
		return el.ActionID
	}
	return ""
}

// deptOptions lists the departments one can transfer to, by display name,
// with the canonical name as the value (which bot.Directory.Department
// resolves). Slack takes at most 100 options.
func deptOptions(dir *bot.Directory, exclude string) []*slack.OptionBlockObject {
	if dir == nil {
		return nil
	}
	var opts []*slack.OptionBlockObject
	for _, d := range dir.Departments {
		// A name too long for an option value could not be resolved back.
		if d.Name == exclude || d.Name == "" || utf8.RuneCountInString(d.Name) > limOptionValue {
			continue
		}
		if len(opts) == limOptions {
			break
		}
		opts = append(opts, slack.NewOptionBlockObject(d.Name, plainText(clipRunes(d.DisplayName, limOptionText)), nil))
	}
	return opts
}

// channelIDRE matches Slack channel IDs (public C…, private G…).
var channelIDRE = regexp.MustCompile(`^[CG][A-Z0-9]{2,}$`)

// channelRef links a channel given by ID; a #name is shown as written.
func channelRef(ch string) string {
	if channelIDRE.MatchString(ch) {
		return "<#" + ch + ">"
	}
	return escapeMrkdwn(ch)
}

// userIDRE matches Slack user IDs; only these are written as mentions.
var userIDRE = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)

// userMention mentions a user by ID; anything that is not a user ID is
// shown escaped instead of being trusted inside <…>.
func userMention(id string) string {
	if userIDRE.MatchString(id) {
		return "<@" + id + ">"
	}
	return escapeMrkdwn(id)
}

// quoteClipped renders raw user text as an escaped mrkdwn quote of at most
// limit characters, ending in note when it had to be cut. Escaping happens
// character by character, so a cut never splits an entity.
func quoteClipped(raw string, limit int, note string) string {
	full := "> " + strings.ReplaceAll(escapeMrkdwn(raw), "\n", "\n> ")
	if utf8.RuneCountInString(full) <= limit {
		return full
	}
	var b strings.Builder
	b.WriteString("> ")
	n, room := 2, limit-utf8.RuneCountInString(note)
	for _, r := range raw {
		piece := escapeMrkdwn(string(r))
		if r == '\n' {
			piece = "\n> "
		}
		k := utf8.RuneCountInString(piece)
		if n+k > room {
			break
		}
		b.WriteString(piece)
		n += k
	}
	return b.String() + note
}

// splitMrkdwn cuts mrkdwn text into at most maxParts pieces of at most
// limit characters, at line ends or spaces where it can and never inside a
// <…> reference or an &…; entity. What does not fit is cut off with a note.
// Blank text gives no pieces: Slack refuses empty sections.
func splitMrkdwn(text string, limit, maxParts int) []string {
	var parts []string
	for strings.TrimSpace(text) != "" && maxParts > 0 {
		if utf8.RuneCountInString(text) <= limit {
			return append(parts, text)
		}
		if len(parts) == maxParts-1 {
			cut := mrkdwnCut(text, limit-utf8.RuneCountInString(messageTextClipped))
			return append(parts, strings.TrimRight(text[:cut], " \n")+messageTextClipped)
		}
		cut := mrkdwnCut(text, limit)
		if part := strings.TrimRight(text[:cut], " \n"); part != "" {
			parts = append(parts, part)
		}
		text = strings.TrimLeft(text[cut:], "\n")
	}
	return parts
}

// mrkdwnCut returns a byte index at which to cut s so that s[:cut] holds
// at most limit characters: after a line end or a space in the second half
// of that stretch, else at the limit; then moved back before any <…> or
// entity the cut would split.
func mrkdwnCut(s string, limit int) int {
	end := len(s)
	for i := range s {
		if limit == 0 {
			end = i
			break
		}
		limit--
	}
	cut := end
	if i := strings.LastIndexByte(s[:end], '\n'); i >= end/2 {
		cut = i + 1
	} else if i := strings.LastIndexByte(s[:end], ' '); i >= end/2 {
		cut = i + 1
	}
	if lt := strings.LastIndexByte(s[:cut], '<'); lt > 0 && lt > strings.LastIndexByte(s[:cut], '>') {
		cut = lt
	}
	// Escaped text holds '&' only in entities, the longest being "&amp;".
	if amp := strings.LastIndexByte(s[:cut], '&'); amp > 0 && amp > strings.LastIndexByte(s[:cut], ';') && cut-amp < 8 {
		cut = amp
	}
	if cut == 0 {
		cut = max(end, 1)
	}
	return cut
}

// clipRunes shortens s to at most n characters, ending in "…" when cut.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}

func plainText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, true, false)
}

func mrkdwnText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}
