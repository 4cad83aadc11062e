package bot_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

func TestQuarterlySurvey(t *testing.T) {
	f := newFixture(t)
	f.at(t, "2026-09-15 10:00")
	f.File(t, sam, "finance", "a")
	f.File(t, sam, "it", "b")
	f.File(t, sam, "finance", "c")
	f.File(t, tina, "finance", "d")
	f.Sent(t)
	q3, _ := bot.ParseQuarter("2026-Q3")
	ny := mustZone(t, "America/New_York")
	n, err := f.Desk.RunSurvey(f.Ctx, f.DB, q3, ny)
	if err != nil || n != 2 {
		t.Fatalf("asked %d, %v; want sam and tina", n, err)
	}
	msgs := f.Sent(t)
	dm := findDM(msgs, sam)
	if len(msgs) != 2 || dm == nil || !strings.Contains(dm.Text, "You asked Finance and IT for help") {
		t.Fatalf("one DM per person listing their departments:\n%s", texts(msgs))
	}
	if n, _ := f.Desk.RunSurvey(f.Ctx, f.DB, q3, ny); n != 0 {
		t.Fatalf("asked again: %d", n)
	}
	if err := f.Desk.AnswerSurvey(f.Ctx, f.DB, sam, "2026-Q3", "fin", 4, "quick and kind"); err != nil {
		t.Fatal(err)
	}
	if err := f.Desk.AnswerSurvey(f.Ctx, f.DB, tina, "2026-Q3", "it", 2, ""); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Fatalf("answering about a department not asked: %v", err)
	}
	if err := f.Desk.AnswerSurvey(f.Ctx, f.DB, sam, "2026-Q3", "it", 9, ""); bot.ErrorCode(err) != bot.EINVALID {
		t.Fatalf("score 9: %v", err)
	}
	res, _ := f.DB.SurveyResults(f.Ctx, "2026-Q3")
	if len(res) != 3 || res[0].Dept != "finance" {
		t.Fatalf("results %+v", res)
	}

	// The schedule's daily check runs it on the first weekday of a quarter
	// only: Thursday 1 October 2026.
	f.at(t, "2026-09-30 10:00")
	if n, _ := f.Desk.SurveyIfDue(f.Ctx, f.DB, ny, nil); n != 0 {
		t.Fatal("ran before the quarter began")
	}
	f.at(t, "2026-10-01 10:00")
	if n, err := f.Desk.SurveyIfDue(f.Ctx, f.DB, ny, nil); err != nil || n != 0 {
		t.Fatalf("Q3 already surveyed: %d %v", n, err)
	}
}
