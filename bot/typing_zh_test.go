package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// routed reports whether r is a routing reply: nothing filed, the
// likeliest departments offered.
func routed(r bot.Reply) bool {
	return r.Request == nil && len(r.Buttons) > 0 && r.Buttons[0].Action == bot.ActRoute
}

// TestTypingZh_UnknownDepartment: a first word that reads as a department
// (市场部) but names none is said to be no department, and the line is
// still routed, as an unknown English word is; alone it is just that. A
// word that only ends like one (全部, 会议室) is routed as ever.
func TestTypingZh_UnknownDepartment(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(zhCompany(t))
	r := f.Desk.Command(f.Ctx, sam, "/ask 市场部 帮忙做个海报")
	want := "没有叫“市场部”的部门（部门有：财务部、信息技术部、人力资源部）。下面是这件事最可能归属的部门：\n> 市场部 帮忙做个海报\n"
	if !routed(r) || !strings.HasPrefix(r.Text, want) {
		t.Errorf("/ask 市场部 帮忙做个海报 answered %q with %+v, want it routed, starting %q", r.Text, r.Buttons, want)
	}
	if leak := leaksEnglish(r.Text); len(leak) > 0 {
		t.Errorf("English %q in %q", leak, r.Text)
	}
	// The text is routed as ever: to IT when it is about a computer.
	if r := f.Desk.Command(f.Ctx, sam, "/ask 客服中心 电脑坏了"); !routed(r) || r.Buttons[0].Arg != "it" ||
		!strings.HasPrefix(r.Text, "没有叫“客服中心”的部门") {
		t.Errorf("/ask 客服中心 电脑坏了 answered %q with %+v, want no such department, IT offered", r.Text, r.Buttons)
	}
	if got, want := f.Desk.Command(f.Ctx, sam, "/ask 市场部"), "没有叫“市场部”的部门。部门有：财务部、信息技术部、人力资源部。"; got.Text != want || len(got.Buttons) > 0 {
		t.Errorf("/ask 市场部 answered %q with %+v, want %q", got.Text, got.Buttons, want)
	}
	for _, line := range []string{"/ask 全部 电脑坏了", "/ask 会议室 电脑坏了", "/ask 我的 电脑坏了"} {
		if r := f.Desk.Command(f.Ctx, sam, line); !routed(r) || !strings.HasPrefix(r.Text, "你没有指定部门") {
			t.Errorf("%s answered %q, want it routed as naming no department", line, r.Text)
		}
	}
	// A misspelt department is still "did you mean".
	if r := f.Desk.Command(f.Ctx, sam, "/ask 财物部 报销"); r.Request != nil || len(r.Buttons) > 0 || !strings.Contains(r.Text, "你是不是要找“财务部”？") {
		t.Errorf("/ask 财物部 报销 answered %q, want a suggestion", r.Text)
	}
}

// TestTypingEnglish_UnknownDepartmentUnchanged: in English an unknown
// first word is routed with the words it always had.
func TestTypingEnglish_UnknownDepartmentUnchanged(t *testing.T) {
	f := newFixture(t)
	r := f.Desk.Command(f.Ctx, sam, "/ask marketing make a poster")
	if !routed(r) || !strings.HasPrefix(r.Text, "You didn't name a department, so here is where this most likely belongs:\n> marketing make a poster\n") {
		t.Errorf("got %q with %+v", r.Text, r.Buttons)
	}
	r = f.Desk.Command(f.Ctx, sam, "/ask 市场部 make a poster")
	if !routed(r) || !strings.HasPrefix(r.Text, "There is no department called “市场部” (departments: finance, it), so here is where this most likely belongs:\n> 市场部 make a poster\n") {
		t.Errorf("got %q with %+v", r.Text, r.Buttons)
	}
}

// TestTypingZh_AliasWithoutItsArgument: a Chinese alias followed by
// nothing, or by an argument of the wrong shape, answers as its English
// name does (its usage, or "no such department"), not routed; a request
// that merely starts with an alias word is still routed.
func TestTypingZh_AliasWithoutItsArgument(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(zhCompany(t))
	same := []struct{ zh, en, user string }{
		{"/ask 状态", "/ask status", sam},
		{"/ask 状态 FIN42", "/ask status FIN42", sam},
		{"/ask 撤回", "/ask cancel", sam},
		{"/ask 取消", "/ask cancel", sam},
		{"/ask 标准", "/ask standards", sam},
		{"/ask 服务标准 市场部", "/ask standards 市场部", sam},
		{"/ask 标准 市场部", "/ask standards 市场部", sam},
		{"/ask 队列 市场", "/ask queue 市场", frank},
		{"/ask 队列 marketing", "/ask queue marketing", frank},
		{"/ask 管理", "/ask manage", fiona},
		{"/ask 帮助 我的", "/ask help", sam},
		{"／ask 帮助", "/ask help", sam},
		{"／ＡＳＫ　我的", "/ask list", sam},
	}
	for _, tt := range same {
		t.Run(tt.zh, func(t *testing.T) {
			got, want := f.Desk.Command(f.Ctx, tt.user, tt.zh), f.Desk.Command(f.Ctx, tt.user, tt.en)
			if got.Text != want.Text || got.Request != nil || len(got.Buttons) > 0 {
				t.Errorf("%s answered\n%q\nwant the answer to %s:\n%q", tt.zh, got.Text, tt.en, want.Text)
			}
		})
	}
	exact := []struct{ line, user, want string }{
		{"/ask 状态", sam, "哪个请求？ `/ask 状态 FIN-42`"},
		{"/ask 取消", sam, "哪个请求？ `/ask 撤回 FIN-42`"},
		{"/ask 标准 市场部", sam, "没有叫“市场部”的部门。部门有：财务部、信息技术部、人力资源部。"},
		{"/ask 队列 市场", frank, "没有叫“市场”的部门。部门有：财务部、信息技术部、人力资源部。"},
		// By the English name too, the reader's language (it was English).
		{"/ask standards marketing", sam, "没有叫“marketing”的部门。部门有：财务部、信息技术部、人力资源部。"},
	}
	for _, tt := range exact {
		if got := f.Desk.Command(f.Ctx, tt.user, tt.line).Text; got != tt.want {
			t.Errorf("%s answered %q, want %q", tt.line, got, tt.want)
		}
	}
	// 外出 with "until" in Chinese or a full-width date is away's (which
	// reads what it can, else says how to write it), not a request.
	for _, line := range []string{"/ask 外出 到 2026-12-20", "/ask 外出 到2026-12-20", "/ask 外出 ２０２６－１２－２０", "/ask 外出 至 12月20日"} {
		if r := f.Desk.Command(f.Ctx, sam, line); r.Request != nil || len(r.Buttons) > 0 {
			t.Errorf("%s was routed or filed: %q", line, r.Text)
		}
	}
	if r := f.Desk.Command(f.Ctx, sam, "/ask 外出 培训需要报销电脑"); !routed(r) {
		t.Errorf("/ask 外出 培训需要报销电脑 answered %q, want it routed", r.Text)
	}
	// Requests that start with an alias word: routed, to IT (电脑, 打印机).
	for _, line := range []string{"/ask 我的 电脑坏了", "/ask 帮助 新同事开通电脑", "/ask 取消 3号会议室的电脑预约",
		"/ask 状态 电脑很慢", "/ask 队列 打印机", "/ask 队列 打印机太慢了", "/ask 标准 电脑配置是什么", "/ask 管理 电脑账号"} {
		if r := f.Desk.Command(f.Ctx, sam, line); !routed(r) || r.Buttons[0].Arg != "it" {
			t.Errorf("%s answered %q with %+v, want it routed to IT first", line, r.Text, r.Buttons)
		}
	}
}

func TestParseFilingZh_Flags(t *testing.T) {
	tests := []struct {
		in       string
		priority bot.Priority
		text     string
		err      bool
	}{
		{"！！紧急 VPN 连不上", bot.Urgent, "VPN 连不上", false},
		{"!!紧急 VPN 连不上", bot.Urgent, "VPN 连不上", false},
		{"VPN 连不上 ！！低", bot.Low, "VPN 连不上", false},
		{"!!urgent VPN down", bot.Urgent, "VPN down", false},
		{"！紧急需要第三季度预算", bot.Urgent, "需要第三季度预算", false},
		{"！紧急VPN连不上", bot.Urgent, "VPN连不上", false},
		{"！！加急需要预算 今天\n第二行", bot.Urgent, "需要预算 今天\n第二行", false},
		{"！低想问问年假还剩几天", bot.Low, "想问问年假还剩几天", false},
		{"!緊急需要預算", bot.Urgent, "需要預算", false}, // traditional, the text as typed
		{"‼紧急需要预算", bot.Urgent, "需要预算", false}, // one rune, two bangs
		{"！紧急", bot.Urgent, "", false},
		{"！高优先级处理", "", "", true},
		{"！重要VPN", "", "！重要VPN", false}, // as before: not a flag
		{"！！！ 服务器坏了", "", "！！！ 服务器坏了", false},
		{"!! 服务器坏了", "", "!! 服务器坏了", false},
		// English as before: a flag of no priority is an error, text run
		// into a flag is no priority, a doubled one of no priority is text.
		{"!urgentfoo broken", "", "", true},
		{"!high broken", "", "", true},
		{"!!help me", "", "!!help me", false},
		{"!!! broken", "", "!!! broken", false},
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

// TestTypingZh_FlagsFile: the tester's lines file at the priority typed.
func TestTypingZh_FlagsFile(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(zhCompany(t))
	for _, tc := range []struct {
		line     string
		priority bot.Priority
		title    string
	}{
		{"/ask 财务 ！！紧急 VPN 连不上", bot.Urgent, "VPN 连不上"},
		{"/ask 财务！紧急需要第三季度预算", bot.Urgent, "需要第三季度预算"},
	} {
		r := f.Desk.Command(f.Ctx, sam, tc.line)
		if r.Request == nil || r.Request.Priority != tc.priority || r.Request.Text != tc.title {
			t.Errorf("%s: got %q (%+v), want %s %q filed", tc.line, r.Text, r.Request, tc.priority, tc.title)
		}
	}
	// Routed text takes its flag the same way, and a bad one is said in
	// the reader's language.
	if r := f.Desk.Command(f.Ctx, sam, "/ask ！紧急电脑坏了"); !routed(r) || !strings.Contains(r.Text, "> 电脑坏了\n") {
		t.Errorf("/ask ！紧急电脑坏了 answered %q", r.Text)
	}
	if got, want := f.Desk.Command(f.Ctx, sam, "/ask ！高 电脑坏了").Text, "不认识的优先级 \"！高\"：请用 !紧急 或 !低（默认为普通）。"; got != want {
		t.Errorf("/ask ！高 电脑坏了 answered %q, want %q", got, want)
	}
}

// TestTypingZh_FullWidthValues: numbers, dates and people typed
// full-width are read; text keeps what was typed.
func TestTypingZh_FullWidthValues(t *testing.T) {
	for _, tc := range []struct {
		kind     bot.FieldKind
		in, want string
	}{
		{bot.FieldNumber, "１２００", "1200"},
		{bot.FieldNumber, "１，２００．５０", "1200.50"},
		{bot.FieldNumber, "1200", "1200"},
		{bot.FieldDate, "２０２６－１２－１０", "2026-12-10"},
		{bot.FieldShortText, "ＡＢＣ（上海）", "ＡＢＣ（上海）"},
	} {
		f := bot.Field{Name: "x", Label: "金额", Kind: tc.kind}
		if got, err := f.Parse(nil, tc.in); err != nil || got != tc.want {
			t.Errorf("%s %q: got %q, %v; want %q", tc.kind, tc.in, got, err, tc.want)
		}
	}
	f := newFixture(t)
	f.Desk.SetDir(zhCompany(t))
	r := f.Desk.Command(f.Ctx, sam, "/ask 財務 出差住宿費 ａｍｏｕｎｔ＝１２００ 费用类别=差旅")
	if r.Request == nil {
		t.Fatalf("nothing filed: %q", r.Text)
	}
	if want := []bot.FieldValue{{Name: "amount", Value: "1200"}, {Name: "category", Value: "差旅"}}; !slices.Equal(r.Request.Fields, want) {
		t.Errorf("fields %v, want %v", r.Request.Fields, want)
	}
}

// TestTypingZh_FieldByPartOfItsLabel: a field is named by the one label
// that starts or ends with what was typed, two Han characters or more;
// a part two labels share names neither.
func TestTypingZh_FieldByPartOfItsLabel(t *testing.T) {
	dep := zhCompany(t).ByName("finance")
	typ := &bot.RequestType{Name: "reimbursement", Fields: []bot.Field{
		{Name: "amount", Label: "金额（元）", Kind: bot.FieldNumber},
		{Name: "category", Label: "费用类别", Kind: bot.FieldShortText},
		{Name: "spent_on", Label: "费用发生日期", Kind: bot.FieldDate},
		{Name: "purpose", Label: "Purpose", Kind: bot.FieldShortText},
	}}
	for _, tc := range []struct {
		in     string
		fields map[string]string
		text   string
	}{
		{"打车 类别=差旅", map[string]string{"category": "差旅"}, "打车"},
		{"打车 日期＝2026-12-10", map[string]string{"spent_on": "2026-12-10"}, "打车"},
		{"打车 发生日期=2026-12-10", map[string]string{"spent_on": "2026-12-10"}, "打车"},
		{"打车 金额=86", map[string]string{"amount": "86"}, "打车"},
		{"打车 费用=86", nil, "打车 费用=86"},               // 费用类别 and 费用发生日期
		{"打车 别=差旅", nil, "打车 别=差旅"},                 // one character is too little
		{"打车 发生=昨天", nil, "打车 发生=昨天"},               // the middle of a label
		{"taxi pose=lunch", nil, "taxi pose=lunch"}, // English labels are not matched
	} {
		fields, text := bot.ExtractFields(dep, typ, tc.in)
		if len(fields) != len(tc.fields) || text != tc.text {
			t.Errorf("%q: got %v %q, want %v %q", tc.in, fields, text, tc.fields, tc.text)
			continue
		}
		for k, v := range tc.fields {
			if fields[k] != v {
				t.Errorf("%q: got %v, want %v", tc.in, fields, tc.fields)
			}
		}
	}
	f := newFixture(t)
	f.Desk.SetDir(zhCompany(t))
	r := f.Desk.Command(f.Ctx, sam, "/ask 财务 打车 金额=86 类别=差旅")
	if r.Request == nil || !slices.Equal(r.Request.Fields, []bot.FieldValue{{Name: "amount", Value: "86"}, {Name: "category", Value: "差旅"}}) {
		t.Errorf("got %q (%+v)", r.Text, r.Request)
	}
}
