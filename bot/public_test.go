package bot_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// Public requests (bot/public.go): saved answers and public departments'
// requests, found and read by anyone, acted on by no one new; never a
// private one.

// refused reports whether user is refused act on id.
func refused(t *testing.T, f *fixture, user string, act bot.Action, id string) bool {
	t.Helper()
	_, err := f.Desk.Do(f.Ctx, bot.Act{Actor: user, Action: act, ID: id, Text: "me too"})
	return bot.ErrorCode(err) == bot.EFORBIDDEN
}

// TestPublic_SavedAnswerIsReadByAnyoneReadOnly: once IT saves Sam's
// answer, Tina (no relation to it) finds it with /ask search, sees it
// first in deflection and opens it with /ask status, but may not act on
// it; once unsaved, it is Sam's and IT's again.
func TestPublic_SavedAnswerIsReadByAnyoneReadOnly(t *testing.T) {
	f := newFixture(t)
	r := f.File(t, sam, "it", "wifi password for the guest network")
	f.Do(t, ivan, bot.ActResolve, r.ID, "It changes monthly: ask reception for the card")
	if got := searchIDs(t, f, tina, "wifi guest"); got != nil {
		t.Fatalf("before saving Tina finds %v", got)
	}
	if text := f.Desk.Command(f.Ctx, tina, "status "+r.ID).Text; !strings.Contains(text, "not yours to see") {
		t.Fatalf("before saving Tina's /ask status: %s", text)
	}
	rep, err := f.Desk.SaveAnswer(f.Ctx, ivan, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Buttons) != 1 || rep.Buttons[0].Action != bot.ActUnsaveAnswer || rep.Buttons[0].RequestID != r.ID {
		t.Errorf("the save's reply offers %+v, want Remove from saved answers", rep.Buttons)
	}

	if got := searchIDs(t, f, tina, "wifi guest"); !reflect.DeepEqual(got, []string{r.ID}) {
		t.Errorf("Tina finds %v, want %s", got, r.ID)
	}
	if text := f.Desk.Command(f.Ctx, tina, "search reception").Text; !strings.Contains(text, r.ID) {
		t.Errorf("Tina's /ask search by the note's words: %s", text)
	}
	status := f.Desk.Command(f.Ctx, tina, "status "+r.ID).Text
	if !strings.Contains(status, "ask reception for the card") || !strings.Contains(status, "wifi password") {
		t.Errorf("Tina's /ask status lacks the request or its answer:\n%s", status)
	}
	for _, act := range []bot.Action{bot.ActReply, bot.ActReopen, bot.ActClose, bot.ActRate, bot.ActClaim} {
		if !refused(t, f, tina, act, r.ID) {
			t.Errorf("Tina may %s", act.Phrase(r.ID))
		}
	}
	if _, err := f.Desk.UnsaveAnswer(f.Ctx, tina, r.ID); bot.ErrorCode(err) != bot.EFORBIDDEN {
		t.Errorf("Tina unsaved it: %v", err)
	}
	as, err := f.Desk.SimilarAnswers(f.Ctx, tina, "it", "guest wifi password please")
	if err != nil || len(as) != 1 || as[0].Request.ID != r.ID || !as[0].Saved || !strings.Contains(as[0].Note, "reception") {
		t.Errorf("Tina's similar answers %+v, %v; want %s, saved, with its note", as, err, r.ID)
	}
	again, err := f.Desk.SaveAnswer(f.Ctx, ivan, r.ID)
	if err != nil || !strings.Contains(again.Text, "already") || len(again.Buttons) != 1 {
		t.Errorf("saving again: %+v, %v", again, err)
	}

	if _, err := f.Desk.UnsaveAnswer(f.Ctx, ivan, r.ID); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, f, tina, "wifi guest"); got != nil {
		t.Errorf("after unsaving Tina finds %v", got)
	}
	if text := f.Desk.Command(f.Ctx, tina, "status "+r.ID).Text; !strings.Contains(text, "not yours to see") {
		t.Errorf("after unsaving Tina's /ask status: %s", text)
	}
	if as, err := f.Desk.SimilarAnswers(f.Ctx, tina, "it", "guest wifi password please"); err != nil || len(as) != 0 {
		t.Errorf("after unsaving Tina's similar answers %+v, %v", as, err)
	}
	if got := searchIDs(t, f, sam, "wifi guest"); !reflect.DeepEqual(got, []string{r.ID}) {
		t.Errorf("Sam lost his own request: %v", got)
	}
}

// TestPublic_PrivateRequestIsNeverSavedNorPublic: a private type's request
// offers no Save as answer and refuses to be saved; one saved all the same
// (before the rule) and of a department whose requests are public stays
// its requester's and the department's.
func TestPublic_PrivateRequestIsNeverSavedNorPublic(t *testing.T) {
	f := newFixture(t)
	withTypes(t, f)
	rep := f.Desk.Command(f.Ctx, sam, "finance payroll projector allowance "+secret+" employee=sam")
	if rep.Request == nil || !rep.Request.Private {
		t.Fatalf("not filed private: %s", rep.Text)
	}
	id := rep.Request.ID
	r := f.Do(t, frank, bot.ActResolve, id, "paid with the "+secret+" run")
	if slices.ContainsFunc(bot.CardButtons(r), func(b bot.Button) bool { return b.Action == bot.ActSaveAnswer }) {
		t.Errorf("a private card offers Save as answer: %+v", bot.CardButtons(r))
	}
	if _, err := f.Desk.SaveAnswer(f.Ctx, frank, id); bot.ErrorCode(err) != bot.EINVALID || !strings.Contains(bot.ErrorMessage(err), "private") {
		t.Errorf("saving a private answer: %v", err)
	}
	dir := f.Desk.Dir()
	dir.ByName("finance").PublicRequests = true
	f.Desk.SetDir(dir)
	if err := f.DB.SaveAnswer(f.Ctx, id, frank, f.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{secret, "projector", "allowance"} {
		if got := searchIDs(t, f, tina, q); got != nil {
			t.Errorf("Tina searching %q finds %v", q, got)
		}
	}
	if text := f.Desk.Command(f.Ctx, tina, "status "+id).Text; strings.Contains(text, secret) || !strings.Contains(text, "not yours to see") {
		t.Errorf("Tina's /ask status of the private request: %s", text)
	}
	if as, err := f.Desk.SimilarAnswers(f.Ctx, tina, "finance", "projector allowance"); err != nil || len(as) != 0 {
		t.Errorf("Tina's similar answers %+v, %v", as, err)
	}
	if got := searchIDs(t, f, sam, "projector"); !reflect.DeepEqual(got, []string{id}) {
		t.Errorf("Sam finds %v, want his own %s", got, id)
	}
}

// TestPublic_DepartmentThatPublishesItsRequests: with public_requests,
// anyone finds and reads Finance's requests that are not private, and may
// not act on them; switched off, they are private to Finance again.
func TestPublic_DepartmentThatPublishesItsRequests(t *testing.T) {
	f := newFixture(t)
	withTypes(t, f)
	open := f.Desk.Command(f.Ctx, sam, "finance budget projector lease figures for Q3").Request
	priv := f.Desk.Command(f.Ctx, sam, "finance payroll projector bonus "+secret+" employee=sam").Request
	if open == nil || priv == nil || open.Private || !priv.Private {
		t.Fatalf("filed %+v and %+v", open, priv)
	}
	set := func(on bool) {
		dir := f.Desk.Dir()
		dir.ByName("finance").PublicRequests = on
		f.Desk.SetDir(dir)
	}
	set(true)
	if got := searchIDs(t, f, tina, "projector"); !reflect.DeepEqual(got, []string{open.ID}) {
		t.Errorf("Tina finds %v, want only %s", got, open.ID)
	}
	if text := f.Desk.Command(f.Ctx, tina, "status "+open.ID).Text; !strings.Contains(text, "projector lease") {
		t.Errorf("Tina's /ask status: %s", text)
	}
	if text := f.Desk.Command(f.Ctx, tina, "status "+priv.ID).Text; strings.Contains(text, secret) || !strings.Contains(text, "not yours to see") {
		t.Errorf("Tina's /ask status of the private one: %s", text)
	}
	for _, act := range []bot.Action{bot.ActReply, bot.ActClaim, bot.ActCancel, bot.ActResolve} {
		if !refused(t, f, tina, act, open.ID) {
			t.Errorf("Tina may %s", act.Phrase(open.ID))
		}
	}
	if got := searchIDs(t, f, ivan, "projector"); !reflect.DeepEqual(got, []string{open.ID}) {
		t.Errorf("Ivan (IT) finds %v, want only %s", got, open.ID)
	}
	set(false)
	if got := searchIDs(t, f, tina, "projector"); got != nil {
		t.Errorf("switched off, Tina finds %v", got)
	}
	if text := f.Desk.Command(f.Ctx, tina, "status "+open.ID).Text; !strings.Contains(text, "not yours to see") {
		t.Errorf("switched off, Tina's /ask status: %s", text)
	}
}

// TestPublic_SecondFenceLetsThePublicThrough: an index that returned too
// much shows an outsider only what is public: the saved answer and the
// public department's request, not another request of IT's nor a private
// one.
func TestPublic_SecondFenceLetsThePublicThrough(t *testing.T) {
	f := newFixture(t)
	withTypes(t, f)
	saved := f.File(t, sam, "it", "projector cable missing")
	f.Do(t, ivan, bot.ActResolve, saved.ID, "Spare cables are in room 4")
	if _, err := f.Desk.SaveAnswer(f.Ctx, ivan, saved.ID); err != nil {
		t.Fatal(err)
	}
	other := f.File(t, sam, "it", "projector remote broken")
	fin := f.Desk.Command(f.Ctx, sam, "finance budget projector purchase").Request
	priv := f.Desk.Command(f.Ctx, sam, "finance payroll projector bonus "+secret+" employee=sam").Request
	dir := f.Desk.Dir()
	dir.ByName("finance").PublicRequests = true
	f.Desk.SetDir(dir)
	desk := bot.New(dir, leakyIndex{f.DB}, f.Chat, f.Clock, nil)
	q, page, err := desk.ParseSearch(tina, "projector")
	if err != nil {
		t.Fatal(err)
	}
	res, err := desk.Search(f.Ctx, tina, q, page)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range res.Hits {
		got = append(got, h.Request.ID)
	}
	slices.Sort(got)
	want := []string{fin.ID, saved.ID}
	slices.Sort(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tina shown %v, want %v (not %s nor %s)", got, want, other.ID, priv.ID)
	}
}
