package slackapp_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/bot/slackapp"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// The fullest Home (ten open requests, five closed to rate, a page of
// twenty in the queue, six departments led, every title and line at its
// longest) still fits a Home tab: at most 100 blocks, each within Block
// Kit's limits, the queue cut with a note rather than the Home failing.
func TestHomeBlocksFitAHomeTab(t *testing.T) {
	dir := bottest.Directory(t)
	long := strings.Repeat("<very> long & wide title ", 200)
	item := func(n int, acts ...bot.Action) bot.HomeItem {
		it := bot.HomeItem{Request: &bot.Request{ID: fmt.Sprintf("FIN-%d", n), Title: long, State: bot.Open},
			Dept: "Finance", Status: "open", Clock: "first response overdue by 2h", Breached: true}
		for _, a := range acts {
			b := bot.Button{Label: string(a), Action: a, RequestID: it.Request.ID}
			if a == bot.ActRate {
				for s := 1; s <= 5; s++ {
					b.Label, b.Arg = fmt.Sprint(s), fmt.Sprint(s)
					it.Buttons = append(it.Buttons, b)
				}
				continue
			}
			it.Buttons = append(it.Buttons, b)
		}
		return it
	}
	h := &bot.Home{Viewer: bottest.Fiona, Now: bottest.Tuesday10, Loc: time.UTC, Notice: long, MoreOpen: true}
	n := 0
	for range 10 {
		n++
		h.Open = append(h.Open, item(n, bot.ActReply, bot.ActCancel))
	}
	for range 5 {
		n++
		h.Closed = append(h.Closed, item(n, bot.ActClose, bot.ActReopen, bot.ActRate))
	}
	q := &bot.HomeQueue{Depts: dir.Departments, Types: []bot.HomeChoice{{Name: "reimbursement", Label: "Reimbursement"}}, More: true, Query: bot.HomeQuery{Page: 1}}
	for range 20 {
		n++
		q.Items = append(q.Items, item(n, bot.ActClaim, bot.ActReply, bot.ActResolve))
	}
	h.Queue = q
	for range 6 {
		p := bot.LeadPanel{Dept: dir.ByName("finance"), Standing: &bot.Standing{}}
		for range 5 {
			n++
			p.Breaches = append(p.Breaches, item(n))
		}
		h.Leads = append(h.Leads, p)
	}
	blocks := slackapp.HomeBlocks(h, dir)
	checkLimitsOf(t, blocks, 100)
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	if p := slacktest.BlockProblems(raw, 100); len(p) > 0 {
		t.Errorf("Block Kit problems: %v", p)
	}
	s := string(raw)
	for _, want := range []string{"askdesk:home:new", "askdesk:home:manage", "The queue is longer than a Home holds"} {
		if !strings.Contains(s, want) {
			t.Errorf("the cut Home lost %q", want)
		}
	}
}

// TestHomeGolden: a lead's Home as views.publish sends it
// (testdata/home.golden.json): her own requests, one resolved to rate,
// Finance's queue with a breach, and her panel.
func TestHomeGolden(t *testing.T) {
	f := bottest.NewFixture(t, slackapp.Mrkdwn)
	f.File(t, bottest.Sam, "finance", "need the Q3 budget numbers for the board deck")
	f.File(t, bottest.Fiona, "it", "my <laptop> & dock will not wake up")
	f.File(t, bottest.Fiona, "it", "a second monitor")
	f.Do(t, bottest.Ivan, bot.ActResolve, "IT-2", "on its way")
	f.Clock.Advance(5 * time.Hour)
	f.File(t, bottest.Tina, "finance", "reimburse the conference fee")
	f.Do(t, bottest.Frank, bot.ActClaim, "FIN-2")
	h, err := f.Desk.Home(f.Ctx, bottest.Fiona, bot.HomeQuery{})
	if err != nil {
		t.Fatal(err)
	}
	v := slackapp.HomeView(h, f.Desk.Dir())
	checkLimitsOf(t, v.Blocks.BlockSet, 100)
	assertGolden(t, "home", v)
}
