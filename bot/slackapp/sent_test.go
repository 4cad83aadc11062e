package slackapp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
	"github.com/askdesk/askdesk/store"
)

// sentMessage is one message the desk sent through the adapter, and what
// Slack received for it.
type sentMessage struct {
	// Name says which message it is, for goldens and failures:
	// "dm_resolved", "card FIN-1 v3", …
	Name string
	// Msg is the message as the desk handed it to the adapter (a card
	// drawn); for a slash command's reply, which the adapter makes of the
	// desk's answer out of sight, only its text.
	Msg bot.Message
	// Reply is set for the reply to a slash command, sent in the HTTP
	// answer rather than through the outbox.
	Reply bool
	// Blocks are the blocks Slack received: the blocks param of the
	// chat.postMessage or chat.update call, or the slash command reply's.
	Blocks json.RawMessage
}

// recordingChat is the Slack adapter with a note of every message the desk
// sends through it and the blocks each one reached Slack with.
type recordingChat struct {
	app  *slackapp.App
	fake *slacktest.Server
	sent []sentMessage
}

func (c *recordingChat) Send(ctx context.Context, m bot.Message) error {
	before := len(c.fake.Calls())
	if err := c.app.Send(ctx, m); err != nil {
		return err
	}
	var blocks json.RawMessage
	for _, call := range c.fake.Calls()[before:] {
		if (call.Method == "chat.postMessage" || call.Method == "chat.update") && call.Error == "" && call.Params.Has("blocks") {
			blocks = json.RawMessage(call.Params.Get("blocks"))
		}
	}
	c.sent = append(c.sent, sentMessage{Msg: m, Blocks: blocks})
	return nil
}

// deskRun drives a real desk, with the Slack adapter, against the fake
// Slack through every kind of message the desk sends with buttons, and
// returns them all as Slack received them, oldest first. The ones a person
// reads in a DM or a reply are named for their goldens; cards are named
// "card ID" with their change. reactions is [ratings] reactions.
func deskRun(t *testing.T, reactions bool) []sentMessage {
	t.Helper()
	ctx := context.Background()
	dir := MustExampleDirectory(t)
	dir.Ratings.Reactions = reactions
	clock := bot.NewManualClock(tuesday(t))
	fake := slacktest.New()
	t.Cleanup(fake.Close)
	fake.AddChannel("C0FINREQ1", "finance-requests")
	fake.AddUser(sam, "sam", "Sam Seller", "America/Chicago")
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "askdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	const secret = "golden-signing-secret"
	app := slackapp.New(slackapp.Config{BotToken: "xoxb-golden", SigningSecret: secret, APIURL: fake.URL}, dir, db, clock, nil)
	chat := &recordingChat{app: app, fake: fake}
	desk := bot.New(dir, db, chat, clock, nil)
	app.SetDesk(desk)
	app.Surveys = db
	t.Cleanup(func() {
		if err := app.Wait(ctx); err != nil {
			t.Error(err)
		}
	})

	var named []sentMessage
	// deliver runs the outbox a few seconds on and names what it sent.
	deliver := func(name func(m bot.Message) string) {
		t.Helper()
		clock.Advance(3 * time.Second)
		from := len(chat.sent)
		if _, err := desk.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
		for _, s := range chat.sent[from:] {
			if s.Blocks == nil {
				t.Fatalf("no blocks reached Slack for %+v", s.Msg)
			}
			switch {
			case s.Msg.CardFor != "":
				s.Name = "card " + s.Msg.CardFor + ": " + s.Msg.Change
			case name != nil:
				s.Name = name(s.Msg)
			}
			if s.Name == "" {
				s.Name = "to " + s.Msg.To + ": " + s.Msg.Text
			}
			named = append(named, s)
		}
	}
	// dmTo names the DM to user about id; other messages keep their text.
	dmTo := func(user, id, name string) func(bot.Message) string {
		return func(m bot.Message) string {
			if m.DM && m.To == user && m.ThreadOf == id {
				return name
			}
			return ""
		}
	}
	do := func(actor string, action bot.Action, id, text, target string) {
		t.Helper()
		if _, err := desk.Do(ctx, bot.Act{Actor: actor, Action: action, ID: id, Text: text, Target: target}); err != nil {
			t.Fatalf("%s %s %s: %v", actor, action, id, err)
		}
	}

	// Sam files over /ask; the reply (with Cancel) comes in the HTTP answer.
	form := url.Values{"command": {"/ask"}, "text": {"finance need the Q3 budget numbers for the board deck"},
		"user_id": {sam}, "channel_id": {"C0SALES01"}, "team_id": {slacktest.TeamID}, "trigger_id": {"1.2.golden"}}
	body := []byte(form.Encode())
	req := httptest.NewRequest(http.MethodPost, "/slack/commands", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	slacktest.SignRequest(req, secret, time.Now(), body)
	w := httptest.NewRecorder()
	app.Handler().ServeHTTP(w, req)
	var reply struct {
		Text   string          `json:"text"`
		Blocks json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &reply); w.Code != http.StatusOK || err != nil || reply.Blocks == nil {
		t.Fatalf("/ask: %d %s %v", w.Code, w.Body, err)
	}
	named = append(named, sentMessage{Name: "reply_filed", Msg: bot.Message{To: sam, Text: reply.Text}, Blocks: reply.Blocks, Reply: true})
	deliver(nil)

	// Finance works it: claim, reply, a question, resolution.
	do(frank, bot.ActClaim, "FIN-1", "", "")
	deliver(nil)
	do(frank, bot.ActReply, "FIN-1", "Paid today; it will show on Friday & not before.", "")
	deliver(dmTo(sam, "FIN-1", "dm_replied"))
	do(frank, bot.ActWait, "FIN-1", "which account should we use?", "")
	deliver(dmTo(sam, "FIN-1", "dm_waiting"))
	do(frank, bot.ActResume, "FIN-1", "", "")
	deliver(nil)
	do(frank, bot.ActResolve, "FIN-1", "EUR 28, see the travel policy", "")
	// The same blocks whether or not the bot adds reactions.
	deliver(dmTo(sam, "FIN-1", "dm_resolved"))

	// A low rating starts service recovery: Sam may reopen from there.
	if _, err := desk.Rate(ctx, sam, "FIN-1", "1"); err != nil {
		t.Fatal(err)
	}
	deliver(dmTo(sam, "FIN-1", "dm_recovery"))

	// Nobody reopens it: the sweep closes it and tells Sam.
	clock.Advance(7 * 24 * time.Hour)
	if _, err := desk.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	deliver(dmTo(sam, "FIN-1", "dm_autoclosed"))

	// Cards in their other states: reassigned, transferred (the card left
	// behind and the new one), cancelled.
	for _, text := range []string{"order 200 branded notebooks for the fair", "reimburse my taxi receipts", "new laptop for the intern"} {
		if _, err := desk.File(ctx, bot.Filing{Requester: sam, Dept: "finance", Text: text, Source: "slash"}); err != nil {
			t.Fatal(err)
		}
	}
	deliver(nil)
	do(fiona, bot.ActReassign, "FIN-2", "", farah)
	do(fiona, bot.ActTransfer, "FIN-3", "", "purchasing")
	do(sam, bot.ActCancel, "FIN-4", "", "")
	deliver(nil)

	// The quarterly survey, on the first weekday of the next quarter, as
	// the schedule runs it.
	ny := tuesday(t).Location()
	clock.Set(time.Date(2027, 1, 1, 10, 0, 0, 0, ny))
	if n, err := desk.SurveyIfDue(ctx, db, ny, nil); err != nil || n != 1 {
		t.Fatalf("survey: asked %d, %v", n, err)
	}
	deliver(func(m bot.Message) string {
		if m.DM && m.To == sam && len(m.Buttons) > 0 && m.Buttons[0].Action == bot.ActSurvey {
			return "dm_survey"
		}
		return ""
	})
	return named
}

// parseBlocks decodes blocks as Slack received them.
func parseBlocks(tb testing.TB, raw json.RawMessage) []slack.Block {
	tb.Helper()
	var b slack.Blocks
	if err := json.Unmarshal(raw, &b); err != nil {
		tb.Fatalf("blocks: %v\n%s", err, raw)
	}
	return b.BlockSet
}

// sentGoldens are the messages a person reads whose blocks are kept in
// testdata, as Slack received them from a real desk (deskRun).
var sentGoldens = []string{
	"reply_filed", "dm_replied", "dm_waiting", "dm_resolved",
	"dm_recovery", "dm_autoclosed", "dm_survey",
}

// TestSentBlocks_Golden keeps the DMs and the /ask reply as a real desk
// sends them through the adapter: the resolved DM with its rating prompt
// (five scores and a comment button, saying reacting rates too), the same
// with the bot's reactions and without.
func TestSentBlocks_Golden(t *testing.T) {
	found := map[string]bool{}
	for _, reactions := range []bool{false, true} {
		for _, s := range deskRun(t, reactions) {
			if !slices.Contains(sentGoldens, s.Name) || found[s.Name] {
				continue // the same message again, from the other run
			}
			found[s.Name] = true
			t.Run(s.Name, func(t *testing.T) {
				checkLimits(t, parseBlocks(t, s.Blocks))
				assertGolden(t, s.Name, s.Blocks)
			})
		}
	}
	for _, name := range sentGoldens {
		if !found[name] {
			t.Errorf("the desk sent no %s", name)
		}
	}
}

// TestSentMessages_EveryButtonShown: every button of every message the
// desk sends (cards in each state, DMs, the rating prompt with the bot's
// reactions and without, service recovery, the survey) reaches Slack as an
// element that presses back into the same act; a DM's dropped Reply
// button leaves the hint to reply in the thread; the /ask reply offers
// Cancel.
func TestSentMessages_EveryButtonShown(t *testing.T) {
	dir := MustExampleDirectory(t)
	for _, reactions := range []bool{false, true} {
		t.Run(fmt.Sprintf("Reactions=%v", reactions), func(t *testing.T) {
			seen := map[bot.Action]bool{}
			prompts := 0
			for _, s := range deskRun(t, reactions) {
				blocks := parseBlocks(t, s.Blocks)
				checkLimits(t, blocks)
				if s.Reply {
					got := clicks(blocks)
					if len(got) != 1 {
						t.Fatalf("%s: %d elements, want Cancel alone: %+v", s.Name, len(got), got)
					}
					action, id, _, ok := slackapp.ParseAction(blockActionsPayload(t, got[0]))
					if !ok || action != bot.ActCancel || id != "FIN-1" {
						t.Errorf("%s: its element presses (%q, %q, %v), want a cancel of FIN-1", s.Name, action, id, ok)
					}
					seen[action] = true
					continue
				}
				if s.Msg.RatingFor != "" {
					prompts++
				}
				for _, a := range checkButtonsShown(t, dir, s.Msg, blocks) {
					seen[a] = true
				}
				// A card is the thread's root and says nothing of it.
				hasReply := s.Msg.CardFor == "" && slices.ContainsFunc(s.Msg.Buttons, func(b bot.Button) bool { return b.Action == bot.ActReply })
				if hint := slices.Contains(mrkdwnTexts(blocks), "To answer, reply in this thread."); hint != hasReply {
					t.Errorf("%s: reply hint %v, Reply button %v", s.Name, hint, hasReply)
				}
			}
			if prompts != 1 {
				t.Errorf("%d rating prompts sent, want 1", prompts)
			}
			for _, a := range []bot.Action{bot.ActClaim, bot.ActWait, bot.ActResume, bot.ActResolve, bot.ActClose, bot.ActReopen,
				bot.ActCancel, bot.ActTransfer, bot.ActReassign, bot.ActComment, bot.ActRate, bot.ActSurvey} {
				if !seen[a] {
					t.Errorf("no message the desk sent offered %q", a)
				}
			}
		})
	}
}
