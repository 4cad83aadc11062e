package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
)

func homeIDs(items []bot.HomeItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Request.ID)
	}
	return out
}

func hasAction(it bot.HomeItem, a bot.Action) bool {
	return slices.ContainsFunc(it.Buttons, func(b bot.Button) bool { return b.Action == a })
}

// A member's queue holds the unclaimed and their own, breached first; not
// what a colleague claimed. Claim is offered on the unclaimed only.
func TestHomeQueueUnclaimedAndMineBreachedFirst(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "first, normal") // FIN-1
	if _, err := f.Desk.File(f.Ctx, bot.Filing{Requester: tina, Dept: "finance", Priority: bot.Urgent, Text: "payroll"}); err != nil {
		t.Fatal(err) // FIN-2, urgent: 30 min to a first response
	}
	f.File(t, sam, "finance", "claimed by fiona")  // FIN-3
	f.File(t, tina, "finance", "claimed by frank") // FIN-4
	f.Do(t, fiona, bot.ActClaim, "FIN-3")
	f.Do(t, frank, bot.ActClaim, "FIN-4")
	f.Clock.Advance(time.Hour) // FIN-2's first response is overdue
	h, err := f.Desk.Home(f.Ctx, frank, bot.HomeQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if h.Queue == nil {
		t.Fatal("a member has no queue")
	}
	got := homeIDs(h.Queue.Items)
	if len(got) != 3 || got[0] != "FIN-2" || slices.Contains(got, "FIN-3") || !slices.Contains(got, "FIN-4") {
		t.Fatalf("queue = %v, want FIN-2 (breached) first, FIN-1 and FIN-4, not fiona's FIN-3", got)
	}
	if !h.Queue.Items[0].Breached || !strings.Contains(h.Queue.Items[0].Clock, "first response overdue by") {
		t.Errorf("FIN-2: breached %v, clock %q", h.Queue.Items[0].Breached, h.Queue.Items[0].Clock)
	}
	for _, it := range h.Queue.Items {
		if want := it.Request.ID != "FIN-4"; hasAction(it, bot.ActClaim) != want || !hasAction(it, bot.ActResolve) {
			t.Errorf("%s offers %v", it.Request.ID, it.Buttons)
		}
	}
	mine, err := f.Desk.Home(f.Ctx, frank, bot.HomeQuery{Mine: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := homeIDs(mine.Queue.Items); len(got) != 1 || got[0] != "FIN-4" {
		t.Errorf("assigned to me = %v, want [FIN-4]", got)
	}
	urgent, _ := f.Desk.Home(f.Ctx, frank, bot.HomeQuery{Priority: bot.Urgent})
	if got := homeIDs(urgent.Queue.Items); len(got) != 1 || got[0] != "FIN-2" {
		t.Errorf("urgent = %v, want [FIN-2]", got)
	}
	if h.Leads != nil {
		t.Errorf("frank leads nothing, yet sees %d lead panels", len(h.Leads))
	}
}

// A requester's Home: open ones with the clock in words and the acts they
// may take; resolved ones below, with Close, Reopen and the rating
// buttons until rated.
func TestHomeMyRequestsActionsAndRateIfUnrated(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "need the Q3 numbers") // FIN-1
	f.File(t, sam, "finance", "a reimbursement")     // FIN-2
	f.Do(t, frank, bot.ActResolve, "FIN-2", "paid")
	h, err := f.Desk.Home(f.Ctx, sam, bot.HomeQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if h.Queue != nil {
		t.Error("a requester who works in no department has a queue")
	}
	if len(h.Open) != 1 || h.Open[0].Request.ID != "FIN-1" {
		t.Fatalf("open = %v", homeIDs(h.Open))
	}
	o := h.Open[0]
	if o.Clock != "first response due in 4h" || o.Dept != "Finance" || !hasAction(o, bot.ActCancel) || !hasAction(o, bot.ActReply) || hasAction(o, bot.ActClaim) {
		t.Errorf("FIN-1 on sam's Home: clock %q, dept %q, buttons %v", o.Clock, o.Dept, o.Buttons)
	}
	if len(h.Closed) != 1 {
		t.Fatalf("closed = %v", homeIDs(h.Closed))
	}
	c := h.Closed[0]
	if !hasAction(c, bot.ActClose) || !hasAction(c, bot.ActReopen) || !hasAction(c, bot.ActRate) {
		t.Errorf("resolved FIN-2 offers %v, want close, reopen and rate", c.Buttons)
	}
	if _, err := f.Desk.Rate(f.Ctx, sam, "FIN-2", "5"); err != nil {
		t.Fatal(err)
	}
	h, _ = f.Desk.Home(f.Ctx, sam, bot.HomeQuery{})
	if hasAction(h.Closed[0], bot.ActRate) {
		t.Error("a rated request still offers rating")
	}
	if text := bot.HomeText(h); !strings.Contains(text, "*My requests*") || !strings.Contains(text, "FIN-1") || !strings.Contains(text, "[reply, cancel]") {
		t.Errorf("HomeText:\n%s", text)
	}
}

// A lead's panel: the standards, the oldest breaches and who is away;
// figures through the Standing hook.
func TestHomeLeadPanel(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "late one")
	f.Clock.Advance(5 * time.Hour)
	f.Desk.Standing = func(_ context.Context, _ *bot.Directory, dept string) (*bot.Standing, error) {
		return &bot.Standing{Week: bot.StandingFigures{Label: "this week", FirstResponses: 4, FirstResponsesMet: 3},
			Quarter: bot.StandingFigures{Label: "this quarter", Resolved: 10, ResolutionsMet: 9, RightFirstTime: 8}}, nil
	}
	f.Desk.Command(f.Ctx, frank, "away")
	h, err := f.Desk.Home(f.Ctx, fiona, bot.HomeQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Leads) != 1 {
		t.Fatalf("fiona leads finance: %d panels", len(h.Leads))
	}
	p := h.Leads[0]
	if len(p.Breaches) != 1 || p.Breaches[0].Request.ID != "FIN-1" {
		t.Errorf("breaches = %v", homeIDs(p.Breaches))
	}
	if len(p.Away) != 1 || p.Away[0].User != frank {
		t.Errorf("away = %v", p.Away)
	}
	text := bot.HomeText(h)
	for _, want := range []string{"first response within", "This week: first response met 75% (3 of 4)", "This quarter: first response met – (none yet) · resolution met 90% (9 of 10)", "Away: "} {
		if !strings.Contains(text, want) {
			t.Errorf("lead's Home lacks %q:\n%s", want, text)
		}
	}
}
