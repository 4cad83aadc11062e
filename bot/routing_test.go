package bot_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
)

// routingFixture is the test company with words that route to its two
// departments.
func routingFixture(t *testing.T) *bottest.Fixture {
	t.Helper()
	f := bottest.NewFixture(t, nil)
	f.Desk.Dir().ByName("finance").Description = "Supplier invoices and payments, expense claims and budgets."
	f.Desk.Dir().ByName("it").Description = "Laptops and phones, accounts and access, printers."
	f.Desk.Dir().ByName("it").Keywords = []string{"screen", "password", "vpn"}
	return f
}

// routeButtons returns the routing buttons of a reply: the departments
// offered, then "Someone else…" (Arg "").
func routeButtons(t *testing.T, r bot.Reply) []bot.Button {
	t.Helper()
	var out []bot.Button
	for _, b := range r.Buttons {
		if b.Action == bot.ActRoute {
			out = append(out, b)
		}
	}
	if len(out) == 0 || out[len(out)-1].Arg != "" {
		t.Fatalf("no routing buttons ending in Someone else… in %+v\n%s", r.Buttons, r.Text)
	}
	return out
}

func requestsOf(t *testing.T, f *bottest.Fixture, user string) []*bot.Request {
	t.Helper()
	rs, err := f.Desk.Store.Requests(f.Ctx, bot.Filter{Requester: user})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// TestRoute_FreeTextIsOfferedDepartmentsAndNothingFiled: "/ask my laptop
// screen is broken" names no department; askdesk offers IT first and a
// menu of all, and files nothing until the requester chooses.
func TestRoute_FreeTextIsOfferedDepartmentsAndNothingFiled(t *testing.T) {
	f := routingFixture(t)
	r := f.Desk.Command(f.Ctx, bottest.Sam, "/ask my laptop screen is broken")
	if strings.Contains(r.Text, "no department called") {
		t.Fatalf("free text answered as a typo: %s", r.Text)
	}
	bs := routeButtons(t, r)
	if bs[0].Label != "File with IT" || bs[0].Arg != "it" {
		t.Errorf("first offer = %+v, want File with IT", bs[0])
	}
	if last := bs[len(bs)-1]; last.Label != "Someone else…" {
		t.Errorf("last offer = %+v, want Someone else…", last)
	}
	for _, want := range []string{"my laptop screen is broken", "Nothing is filed until you choose"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("reply lacks %q:\n%s", want, r.Text)
		}
	}
	if rs := requestsOf(t, f, bottest.Sam); len(rs) != 0 {
		t.Errorf("filed before the requester chose: %v", rs[0].ID)
	}
	if sent := f.Sent(t); len(sent) != 0 {
		t.Errorf("sent %d messages before the requester chose", len(sent))
	}
}

// TestRoute_ConfirmFilesOnceWithTheChosenDepartment: pressing "File with
// IT" files the original text with IT, once; nobody else may press it.
func TestRoute_ConfirmFilesOnceWithTheChosenDepartment(t *testing.T) {
	f := routingFixture(t)
	bs := routeButtons(t, f.Desk.Command(f.Ctx, bottest.Sam, "!urgent my laptop screen is broken"))
	if _, err := f.Desk.FileRouted(f.Ctx, bottest.Tina, bs[0].RequestID, bs[0].Arg); bot.ErrorCode(err) != bot.EFORBIDDEN {
		t.Errorf("another person pressed it: %v", err)
	}
	r, err := f.Desk.FileRouted(f.Ctx, bottest.Sam, bs[0].RequestID, bs[0].Arg)
	if err != nil {
		t.Fatal(err)
	}
	if r.Request.Dept != "it" || r.Request.Text != "my laptop screen is broken" || r.Request.Priority != bot.Urgent || r.Request.Source != "routed" {
		t.Errorf("filed %+v", r.Request)
	}
	if !strings.Contains(r.Text, "Filed *IT-1* with IT") {
		t.Errorf("reply: %s", r.Text)
	}
	if _, err := f.Desk.FileRouted(f.Ctx, bottest.Sam, bs[0].RequestID, bs[0].Arg); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("second press: %v, want ENOTFOUND", err)
	}
	if rs := requestsOf(t, f, bottest.Sam); len(rs) != 1 {
		t.Errorf("%d requests filed, want 1", len(rs))
	}
}

// TestRoute_SomeoneElseFilesWithTheDepartmentPicked: the menu overrides
// the suggestion.
func TestRoute_SomeoneElseFilesWithTheDepartmentPicked(t *testing.T) {
	f := routingFixture(t)
	bs := routeButtons(t, f.Desk.Command(f.Ctx, bottest.Sam, "my laptop screen is broken"))
	r, err := f.Desk.FileRouted(f.Ctx, bottest.Sam, bs[len(bs)-1].RequestID, "finance")
	if err != nil {
		t.Fatal(err)
	}
	if r.Request.Dept != "finance" {
		t.Errorf("filed with %s, want finance", r.Request.Dept)
	}
}

// TestRoute_MisspeltDepartmentStillGetsDidYouMean: a first word close to a
// department's name is a typo, not free text.
func TestRoute_MisspeltDepartmentStillGetsDidYouMean(t *testing.T) {
	f := routingFixture(t)
	for _, typed := range []string{"finanse need the budget", "fnance need the budget", "finance"[:3] + "x need it"} {
		r := f.Desk.Command(f.Ctx, bottest.Sam, typed)
		if !strings.Contains(r.Text, "Did you mean “finance”") || len(r.Buttons) != 0 {
			t.Errorf("%q: %s", typed, r.Text)
		}
	}
	for _, free := range []string{"I need a new laptop", "it is broken again", "my vpn is down"} {
		r := f.Desk.Command(f.Ctx, bottest.Sam, free)
		if strings.Contains(r.Text, "Did you mean") {
			t.Errorf("%q taken for a typo: %s", free, r.Text)
		}
	}
}

// TestRoute_ChoiceIsLearned: once a requester filed words with a
// department by choosing it, the next text with those words suggests it.
func TestRoute_ChoiceIsLearned(t *testing.T) {
	f := routingFixture(t)
	const text = "the zorbex reconciliation for the Q3 close"
	bs := routeButtons(t, f.Desk.Command(f.Ctx, bottest.Sam, text))
	if bs[0].Arg == "finance" {
		t.Fatalf("finance suggested before it was chosen; pick words it does not know")
	}
	if _, err := f.Desk.FileRouted(f.Ctx, bottest.Sam, bs[len(bs)-1].RequestID, "finance"); err != nil {
		t.Fatal(err)
	}
	bs = routeButtons(t, f.Desk.Command(f.Ctx, bottest.Tina, "zorbex reconciliation again"))
	if bs[0].Arg != "finance" {
		t.Errorf("after the choice, first offer = %+v, want finance", bs[0])
	}
}
