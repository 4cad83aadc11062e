package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
)

// deflectFixture is the routing fixture with one resolved IT request of
// Sam's, answered with a note.
func deflectFixture(t *testing.T) (*bottest.Fixture, *bot.Request) {
	t.Helper()
	f := routingFixture(t)
	old := f.File(t, bottest.Sam, "it", "my vpn token expired on the laptop")
	f.Do(t, bottest.Ivan, bot.ActResolve, old.ID, "Renew it at vpn.example.com/renew with your badge number")
	f.Clock.Advance(time.Hour)
	f.Sent(t)
	return f, old
}

// buttonsOf returns the buttons of r with action a.
func buttonsOf(r bot.Reply, a bot.Action) []bot.Button {
	var out []bot.Button
	for _, b := range r.Buttons {
		if b.Action == a {
			out = append(out, b)
		}
	}
	return out
}

// TestDeflect_ConfirmShowsEarlierAnswerAndThisAnsweredItFilesNothing: a
// routed question like one answered before shows that answer before
// filing; "This answered it" files nothing and is counted as self-served
// for the department chosen.
func TestDeflect_ConfirmShowsEarlierAnswerAndThisAnsweredItFilesNothing(t *testing.T) {
	f, old := deflectFixture(t)
	bs := routeButtons(t, f.Desk.Command(f.Ctx, bottest.Sam, "vpn token expired again"))
	r, err := f.Desk.FileRouted(f.Ctx, bottest.Sam, bs[0].RequestID, bs[0].Arg)
	if err != nil {
		t.Fatal(err)
	}
	if r.Request != nil {
		t.Fatalf("filed %s before showing the earlier answer", r.Request.ID)
	}
	for _, want := range []string{old.ID, "vpn.example.com/renew", "File anyway"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("deflection lacks %q:\n%s", want, r.Text)
		}
	}
	answered := buttonsOf(r, bot.ActAnswered)
	if len(answered) != 1 || answered[0].Label != "This answered it" {
		t.Fatalf("answered buttons %+v", answered)
	}
	if _, err := f.Desk.Answered(f.Ctx, bottest.Tina, answered[0].RequestID, answered[0].Arg); bot.ErrorCode(err) != bot.EFORBIDDEN {
		t.Errorf("another person pressed it: %v", err)
	}
	done, err := f.Desk.Answered(f.Ctx, bottest.Sam, answered[0].RequestID, answered[0].Arg)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(done.Text, "nothing was filed") {
		t.Errorf("reply: %s", done.Text)
	}
	if rs := requestsOf(t, f, bottest.Sam); len(rs) != 1 {
		t.Errorf("%d requests of Sam's, want only the old one", len(rs))
	}
	counts, err := f.DB.SelfServedCounts(f.Ctx, bottest.Tuesday10, f.Clock.Now().Add(time.Minute))
	if err != nil || counts["it"] != 1 || len(counts) != 1 {
		t.Errorf("self-served %v, %v; want it: 1", counts, err)
	}
	if _, err := f.Desk.FileRouted(f.Ctx, bottest.Sam, bs[0].RequestID, bs[0].Arg); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("filing after it was answered: %v, want ENOTFOUND", err)
	}
}

// TestDeflect_FileAnywayFiles: "File anyway" files the text with the
// department chosen, and nothing is counted as self-served.
func TestDeflect_FileAnywayFiles(t *testing.T) {
	f, _ := deflectFixture(t)
	bs := routeButtons(t, f.Desk.Command(f.Ctx, bottest.Sam, "!urgent vpn token expired again"))
	r, err := f.Desk.FileRouted(f.Ctx, bottest.Sam, bs[0].RequestID, bs[0].Arg)
	if err != nil {
		t.Fatal(err)
	}
	anyway := buttonsOf(r, bot.ActRoute)
	if len(anyway) != 1 || anyway[0].Label != "File anyway" {
		t.Fatalf("file anyway buttons %+v\n%s", anyway, r.Text)
	}
	filed, err := f.Desk.FileRouted(f.Ctx, bottest.Sam, anyway[0].RequestID, anyway[0].Arg)
	if err != nil {
		t.Fatal(err)
	}
	if filed.Request == nil || filed.Request.Dept != "it" || filed.Request.Priority != bot.Urgent || filed.Request.Text != "vpn token expired again" {
		t.Fatalf("filed %+v", filed.Request)
	}
	counts, _ := f.DB.SelfServedCounts(f.Ctx, bottest.Tuesday10, f.Clock.Now().Add(time.Minute))
	if len(counts) != 0 {
		t.Errorf("self-served %v after filing anyway", counts)
	}
}

// TestDeflect_NothingSimilarFilesAtOnce: with no similar answer (or none
// the requester may see), the confirm files at once, as before.
func TestDeflect_NothingSimilarFilesAtOnce(t *testing.T) {
	f, _ := deflectFixture(t)
	for _, tc := range []struct{ name, user, text string }{
		{"UnlikeWords", bottest.Sam, "my laptop screen is broken"},
		{"SomeoneElsesRequest", bottest.Tina, "vpn token expired again"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bs := routeButtons(t, f.Desk.Command(f.Ctx, tc.user, tc.text))
			r, err := f.Desk.FileRouted(f.Ctx, tc.user, bs[0].RequestID, "it")
			if err != nil {
				t.Fatal(err)
			}
			if r.Request == nil {
				t.Fatalf("not filed at once:\n%s", r.Text)
			}
		})
	}
}

// TestDeflect_NeverShowsAPrivateTypesAnswerToOutsiders: an admin who is
// not IT staff sees IT's public answers, never a private type's.
func TestDeflect_NeverShowsAPrivateTypesAnswerToOutsiders(t *testing.T) {
	f := routingFixture(t)
	dir := f.Desk.Dir()
	dir.ByName("it").Types = []*bot.RequestType{{Name: "general", DisplayName: "General", Default: true},
		{Name: "personal", DisplayName: "Personal device", Private: true}}
	dir.Index()
	f.Desk.SetDir(dir)
	secret, err := f.Desk.File(f.Ctx, bot.Filing{Requester: bottest.Sam, Dept: "it", Type: "personal", Text: "vpn token expired on my own phone", Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	f.Do(t, bottest.Ivan, bot.ActResolve, secret.ID, "Private: your phone's serial is on record")
	public := f.File(t, bottest.Sam, "it", "vpn token expired on the laptop")
	f.Do(t, bottest.Ivan, bot.ActResolve, public.ID, "Renew it at vpn.example.com/renew")
	for _, tc := range []struct {
		name, user string
		see        bool
	}{{"Admin", bottest.Ada, false}, {"Requester", bottest.Sam, true}, {"Staff", bottest.Ivan, true}} {
		t.Run(tc.name, func(t *testing.T) {
			as, err := f.Desk.SimilarAnswers(f.Ctx, tc.user, "it", "vpn token expired")
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			sawSecret := false
			for _, a := range as {
				ids = append(ids, a.Request.ID)
				sawSecret = sawSecret || a.Request.ID == secret.ID || strings.Contains(a.Note, "serial")
			}
			if sawSecret != tc.see {
				t.Errorf("private answer shown = %v, want %v (shown %v)", sawSecret, tc.see, ids)
			}
			if tc.user == bottest.Ada && (len(ids) != 1 || ids[0] != public.ID) {
				t.Errorf("admin shown %v, want only %s", ids, public.ID)
			}
		})
	}
}

// TestDeflect_SavedAnswersRankFirst: of two earlier answers, the one IT
// saved as an answer is shown first though the other matches better; only
// IT's staff may save one, and only a resolution note.
func TestDeflect_SavedAnswersRankFirst(t *testing.T) {
	f, better := deflectFixture(t)
	weaker := f.File(t, bottest.Sam, "it", "vpn keeps dropping at home")
	open := f.File(t, bottest.Sam, "it", "vpn token lost")
	f.Do(t, bottest.Ivan, bot.ActResolve, weaker.ID, "Use the vpn profile Home and renew the token")
	ids := func() []string {
		t.Helper()
		as, err := f.Desk.SimilarAnswers(f.Ctx, bottest.Sam, "it", "vpn token expired")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range as {
			out = append(out, a.Request.ID)
		}
		return out
	}
	if got := ids(); len(got) != 2 || got[0] != better.ID {
		t.Fatalf("before saving: %v, want %s first", got, better.ID)
	}
	if _, err := f.Desk.SaveAnswer(f.Ctx, bottest.Sam, weaker.ID); bot.ErrorCode(err) != bot.EFORBIDDEN {
		t.Errorf("the requester saved an answer: %v", err)
	}
	if _, err := f.Desk.SaveAnswer(f.Ctx, bottest.Ivan, open.ID); bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("saved an open request's answer: %v", err)
	}
	if _, err := f.Desk.SaveAnswer(f.Ctx, bottest.Ivan, weaker.ID); err != nil {
		t.Fatal(err)
	}
	if got := ids(); len(got) != 2 || got[0] != weaker.ID {
		t.Errorf("after saving %s: %v, want it first", weaker.ID, got)
	}
	bs := routeButtons(t, f.Desk.Command(f.Ctx, bottest.Sam, "vpn token expired"))
	r, err := f.Desk.FileRouted(f.Ctx, bottest.Sam, bs[0].RequestID, "it")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "saved answer") || strings.Index(r.Text, weaker.ID) > strings.Index(r.Text, better.ID) {
		t.Errorf("deflection does not show the saved answer first:\n%s", r.Text)
	}
}

// TestDeflect_AnsweredNeedsAResolvedRequestItsAskerMaySee: "This answered
// it" naming an open request, or one the requester may not see, records
// nothing and leaves the question pending.
func TestDeflect_AnsweredNeedsAResolvedRequestItsAskerMaySee(t *testing.T) {
	f, old := deflectFixture(t)
	open := f.File(t, bottest.Sam, "it", "vpn token lost")
	tinas := f.File(t, bottest.Tina, "it", "vpn token expired for Tina")
	f.Do(t, bottest.Ivan, bot.ActResolve, tinas.ID, "Renewed it for you")
	bs := routeButtons(t, f.Desk.Command(f.Ctx, bottest.Sam, "vpn token expired again"))
	ref := bs[0].RequestID
	if _, err := f.Desk.Answered(f.Ctx, bottest.Sam, ref, open.ID+":it"); bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("answered by an open request: %v", err)
	}
	if _, err := f.Desk.Answered(f.Ctx, bottest.Sam, ref, tinas.ID+":it"); bot.ErrorCode(err) != bot.EFORBIDDEN {
		t.Errorf("answered by Tina's request: %v", err)
	}
	if _, err := f.Desk.Answered(f.Ctx, bottest.Sam, ref, old.ID+":it"); err != nil {
		t.Errorf("the pending question was lost: %v", err)
	}
}
