package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// TestFieldProblemsInChinese: a reimbursement filed without its fields,
// or with bad ones, is refused in Chinese, saying each field's problem,
// how to type fields and that Slack has a form; English readers of the
// same errors read them as before.
func TestFieldProblemsInChinese(t *testing.T) {
	d := exampleZhDesk(t)
	ctx := context.Background()
	example := "字段写成 字段名=值（值里有空格请加引号），写法如 `/ask finance reimbursement amount=42.50 category=差旅 <需要什么>` 这样。在 Slack 里也可以只输入 `/ask` 打开表单填写。"
	for _, tc := range []struct{ name, line, want string }{
		{"Missing", "/ask 财务 报销 打车回家", "要作为“费用报销”提交给财务部，还有几处需要补充或修改：\n• 金额（元）是必填项。\n• 费用类别是必填项。\n" + example},
		{"Bad", "/ask 财务 报销 打车 amount=abc category=飞机 spent_on=12/10 approver=nobody",
			"要作为“费用报销”提交给财务部，还有几处需要补充或修改：\n• 金额（元）必须是数字，例如 42.50。\n• 费用类别只能是以下之一：差旅、餐费、办公用品、其他。\n" +
				"• 费用发生日期必须是日期，写作 2026-12-10（年-月-日）。\n• 审批人必须是一个人：请用 @姓名 提到对方，或在表单里选择。\n" + example},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := d.Command(ctx, songjie, tc.line)
			if r.Request != nil {
				t.Fatalf("filed %s", r.Request.ID)
			}
			if r.Text != tc.want {
				t.Errorf("%s:\ngot  %s\nwant %s", tc.line, r.Text, tc.want)
			}
			wantChinese(t, tc.name, r.Text, nil, "Slack") // a name
		})
	}

	zh, en := i18n.Default().For(i18n.ZhHans), i18n.English()
	file := func(f bot.Filing) error {
		f.Requester, f.Text = songjie, "x"
		_, err := d.File(ctx, f)
		if bot.ErrorCode(err) != bot.EINVALID {
			t.Fatalf("%+v: %v, want invalid", f, err)
		}
		return err
	}
	for _, tc := range []struct {
		name   string
		err    error
		zh, en string
	}{
		{"UnknownType", file(bot.Filing{Dept: "finance", Type: "golf"}),
			"财务部没有“golf”这种请求类型。它的类型有：general、reimbursement、invoice。",
			"财务部 has no request type “golf”. Its types: general, reimbursement, invoice."},
		{"NoTypes", file(bot.Filing{Dept: "legal", Type: "golf"}),
			"法务部没有请求类型，提交时不用写类型，直接用 `/ask legal <需要什么>` 提交即可。",
			"法务部 has no request types; file it without one: `/ask legal <what you need>`."},
		{"NoFields", file(bot.Filing{Dept: "legal", Fields: map[string]string{"amount": "3"}}),
			"法务部的请求没有字段，请把内容都写在正文里。",
			"法务部's requests have no fields; say everything in the text."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := bot.ErrorText(zh, tc.err); got != tc.zh {
				t.Errorf("Chinese:\ngot  %s\nwant %s", got, tc.zh)
			}
			if got := bot.ErrorText(en, tc.err); got != tc.en || bot.ErrorMessage(tc.err) != tc.en {
				t.Errorf("English:\ngot  %s\nwant %s", got, tc.en)
			}
		})
	}
	t.Run("UnknownField", func(t *testing.T) {
		err := file(bot.Filing{Dept: "finance", Type: "invoice", Fields: map[string]string{"supplier": "某公司", "colour": "red"}})
		want := "要作为“供应商付款”提交给财务部，还有几处需要补充或修改：\n• “供应商付款”没有“colour”这个字段；它的字段有：supplier、invoice_no、due。\n"
		if got := bot.ErrorText(zh, err); !strings.HasPrefix(got, want) {
			t.Errorf("got  %s\nwant %s…", got, want)
		}
		if got := bot.ErrorMessage(err); !strings.Contains(got, "• “供应商付款” has no field “colour”; its fields are supplier, invoice_no, due.\nGive fields as name=value words") {
			t.Errorf("English: %s", got)
		}
	})
}

// TestFieldParseInChinese: each kind of field says what is wrong with a
// value in the reader's language, the Slack form's words too.
func TestFieldParseInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	for _, tc := range []struct {
		kind bot.FieldKind
		in   string
		want string
	}{
		{bot.FieldNumber, "很多", "金额必须是数字，例如 42.50。"},
		{bot.FieldDate, "明天", "金额必须是日期，写作 2026-12-10（年-月-日）。"},
		{bot.FieldSelect, "高尔夫", "金额只能是以下之一：差旅、餐费。"},
		{bot.FieldPerson, "某人", "金额必须是一个人：请用 @姓名 提到对方，或在表单里选择。"},
		{bot.FieldShortText, "两\n行", "金额只能写一行。"},
		{bot.FieldShortText, strings.Repeat("字", bot.MaxShortTextLen+1), "金额写了151个字，最多只能写150个字。"},
	} {
		f := bot.Field{Name: "amount", Label: "金额", Kind: tc.kind, Options: []string{"差旅", "餐费"}}
		_, err := f.Parse(nil, tc.in)
		if got := bot.ErrorText(zh, err); got != tc.want {
			t.Errorf("%s %q: got %q, want %q", tc.kind, tc.in, got, tc.want)
		}
	}
	typ := &bot.RequestType{Name: "claim", DisplayName: "报销", Fields: []bot.Field{{Name: "amount", Label: "金额", Kind: bot.FieldNumber, Required: true}}}
	if _, problems := typ.ParseFieldsIn(zh, nil, map[string]string{"colour": "red"}); problems["amount"] != "金额是必填项。" || problems["colour"] != "“报销”没有“colour”这个字段；它的字段有：amount。" {
		t.Errorf("form problems: %q", problems)
	}
	if _, problems := typ.ParseFields(nil, map[string]string{}); problems["amount"] != "金额 is required." {
		t.Errorf("English form problems: %q", problems)
	}
}

// TestPrivateWordsInChinese: what stands for a private request's title
// and text.
func TestPrivateWordsInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	for _, tc := range []struct{ got, want string }{
		{bot.PrivateTitleIn(zh, "个人事务"), "私密请求（个人事务）"},
		{bot.PrivateTitleIn(zh, ""), "私密请求"},
		{bot.PrivateTitle("grievance"), "Private grievance request"},
		{bot.PrivateCardNoteIn(zh, &bot.Department{DisplayName: "人力资源部"}, "HR-3"), "_私密请求：内容和字段只有提出人和人力资源部的成员能看到，可在私信里或用 `/ask 状态 HR-3` 查看。_"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestQualityTargetRefusedInChinese: a quality target typed wrong is
// refused in the reader's language; the English is as before.
func TestQualityTargetRefusedInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	_, unwritten := bot.ParsePercent("90")
	_, outside := bot.ParsePercent("120%")
	rating := bot.CheckSatisfaction(6)
	for _, tc := range []struct {
		err    error
		zh, en string
	}{
		{unwritten, `"90" 不是百分比：请写成“90%”这样`, `"90" is not a percentage: write it like "90%"`},
		{outside, `"120%" 不是1%到100%之间的百分比，请写成“90%”这样`, `"120%" is not a percentage from 1% to 100%, like "90%"`},
		{rating, `6 不是1.0到5.0之间的平均评分，请写成4.2这样`, `6 is not an average rating from 1.0 to 5.0, like 4.2`},
	} {
		if got := bot.ErrorText(zh, tc.err); got != tc.zh {
			t.Errorf("got %q, want %q", got, tc.zh)
		}
		if got := bot.ErrorMessage(tc.err); got != tc.en {
			t.Errorf("English: got %q, want %q", got, tc.en)
		}
	}
	if got := bot.RightFirstTimeRuleIn(zh); got != "一次解决率指已解决的请求中，没有被重新打开、也没有被评为1分或2分的比例" {
		t.Errorf("rule: %q", got)
	}
}
