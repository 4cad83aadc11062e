package bot

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot/i18n"
)

// englishWord finds a run of three or more Latin letters: in Chinese output
// only request IDs, mentions, askdesk, `/ask` syntax and what people typed
// may hold one.
var englishWord = regexp.MustCompile(`[A-Za-z]{3,}`)

// leaks returns the English words of s other than those allowed.
func leaks(s string, allowed ...string) []string {
	for _, a := range append(allowed, "askdesk", "/ask status", "/ask") {
		s = strings.ReplaceAll(s, a, "")
	}
	return englishWord.FindAllString(s, -1)
}

func hasHan(s string) bool { return regexp.MustCompile(`\p{Han}`).MatchString(s) }

// TestEveryEventHasAChineseCardLineAndDM renders, for every event kind, the
// card's change line and the DMs and thread lines about it in Chinese: each
// is Chinese, with no English left in it, and English still reads as
// before.
func TestEveryEventHasAChineseCardLineAndDM(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	a := about{id: "FIN-7", title: "报销单", who: "<@U1>", dept: "财务部", from: "行政部", assignee: "<@U2>", text: "发票已补"}
	allowed := []string{"FIN-7", "<@U1>", "<@U2>"}
	for _, tc := range []struct {
		kind EventKind
		en   string
		zh   string
	}{
		{EvCreated, "filed by <@U1>", "<@U1> 提交"},
		{EvClaimed, "claimed by <@U1>", "<@U1> 已认领"},
		{EvReplied, "replied to by <@U1>", "<@U1> 已回复"},
		{EvCommented, "commented on by the requester", "提出人补充了说明"},
		{EvWaiting, "put on hold by <@U1>: waiting on the requester", "<@U1> 已暂停处理：等待提出人回复"},
		{EvResumed, "resumed by <@U1>", "<@U1> 已恢复处理"},
		{EvResolved, "resolved by <@U1>", "<@U1> 已解决"},
		{EvClosed, "closed by <@U1>", "<@U1> 已关闭"},
		{EvReopened, "reopened by <@U1>", "<@U1> 已重新打开"},
		{EvCancelled, "cancelled by <@U1>", "<@U1> 已撤回"},
		{EvReassigned, "reassigned to <@U2> by <@U1>", "<@U1> 已改派给 <@U2>"},
		{EvTransferred, "transferred here from 行政部 by <@U1>", "<@U1> 从行政部转交过来"},
	} {
		if got := cardChange(nil, tc.kind, a); got != tc.en {
			t.Errorf("en card line of %v = %q, want %q", tc.kind, got, tc.en)
		}
		if got := cardChange(zh, tc.kind, a); got != tc.zh {
			t.Errorf("zh card line of %v = %q, want %q", tc.kind, got, tc.zh)
		}
	}
	gone := a
	gone.from = ""
	if got := cardChange(zh, EvTransferred, gone); got != "<@U1> 从其他部门转交过来" {
		t.Errorf("zh card line of a transfer from a department that is gone = %q", got)
	}
	private := a
	private.text = ""
	for name, s := range map[string]string{
		"claimedDM":             claimedDM(zh, a),
		"repliedDM":             repliedDM(zh, a),
		"commentedDM":           commentedDM(zh, a),
		"waitingDM":             waitingDM(zh, a),
		"resolvedDM":            resolvedDM(zh, a),
		"autoClosedDM":          autoClosedDM(zh, a),
		"reopenedDM":            reopenedDM(zh, a),
		"reassignedDM":          reassignedDM(zh, a),
		"transferredDM":         transferredDM(zh, a, false),
		"transferredPrivateDM":  transferredDM(zh, a, true),
		"repliedThread":         repliedThread(zh, a),
		"repliedThreadPrivate":  repliedThread(zh, private),
		"commentedThread":       commentedThread(zh, a),
		"commentedPrivate":      commentedThread(zh, private),
		"reopenedThread":        reopenedThread(zh, a),
		"transferredAway":       transferredAwayChange(zh, a),
		"transferredAwayThread": transferredAwayThread(zh, a),
		"transferredAwayNoText": transferredAwayThread(zh, private),
		"filedInOrigin":         filedInOrigin(zh, a),
		"fullTextThread":        fullTextThread(zh, "全文"),
	} {
		if !hasHan(s) || strings.Contains(s, "{") {
			t.Errorf("%s = %q, want Chinese", name, s)
		}
		if l := leaks(s, allowed...); len(l) > 0 {
			t.Errorf("%s = %q holds English %q", name, s, l)
		}
	}
	if got, want := resolvedDM(zh, a), "<@U1>（财务部）已解决 *FIN-7* （报销单）。\n>发票已补\n如果问题还在，请重新打开；如果没问题了，请关闭。"; got != want {
		t.Errorf("zh resolved DM = %q, want %q", got, want)
	}
	if got, want := resolvedDM(nil, a), "<@U1> (财务部) resolved *FIN-7* (报销单).\n>发票已补\nIf it isn't right, reopen it; if it is, close it."; got != want {
		t.Errorf("en resolved DM = %q, want %q", got, want)
	}
	for _, b := range []Button{replyButton(zh, "FIN-7"), reopenButton(zh, "FIN-7"), closeButton(zh, "FIN-7")} {
		if !hasHan(b.Label) || len(leaks(b.Label)) > 0 {
			t.Errorf("DM button %s = %q, want Chinese", b.Action, b.Label)
		}
	}
	for _, st := range []State{Open, Acknowledged, Waiting, Resolved} {
		en, zhb := CardButtons(&Request{ID: "FIN-7", State: st}), CardButtonsIn(zh, &Request{ID: "FIN-7", State: st})
		if len(en) == 0 || len(en) != len(zhb) {
			t.Fatalf("%s: %d English buttons, %d Chinese", st, len(en), len(zhb))
		}
		for i := range en {
			if zhb[i].Action != en[i].Action || zhb[i].Arg != en[i].Arg || !hasHan(zhb[i].Label) || len(leaks(zhb[i].Label)) > 0 {
				t.Errorf("%s card button %d = %+v, want %+v labelled in Chinese", st, i, zhb[i], en[i])
			}
		}
	}
}

// TestTargetWordsInChinese pins the Chinese target words: business hours,
// working days with the "about N working days" gloss in halves written
// 1.5, calendar time.
func TestTargetWordsInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	day := 8 * time.Hour
	for _, tc := range []struct {
		d    BusinessDuration
		want string
	}{
		{BusinessDuration{Time: 4 * time.Hour}, "4个工作小时"},
		{BusinessDuration{Days: 1, Time: 4 * time.Hour}, "1个工作日零4个工作小时"},
		{BusinessDuration{Days: 1, Time: 12 * time.Hour}, "1个工作日零12个工作小时（约2.5个工作日）"},
		{BusinessDuration{Time: 12 * time.Hour}, "12个工作小时（约1.5个工作日）"},
		{BusinessDuration{Time: 16 * time.Hour}, "16个工作小时（约2个工作日）"},
		{BusinessDuration{Time: 8 * time.Hour}, "8个工作小时（约1个工作日）"},
		{BusinessDuration{Time: 90 * time.Minute}, "1个工作小时30分钟"},
		{BusinessDuration{Time: 30 * time.Minute}, "30分钟（工作时间）"},
		{BusinessDuration{Days: 2}, "2个工作日"},
		{BusinessDuration{Kind: CalendarTime, Time: 24 * time.Hour}, "24小时（自然时间）"},
		{BusinessDuration{Kind: CalendarTime, Days: 1, Time: 4*time.Hour + 30*time.Minute}, "1天4小时30分钟（自然时间）"},
		{BusinessDuration{}, "0分钟"},
	} {
		if got := targetWords(zh, tc.d, day); got != tc.want {
			t.Errorf("targetWords(%+v) = %q, want %q", tc.d, got, tc.want)
		}
	}
	if got, want := targetWords(nil, BusinessDuration{Time: 12 * time.Hour}, day), "12 business hours (about 1½ working days)"; got != want {
		t.Errorf("English targetWords = %q, want %q", got, want)
	}
	if got, want := targetWords(nil, BusinessDuration{Time: 8 * time.Hour}, day), "8 business hours (about 1 working day)"; got != want {
		t.Errorf("English targetWords = %q, want %q", got, want)
	}
	if TimeKindWordsIn(zh, CalendarTime) != "自然时间" || TimeKindWordsIn(zh, BusinessTime) != "工作时间" {
		t.Errorf("zh time kinds = %q, %q", TimeKindWordsIn(zh, CalendarTime), TimeKindWordsIn(zh, BusinessTime))
	}
}
