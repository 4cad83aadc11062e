package bot_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// zhCompany is zhDir with Chinese as the company's language and Chinese
// display names everywhere, so a reply has no English of its own.
func zhCompany(tb testing.TB) *bot.Directory {
	tb.Helper()
	dir := zhDir(tb)
	dir.Language = "zh-Hans"
	dir.ByName("it").DisplayName = "信息技术部"
	dir.Index()
	return dir
}

// cmdEnglishWord finds a word of three or more Latin letters.
var cmdEnglishWord = regexp.MustCompile(`[A-Za-z]{3,}`)

// leaksEnglish returns the English words of s outside `code` spans (the
// /ask syntax) and request IDs, other than askdesk and SLA.
func leaksEnglish(s string) []string {
	s = regexp.MustCompile("`[^`]*`|[A-Z]+-[0-9]+").ReplaceAllString(s, "")
	var out []string
	for _, w := range cmdEnglishWord.FindAllString(s, -1) {
		if w != "askdesk" && w != "SLA" {
			out = append(out, w)
		}
	}
	return out
}

// TestCommandRepliesInChinese: a reader of Chinese gets the /ask replies
// in Chinese, and none of them keeps an English word of its own.
func TestCommandRepliesInChinese(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(zhCompany(t))
	for _, tc := range []struct {
		name, line string
		want       []string
	}{
		{"Help", "/ask 帮助", []string{"*askdesk* 帮你向其他部门提出请求", "• `/ask 我的` （或 `/ask list` ）：你提的请求，最新的在前",
			"• `/ask 队列 [部门]` （或 `/ask queue` ）：", "• `/ask 搜索 <关键词> [dept:<部门>]", "部门：财务部、信息技术部、人力资源部。"}},
		{"HelpByItsName", "/ask help", []string{"• `/ask 帮助` （或 `/ask help` ）：显示这份帮助"}},
		{"ListNone", "/ask 我的", []string{"你还没有提过请求。"}},
		{"QueueWhich", "/ask queue", []string{"请说明是哪个部门的队列： `/ask queue <部门>`"}},
		{"QueueForbidden", "/ask queue 财务", []string{"只有财务部的成员和负责人能看它的队列。"}},
		{"QueueUnknown", "/ask queue 财物", []string{"没有叫“财物”的部门。你是不是要找“财务部”？部门有：财务部、信息技术部、人力资源部。"}},
		{"DidYouMean", "/ask 财物 报销出租车票", []string{"你是不是要找“财务部”？"}},
		{"StatusWhich", "/ask status", []string{"哪个请求？ `/ask 状态 FIN-42`"}},
		{"CancelWhich", "/ask cancel", []string{"哪个请求？ `/ask 撤回 FIN-42`"}},
		{"BadPriority", "/ask 财务 !超级 报销", []string{"不认识的优先级 \"!超级\"：请用 !紧急 或 !低（默认为普通）。"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.Desk.Command(f.Ctx, sam, tc.line)
			for _, w := range tc.want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("%s:\n%s\nwant it to contain %q", tc.line, r.Text, w)
				}
			}
			if leak := leaksEnglish(r.Text); len(leak) > 0 {
				t.Errorf("%s: English %q in\n%s", tc.line, leak, r.Text)
			}
		})
	}
	t.Run("UnknownUser", func(t *testing.T) {
		r := f.Desk.Command(f.Ctx, "nobody", "/ask 我的")
		if !strings.Contains(r.Text, "askdesk 不知道这条消息是谁发的") {
			t.Errorf("got %q", r.Text)
		}
	})
}

// TestFiledReplyInChinese: filing in Chinese is acknowledged in Chinese,
// with a Chinese button; the same filing by an English reader is not.
func TestFiledReplyInChinese(t *testing.T) {
	f := newFixture(t)
	dir := zhCompany(t)
	dir.People[ivan].Lang = "en"
	f.Desk.SetDir(dir)
	r := f.Desk.Command(f.Ctx, sam, "/ask 财务 !紧急 服务器账单逾期")
	if r.Request == nil {
		t.Fatalf("nothing filed: %q", r.Text)
	}
	for _, w := range []string{"已提交 *" + r.Request.ID + "* 给财务部（报销，紧急优先级）：服务器账单逾期", "财务部会在 #finance 看到。发 `/ask 状态 " + r.Request.ID + "` 可查看进展。"} {
		if !strings.Contains(r.Text, w) {
			t.Errorf("filed reply:\n%s\nwant %q", r.Text, w)
		}
	}
	if len(r.Buttons) != 1 || r.Buttons[0].Label != "撤回" {
		t.Errorf("buttons %+v, want 撤回", r.Buttons)
	}
	if got := f.Desk.Command(f.Ctx, sam, "/ask 撤回 "+r.Request.ID).Text; got != "已撤回 *"+r.Request.ID+"* 并通知了财务部。" {
		t.Errorf("cancel reply %q", got)
	}
	en := f.Desk.Command(f.Ctx, ivan, "/ask fin !urgent server bill overdue")
	if !strings.HasPrefix(en.Text, "Filed *") || !strings.Contains(en.Text, "(reimbursement, urgent priority)") && !strings.Contains(en.Text, "urgent priority") || en.Buttons[0].Label != "Cancel" {
		t.Errorf("English reader got %q %+v", en.Text, en.Buttons)
	}
}

// TestDeptsInChinese: /ask 部门 is Chinese around the parts other
// formatters still print (hours, targets).
func TestDeptsInChinese(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(zhCompany(t))
	got := f.Desk.Command(f.Ctx, sam, "/ask 部门").Text
	for _, w := range []string{"*各部门及其服务内容*", "*财务部* · `finance` · 也可写作 fin、财务 · 队列 #finance", "时限：\n• 紧急：首次响应 ", "请求类型：\n  ◦ `reimbursement` （默认）"} {
		if !strings.Contains(got, w) {
			t.Errorf("depts:\n%s\nwant %q", got, w)
		}
	}
}

// TestSearchRepliesInChinese: /ask 搜索 answers a reader of Chinese in
// Chinese: the results, their states, the end, and the parse errors.
func TestSearchRepliesInChinese(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(zhCompany(t))
	filed := f.Desk.Command(f.Ctx, sam, "/ask 财务 服务器账单逾期")
	if filed.Request == nil {
		t.Fatalf("nothing filed: %q", filed.Text)
	}
	for _, tc := range []struct{ line, want string }{
		{"/ask 搜索 服务器", "*有1个请求与“服务器”匹配*\n• *" + filed.Request.ID + "* · 财务部 · 待处理 · 服务器账单逾期"},
		{"/ask 搜索 服务器", "就这些。\n用 `/ask 状态 <编号>` 可查看其中任何一个。"},
		{"/ask 搜索 打印机", "你能看到的请求中，没有与“打印机”匹配的。\n筛选条件："},
		{"/ask 搜索 status:done", "status:done 不是有效的状态"},
		{"/ask 搜索 page:x 服务器", "page:x 不是页码"},
		{"/ask 搜索 after:昨天", "after:昨天 不是日期：请写成 `after:2026-12-01` 。"},
		{"/ask 搜索 dept:财物", "你是不是要找“财务部”？"},
	} {
		got := f.Desk.Command(f.Ctx, sam, tc.line).Text
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s:\n%s\nwant %q", tc.line, got, tc.want)
		}
		// What the reader typed (status:done, page:x) is theirs.
		rest := strings.NewReplacer("status:done", "", "page:x", "", "after:", "").Replace(got)
		if leak := leaksEnglish(rest); len(leak) > 0 {
			t.Errorf("%s: English %q in\n%s", tc.line, leak, got)
		}
	}
}

// TestSurveyAnswersInChinese: the survey's errors speak the reader's
// language, with the quarter written the Chinese way.
func TestSurveyAnswersInChinese(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(zhCompany(t))
	err := f.Desk.AnswerSurvey(f.Ctx, f.DB, sam, "2026-Q3", "财务", 9, "")
	if got := bot.ErrorText(nil, err); got != "请打1分（很差）到5分（很好）。" {
		t.Errorf("bad score: %q", got)
	}
	err = f.Desk.AnswerSurvey(f.Ctx, f.DB, sam, "2026-Q3", "财务", 4, "")
	if got := bot.ErrorText(nil, err); got != "2026年第3季度的调查没有问你关于财务部的评价：调查只发给那个季度向它提过请求的人。" {
		t.Errorf("not asked: %q", got)
	}
}
