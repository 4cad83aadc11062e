package bot_test

import (
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// TestAuthorize is the whole policy as a table: who may do what to a
// finance request filed by sam.
func TestAuthorize(t *testing.T) {
	dir := testDir(t)
	r := &bot.Request{ID: "FIN-1", Dept: "finance", Requester: sam}
	allowed := map[bot.Action][]string{
		bot.ActView:     {ada, fiona, frank, sam},
		bot.ActClaim:    {ada, fiona, frank},
		bot.ActReply:    {ada, fiona, frank, sam},
		bot.ActWait:     {ada, fiona, frank},
		bot.ActResume:   {ada, fiona, frank, sam},
		bot.ActResolve:  {ada, fiona, frank},
		bot.ActClose:    {ada, sam},
		bot.ActReopen:   {ada, sam},
		bot.ActCancel:   {ada, sam},
		bot.ActTransfer: {ada, fiona, frank},
		bot.ActReassign: {ada, fiona, frank},
		bot.ActRate:     {sam}, // a rating is the requester's own word, not an admin's
		bot.ActComment:  {sam},
	}
	everyone := []string{ada, fiona, frank, ivan, sam, tina}
	for act, who := range allowed {
		ok := map[string]bool{}
		for _, u := range who {
			ok[u] = true
		}
		for _, u := range everyone {
			t.Run(string(act)+"/"+dir.Name(u), func(t *testing.T) {
				err := dir.Authorize(u, act, r)
				switch {
				case ok[u] && err != nil:
					t.Fatalf("refused: %v", err)
				case !ok[u] && bot.ErrorCode(err) != bot.EFORBIDDEN:
					t.Fatalf("allowed (err %v), want forbidden", err)
				case !ok[u] && bot.ErrorMessage(err) == "":
					t.Fatal("refusal has no message")
				}
			})
		}
	}
}

func TestForbiddenActsStoreNothing(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "a")
	f.Sent(t)
	for _, c := range []struct {
		user string
		act  bot.Action
	}{{ivan, bot.ActClaim}, {tina, bot.ActCancel}, {frank, bot.ActCancel}, {sam, bot.ActResolve}, {ivan, bot.ActTransfer}} {
		_, err := f.Desk.Do(f.Ctx, bot.Act{Actor: c.user, Action: c.act, ID: "FIN-1", Target: "it"})
		if bot.ErrorCode(err) != bot.EFORBIDDEN {
			t.Errorf("%s by %s: %v, want forbidden", c.act, c.user, err)
		}
	}
	if evs, _ := f.DB.Events(f.Ctx, "FIN-1"); len(evs) != 1 {
		t.Errorf("refused acts wrote %d events", len(evs)-1)
	}
	if msgs := f.Sent(t); len(msgs) != 0 {
		t.Errorf("refused acts sent %d messages", len(msgs))
	}
	if _, _, err := f.Desk.Get(f.Ctx, tina, "FIN-1"); bot.ErrorCode(err) != bot.EFORBIDDEN {
		t.Errorf("tina sees sam's request: %v", err)
	}
}

// TestRefusalTellsOutsidersLess: a refusal tells the requester which
// department handles their request, but tells someone who may not see the
// request neither where it is now nor who handles it.
func TestRefusalTellsOutsidersLess(t *testing.T) {
	dir := testDir(t)
	// Filed with Finance, since transferred to IT.
	r := &bot.Request{ID: "FIN-1", Dept: "it", Requester: sam}
	for _, act := range []bot.Action{bot.ActView, bot.ActClaim, bot.ActResolve, bot.ActCancel, bot.ActRate} {
		msg := bot.ErrorMessage(dir.Authorize(tina, act, r))
		if msg == "" || strings.Contains(msg, dir.ByName("it").DisplayName) {
			t.Errorf("outsider told %q for %s", msg, act)
		}
	}
	if msg := bot.ErrorMessage(dir.Authorize(sam, bot.ActClaim, r)); !strings.Contains(msg, dir.ByName("it").DisplayName) {
		t.Errorf("requester told %q, want the department named", msg)
	}
}
