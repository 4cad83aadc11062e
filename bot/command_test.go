package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
)

func TestParseFiling(t *testing.T) {
	tests := []struct {
		in       string
		priority bot.Priority
		text     string
		err      bool
	}{
		{"need the Q3 numbers", "", "need the Q3 numbers", false},
		{"!urgent need the Q3 numbers", bot.Urgent, "need the Q3 numbers", false},
		{"need the Q3 numbers !low", bot.Low, "need the Q3 numbers", false},
		{"!URGENT server down", bot.Urgent, "server down", false},
		{"!high server down", "", "", true},
		{"!!! server down", "", "!!! server down", false},
		{"urgent! server down", "", "urgent! server down", false},
		{"!urgent", bot.Urgent, "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, text, err := bot.ParseFiling(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("err %v, want error %v", err, tt.err)
			}
			if err == nil && (p != tt.priority || text != tt.text) {
				t.Fatalf("got %q %q, want %q %q", p, text, tt.priority, tt.text)
			}
		})
	}
}

func TestCommand(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, user, text string
		want             []string // substrings of the reply
	}{
		{"Help", sam, "/ask help", []string{"/ask status &lt;id&gt;", "/ask queue [dept]", "finance, it"}},
		{"EmptyIsHelp", sam, "/ask", []string{"/ask &lt;dept&gt;"}},
		{"File", sam, "/ask finance need the Q3 budget numbers", []string{"Filed *FIN-1* with Finance", "First response due by Wed 04:00 (Asia/Shanghai), in 4h of business time"}},
		{"FileByAliasWidthAndCase", sam, "/ask ＦＩＮ  !urgent taxi receipts", []string{"Filed *FIN-2*", "urgent priority"}},
		{"FileByUnicodeAlias", sam, "/ask 财务 发票", []string{"Filed *FIN-3*"}},
		{"UnknownDeptSuggests", sam, "/ask finanse numbers", []string{"no department called “finanse”", "Did you mean “finance”", "Departments: finance, it"}},
		{"MultiWordAlias", sam, "/ask Tech  Support printer jam", []string{"Filed *IT-1* with IT", "printer jam"}},
		{"TabAfterDept", sam, "/ask finance\tneed a PO", []string{"Filed *FIN-4*"}},
		{"ZeroWidthText", sam, "/ask finance \u200b", []string{"Please say what you need"}},
		{"TrailingUnknownBangIsText", sam, "/ask it need this !asap", []string{"Filed *IT-2*", "need this !asap"}},
		{"MentionInBadInputIsEscaped", sam, "/ask status <@U0FIONA>", []string{"“&lt;@U0FIONA&gt;” is not a request ID"}},
		{"UnknownDeptByAlias", sam, "/ask helpdsk printer", []string{"Did you mean “it”"}},
		{"EmptyText", sam, "/ask finance", []string{"Please say what you need", "Usage: `/ask finance"}},
		{"EmptyTextAfterFlag", sam, "/ask finance !urgent", []string{"Please say what you need"}},
		{"TooLong", sam, "/ask finance " + strings.Repeat("x", bot.MaxTextLen+1), []string{"the limit is 3000"}},
		{"BadPriority", sam, "/ask finance !high now", []string{"Unknown priority"}},
		{"List", sam, "/ask list", []string{"FIN-4", "FIN-3", "FIN-2", "FIN-1"}},
		{"ListEmpty", tina, "/ask list", []string{"no requests yet"}},
		{"QueueForStaff", frank, "/ask queue", []string{"Finance queue", "4 open", "FIN-2"}},
		{"QueueForOutsider", sam, "/ask queue finance", []string{"Only Finance's members and leads"}},
		{"QueueNeedsDept", sam, "/ask queue", []string{"Say which department"}},
		{"Status", sam, "/ask status fin-1", []string{"*FIN-1*", "Business hours: Mon–Fri 09:00–12:00, 13:00–18:00", "History", "filed by <@U0SAM>"}},
		{"StatusForbidden", tina, "/ask status FIN-1", []string{"not yours to see"}},
		{"StatusMissing", sam, "/ask status FIN-99", []string{"no request FIN-99"}},
		{"StatusMalformed", sam, "/ask status pizza", []string{"not a request ID"}},
		{"StatusLeadingZerosAndWidth", sam, "/ask status ＦＩＮ-001", []string{"*FIN-1*"}},
		{"CancelOthers", tina, "/ask cancel FIN-1", []string{"only the person who filed it"}},
		{"Cancel", sam, "/ask cancel FIN-1 found them", []string{"Cancelled *FIN-1*"}},
		{"CancelTwice", sam, "/ask cancel FIN-1", []string{"FIN-1 is cancelled; it cannot be cancelled now"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply := f.Desk.Command(f.Ctx, tt.user, tt.text)
			reply.Text = slackapp.Mrkdwn(reply.Text) // as Slack gets it
			for _, w := range tt.want {
				if !strings.Contains(reply.Text, w) {
					t.Errorf("reply lacks %q:\n%s", w, reply.Text)
				}
			}
		})
	}
}

func TestDepts(t *testing.T) {
	f := newFixture(t)
	reply := f.Desk.Command(f.Ctx, sam, "/ask depts")
	for _, w := range []string{"*Finance* (`finance`, also fin, 财务)", "queue #finance", "Mon–Fri 09:00–12:00, 13:00–18:00 (America/New_York)",
		"• urgent: first response within 30 minutes of business time; resolution within 4 business hours",
		"• normal: first response within 4 business hours; resolution within 2 working days",
		"• low: first response within 4 business hours; resolution within 2 working days", "*IT*"} {
		if !strings.Contains(reply.Text, w) {
			t.Errorf("directory lacks %q:\n%s", w, reply.Text)
		}
	}
}

func TestStatusExplainsTheClock(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "numbers")  // Tue 10:00 New York
	f.Clock.Advance(30 * time.Minute)     // 10:30
	f.Do(t, frank, bot.ActClaim, "FIN-1") // first response in 30m
	f.Clock.Advance(3 * time.Hour)        // 13:30
	f.Do(t, frank, bot.ActWait, "FIN-1")  // pause
	f.Clock.Advance(20 * time.Hour)       // Wed 09:30
	f.Do(t, sam, bot.ActReply, "FIN-1", "EMEA only")
	f.Clock.Advance(time.Hour) // Wed 10:30
	// sam is in Shanghai (13 hours ahead of New York in November): the
	// stretches are his time, Finance's beside them.
	text := f.Desk.Command(f.Ctx, sam, "/ask status FIN-1").Text
	for _, w := range []string{
		"First response met in 30m of business time, within a target of 4 business hours",
		"Target: 4 business hours for normal priority. Started Tue 23:00 (your time, Asia/Shanghai; Tue 10:00 New York).",
		"Target: 2 working days for normal priority, which from its start came to 16h of business time. Started Tue 23:00 (your time, Asia/Shanghai; Tue 10:00 New York).",
		"✓ Tue 24 Nov 23:00 – Wed 25 Nov 01:00 (Tue 24 Nov 10:00–12:00 New York)  counted 2h",
		"· Wed 25 Nov 01:00–02:00 (Tue 24 Nov 12:00–13:00 New York)  not counted, outside business hours",
		"✓ Wed 25 Nov 02:00–02:30 (Tue 24 Nov 13:00–13:30 New York)  counted 30m",
		"‖ Wed 25 Nov 02:30–22:30 (Tue 24 Nov 13:30 – Wed 25 Nov 09:30 New York)  paused, waiting on requester",
		"✓ Wed 25 Nov 22:30–23:30 (Wed 25 Nov 09:30–10:30 New York)  counted 1h",
		"Business time counted: 3h 30m · paused: 20h · outside business hours: 1h",
		"Resolution due by",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("status lacks %q:\n%s", w, text)
		}
	}
}

func TestNormalizeID(t *testing.T) {
	good := map[string]string{"FIN-3": "FIN-3", "fin-3": "FIN-3", "#FIN-3": "FIN-3", "FIN-007": "FIN-7", "ＦＩＮ-３": "FIN-3", " fin-12 ": "FIN-12"}
	for in, want := range good {
		if got, err := bot.NormalizeID(in); err != nil || got != want {
			t.Errorf("NormalizeID(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"FIN-3; DROP", "FIN--1", "FIN-0", "FIN", "3", "-3", "FIN-3x", "F1N-3", ""} {
		if got, err := bot.NormalizeID(bad); err == nil {
			t.Errorf("NormalizeID(%q) = %q, want an error", bad, got)
		}
	}
}

// TestMapWithoutHook: /ask map is in bot's table (help lists it) but its
// work is bot/report's, reached through Desk.Map; a desk that was not given
// one says so instead of panicking.
func TestMapWithoutHook(t *testing.T) {
	f := newFixture(t)
	if help := f.Desk.Command(f.Ctx, sam, "help"); !strings.Contains(help.Text, "`/ask map`") {
		t.Errorf("help does not list /ask map:\n%s", help.Text)
	}
	if got, want := f.Desk.Command(f.Ctx, sam, "map").Text, "the map is not wired into this desk"; got != want {
		t.Errorf("map without hook: got %q, want %q", got, want)
	}
	f.Desk.Map = func(_ context.Context, user, args string) (bot.Reply, error) {
		return bot.Reply{Text: "map for " + user + " [" + args + "]"}, nil
	}
	if got, want := f.Desk.Command(f.Ctx, sam, "/ask map x").Text, "map for "+sam+" [x]"; got != want {
		t.Errorf("map through hook: got %q, want %q", got, want)
	}
}
