package slackapp_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
	"github.com/askdesk/askdesk/bot/slackapp"
)

// cardCases are the cards a queue channel shows over a request's life.
func cardCases(tb testing.TB, dir *bot.Directory) map[string]struct {
	m   bot.Message
	now time.Time
} {
	tb.Helper()
	t0 := tuesday(tb)
	fin := dir.ByName("finance").Channel
	// The last change is the desk's line, in the company's language.
	p := i18n.English()
	if zh, ok := i18n.Default().Printer(dir.Language); ok {
		p = zh
	}
	change := func(key string, who string, kv ...any) string {
		return p.T("card.change."+key, append([]any{"Who", bot.Mention(who)}, kv...)...)
	}
	out := map[string]struct {
		m   bot.Message
		now time.Time
	}{}
	add := func(name string, r *bot.Request, channel, change string, now time.Time) {
		out[name] = struct {
			m   bot.Message
			now time.Time
		}{drawCard(tb, dir, r, channel, change, now), now}
	}

	open := fileRequest(tb, "FIN-1", "finance", sam, bot.Urgent, "need the Q3 budget numbers for the board deck", t0).r
	add("card_open", open, fin, change("created", sam), t0.Add(20*time.Minute))

	// Claimed, then left past its one-day resolution target: the warning.
	ack := fileRequest(tb, "FIN-2", "finance", sam, bot.Urgent,
		"reimburse my taxi receipts from Shanghai\nThree rides, 412 CNY in total: <receipts> attached & signed.", t0).
		then(bot.EvClaimed, frank, t0.Add(30*time.Minute), func(e *bot.Event) { e.Assignee = frank }).r
	add("card_acknowledged", ack, fin, change("claimed", frank), t0.Add(29*time.Hour+30*time.Minute))

	waiting := fileRequest(tb, "FIN-3", "finance", sam, bot.Normal, "update my bank details for expense payouts", t0).
		then(bot.EvClaimed, fiona, t0.Add(time.Hour), func(e *bot.Event) { e.Assignee = fiona }).
		then(bot.EvWaiting, fiona, t0.Add(90*time.Minute), func(e *bot.Event) { e.Text = "which account should we use?" }).r
	add("card_waiting", waiting, fin, change("waiting", fiona), t0.Add(3*time.Hour))

	resolved := fileRequest(tb, "FIN-4", "finance", sam, bot.Low, "what is the per diem for Berlin?", t0).
		then(bot.EvClaimed, farah, t0.Add(time.Hour), func(e *bot.Event) { e.Assignee = farah }).
		then(bot.EvResolved, farah, t0.Add(2*time.Hour), func(e *bot.Event) { e.Text = "EUR 28, see the travel policy" }).r
	add("card_resolved", resolved, fin, change("resolved", farah), t0.Add(2*time.Hour))

	// The card left in Finance's channel when Purchasing took the request.
	moved := fileRequest(tb, "FIN-5", "finance", sam, bot.Normal, "order 200 branded notebooks for the fair", t0).
		then(bot.EvTransferred, fiona, t0.Add(time.Hour), func(e *bot.Event) { e.Dept, e.FromDept = "purchasing", "finance" }).r
	add("card_transferred_away", moved, fin, change("transferred_away", fiona, "Dept", dir.ByName("purchasing").DisplayName), t0.Add(time.Hour))

	// A reimbursement: its type and fields on the card.
	typed := fileRequest(tb, "FIN-6", "finance", sam, bot.Normal, "taxi from the airport <late flight>", t0).r
	typed.Type = "reimbursement"
	typed.Fields = []bot.FieldValue{{Name: "amount", Value: "42.50"}, {Name: "category", Value: "travel"},
		{Name: "spent_on", Value: "2026-11-20"}, {Name: "approver", Value: fiona}}
	add("card_typed", typed, fin, change("created", sam), t0.Add(20*time.Minute))

	// A private HR matter: the type and ID, never the words.
	private := fileRequest(tb, "HR-1", "hr", sam, bot.Normal, "my payslip is missing the overtime", t0).r
	private.Type, private.Private = "personal", true
	add("card_private", private, dir.ByName("hr").Channel, change("created", sam), t0.Add(20*time.Minute))
	return out
}

func TestCardBlocks_Golden(t *testing.T) {
	dir := MustExampleDirectory(t)
	for name, c := range cardCases(t, dir) {
		t.Run(name, func(t *testing.T) {
			blocks := slackapp.CardBlocks(c.m, dir, c.now)
			checkLimits(t, blocks)
			assertGolden(t, name, blocks)
		})
	}
}

func TestCardBlocks(t *testing.T) {
	dir := MustExampleDirectory(t)
	cases := cardCases(t, dir)

	t.Run("TransferMenuLeavesOutOwner", func(t *testing.T) {
		for _, el := range elements(slackapp.CardBlocks(cases["card_open"].m, dir, cases["card_open"].now)) {
			if sel, ok := el.(*slack.SelectBlockElement); ok && sel.Type == slack.OptTypeStatic {
				if len(sel.Options) != len(dir.Departments)-1 {
					t.Errorf("transfer menu has %d options, want every department but Finance (%d)", len(sel.Options), len(dir.Departments)-1)
				}
				for _, o := range sel.Options {
					if o.Value == "finance" {
						t.Error("transfer menu offers the owning department")
					}
				}
			}
		}
	})

	t.Run("NoReplyButton", func(t *testing.T) {
		for name, c := range cases {
			for _, el := range elements(slackapp.CardBlocks(c.m, dir, c.now)) {
				if b, ok := el.(*slack.ButtonBlockElement); ok && b.ActionID == "askdesk:reply" {
					t.Errorf("%s: card offers a Reply button", name)
				}
			}
		}
	})

	t.Run("TransferredAwayHasNoActions", func(t *testing.T) {
		c := cases["card_transferred_away"]
		if got := elements(slackapp.CardBlocks(c.m, dir, c.now)); len(got) != 0 {
			t.Errorf("card left behind has %d interactive elements, want none", len(got))
		}
	})

	t.Run("BreachedCardWarns", func(t *testing.T) {
		c := cases["card_acknowledged"]
		if got := mrkdwnTexts(slackapp.CardBlocks(c.m, dir, c.now)); !strings.Contains(strings.Join(got, "\n"), "⚠ SLA: resolution overdue") {
			t.Errorf("breached card has no warning: %q", got)
		}
	})

	t.Run("NoCardFallsBackToText", func(t *testing.T) {
		m := bot.Message{To: "#gone", CardFor: "OLD-1", Text: "*OLD-1* · open · a request"}
		blocks := slackapp.CardBlocks(m, dir, tuesday(t))
		if got := mrkdwnTexts(blocks); len(got) != 1 || got[0] != m.Text {
			t.Errorf("got %q, want the message text in one section", got)
		}
	})
}

// partialEntity matches text cut inside an entity such as "&amp;".
var partialEntity = regexp.MustCompile(`&[a-z]{0,3}$|^[a-z]{1,3};`)

// evil is user text that tries every way of pinging or disguising a link.
const evil = "<!channel> <!here> <!everyone> <@UEVIL0001> <!subteam^S0EVIL01> <#C0EVIL001> " +
	"<https://evil.example/login|your payslip> <mailto:x@evil.example> &lt;!channel&gt; & done"

func TestCardBlocks_NoInjection(t *testing.T) {
	dir := MustExampleDirectory(t)
	t0 := tuesday(t)
	check := func(t *testing.T, blocks []slack.Block) {
		t.Helper()
		for _, s := range mrkdwnTexts(blocks) {
			assertNoInjection(t, dir, s)
		}
	}

	t.Run("Card", func(t *testing.T) {
		r := fileRequest(t, "FIN-9", "finance", sam, bot.Normal, evil+"\n"+evil+"\n> "+evil, t0).r
		blocks := slackapp.CardBlocks(drawCard(t, dir, r, "#finance-requests", "filed by "+bot.Mention(sam), t0), dir, t0)
		check(t, blocks)
		// The title is shown as typed, in plain text, which Slack does not parse.
		if h, ok := blocks[0].(*slack.HeaderBlock); !ok || h.Text.Type != slack.PlainTextType || !strings.Contains(h.Text.Text, "<!channel>") {
			t.Errorf("header = %+v, want the raw title in plain_text", blocks[0])
		}
	})

	t.Run("Message", func(t *testing.T) {
		m := bot.Message{To: sam, DM: true, ThreadOf: "FIN-9", Text: bot.Mention(frank) + " replied on *FIN-9*:\n>" + bot.Escape(evil)}
		check(t, slackapp.MessageBlocks(m, dir))
	})

	t.Run("Random", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		const alphabet = "<>&!@|#^:/ \n;aU0hé"
		for i := range 300 {
			text := randomText(rng, alphabet, 1+rng.IntN(bot.MaxTextLen))
			r := fileRequest(t, fmt.Sprintf("FIN-%d", i+1), "finance", sam, bot.Low, text, t0).r
			r.Title = randomText(rng, alphabet, 1+rng.IntN(400))
			blocks := slackapp.CardBlocks(drawCard(t, dir, r, "#finance-requests", "filed by "+bot.Mention(sam), t0), dir, t0)
			check(t, blocks)
			checkLimits(t, blocks)
			check(t, slackapp.MessageBlocks(bot.Message{To: sam, DM: true, Text: bot.Escape(text + text + text)}, dir))
		}
	})
}

func TestBlocks_Limits(t *testing.T) {
	dir := MustExampleDirectory(t)
	t0 := tuesday(t)

	t.Run("LongCard", func(t *testing.T) {
		// Every character of the text grows when escaped and quoted.
		text := strings.Repeat("&<>\n", bot.MaxTextLen/4)
		r := fileRequest(t, "FIN-7", "finance", sam, bot.Normal, "long one\n"+text[:bot.MaxTextLen-9], t0).r
		r.Title = strings.Repeat("title & <more> ", 40)
		blocks := slackapp.CardBlocks(drawCard(t, dir, r, "#finance-requests", "filed by "+bot.Mention(sam), t0), dir, t0)
		checkLimits(t, blocks)
		joined := strings.Join(mrkdwnTexts(blocks), "\n")
		if !strings.Contains(joined, "… (full text in the thread)") {
			t.Error("cut text has no note saying so")
		}
		if h := blocks[0].(*slack.HeaderBlock).Text.Text; !strings.HasSuffix(h, "…") {
			t.Errorf("long header %q not marked as cut", h)
		}
	})

	t.Run("LongMessage", func(t *testing.T) {
		for _, n := range []int{2999, 3000, 3001, 20_000, 400_000} {
			domain := bot.Escape(randomText(rand.New(rand.NewPCG(uint64(n), 9)), "ab cd\n<&>é", n))
			text := slackapp.Mrkdwn(domain)
			blocks := slackapp.MessageBlocks(bot.Message{To: sam, DM: true, Text: domain,
				Buttons: []bot.Button{{Label: "Cancel", Action: bot.ActCancel, RequestID: "FIN-1"}}}, dir)
			checkLimits(t, blocks)
			got := strings.Join(mrkdwnTexts(blocks), "")
			if n <= 20_000 && stripSpace(got) != stripSpace(text) {
				t.Errorf("%d characters: the sections do not add up to the text", n)
			}
			if n > 20_000 && !strings.HasSuffix(got, "… (message shortened)") {
				t.Errorf("%d characters: no note on the cut", n)
			}
			for _, s := range mrkdwnTexts(blocks) {
				if partialEntity.MatchString(s) {
					t.Errorf("%d characters: a section splits an entity: …%q", n, s[max(0, len(s)-12):])
				}
			}
		}
	})

	t.Run("NoSpaceToCutAt", func(t *testing.T) {
		for _, domain := range []string{
			strings.Repeat(bot.Mention(frank)+bot.ChannelRef("C0ITHELP1"), 700),
			bot.Escape(strings.Repeat("<&>é", 3000)),
		} {
			text := slackapp.Mrkdwn(domain)
			blocks := slackapp.MessageBlocks(bot.Message{To: sam, DM: true, Text: domain}, dir)
			checkLimits(t, blocks)
			for _, s := range mrkdwnTexts(blocks) {
				if strings.Count(s, "<") != strings.Count(s, ">") || partialEntity.MatchString(s) {
					t.Errorf("a section splits a reference or an entity: %q … %q", s[:20], s[len(s)-20:])
				}
			}
			if got := strings.Join(mrkdwnTexts(blocks), ""); got != text {
				t.Errorf("the sections do not add up to the text")
			}
		}
	})

	t.Run("HundredDepartments", func(t *testing.T) {
		big := &bot.Directory{}
		for i := range 130 {
			big.Departments = append(big.Departments, &bot.Department{
				Name: fmt.Sprintf("dept%03d", i), DisplayName: strings.Repeat("Department ", 10) + fmt.Sprint(i)})
		}
		big.Index()
		m := bot.Message{To: "#x", Text: "pick one", Buttons: []bot.Button{{Label: "Transfer", Action: bot.ActTransfer, RequestID: "FIN-1", Arg: "dept"}}}
		checkLimits(t, slackapp.MessageBlocks(m, big))
		checkLimits(t, slackapp.FileModal(big, "", "").Blocks.BlockSet)
	})

	t.Run("ManyButtons", func(t *testing.T) {
		var bs []bot.Button
		for i := range 60 {
			bs = append(bs, bot.Button{Label: strings.Repeat("Close ", 20), Action: bot.ActClose, RequestID: fmt.Sprintf("FIN-%d", i%2+1)})
		}
		checkLimits(t, slackapp.MessageBlocks(bot.Message{To: sam, Text: "many", Buttons: bs}, dir))
	})
}
