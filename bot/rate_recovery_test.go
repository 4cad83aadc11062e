package bot_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// TestLowRatingFollowUpReachesTheLead: the recovery message tells the
// requester their reply reaches the lead. A comment (the form, or a reply
// in the DM thread) on a low rating goes to finance's lead by DM, in the
// lead's language; /ask status shows the rating and comment to the
// department and the requester, not to others; and raising the rating
// later tells the lead too.
func TestLowRatingFollowUpReachesTheLead(t *testing.T) {
	f := newFixture(t)
	dir := testDir(t)
	dir.People[fiona].Lang = "zh-Hans"
	f.Desk.SetDir(dir)
	f.resolved(t, "numbers")
	if _, err := f.Desk.Rate(f.Ctx, sam, "FIN-1", "1"); err != nil {
		t.Fatal(err)
	}
	f.Sent(t)
	if ok, err := f.Desk.CommentRating(f.Ctx, sam, "FIN-1", "wrong quarter"); err != nil || !ok {
		t.Fatalf("comment: %v %v", ok, err)
	}
	got := texts(f.Sent(t))
	if !strings.Contains(got, "U0FIONA: :speech_balloon: <@U0SAM> 对 *FIN-1*") || !strings.Contains(got, "补充说：\n>wrong quarter") {
		t.Fatalf("the comment did not reach the lead in Chinese:\n%s", got)
	}
	f.Do(t, sam, bot.ActReply, "FIN-1", "and the totals are off")
	var toLead string
	for _, m := range f.Sent(t) {
		if m.To == fiona && m.DM {
			toLead += m.Text
		}
	}
	if !strings.Contains(toLead, ">and the totals are off") {
		t.Fatalf("a reply in the thread did not reach the lead: %q", toLead)
	}
	for _, who := range []string{fiona, frank, sam} {
		st := f.command(t, who, "status FIN-1")
		if !strings.Contains(st, "(1 of 5)") && !strings.Contains(st, "（1/5分）") || !strings.Contains(st, ">and the totals are off") {
			t.Fatalf("%s's status lacks the rating and comment:\n%s", who, st)
		}
	}
	if st := f.command(t, tina, "status FIN-1"); strings.Contains(st, "totals") || strings.Contains(st, "of 5") {
		t.Fatalf("an outsider sees the rating:\n%s", st)
	}
	if _, err := f.Desk.Rate(f.Ctx, sam, "FIN-1", "😍"); err != nil {
		t.Fatal(err)
	}
	got = texts(f.Sent(t))
	if !strings.Contains(got, "U0FIONA: :white_check_mark: <@U0SAM> 把 *FIN-1*") || !strings.Contains(got, "改成了 😍（5/5分）") {
		t.Fatalf("raising the rating did not reach the lead:\n%s", got)
	}
	// A comment on a rating that is not low stays with the rating.
	f.Desk.CommentRating(f.Ctx, sam, "FIN-1", "thanks in the end")
	if got := texts(f.Sent(t)); got != "" {
		t.Fatalf("a comment on a good rating was sent:\n%s", got)
	}
}
