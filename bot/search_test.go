package bot_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
	"github.com/askdesk/askdesk/store"
)

// searchIDs runs Desk.Search for viewer and returns the IDs found.
func searchIDs(t *testing.T, f *fixture, viewer, args string) []string {
	t.Helper()
	q, page, err := f.Desk.ParseSearch(viewer, args)
	if err != nil {
		t.Fatalf("parse %q: %v", args, err)
	}
	res, err := f.Desk.Search(f.Ctx, viewer, q, page)
	if err != nil {
		t.Fatalf("search %q: %v", args, err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.Request.ID)
	}
	return ids
}

// TestSearchNeverFindsPrivateTextForOutsiders: a private type's text,
// title and fields are found by its requester and Finance's staff, and by
// nobody else: not an admin outside Finance, not another department's
// member, not another requester, whatever word of it they try.
func TestSearchNeverFindsPrivateTextForOutsiders(t *testing.T) {
	f := newFixture(t)
	withTypes(t, f)
	rep := f.Desk.Command(f.Ctx, sam, "finance payroll why was my pay short "+secret+" employee=emp"+secret+"x")
	if rep.Request == nil || !rep.Request.Private {
		t.Fatalf("not filed private: %s", rep.Text)
	}
	f.Do(t, frank, bot.ActReply, rep.Request.ID, "looking into the "+secret+" deduction")
	for _, q := range []string{secret, "pay short", "emp" + secret, "deduction", "payroll", "private"} {
		for _, who := range []string{sam, frank, fiona} {
			if got := searchIDs(t, f, who, q); !reflect.DeepEqual(got, []string{"FIN-1"}) && q != "payroll" && q != "private" {
				t.Errorf("%s searching %q found %v, want FIN-1", who, q, got)
			}
		}
		for _, who := range []string{ada, ivan, tina} {
			if got := searchIDs(t, f, who, q); len(got) != 0 {
				t.Errorf("%s (outside Finance) searching %q found %v", who, q, got)
			}
			if text := f.Desk.Command(f.Ctx, who, "search "+q).Text; strings.Contains(strings.ToLower(text), "fin-1") {
				t.Errorf("%s's /ask search %s shows FIN-1: %s", who, q, text)
			}
		}
	}
}

// TestSearchShowsOnlyWhatStatusWould: another department's request is not
// found by a requester who cannot open it with /ask status; its
// department's staff and admins find it.
func TestSearchShowsOnlyWhatStatusWould(t *testing.T) {
	f := newFixture(t)
	f.File(t, tina, "it", "wifi drops in the boardroom") // IT-1
	f.File(t, sam, "it", "wifi password for guests")     // IT-2
	for _, c := range []struct {
		who  string
		want []string
	}{
		{sam, []string{"IT-2"}},
		{tina, []string{"IT-1"}},
		{frank, nil},
		{ivan, []string{"IT-2", "IT-1"}},
		{ada, []string{"IT-2", "IT-1"}},
	} {
		got := searchIDs(t, f, c.who, "wifi")
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s found %v, want %v", c.who, got, c.want)
		}
		for _, id := range got {
			if _, _, err := f.Desk.Get(f.Ctx, c.who, id); err != nil {
				t.Errorf("%s found %s but /ask status refuses: %v", c.who, id, err)
			}
		}
	}
	// After a transfer, the request is Finance's: IT no longer sees it.
	f.Do(t, ivan, bot.ActTransfer, "IT-1", "finance")
	if got := searchIDs(t, f, ivan, "boardroom"); len(got) != 0 {
		t.Errorf("IT still finds a request transferred away: %v", got)
	}
	if got := searchIDs(t, f, frank, "boardroom"); !reflect.DeepEqual(got, []string{"IT-1"}) {
		t.Errorf("Finance does not find the request transferred to it: %v", got)
	}
}

// TestSearchCommand: /ask search is a command, not a department; its reply
// lists each request's ID, department, state, escaped title and a snippet
// where the words are, and says how to get the next page.
func TestSearchCommand(t *testing.T) {
	f := newFixture(t)
	r := f.File(t, sam, "it", "Printer <!channel> on floor 3\nIt prints blank pages")
	f.Do(t, ivan, bot.ActResolve, r.ID, "Swapped the toner cartridge; it was empty")
	text := slackapp.Mrkdwn(f.Desk.Command(f.Ctx, sam, "/ask search toner").Text)
	for _, want := range []string{"IT-1", "IT", "resolved", "Printer &lt;!channel&gt; on floor 3", "Swapped the toner cartridge", "That is all"} {
		if !strings.Contains(text, want) {
			t.Errorf("reply lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "<!channel>") {
		t.Errorf("title not escaped:\n%s", text)
	}
	if text := f.Desk.Command(f.Ctx, sam, "search fax machine").Text; !strings.Contains(text, "No request you can see matches “fax machine”") {
		t.Errorf("no match: %s", text)
	}
	if text := f.Desk.Command(f.Ctx, sam, "search").Text; !strings.Contains(text, "What should I look for?") {
		t.Errorf("empty search: %s", text)
	}
	if text := f.Desk.Command(f.Ctx, sam, "help").Text; !strings.Contains(text, "/ask search <words>") {
		t.Errorf("help lacks search:\n%s", text)
	}
}

// TestSearchPages: ten results a page, best match first; the reply names
// the command for the next page, and the last page says that is all.
func TestSearchPages(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 12; i++ {
		f.File(t, sam, "it", "laptop battery swells")
		f.Clock.Advance(time.Minute)
	}
	first := f.Desk.Command(f.Ctx, sam, "search laptop dept:it").Text
	if !strings.Contains(first, "(1–10, best match first)") || !strings.Contains(first, "More: `/ask search laptop dept:it page:2`") ||
		!strings.Contains(first, "IT-12") || strings.Contains(first, "IT-2 ") {
		t.Errorf("first page:\n%s", first)
	}
	more := f.Desk.Command(f.Ctx, sam, "search laptop dept:it").Buttons
	if len(more) != 1 || more[0].Action != bot.ActSearch || more[0].Arg != "laptop dept:it page:2" {
		t.Errorf("first page's buttons: %+v, want More for page 2", more)
	}
	if last := f.Desk.Command(f.Ctx, sam, "search laptop dept:it page:2").Buttons; len(last) != 0 {
		t.Errorf("last page's buttons: %+v", last)
	}
	second := f.Desk.Command(f.Ctx, sam, "search laptop dept:it page:2").Text
	if !strings.Contains(second, "(11–12, best match first)") || !strings.Contains(second, "*IT-1*") || !strings.Contains(second, "That is all") {
		t.Errorf("second page:\n%s", second)
	}
	if got := f.Desk.Command(f.Ctx, sam, "search laptop page:3").Text; !strings.Contains(got, "No more requests match") {
		t.Errorf("past the end: %s", got)
	}
}

// TestParseSearch: the filters, in the viewer's time zone, and what each
// mistake says.
func TestParseSearch(t *testing.T) {
	f := newFixture(t)
	shanghai := time.FixedZone("CST", 8*3600) // sam's zone
	active := []bot.State{bot.Open, bot.Acknowledged, bot.Waiting, bot.Reopened}
	for _, c := range []struct {
		args string
		want bot.SearchQuery
		page int
	}{
		{"Laptop, broken!", bot.SearchQuery{Words: []string{"laptop", "broken"}}, 1},
		{"budget dept:fin", bot.SearchQuery{Words: []string{"budget"}, Dept: "finance"}, 1},
		{"budget dept:财务 page:3", bot.SearchQuery{Words: []string{"budget"}, Dept: "finance"}, 3},
		{"x status:open", bot.SearchQuery{Words: []string{"x"}, States: active}, 1},
		{"x status:resolved|closed", bot.SearchQuery{Words: []string{"x"}, States: []bot.State{bot.Resolved, bot.Closed}}, 1},
		{"from:@tina", bot.SearchQuery{Requester: tina}, 1},
		{"from:<@U0TINA|tina>", bot.SearchQuery{Requester: tina}, 1},
		{"after:2026-11-01 before:2026-12-01", bot.SearchQuery{
			After:  time.Date(2026, 11, 1, 0, 0, 0, 0, shanghai),
			Before: time.Date(2026, 12, 1, 0, 0, 0, 0, shanghai)}, 1},
		{"re:invoice 10:30", bot.SearchQuery{Words: []string{"re", "invoice", "10", "30"}}, 1},
	} {
		q, page, err := f.Desk.ParseSearch(sam, c.args)
		if err != nil {
			t.Errorf("%q: %v", c.args, err)
			continue
		}
		if !q.After.Equal(c.want.After) || !q.Before.Equal(c.want.Before) {
			t.Errorf("%q: after %v before %v, want %v %v", c.args, q.After, q.Before, c.want.After, c.want.Before)
		}
		q.After, q.Before, c.want.After, c.want.Before = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if !reflect.DeepEqual(q, c.want) || page != c.page {
			t.Errorf("%q = %+v page %d, want %+v page %d", c.args, q, page, c.want, c.page)
		}
	}
	for _, c := range []struct{ args, says string }{
		{"x dept:nowhere", "no department"},
		{"x status:lost", "is not a state"},
		{"x from:@nobody", "I don't know who “@nobody” is"},
		{"x before:yesterday", "before:yesterday is not a date"},
		{"x page:0", "not a page number"},
		{"", "What should I look for?"},
		{"a b c d e f g h i j k l m", "at most 12"},
	} {
		_, _, err := f.Desk.ParseSearch(sam, c.args)
		if err == nil || bot.ErrorCode(err) != bot.EINVALID && bot.ErrorCode(err) != bot.ENOTFOUND || !strings.Contains(strings.ToLower(bot.ErrorMessage(err)), strings.ToLower(c.says)) {
			t.Errorf("%q: %v, want an error saying %q", c.args, err, c.says)
		}
	}
}

// TestSnippet: the stretch around the first word found, on one line.
func TestSnippet(t *testing.T) {
	r := &bot.Request{Title: "Q3 budget", Text: "Q3 budget\nWe need the numbers for the Q3 budget review next week, by department and by month, with forecasts.",
		Fields: []bot.FieldValue{{Name: "cost centre", Value: "CC-4410 Marketing"}}}
	for _, c := range []struct{ words, notes, want string }{
		{"forecasts", "", "…and by month, with forecasts."},
		{"cc", "", "CC-4410 Marketing"},
		{"sent", "I sent them Friday\nthanks", "I sent them Friday"},
		{"budget", "", "Q3 budget We need the numbers for the Q3 budget review next week, by department and by month, with f…"},
	} {
		got := bot.Snippet(r, c.notes, bot.SearchWords(c.words))
		if !strings.HasSuffix(got, strings.TrimPrefix(c.want, "…")) && got != c.want {
			t.Errorf("snippet for %q = %q, want %q", c.words, got, c.want)
		}
	}
}

// leakyIndex is a store whose index ignores the viewer's scope: what the
// desk shows must still be only what the viewer may see.
type leakyIndex struct{ *store.DB }

func (s leakyIndex) SearchRequests(ctx context.Context, q bot.SearchQuery, scope bot.SearchScope, offset, limit int) ([]bot.SearchHit, error) {
	return s.DB.SearchRequests(ctx, q, bot.SearchScope{User: scope.User, Depts: []string{"finance", "it"}}, offset, limit)
}

// TestSearchRechecksWhatTheIndexFound: the desk checks every result with
// Authorize and MaySeePrivate, so an index that returned too much (a bug,
// a stale row) still shows nobody a request they could not open, nor a
// private one's text.
func TestSearchRechecksWhatTheIndexFound(t *testing.T) {
	f := newFixture(t)
	withTypes(t, f)
	f.File(t, tina, "it", "projector bulb gone")
	if rep := f.Desk.Command(f.Ctx, tina, "finance payroll projector allowance "+secret+" employee=tina"); rep.Request == nil || !rep.Request.Private {
		t.Fatalf("not filed private: %s", rep.Text)
	}
	if all, err := (leakyIndex{f.DB}).SearchRequests(f.Ctx, bot.SearchQuery{Words: []string{"projector"}}, bot.SearchScope{User: sam}, 0, 10); err != nil || len(all) != 2 {
		t.Fatalf("the leaky index finds %d, %v; want both", len(all), err)
	}
	desk := bot.New(f.Desk.Dir(), leakyIndex{f.DB}, f.Chat, f.Clock, nil)
	for _, who := range []string{sam, ada} {
		q, page, err := desk.ParseSearch(who, "projector")
		if err != nil {
			t.Fatal(err)
		}
		res, err := desk.Search(f.Ctx, who, q, page)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if who == sam || h.Request.Private {
				t.Errorf("%s was shown %s (%s)", who, h.Request.ID, h.Request.Title)
			}
		}
		if text := desk.Command(f.Ctx, who, "search projector").Text; strings.Contains(text, secret) || strings.Contains(text, "allowance") {
			t.Errorf("%s's search shows private text: %s", who, text)
		}
	}
}

// TestSearchWordsCutsHanRunsFromOtherLetters: a run of Han is a word of
// its own, so "VPN报销" looks for "vpn" and for "报销" anywhere in a run.
func TestSearchWordsCutsHanRunsFromOtherLetters(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"VPN报销", []string{"vpn", "报销"}},
		{"VPN 报销", []string{"vpn", "报销"}},
		{"第三季度，预算", []string{"第三季度", "预算"}},
		{"Q3 budget-review", []string{"q3", "budget", "review"}},
	} {
		if got := bot.SearchWords(c.in); !slices.Equal(got, c.want) {
			t.Errorf("SearchWords(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestSnippetFindsHanInsideARun: Han has no word boundaries, so the
// snippet starts where the run searched for sits inside a longer one.
func TestSnippetFindsHanInsideARun(t *testing.T) {
	r := &bot.Request{Title: "预算", Text: "预算\n" + strings.Repeat("很长的说明文字，", 10) + "需要第三季度预算的明细。"}
	got := bot.Snippet(r, "", bot.SearchWords("季度预算"))
	if !strings.Contains(got, "需要第三季度预算的明细") || strings.HasPrefix(got, "预算") {
		t.Errorf("snippet = %q, want the stretch around 需要第三季度预算", got)
	}
	got = bot.Snippet(r, "已经发给你了\n税务问题", bot.SearchWords("税"))
	if got != "税务问题" {
		t.Errorf("snippet = %q, want the note with 税", got)
	}
}
