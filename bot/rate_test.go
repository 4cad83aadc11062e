package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

func (f *fixture) resolved(tb testing.TB, text string) *bot.Request {
	tb.Helper()
	r := f.File(tb, sam, "finance", text)
	f.Do(tb, frank, bot.ActClaim, r.ID)
	return f.Do(tb, frank, bot.ActResolve, r.ID, "done")
}

func TestRatingPrompt(t *testing.T) {
	f := newFixture(t)
	f.resolved(t, "numbers")
	var prompt *bot.Message
	for _, m := range f.Sent(t) {
		if m.RatingFor != "" {
			prompt = &m
		}
	}
	if prompt == nil || prompt.RatingFor != "FIN-1" || len(prompt.Reactions) != 0 || !strings.Contains(prompt.Text, "How was the service?") {
		t.Fatalf("resolved DM is not a rating prompt: %+v", prompt)
	}
	var rates int
	for _, b := range prompt.Buttons {
		if b.Action == bot.ActRate {
			rates++
		}
	}
	if rates != 5 {
		t.Fatalf("%d rating buttons, want 5", rates)
	}
	rt, ok, err := f.DB.RatingOf(f.Ctx, "FIN-1", 0)
	if err != nil || !ok || rt.Skipped != "" || rt.Rated() {
		t.Fatalf("prompt not recorded as asked: %+v %v %v", rt, ok, err)
	}
}

func TestRateChangeWithdrawAndWho(t *testing.T) {
	f := newFixture(t)
	f.resolved(t, "numbers")
	f.Sent(t)
	if _, err := f.Desk.Rate(f.Ctx, tina, "FIN-1", "🙂"); bot.ErrorCode(err) != bot.EFORBIDDEN {
		t.Fatalf("someone else's rating: %v", err)
	}
	if _, err := f.Desk.Rate(f.Ctx, frank, "FIN-1", "5"); bot.ErrorCode(err) != bot.EFORBIDDEN {
		t.Fatalf("the department rating itself: %v", err)
	}
	res, err := f.Desk.Rate(f.Ctx, sam, "FIN-1", ":slightly_smiling_face:")
	if err != nil || res.Score != 4 {
		t.Fatalf("rate: %+v %v", res, err)
	}
	if res, _ = f.Desk.Rate(f.Ctx, sam, "FIN-1", "😍"); res.Score != 5 || res.Prev != 4 {
		t.Fatalf("change: %+v", res)
	}
	if res, _ = f.Desk.Unrate(f.Ctx, sam, "FIN-1", "🙂"); res.Score != 5 {
		t.Fatalf("removing another reaction changed the rating: %+v", res)
	}
	if res, _ = f.Desk.Unrate(f.Ctx, sam, "FIN-1", "heart_eyes"); res.Score != 0 {
		t.Fatalf("withdraw: %+v", res)
	}
	rt, _, _ := f.DB.RatingOf(f.Ctx, "FIN-1", 0)
	if rt.Rated() {
		t.Fatalf("withdrawn rating still stands: %+v", rt)
	}
	if _, err := f.Desk.Rate(f.Ctx, sam, "FIN-1", "🎉"); bot.ErrorCode(err) != bot.EINVALID {
		t.Fatalf("unknown emoji: %v", err)
	}
	f.Clock.Advance(8 * 24 * time.Hour)
	if _, err := f.Desk.Rate(f.Ctx, sam, "FIN-1", "4"); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Fatalf("after the window: %v", err)
	}
}

func TestLowRatingRecovery(t *testing.T) {
	f := newFixture(t)
	f.resolved(t, "numbers")
	f.Sent(t)
	if _, err := f.Desk.Rate(f.Ctx, sam, "FIN-1", "😞"); err != nil {
		t.Fatal(err)
	}
	got := texts(f.Sent(t))
	if !strings.Contains(got, "U0FIONA: :warning: <@U0SAM> rated *FIN-1*") || !strings.Contains(got, "U0SAM: Sorry FIN-1 didn't go well") {
		t.Fatalf("service recovery:\n%s", got)
	}
	f.Desk.Rate(f.Ctx, sam, "FIN-1", "2") // still low: no second alarm
	if got := texts(f.Sent(t)); got != "" {
		t.Fatalf("recovery sent twice:\n%s", got)
	}
	if ok, err := f.Desk.CommentRating(f.Ctx, sam, "FIN-1", "the numbers were for the wrong quarter"); err != nil || !ok {
		t.Fatalf("comment: %v %v", ok, err)
	}
	rt, _, _ := f.DB.RatingOf(f.Ctx, "FIN-1", 0)
	if rt.Score != 2 || rt.Comment != "the numbers were for the wrong quarter" {
		t.Fatalf("rating %+v", rt)
	}
}

func TestRatingRoundsFatigueAndSampling(t *testing.T) {
	f := newFixture(t)
	f.resolved(t, "one")
	f.Desk.Rate(f.Ctx, sam, "FIN-1", "4")
	f.Do(t, sam, bot.ActReopen, "FIN-1", "not quite")
	f.Do(t, frank, bot.ActResolve, "FIN-1")
	if rt, _, _ := f.DB.RatingOf(f.Ctx, "FIN-1", 1); rt.Skipped != "rated before" {
		t.Fatalf("reopened after a rating should not ask again: %+v", rt)
	}
	f.resolved(t, "two") // FIN-2, not rated, reopened: asked again
	f.Do(t, sam, bot.ActReopen, "FIN-2")
	f.Do(t, frank, bot.ActResolve, "FIN-2")
	if rt, ok, _ := f.DB.RatingOf(f.Ctx, "FIN-2", 1); !ok || rt.Skipped != "" {
		t.Fatalf("reopened without a rating should ask again: %+v", rt)
	}

	f.Desk.Dir().Ratings.MinInterval = 7 * 24 * time.Hour
	f.resolved(t, "three")
	if rt, _, _ := f.DB.RatingOf(f.Ctx, "FIN-3", 0); rt.Skipped != "fatigue" {
		t.Fatalf("asked twice within a week: %+v", rt)
	}
	f.Desk.Dir().Ratings.MinInterval = 0
	f.Desk.Dir().Ratings.Sample = 0.5
	asked, skipped := 0, 0
	for range 40 {
		r := f.resolved(t, "sampled")
		rt, _, _ := f.DB.RatingOf(f.Ctx, r.ID, 0)
		if rt.Skipped == "sampling" {
			skipped++
		} else {
			asked++
		}
	}
	if asked == 0 || skipped == 0 {
		t.Fatalf("sampling half: %d asked, %d skipped", asked, skipped)
	}
}

func TestRatingReminderOnce(t *testing.T) {
	f := newFixture(t)
	f.resolved(t, "numbers")
	f.Sent(t)
	f.at(t, "2026-11-25 10:00") // a day later: too soon
	f.sweep(t)
	if got := texts(f.Sent(t)); strings.Contains(got, "how was") {
		t.Fatalf("reminded too soon:\n%s", got)
	}
	f.at(t, "2026-11-27 10:00") // two days after
	f.sweep(t)
	if got := texts(f.Sent(t)); !strings.Contains(got, "A reminder: how was Finance's service on *FIN-1*") {
		t.Fatalf("no reminder:\n%s", got)
	}
	f.at(t, "2026-11-30 10:00")
	f.sweep(t)
	if got := texts(f.Sent(t)); strings.Contains(got, "A reminder") {
		t.Fatalf("reminded twice:\n%s", got)
	}
}

// TestRatingReminderSaysHowToRate: the reminder points at what rates: a
// button under the prompt, or a reaction on it, whether or not the bot
// added the emoji.
func TestRatingReminderSaysHowToRate(t *testing.T) {
	for _, reactions := range []bool{false, true} {
		f := newFixture(t)
		f.Desk.Dir().Ratings.Reactions = reactions
		f.resolved(t, "numbers")
		f.Sent(t)
		f.at(t, "2026-11-27 10:00")
		f.sweep(t)
		want := "One of the buttons under the question above, or one reaction on it, rates it."
		if got := texts(f.Sent(t)); !strings.Contains(got, want) {
			t.Errorf("reactions %v: reminder %q; want %q", reactions, got, want)
		}
	}
}
