package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
	"github.com/askdesk/askdesk/store"
)

// A whole desk on every backend: the example company's finance department
// (config.example.toml) files, claims, chases, resolves, is rated and
// delivers through desk.Deliver, as serve does.

const frank = "U0FRANK01" // a member of finance; fiona leads it

func TestDeskFlow(t *testing.T) { eachBackend(t, testDeskFlow) }

func testDeskFlow(t *testing.T, open func(testing.TB) *store.DB) {
	ctx := context.Background()
	db := open(t)
	chat := &bottest.Recorder{}
	clock := bot.NewManualClock(t0) // Tuesday 10:00 in New York
	desk := bot.New(exampleDir(t), db, chat, clock, nil)
	const queue = "#finance-requests"
	deliver := func(t *testing.T) []bot.Message {
		t.Helper()
		if _, err := desk.Deliver(ctx); err != nil {
			t.Fatalf("deliver: %v", err)
		}
		if n, _, err := db.OutboxStats(ctx, clock.Now()); n != 0 || err != nil {
			t.Fatalf("%d messages left in the outbox, %v", n, err)
		}
		return chat.Take()
	}
	do := func(t *testing.T, user string, a bot.Action, id, text string) *bot.Request {
		t.Helper()
		r, err := desk.Do(ctx, bot.Act{Actor: user, Action: a, ID: id, Text: text})
		if err != nil {
			t.Fatalf("%s %s by %s: %v", a, id, user, err)
		}
		return r
	}
	// to returns the messages to one destination, in the order sent.
	to := func(msgs []bot.Message, dest string, dm bool) []bot.Message {
		var out []bot.Message
		for _, m := range msgs {
			if m.To == dest && m.DM == dm {
				out = append(out, m)
			}
		}
		return out
	}

	r, err := desk.File(ctx, bot.Filing{Requester: sam, Dept: "fin", Text: "need the Q4 budget numbers", Source: "slash"})
	if err != nil || r.ID != "FIN-1" || r.Dept != "finance" || r.FirstResponseDue.IsZero() {
		t.Fatalf("filed %+v, %v", r, err)
	}

	// Claimed before the first delivery: the card goes once, drawn as it
	// is now (the claim folded into the filing's message); the requester
	// hears who is on it.
	clock.Advance(30 * time.Minute)
	do(t, frank, bot.ActClaim, "fin-1", "")
	fin2, err := desk.File(ctx, bot.Filing{Requester: sam, Dept: "finance", Text: "and the Q3 actuals", Source: "slash"})
	if err != nil || fin2.ID != "FIN-2" {
		t.Fatalf("second filing %+v, %v", fin2, err)
	}
	msgs := deliver(t)
	cards := to(msgs, queue, false)
	if len(cards) != 2 || cards[0].CardFor != "FIN-1" || cards[0].Card.Request.State != bot.Acknowledged ||
		!strings.Contains(cards[0].Card.LastChange, "claimed") || cards[1].CardFor != "FIN-2" {
		t.Errorf("cards after the claim: %+v", cards)
	}
	if dms := to(msgs, sam, true); len(dms) != 1 || !strings.Contains(dms[0].Text, "is on") {
		t.Errorf("requester's DMs after the claim: %+v", dms)
	}

	// FIN-2 sits unclaimed past 75% of its first-response target: one
	// reminder to the queue, once however often the sweep runs.
	clock.Advance(4*time.Hour + 30*time.Minute) // 15:00 in New York
	rep, err := desk.Sweep(ctx)
	if err != nil || rep.Reminders == 0 || rep.Messages == 0 {
		t.Fatalf("sweep = %+v, %v; want reminders for FIN-2", rep, err)
	}
	msgs = deliver(t)
	var reminded bool
	for _, m := range msgs {
		reminded = reminded || m.CardFor == "" && strings.Contains(m.Text, "FIN-2")
	}
	if !reminded {
		t.Errorf("no reminder about FIN-2 delivered: %+v", msgs)
	}
	if rep, err := desk.Sweep(ctx); err != nil || rep.Reminders != 0 || rep.Messages != 0 {
		t.Errorf("second sweep = %+v, %v; want nothing new", rep, err)
	}
	if msgs := deliver(t); len(msgs) != 0 {
		t.Errorf("second sweep delivered %+v", msgs)
	}

	// Resolved: the requester's DM is the rating prompt.
	clock.Advance(time.Hour)
	r = do(t, frank, bot.ActResolve, "FIN-1", "numbers attached")
	if r.State != bot.Resolved || !r.NextDue().IsZero() {
		t.Fatalf("after resolve %+v", r)
	}
	msgs = deliver(t)
	prompt := to(msgs, sam, true)
	if len(prompt) != 1 || prompt[0].RatingFor != "FIN-1" || len(prompt[0].Buttons) == 0 || !strings.Contains(prompt[0].Text, "numbers attached") {
		t.Fatalf("rating prompt %+v", prompt)
	}
	if cards := to(msgs, queue, false); len(cards) != 1 || cards[0].Card.Request.State != bot.Resolved {
		t.Errorf("cards after resolve: %+v", cards)
	}
	asked, ok, err := db.RatingOf(ctx, "FIN-1", 0)
	if err != nil || !ok || !asked.AskedAt.Equal(clock.Now()) || asked.Skipped != "" {
		t.Errorf("prompt recorded as %+v, %v, %v", asked, ok, err)
	}

	// A low rating starts service recovery: the lead hears, privately.
	res, err := desk.Rate(ctx, sam, "FIN-1", "2")
	if err != nil || res.Score != 2 || res.Prev != 0 {
		t.Fatalf("rate 2 = %+v, %v", res, err)
	}
	msgs = deliver(t)
	if lead := to(msgs, fiona, true); len(lead) != 1 || !strings.Contains(lead[0].Text, "Service recovery") {
		t.Errorf("lead's DMs after a low rating: %+v", lead)
	}
	if dms := to(msgs, sam, true); len(dms) != 1 || !strings.Contains(dms[0].Text, "What went wrong") {
		t.Errorf("requester's DMs after a low rating: %+v", dms)
	}
	if res, err := desk.Rate(ctx, sam, "FIN-1", "5"); err != nil || res.Score != 5 || res.Prev != 2 {
		t.Errorf("rate 5 = %+v, %v", res, err)
	}
	// The lead who heard of the low rating hears it was raised, and nobody
	// else hears anything.
	if msgs := deliver(t); len(msgs) != 1 || len(to(msgs, fiona, true)) != 1 || !strings.Contains(msgs[0].Text, "changed their rating of *FIN-1*") {
		t.Errorf("a better rating delivered %+v; want one DM to the lead", msgs)
	}
	if got, _, _ := db.RatingOf(ctx, "FIN-1", 0); got.Score != 5 {
		t.Errorf("stored rating %+v", got)
	}
	sat, err := db.Satisfaction(ctx, []string{"finance"}, t0, t0.Add(24*time.Hour))
	if err != nil || sat == nil || sat.Asked != 1 || sat.Ratings != 1 || sat.Average != 5 {
		t.Errorf("satisfaction %+v, %v", sat, err)
	}

	// Closed by the requester; the history rebuilds the stored request.
	r = do(t, sam, bot.ActClose, "FIN-1", "")
	if r.State != bot.Closed {
		t.Fatalf("after close %+v", r)
	}
	deliver(t)
	evs, err := db.Events(ctx, "FIN-1")
	if err != nil || len(evs) != 4 {
		t.Fatalf("history %d events, %v", len(evs), err)
	}
	rebuilt, err := bot.Rebuild(evs)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := db.Request(ctx, "FIN-1")
	if err != nil {
		t.Fatal(err)
	}
	if rebuilt.State != stored.State || rebuilt.Version != stored.Version || !rebuilt.ResolvedAt.Equal(stored.ResolvedAt) ||
		!rebuilt.ClosedAt.Equal(stored.ClosedAt) || rebuilt.Assignee != frank || stored.Assignee != frank {
		t.Errorf("rebuilt %+v\nstored %+v", rebuilt, stored)
	}
}
