package bot_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// TestRefusalsInChineseReadAsAChineseUserWouldSayThem: what a tester of
// the Chinese console was told in English, or in words no Chinese office
// worker would use, reads in Chinese; in English it reads as before.
func TestRefusalsInChineseReadAsAChineseUserWouldSayThem(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(zhCompany(t))
	zh := f.Desk.Printer(sam, nil)
	if zh.Tag() != i18n.ZhHans {
		t.Fatalf("sam reads %s, want zh-Hans", zh.Lang())
	}
	f.File(t, sam, "finance", "需要预算") // FIN-1, open
	f.File(t, sam, "finance", "报销")   // FIN-2, cancelled
	f.Do(t, sam, bot.ActCancel, "FIN-2")
	f.File(t, sam, "it", "电脑坏了") // IT-1, resolved
	f.Do(t, ivan, bot.ActResolve, "IT-1")
	f.Sent(t)
	do := func(user string, a bot.Action, id, target string) error {
		_, err := f.Desk.Do(f.Ctx, bot.Act{Actor: user, Action: a, ID: id, Target: target})
		return err
	}
	_, badQuarter := bot.ParseQuarter("2025-Q9")
	_, commentErr := f.Desk.CommentRating(f.Ctx, ivan, "IT-1", "很好")
	cases := []struct {
		name   string
		err    error
		code   string
		en, zh string
	}{
		{"UnknownRequest", do(frank, bot.ActClaim, "FIN-99", ""), bot.ENOTFOUND,
			"There is no request FIN-99.", "没有编号为 FIN-99 的请求。"},
		{"UnknownRequestHistory", func() error { _, err := f.DB.Events(f.Ctx, "IT-9"); return err }(), bot.ENOTFOUND,
			"There is no request IT-9.", "没有编号为 IT-9 的请求。"},
		{"TransferToNoDepartment", do(frank, bot.ActTransfer, "FIN-1", "市场部"), bot.ENOTFOUND,
			"", "没有叫“市场部”的部门。部门有：财务部、信息技术部、人力资源部。"},
		{"SurveyOfNoDepartment", f.Desk.AnswerSurvey(f.Ctx, f.DB, sam, "2026-Q4", "市场", 2, "太慢"), bot.ENOTFOUND,
			"", "没有叫“市场”的部门。部门有：财务部、信息技术部、人力资源部。"},
		{"BadQuarter", badQuarter, bot.EINVALID,
			"“2025-Q9” is not a quarter; write it like 2026-Q3", "“2025-Q9”不是季度，请写成 2026-Q3 这样的格式。"},
		{"ReassignToAnOutsider", do(ivan, bot.ActReassign, "IT-1", "张三"), bot.EINVALID,
			"“张三” is not a member of it; reassign to one of its members, or transfer the request.",
			"“张三”不是信息技术部的成员；请改派给该部门的成员，或者转交这个请求。"},
		{"ResumeWhatIsNotWaiting", do(frank, bot.ActResume, "FIN-1", ""), bot.ECONFLICT,
			"FIN-1 is open; it cannot be resumed now", "FIN-1 没有在等待回复，无需恢复。"},
		{"CloseWhatIsNotResolved", do(sam, bot.ActClose, "FIN-1", ""), bot.ECONFLICT,
			"FIN-1 is open; it cannot be closed now", "FIN-1 还没有解决，暂时不能关闭。"},
		{"CancelAgain", do(sam, bot.ActCancel, "FIN-2", ""), bot.ECONFLICT,
			"FIN-2 is cancelled; it cannot be cancelled now", "FIN-2 已经撤回了。"},
		{"OtherStateConflicts", do(frank, bot.ActClaim, "FIN-2", ""), bot.ECONFLICT,
			"FIN-2 is cancelled; it cannot be claimed now", "FIN-2 当前已撤回，不能认领。"},
		{"CommentOnSomeoneElsesRating", commentErr, bot.EFORBIDDEN,
			"Only the person who filed IT-1 can rate it.", "只有提出人才能评价 IT-1。"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := bot.ErrorCode(c.err); got != c.code {
				t.Fatalf("code %q (%v), want %q", got, c.err, c.code)
			}
			if got := bot.ErrorText(nil, c.err); c.en != "" && got != c.en {
				t.Errorf("en %q, want %q", got, c.en)
			}
			if got := bot.ErrorText(zh, c.err); got != c.zh {
				t.Errorf("zh %q, want %q", got, c.zh)
			}
		})
	}
}

// TestSearchTakesChineseStates: status: takes the words the Chinese
// screens use for a state as well as the English names, and a Chinese
// reader is told the Chinese ones.
func TestSearchTakesChineseStates(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(zhCompany(t))
	for word, want := range map[string][]bot.State{
		"已解决":        {bot.Resolved},
		"resolved":   {bot.Resolved},
		"未完成":        {bot.Open, bot.Acknowledged, bot.Waiting, bot.Reopened},
		"待处理":        {bot.Open, bot.Acknowledged, bot.Waiting, bot.Reopened},
		"等待":         {bot.Waiting},
		"已关闭|已撤回":    {bot.Closed, bot.Cancelled},
		"已受理、已重新打开":  {bot.Acknowledged, bot.Reopened},
		"CLOSED,已撤回": {bot.Closed, bot.Cancelled},
	} {
		q, _, err := f.Desk.ParseSearch(sam, "杭州 status:"+word)
		if err != nil {
			t.Errorf("status:%s: %v", word, err)
			continue
		}
		if !reflect.DeepEqual(q.States, want) {
			t.Errorf("status:%s = %v, want %v", word, q.States, want)
		}
	}
	_, _, err := f.Desk.ParseSearch(sam, "杭州 status:随便")
	if got, want := bot.ErrorText(nil, err), "status:随便 不是有效的状态：请用未完成、等待、已解决、已关闭或已撤回。"; got != want {
		t.Errorf("bad state: %q, want %q", got, want)
	}
}

// TestAwayTakesAChineseUntil: /ask 外出 到 <day> (or 直到, or 到 with no
// space) sets the day back, and the Chinese answers name the Chinese
// commands.
func TestAwayTakesAChineseUntil(t *testing.T) {
	for _, line := range []string{"/ask 外出 到 2026-12-10", "/ask 外出 到2026-12-10", "/ask 外出 直到 2026-12-10", "/ask 外出 2026-12-10"} {
		f := newFixture(t)
		zhDesk(f)
		if got, want := f.command(t, frank, line), "已记录你外出（至12月10日 周四）。期间提醒不会发给你，你认领的请求会告知你的负责人。"; got != want {
			t.Errorf("%s: %q, want %q", line, got, want)
		}
	}
	f := newFixture(t)
	zhDesk(f)
	for line, want := range map[string]string{
		"/ask 外出 到 2026-11-01":  "2026年11月1日（周日）已经过去了，请写你回来的那天，例如 `/ask 外出 到 2026-12-01` 。",
		"/ask 外出 到 2026年12月10日": "看不懂日期“到 2026年12月10日”。请写 `/ask 外出 到 2026-12-10` （你回来的那天），或者只写 `/ask 外出` ，回来后再发 `/ask 回来` 。",
		"/ask 外出":               "已记录你外出（直到你发 `/ask 回来` 为止）。期间提醒不会发给你，你认领的请求会告知你的负责人。",
		"/ask back now":         "`/ask 回来` 后面不用再写别的。",
	} {
		if got := f.command(t, frank, line); got != want {
			t.Errorf("%s: %q, want %q", line, got, want)
		}
	}
	// A line that does not read as an absence is a request about one.
	for _, line := range []string{"/ask 外出 明天", "/ask 外出 到上海出差，需要订酒店"} {
		if got := f.Desk.Command(f.Ctx, frank, line).Text; strings.HasPrefix(got, "已记录") || strings.HasPrefix(got, "看不懂日期") {
			t.Errorf("%s was taken for an absence: %q", line, got)
		}
	}
}
