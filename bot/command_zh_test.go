package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/bottest"
)

// zhDir is the test company with Chinese names: Finance shows as 财务部
// (alias 财务) and takes reimbursements with an amount labelled 金额; HR
// (人力资源部, also 人力资源 and 人事) is added; IT has Chinese keywords for
// routing.
func zhDir(tb testing.TB) *bot.Directory {
	tb.Helper()
	dir := testDir(tb)
	fin := dir.ByName("finance")
	fin.DisplayName = "财务部"
	fin.Types = []*bot.RequestType{{Name: "reimbursement", DisplayName: "报销", Default: true,
		Fields: []bot.Field{{Name: "amount", Label: "金额（元）", Kind: bot.FieldNumber},
			{Name: "category", Label: "费用类别", Kind: bot.FieldShortText}}}}
	dir.ByName("it").Keywords = []string{"电脑", "打印机"}
	dir.Departments = append(dir.Departments, &bot.Department{Name: "hr", DisplayName: "人力资源部",
		Aliases: []string{"人力资源", "人事"}, Prefix: "HR", Channel: "#hr", Members: []string{bottest.Ivan},
		Calendar: fin.Calendar, Targets: fin.Targets})
	dir.Index()
	return dir
}

// TestCommandZh_Files pins what a Chinese line files: the department, the
// priority and the text, however the department is typed.
func TestCommandZh_Files(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(zhDir(t))
	tests := []struct {
		name, text string
		dept       string
		priority   bot.Priority
		want       string // the request's text
		fields     []bot.FieldValue
	}{
		{"AliasThenSpace", "/ask 财务 需要第三季度预算", "finance", bot.Normal, "需要第三季度预算", nil},
		{"AliasNoSpace", "/ask 财务需要第三季度预算", "finance", bot.Normal, "需要第三季度预算", nil},
		{"NoSpaceKeepsLines", "/ask 财务需要预算\n第二行", "finance", bot.Normal, "需要预算\n第二行", nil},
		{"DisplayNameNoSpace", "/ask 财务部需要第三季度预算", "finance", bot.Normal, "需要第三季度预算", nil},
		{"LongestPrefix", "/ask 人力资源部开一份在职证明", "hr", bot.Normal, "开一份在职证明", nil},
		{"TraditionalAlias", "/ask 財務 需要第三季度預算", "finance", bot.Normal, "需要第三季度預算", nil},
		{"TraditionalNoSpace", "/ask 人力資源部開一份在職證明", "hr", bot.Normal, "開一份在職證明", nil},
		{"FullWidthLatin", "/ask ＦＩＮ 需要第三季度预算", "finance", bot.Normal, "需要第三季度预算", nil},
		{"IdeographicSpace", "/ask 财务\u3000需要预算", "finance", bot.Normal, "需要预算", nil},
		{"FullWidthFlag", "/ask 财务 ！紧急 服务器账单逾期", "finance", bot.Urgent, "服务器账单逾期", nil},
		{"FlagAfterNoSpace", "/ask 财务！加急 报销", "finance", bot.Urgent, "报销", nil},
		{"FlagLastLow", "/ask 人事 年假余额查询 !不急", "hr", bot.Low, "年假余额查询", nil},
		{"FlagTraditional", "/ask 人事 !緊急 工资没发", "hr", bot.Urgent, "工资没发", nil},
		{"FlagEnglish", "/ask 人事 !urgent 工资没发", "hr", bot.Urgent, "工资没发", nil},
		{"TextKeepsFullWidth", "/ask 财务 预算：１２３万！", "finance", bot.Normal, "预算：１２３万！", nil},
		{"FieldByChineseLabel", "/ask 财务 出租车 费用类别＝交通", "finance", bot.Normal, "出租车",
			[]bot.FieldValue{{Name: "category", Value: "交通"}}},
		{"FieldByLabelWithoutUnit", "/ask 财务 出租车 金额＝42.5", "finance", bot.Normal, "出租车",
			[]bot.FieldValue{{Name: "amount", Value: "42.5"}}},
		{"FieldByLabelWithUnit", "/ask 财务 出租车 金额（元）=42.5", "finance", bot.Normal, "出租车",
			[]bot.FieldValue{{Name: "amount", Value: "42.5"}}},
		{"FieldByName", "/ask 财务 出租车 amount＝42.5", "finance", bot.Normal, "出租车",
			[]bot.FieldValue{{Name: "amount", Value: "42.5"}}},
		{"NotAField", "/ask 财务 单价＝42.5", "finance", bot.Normal, "单价＝42.5", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.Desk.Command(f.Ctx, sam, tt.text)
			if r.Request == nil {
				t.Fatalf("nothing filed; reply %q", r.Text)
			}
			got := r.Request
			if got.Dept != tt.dept || got.Priority != tt.priority || got.Text != tt.want {
				t.Errorf("filed %s %s %q, want %s %s %q", got.Dept, got.Priority, got.Text, tt.dept, tt.priority, tt.want)
			}
			if !slices.Equal(got.Fields, tt.fields) {
				t.Errorf("fields %v, want %v", got.Fields, tt.fields)
			}
		})
	}
}

// TestCommandZh_Aliases: a Chinese alias runs its command, and gives the
// same reply as the English name; followed by words that do not fit the
// command, it is the start of a request instead.
func TestCommandZh_Aliases(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(zhDir(t))
	r := f.Desk.Command(f.Ctx, sam, "/ask 财务 需要第三季度预算")
	if r.Request == nil {
		t.Fatalf("nothing filed: %q", r.Text)
	}
	id := r.Request.ID
	same := []struct{ zh, en, user string }{
		{"/ask 帮助", "/ask help", sam},
		{"/ask 幫助", "/ask help", sam}, // traditional
		{"/ask 我的", "/ask list", sam},
		{"/ask 部门", "/ask depts", sam},
		{"/ask 队列", "/ask queue", frank},
		{"/ask 队列 财务", "/ask queue finance", frank},
		{"/ask 状态 " + id, "/ask status " + id, sam},
		{"/ask 搜索 预算", "/ask search 预算", sam},
		{"/ask 服务标准 财务", "/ask standards finance", sam},
		{"/ask 标准 財務", "/ask standards finance", sam},
		{"/ask 管理 财务", "/ask manage finance", fiona},
		{"/ask 关系图", "/ask map", sam},
	}
	for _, tt := range same {
		t.Run(tt.zh, func(t *testing.T) {
			got, want := f.Desk.Command(f.Ctx, tt.user, tt.zh), f.Desk.Command(f.Ctx, tt.user, tt.en)
			if got.Text != want.Text || (got.Request == nil) != (want.Request == nil) {
				t.Errorf("%s answered\n%q\nwant the answer to %s:\n%q", tt.zh, got.Text, tt.en, want.Text)
			}
		})
	}
	// Away and back change state: each alias against its name in turn.
	var away []string
	for _, line := range []string{"/ask 外出", "/ask 回来", "/ask away", "/ask back", "/ask 外出 2026-12-01", "/ask 回来", "/ask away until 2026-12-01", "/ask back"} {
		away = append(away, f.Desk.Command(f.Ctx, sam, line).Text)
	}
	if !slices.Equal(away[:2], away[2:4]) || !slices.Equal(away[4:6], away[6:]) {
		t.Errorf("away and back by alias answered %q, by name %q", append(away[:2:2], away[4:6]...), append(away[2:4:4], away[6:]...))
	}
	list := f.Desk.Command(f.Ctx, sam, "/ask list").Text
	for _, line := range []string{"/ask 我的 电脑坏了", "/ask 帮助 打印机卡纸了", "/ask 状态 电脑很慢", "/ask 撤回 电脑维修的请求", "/ask 回来 发现电脑坏了", "/ask 管理 电脑账号"} {
		t.Run(line, func(t *testing.T) {
			r := f.Desk.Command(f.Ctx, sam, line)
			if r.Text == list || r.Request != nil {
				t.Fatalf("%s was taken for a command or filed: %q", line, r.Text)
			}
			// Routed: the likeliest department is offered first.
			if len(r.Buttons) == 0 || r.Buttons[0].Action != bot.ActRoute || r.Buttons[0].Arg != "it" {
				t.Errorf("%s: buttons %+v, want it offered first", line, r.Buttons)
			}
		})
	}
	// 请假 alone asks for leave (HR's), it is not away: routed.
	if r := f.Desk.Command(f.Ctx, sam, "/ask 请假"); len(r.Buttons) == 0 || r.Buttons[0].Action != bot.ActRoute {
		t.Errorf("/ask 请假 answered %q, want it routed", r.Text)
	}
	// The cancel alias takes an ID: with one it cancels, else it is text.
	if r := f.Desk.Command(f.Ctx, sam, "/ask 撤回 "+id); r.Request == nil || r.Request.State != bot.Cancelled {
		t.Errorf("/ask 撤回 %s did not cancel: %q", id, r.Text)
	}
}

// TestCommandZh_DidYouMean: a misspelt Chinese department set apart by a
// space is answered with the department it is closest to, not routed;
// run together with the text it is free text.
func TestCommandZh_DidYouMean(t *testing.T) {
	f := newFixture(t)
	f.Desk.SetDir(zhDir(t))
	if got := f.Desk.Dir().Suggest("财物"); !slices.Equal(got, []string{"finance"}) {
		t.Errorf("Suggest(财物) = %v, want [finance]", got)
	}
	if got := f.Desk.Dir().Suggest("財物"); !slices.Equal(got, []string{"finance"}) {
		t.Errorf("Suggest(財物) = %v, want [finance]", got)
	}
	for _, line := range []string{"/ask 财物 报销出租车票", "/ask 财物", "/ask 財物 报销"} {
		r := f.Desk.Command(f.Ctx, sam, line)
		if r.Request != nil || len(r.Buttons) > 0 || !strings.Contains(r.Text, "“finance”") {
			t.Errorf("%s: got %q with %d buttons, want a suggestion of “finance”", line, r.Text, len(r.Buttons))
		}
	}
	// Run together with the text, it is free text: routed, not corrected.
	if r := f.Desk.Command(f.Ctx, sam, "/ask 财物报销出租车票"); r.Request != nil || len(r.Buttons) == 0 || r.Buttons[0].Action != bot.ActRoute {
		t.Errorf("/ask 财物报销出租车票: got %q with buttons %+v, want it routed", r.Text, r.Buttons)
	}
}

func TestLookupPrefix(t *testing.T) {
	dir := zhDir(t)
	for _, tc := range []struct{ word, dept, rest string }{
		{"财务需要预算", "finance", "需要预算"},
		{"財務需要預算", "finance", "需要預算"},
		{"财务部需要预算", "finance", "需要预算"}, // the longest name
		{"人力资源部开证明", "hr", "开证明"},
		{"人事", "", "人事"},               // a whole name is Lookup's, nothing would be left
		{"财经新闻", "", "财经新闻"},           // no name is a prefix
		{"finance需要", "", "finance需要"}, // Latin names need a space
		{"fin", "", "fin"},
	} {
		dep, rest := dir.LookupPrefix(tc.word)
		name := ""
		if dep != nil {
			name = dep.Name
		}
		if name != tc.dept || rest != tc.rest {
			t.Errorf("LookupPrefix(%q) = %q, %q; want %q, %q", tc.word, name, rest, tc.dept, tc.rest)
		}
	}
}

func TestParseFilingZh(t *testing.T) {
	tests := []struct {
		in       string
		priority bot.Priority
		text     string
		err      bool
	}{
		{"！紧急 服务器坏了", bot.Urgent, "服务器坏了", false},
		{"!加急 服务器坏了", bot.Urgent, "服务器坏了", false},
		{"！普通 发票", bot.Normal, "发票", false},
		{"!一般 发票", bot.Normal, "发票", false},
		{"!急 发票", bot.Urgent, "发票", false},
		{"发票 ！低", bot.Low, "发票", false},
		{"发票 !不急", bot.Low, "发票", false},
		{"！ＵＲＧＥＮＴ 发票", bot.Urgent, "发票", false},
		{"！高 服务器坏了", "", "", true},
		{"！！！ 服务器坏了", "", "！！！ 服务器坏了", false},
		{"服务器坏了！", "", "服务器坏了！", false},
		{"!é text", "", "!é text", false}, // other letters are text, as before
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

// Every alias is a command word, so config validation keeps departments
// off them; and no alias is an alias of two commands.
func TestCommandWordsHoldAliases(t *testing.T) {
	words := bot.CommandWords()
	for _, w := range []string{"help", "帮助", "list", "我的", "map", "关系图"} {
		if !slices.Contains(words, w) {
			t.Errorf("CommandWords lacks %q", w)
		}
	}
	seen := map[string]bool{}
	for _, w := range words {
		if n := bot.NormalizeName(w); seen[n] {
			t.Errorf("%q is a command word twice", w)
		} else {
			seen[n] = true
		}
	}
}

// The aliases are written as NormalizeName folds them, so findCommand
// compares them as they are.
func TestCommandAliasesAreFolded(t *testing.T) {
	for _, w := range bot.CommandWords() {
		if n := bot.NormalizeName(w); n != w {
			t.Errorf("command word %q folds to %q", w, n)
		}
	}
}
