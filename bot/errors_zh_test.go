package bot_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// zhLeak finds an English word of three or more letters in Chinese text,
// once request IDs, `code` spans and the words let through are taken out.
var (
	zhCode    = regexp.MustCompile("`[^`]*`")
	zhID      = regexp.MustCompile(`\b[A-Z]+-\d+\b`)
	zhEnglish = regexp.MustCompile(`[A-Za-z]{3,}`)
)

func zhLeaks(s string, typed ...string) []string {
	s = zhCode.ReplaceAllString(s, "")
	s = zhID.ReplaceAllString(s, "")
	for _, w := range typed {
		s = strings.ReplaceAll(s, w, "")
	}
	return zhEnglish.FindAllString(s, -1)
}

// TestCodedErrorsReachAChineseReaderInChinese: every coded error the desk's
// requests, acts and permissions raise reads in Chinese for a zh-Hans
// reader (no English left, no unrendered {key} or <no value>), while its
// Message, what logs and English readers get, stays English.
func TestCodedErrorsReachAChineseReaderInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	f := newFixture(t)
	f.File(t, sam, "finance", "a")
	if _, err := f.Desk.Do(f.Ctx, bot.Act{Actor: frank, Action: bot.ActClaim, ID: "FIN-1"}); err != nil {
		t.Fatal(err)
	}
	do := func(user string, act bot.Action, target, text string) error {
		_, err := f.Desk.Do(f.Ctx, bot.Act{Actor: user, Action: act, ID: "FIN-1", Target: target, Text: text})
		return err
	}
	resolved := &bot.Request{ID: "FIN-9", State: bot.Resolved, Version: 3}
	dir := testDir(t)
	r := &bot.Request{ID: "FIN-1", Dept: "it", Requester: sam}
	_, notID := bot.NormalizeID("报销")
	cases := []struct {
		name  string
		err   error
		en    string
		typed []string
	}{
		{"empty request", bot.CheckText(" "), "Please say what you need, e.g. `/ask finance need the Q3 budget numbers`.", nil},
		{"long request", bot.CheckText(strings.Repeat("字", bot.MaxTextLen+1)), "", nil},
		{"not an ID", notID, "“报销” is not a request ID; IDs look like FIN-42", nil},
		{"history without creation", func() error {
			_, err := bot.Rebuild([]bot.Event{{RequestID: "FIN-9", Seq: 1, Kind: bot.EvReplied}})
			return err
		}(), "history must start with a creation event", nil},
		{"out of order", (&bot.Request{ID: "FIN-9", Version: 3}).Apply(bot.Event{Seq: 7, Kind: bot.EvReplied}), "event 7 of FIN-9 applied out of order (at 3)", nil},
		{"state conflict", resolved.Apply(bot.Event{Seq: 4, Kind: bot.EvClaimed}), "FIN-9 is resolved; it cannot be claimed now", nil},
		{"state conflict, reply", (&bot.Request{ID: "FIN-9", State: bot.Cancelled, Version: 3}).Apply(bot.Event{Seq: 4, Kind: bot.EvReplied}), "FIN-9 is cancelled; it cannot be replied to now", nil},
		{"unknown event", (&bot.Request{ID: "FIN-9", Version: 1}).Apply(bot.Event{Seq: 2, Kind: "sung"}), `unknown event kind "sung"`, []string{"sung"}},
		{"outsider may not see", dir.Authorize(tina, bot.ActView, r), "", nil},
		{"requester may not claim", dir.Authorize(sam, bot.ActClaim, r), "You can't claim FIN-1: only IT's members and leads can. Ask an admin if this is wrong.", nil},
		{"outsider may not put on hold", dir.Authorize(tina, bot.ActWait, r), "", nil},
		{"staff may not rate", dir.Authorize(ivan, bot.ActRate, r), "", nil},
		{"staff may not cancel", dir.Authorize(ivan, bot.ActCancel, r), "", nil},
		{"outsider may not close", dir.Authorize(tina, bot.ActClose, r), "", nil},
		{"outsider may not comment", dir.Authorize(tina, bot.ActComment, r), "", nil},
		{"already claimed", do(frank, bot.ActClaim, "", ""), "You have already claimed FIN-1.", nil},
		{"empty reply", do(frank, bot.ActReply, "", " "), "", nil},
		{"reassign to an outsider", do(fiona, bot.ActReassign, "Tina", ""), "", []string{"Tina", "Finance"}},
		{"transfer to itself", do(frank, bot.ActTransfer, "finance", ""), "FIN-1 is already with Finance.", []string{"Finance"}},
		{"an action for the requester or staff", dir.Authorize(tina, "juggle", &bot.Request{ID: "FIN-1", Dept: "finance", Requester: sam}), "", []string{"juggle", "Finance"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if bot.ErrorCode(c.err) == "" || bot.ErrorCode(c.err) == bot.EINTERNAL {
				t.Fatalf("want a coded error, got %v", c.err)
			}
			en := bot.ErrorMessage(c.err)
			if c.en != "" && en != c.en {
				t.Errorf("English: %q, want %q", en, c.en)
			}
			if got := bot.ErrorText(nil, c.err); got != en {
				t.Errorf("ErrorText(nil) %q differs from ErrorMessage %q", got, en)
			}
			s := bot.ErrorText(zh, c.err)
			t.Logf("%s\n  en: %s\n  zh: %s", c.name, en, s)
			if strings.Contains(s, "{") || strings.Contains(s, "<no value>") || s == en {
				t.Errorf("zh not rendered: %q", s)
			}
			if l := zhLeaks(s, c.typed...); len(l) > 0 {
				t.Errorf("zh %q holds English %q", s, l)
			}
		})
	}
}

// chatLocales is a chat that knows some users' locales.
type chatLocales map[string]string

func (c chatLocales) UserLocale(user string) (string, bool) { l, ok := c[user]; return l, ok }

// TestAskRefusalIsSaidInTheAskersLanguage: /ask answers a refused command
// in the language of whoever typed it: Chinese for a zh-CN Slack user,
// English, as before, for everyone else.
func TestAskRefusalIsSaidInTheAskersLanguage(t *testing.T) {
	f := newFixture(t)
	f.File(t, sam, "finance", "a")
	f.Desk.Locales = chatLocales{tina: "zh-CN"}
	if got, want := f.Desk.Command(f.Ctx, tina, "status FIN-1").Text, "你无权查看 FIN-1：只有提出人和处理该请求的部门人员可以查看。"; got != want {
		t.Errorf("zh-CN user told %q, want %q", got, want)
	}
	if got, want := f.Desk.Command(f.Ctx, ivan, "status FIN-1").Text, "FIN-1 is not yours to see: only its requester and the staff of the department handling it can."; got != want {
		t.Errorf("English user told %q, want %q", got, want)
	}
	if got, want := f.Desk.Command(f.Ctx, tina, "status 报销").Text, "“报销”不是请求编号；编号的格式类似 FIN-42"; got != want {
		t.Errorf("zh-CN user told %q, want %q", got, want)
	}
}
