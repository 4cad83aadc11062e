package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp/slacktest"
)

// TestSlackRating: with [ratings] reactions = true the resolved DM carries
// the five rating emoji, added by the bot; the requester's reaction rates,
// anyone else's does not, removing it withdraws it, and the buttons rate
// too.
func TestSlackRating(t *testing.T) {
	h := newHarness(t, false, func(o *serverOptions) { o.Dir.Ratings.Reactions = true })
	h.slash(sam, "finance numbers")
	h.deliver()
	h.press(frank, finCh, "askdesk:claim", "FIN-1")
	h.press(frank, finCh, "askdesk:resolve", "FIN-1")
	h.deliver()
	h.deliver()
	var prompt string
	for _, m := range h.fake.Messages("D" + sam) {
		if strings.Contains(m.Text, "How was the service?") {
			prompt = m.TS
		}
	}
	if prompt == "" {
		t.Fatalf("no rating prompt in the requester's DM: %+v", h.fake.Messages("D"+sam))
	}
	h.srv.eventsIdle() // the bot's reactions go beside the outbox
	if got := h.fake.Reactions("D"+sam, prompt); len(got) != 5 {
		t.Fatalf("bot's reactions on the prompt: %v", got)
	}
	react := func(typ, user, emoji string) {
		t.Helper()
		id := fmt.Sprintf("EvRATE%s%s%s", typ, user, emoji)
		for range 2 { // Slack may deliver an event twice: acted on once
			h.signed("/slack/events", eventBody(t, id, map[string]any{
				"type": typ, "user": user, "reaction": emoji, "item_user": "U0BOTUSER",
				"item": map[string]any{"type": "message", "channel": "D" + sam, "ts": prompt},
			}))
		}
		h.srv.eventsIdle()
	}
	score := func() int {
		t.Helper()
		r, _, err := h.srv.db.RatingOf(h.ctx, "FIN-1", 0)
		if err != nil {
			t.Fatal(err)
		}
		return r.Score
	}
	react("reaction_added", tina, "heart_eyes")
	if s := score(); s != 0 {
		t.Fatalf("someone else's reaction rated: %d", s)
	}
	react("reaction_added", sam, "slightly_smiling_face")
	if s := score(); s != 4 {
		t.Fatalf("requester's 🙂: score %d, want 4", s)
	}
	react("reaction_removed", sam, "slightly_smiling_face")
	if s := score(); s != 0 {
		t.Fatalf("removed reaction: score %d, want withdrawn", s)
	}
	h.press(sam, "D"+sam, "askdesk:rate5", "FIN-1")
	if s := score(); s != 5 {
		t.Fatalf("button: score %d, want 5", s)
	}
	react("reaction_added", sam, "disappointed")
	h.deliver()
	var told bool
	for _, m := range h.fake.Messages("D" + fiona) {
		if strings.Contains(m.Text, "rated *FIN-1*") && strings.Contains(m.Text, "/archives/"+finCh) {
			told = true // with the link to the card
		}
	}
	if s := score(); s != 1 || !told {
		t.Fatalf("low rating: score %d, lead told %v", s, told)
	}
}

// TestSlackRatingWithoutBotReactions: by default the resolved DM gets no
// reactions from the bot; it shows the five scores as buttons, worst to
// best, and a comment button, and says reacting rates too. The
// requester's reaction rates all the same, and pressing each of the five
// posted buttons in turn rates the request that score, each answered
// through the click's response_url.
func TestSlackRatingWithoutBotReactions(t *testing.T) {
	h := newHarness(t, false)
	h.slash(sam, "finance numbers")
	h.deliver()
	h.press(frank, finCh, "askdesk:claim", "FIN-1")
	h.press(frank, finCh, "askdesk:resolve", "FIN-1")
	h.deliver()
	h.deliver()
	prompt, _ := h.offering("D"+sam, "askdesk:rate1", "FIN-1")
	if !strings.Contains(prompt.Text, "Pick one below, or react with one of") {
		t.Errorf("prompt text: %q", prompt.Text)
	}
	h.srv.eventsIdle()
	if got := h.fake.Reactions(prompt.Channel, prompt.TS); len(got) != 0 {
		t.Errorf("the bot's reactions on the prompt: %v", got)
	}
	if n := len(h.fake.CallsTo("reactions.add")); n != 0 {
		t.Errorf("%d reactions.add calls with reactions = false", n)
	}
	h.signed("/slack/events", eventBody(t, "EvRATEBYHAND", map[string]any{
		"type": "reaction_added", "user": sam, "reaction": "neutral_face", "item_user": "U0BOTUSER",
		"item": map[string]any{"type": "message", "channel": prompt.Channel, "ts": prompt.TS},
	}))
	h.srv.eventsIdle()
	if r, _, err := h.srv.db.RatingOf(h.ctx, "FIN-1", 0); err != nil || r.Score != 3 {
		t.Fatalf("requester's 😐 on a prompt the bot added none to: rating %+v %v, want 3", r, err)
	}
	els, err := slacktest.Elements(prompt.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, el := range els {
		if strings.HasPrefix(el.ActionID, "askdesk:rate") || el.ActionID == "askdesk:comment" {
			got = append(got, el.ActionID+" "+el.Text)
		}
	}
	for i, e := range bot.DefaultRatingPolicy.Emoji {
		want = append(want, fmt.Sprintf("askdesk:rate%d %s", i+1, bot.Glyph(e)))
	}
	want = append(want, "askdesk:comment Add a comment")
	if !slices.Equal(got, want) {
		t.Fatalf("prompt's rating buttons:\n%q\nwant\n%q", got, want)
	}
	for score := 1; score <= 5; score++ {
		if code, _ := h.pressShown(sam, prompt.Shown(), slacktest.Pick{ActionID: fmt.Sprintf("askdesk:rate%d", score)}); code != 200 {
			t.Fatalf("press %d: %d", score, code)
		}
		r, _, err := h.srv.db.RatingOf(h.ctx, "FIN-1", 0)
		if err != nil || r.Score != score {
			t.Fatalf("pressed %d: rating %+v %v", score, r, err)
		}
		calls, err := h.fake.WaitCalls(waitCtx(t), slacktest.ResponseURLMethod, score)
		if err != nil {
			t.Fatal(err)
		}
		if last := calls[len(calls)-1].Params; last.Get("response_type") != "ephemeral" || last.Get("replace_original") != "false" ||
			!strings.Contains(last.Get("text"), fmt.Sprintf("you rated FIN-1 %d of 5", score)) {
			t.Errorf("pressed %d: told %v", score, last)
		}
	}
}

// TestSlackSurvey: the quarterly survey's DM button opens a form listing
// the departments the person used; submitting it records the answers.
func TestSlackSurvey(t *testing.T) {
	h := newHarness(t, false)
	h.slash(sam, "finance numbers")
	h.slash(sam, "it laptop")
	h.deliver()
	q := bot.QuarterOf(h.clock.Now(), time.UTC)
	if n, err := h.srv.desk.RunSurvey(h.ctx, h.srv.db, q, time.UTC); err != nil || n != 1 {
		t.Fatalf("survey: %d %v", n, err)
	}
	h.deliver()
	if code, _ := h.press(sam, "D"+sam, "askdesk:survey", q.String()); code != 200 {
		t.Fatalf("click: %d", code)
	}
	views, err := h.fake.WaitCalls(waitCtx(t), "views.open", 1)
	if err != nil {
		t.Fatal(err)
	}
	if v := views[0].Params.Get("view"); !strings.Contains(v, "askdesk:survey:finance") || !strings.Contains(v, "askdesk:survey:it") {
		t.Fatalf("survey form: %s", v)
	}
	payload, err := slacktest.ViewSubmission(h.fake.Views()[0], sam, map[string]string{
		"askdesk:survey:finance": "5", "askdesk:survey-comment": "great team"})
	if err != nil {
		t.Fatal(err)
	}
	if code, body := h.signed("/slack/interactions", slacktest.InteractionBody(payload)); code != 200 || strings.Contains(body, "errors") {
		t.Fatalf("submit: %d %s", code, body)
	}
	res, _ := h.srv.db.SurveyResults(h.ctx, q.String())
	var fin bot.SurveyAnswer
	for _, r := range res {
		if r.Dept == "finance" {
			fin = r
		}
	}
	if fin.Score != 5 || fin.Comment != "great team" {
		t.Fatalf("answer: %+v", res)
	}
}
