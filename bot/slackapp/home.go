package slackapp

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// limHomeBlocks is Slack's limit of blocks in a Home tab.
const limHomeBlocks = 100

// The Home's own elements (the request buttons are the cards' and DMs':
// action_id "askdesk:claim" and so on, handled by handleAction). Filters
// and paging carry the choice in their value; the query in force rides in
// the view's private_metadata.
const (
	homeActionPrefix = actionIDPrefix + "home:"
	homeNewID        = homeActionPrefix + "new"      // the intake form
	homeSearchID     = homeActionPrefix + "search"   // a form asking for words
	homeManageID     = homeActionPrefix + "manage"   // /ask manage's form; value: the department
	homeDeptID       = homeActionPrefix + "dept"     // filter menus
	homeStateID      = homeActionPrefix + "state"    //
	homePriorityID   = homeActionPrefix + "priority" //
	homeTypeID       = homeActionPrefix + "type"     //
	homeMineID       = homeActionPrefix + "mine"     // toggle: assigned to me
	homePageID       = homeActionPrefix + "page"     // value: the page number (0-based)
	homeBlockPrefix  = "askdesk:home:"
	homeAny          = "*" // a filter's "all" option (Slack wants non-empty values)
)

// HomeView renders a Home as Block Kit for views.publish: at most 100
// blocks (the queue and the closed list are cut first, with a note), text
// within each block's limits. q, the query in force, goes into
// private_metadata so that a filter or page button changes it.
func HomeView(h *bot.Home, dir *bot.Directory) slack.HomeTabViewRequest {
	return HomeViewIn(nil, h, dir)
}

// HomeViewIn is HomeView in p's language (nil: English).
func HomeViewIn(p *i18n.Printer, h *bot.Home, dir *bot.Directory) slack.HomeTabViewRequest {
	meta, _ := json.Marshal(homeMeta(h))
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, PrivateMetadata: string(meta),
		Blocks: slack.Blocks{BlockSet: HomeBlocksIn(p, h, dir)}}
}

func homeMeta(h *bot.Home) bot.HomeQuery {
	if h.Queue != nil {
		return h.Queue.Query
	}
	return bot.HomeQuery{}
}

// HomeBlocks are the Home's blocks; see HomeView.
func HomeBlocks(h *bot.Home, dir *bot.Directory) []slack.Block {
	return HomeBlocksIn(nil, h, dir)
}

// HomeBlocksIn is HomeBlocks in p's language (nil: English).
func HomeBlocksIn(pr *i18n.Printer, h *bot.Home, dir *bot.Directory) []slack.Block {
	var top, mine, queue, leads []slack.Block
	if h.Notice != "" {
		top = append(top, slack.NewSectionBlock(mrkdwnText(clipRunes(Mrkdwn(h.Notice), limSectionText)), nil, nil))
	}
	top = append(top, slack.NewActionBlock(homeBlockPrefix+"top",
		slack.NewButtonBlockElement(homeNewID, "new", plainText(pr.T("slack.home.new_button"))).WithStyle(slack.StylePrimary),
		slack.NewButtonBlockElement(homeSearchID, "search", plainText(pr.T("slack.home.search_button")))))

	mine = append(mine, slack.NewHeaderBlock(plainText(pr.T("slack.home.mine_header"))))
	if len(h.Open) == 0 {
		mine = append(mine, slack.NewContextBlock("", mrkdwnText(pr.T("slack.home.mine_empty"))))
	}
	for _, it := range h.Open {
		mine = append(mine, homeItemBlocks(pr, it, dir, "mine")...)
	}
	if h.MoreOpen {
		mine = append(mine, slack.NewContextBlock("", mrkdwnText(pr.T("slack.home.mine_more"))))
	}
	var closed []slack.Block
	if len(h.Closed) > 0 {
		closed = append(closed, slack.NewContextBlock("", mrkdwnText(pr.T("slack.home.closed"))))
		for _, it := range h.Closed {
			closed = append(closed, homeItemBlocks(pr, it, dir, "closed")...)
		}
	}

	if q := h.Queue; q != nil {
		queue = append(queue, slack.NewDividerBlock(), slack.NewHeaderBlock(plainText(pr.T("slack.home.queue_header"))),
			slack.NewContextBlock("", mrkdwnText(pr.T("slack.home.queue_about"))),
			homeFilters(pr, q, dir))
		if len(q.Items) == 0 {
			queue = append(queue, slack.NewContextBlock("", mrkdwnText(pr.T("slack.home.queue_empty"))))
		}
		for _, it := range q.Items {
			queue = append(queue, homeItemBlocks(pr, it, dir, "queue")...)
		}
		if paging := homePaging(pr, q); paging != nil {
			queue = append(queue, paging)
		}
	}

	for i, p := range h.Leads {
		leads = append(leads, leadBlocks(pr, h, p, i)...)
	}

	// Cut to fit: the lead panels and the open requests first, then the
	// queue (its paging kept), then the closed list.
	room := limHomeBlocks - len(top) - len(mine) - len(leads)
	if room < 2 { // many departments led: keep what fits
		leads = leads[:max(0, len(leads)+room-2)]
		room = 2
	}
	if len(queue) > room {
		queue = cutBlocks(queue, room, pr.T("slack.home.queue_cut"))
	}
	room -= len(queue)
	if len(closed) > room {
		closed = cutBlocks(closed, room, "")
	}
	blocks := append(append(append(append(top, mine...), closed...), queue...), leads...)
	if len(blocks) > limHomeBlocks {
		blocks = blocks[:limHomeBlocks]
	}
	return blocks
}

// cutBlocks keeps the first n-1 blocks and a note (none when note is
// empty: the first n).
func cutBlocks(bs []slack.Block, n int, note string) []slack.Block {
	if n <= 0 {
		return nil
	}
	if note == "" {
		return bs[:n]
	}
	return append(bs[:n-1:n-1], slack.NewContextBlock("", mrkdwnText(note)))
}

// homeItemBlocks are one request: a line and its buttons. tag keeps block
// IDs unique when a request is both one's own and in one's queue.
func homeItemBlocks(pr *i18n.Printer, it bot.HomeItem, dir *bot.Directory, tag string) []slack.Block {
	out := []slack.Block{slack.NewSectionBlock(mrkdwnText(clipRunes(Mrkdwn(bot.HomeLine(it)), limSectionText)), nil, nil)}
	var acts, rates []slack.BlockElement
	for _, b := range it.Buttons {
		switch b.Action {
		case bot.ActRate:
			rates = append(rates, actionElement(pr, b, dir, ""))
		case bot.ActReply:
			// On a card replies go in its thread; the Home has none, so its
			// Reply opens a form.
			acts = append(acts, slack.NewButtonBlockElement(actionIDPrefix+"reply", b.RequestID, plainText(pr.T("slack.home.reply_button"))))
		default:
			if el := actionElement(pr, b, dir, ""); el != nil {
				acts = append(acts, el)
			}
		}
	}
	if len(acts) > 0 {
		out = append(out, slack.NewActionBlock(requestBlockID(it.Request.ID, "home."+tag), acts...))
	}
	if len(rates) > 0 {
		out = append(out, slack.NewContextBlock("", mrkdwnText(pr.T("slack.home.rate", "ID", it.Request.ID))), //i18n:ok placeholder names
			slack.NewActionBlock(requestBlockID(it.Request.ID, "home."+tag+".rate"), rates...))
	}
	return out
}

// homeFilters is the queue's menus and toggle.
func homeFilters(pr *i18n.Printer, q *bot.HomeQueue, dir *bot.Directory) slack.Block {
	menu := func(id, placeholder, current string, opts [][2]string) *slack.SelectBlockElement {
		var os []*slack.OptionBlockObject
		var initial *slack.OptionBlockObject
		for _, o := range opts {
			if len(os) == limOptions {
				break
			}
			opt := slack.NewOptionBlockObject(o[0], plainText(clipRunes(o[1], limOptionText)), nil)
			os = append(os, opt)
			if o[0] == current || current == "" && o[0] == homeAny {
				initial = opt
			}
		}
		el := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText(placeholder), id, os...)
		el.InitialOption = initial
		return el
	}
	depts := [][2]string{{homeAny, pr.T("slack.home.all_depts")}}
	for _, d := range q.Depts {
		depts = append(depts, [2]string{d.Name, d.DisplayName})
	}
	states := [][2]string{{homeAny, pr.T("slack.home.any_state")}, {string(bot.Open), pr.T("slack.home.state_open")},
		{string(bot.Acknowledged), pr.T("slack.home.state_acknowledged")},
		{string(bot.Waiting), pr.T("slack.home.state_waiting")}, {string(bot.Reopened), pr.T("slack.home.state_reopened")}}
	prios := [][2]string{{homeAny, pr.T("slack.home.any_priority")}}
	for _, p := range bot.Priorities {
		prios = append(prios, [2]string{string(p), priorityLabel(pr, p)})
	}
	els := []slack.BlockElement{
		menu(homeDeptID, pr.T("slack.home.dept_placeholder"), q.Query.Dept, depts),
		menu(homeStateID, pr.T("slack.home.state_placeholder"), string(q.Query.State), states),
		menu(homePriorityID, pr.T("slack.home.priority_placeholder"), string(q.Query.Priority), prios),
	}
	if len(q.Types) > 0 {
		types := [][2]string{{homeAny, pr.T("slack.home.any_type")}}
		for _, t := range q.Types {
			types = append(types, [2]string{t.Name, t.Label})
		}
		els = append(els, menu(homeTypeID, pr.T("slack.home.type_placeholder"), q.Query.Type, types))
	}
	mine := slack.NewButtonBlockElement(homeMineID, "on", plainText(pr.T("slack.home.mine_button")))
	if q.Query.Mine {
		mine = slack.NewButtonBlockElement(homeMineID, "off", plainText(pr.T("slack.home.mine_on_button"))).WithStyle(slack.StylePrimary)
	}
	return slack.NewActionBlock(homeBlockPrefix+"filters", append(els, mine)...)
}

// homePaging is the queue's page buttons, or nil with a single page.
func homePaging(pr *i18n.Printer, q *bot.HomeQueue) slack.Block {
	page := q.Query.Page
	var els []slack.BlockElement
	if page > 0 {
		els = append(els, slack.NewButtonBlockElement(homePageID+":prev", fmt.Sprint(page-1), plainText(pr.T("slack.home.prev_button"))))
	}
	if q.More {
		els = append(els, slack.NewButtonBlockElement(homePageID+":next", fmt.Sprint(page+1), plainText(pr.T("slack.home.next_button"))))
	}
	if len(els) == 0 {
		return nil
	}
	return slack.NewActionBlock(homeBlockPrefix+"paging", els...)
}

// leadBlocks is a lead's panel for one department.
func leadBlocks(pr *i18n.Printer, h *bot.Home, p bot.LeadPanel, i int) []slack.Block {
	name := p.Dept.DisplayName
	out := []slack.Block{slack.NewDividerBlock(), slack.NewHeaderBlock(plainText(clipRunes(pr.T("slack.home.lead_header", "Dept", name), limHeaderText)))} //i18n:ok placeholder names
	out = append(out, slack.NewSectionBlock(mrkdwnText(clipRunes(Mrkdwn(strings.Join(bot.StandingLinesIn(pr, p.Dept, p.Standing), "\n")), limSectionText)), nil, nil))
	breaches := pr.T("slack.home.no_breaches")
	if len(p.Breaches) > 0 {
		var lines []string
		for _, it := range p.Breaches {
			lines = append(lines, "• "+bot.HomeLine(it))
		}
		breaches = pr.T("slack.home.breaches") + "\n" + strings.Join(lines, "\n")
	}
	out = append(out, slack.NewSectionBlock(mrkdwnText(clipRunes(Mrkdwn(breaches), limSectionText)), nil, nil),
		slack.NewContextBlock("", mrkdwnText(clipRunes(Mrkdwn(h.AwayLine(p)), limSectionText))),
		slack.NewActionBlock(homeBlockPrefix+"lead:"+strconv.Itoa(i),
			slack.NewButtonBlockElement(homeManageID, p.Dept.Name, plainText(pr.T("slack.home.manage_button")))))
	return out
}

// homeQuery applies one filter or paging action to q; ok is false for an
// action that is not one of them.
func homeQuery(q bot.HomeQuery, ba *slack.BlockAction) (bot.HomeQuery, bool) {
	chosen := ba.SelectedOption.Value
	if chosen == homeAny {
		chosen = ""
	}
	switch {
	case ba.ActionID == homeDeptID:
		q.Dept = chosen
	case ba.ActionID == homeStateID:
		q.State = bot.State(chosen)
	case ba.ActionID == homePriorityID:
		q.Priority = bot.Priority(chosen)
	case ba.ActionID == homeTypeID:
		q.Type = chosen
	case ba.ActionID == homeMineID:
		q.Mine = ba.Value == "on"
	case strings.HasPrefix(ba.ActionID, homePageID):
		var n int
		if _, err := fmt.Sscan(ba.Value, &n); err != nil || n < 0 {
			return q, false
		}
		q.Page = n
		return q, true
	default:
		return q, false
	}
	q.Page = 0 // a new filter starts at its first page
	return q, true
}
