package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
)

// twoLanguages is a company whose finance department (财务部) reads
// Chinese and whose HR department reads English; finance has a form with
// a field, and a private type.
const twoLanguages = `[[department]]
name = "finance"
display_name = "财务部"
prefix = "FIN"
channel = "#finance"
language = "zh-Hans"
leads = ["U0FIONA"]
timezone = "Asia/Shanghai"
hours.weekdays = "09:00-18:00"
sla.normal = { first_response = "4h", resolution = "3d" }

[[department.types]]
name = "reimbursement"
display_name = "费用报销"
default = true

[[department.types.fields]]
name = "amount"
label = "金额"
kind = "number"

[[department.types]]
name = "personal"
display_name = "个人事务"
private = true

[[department]]
name = "hr"
display_name = "HR"
prefix = "HR"
channel = "#hr"
language = "en"
leads = ["U0HANNA"]
timezone = "America/New_York"
hours.weekdays = "09:00-17:00"
sla.normal = { first_response = "4h", resolution = "3d" }
`

// TestTransferredCardsKeepTheirChannelsLanguage: FIN-1 (public, with a
// field) and FIN-2 (private) are filed with the Chinese 财务部 and
// transferred to the English HR. The card left behind in #finance is
// Chinese throughout (title, fields, journey, change line), and the card in
// #hr English throughout, though the request's owner is now HR.
func TestTransferredCardsKeepTheirChannelsLanguage(t *testing.T) {
	cfg, err := config.Parse("askdesk.toml", strings.NewReader(twoLanguages))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := cfg.Directory()
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	f.Desk.SetDir(dir)
	const text = "出差报销 1200 元"
	if _, err := f.Desk.File(f.Ctx, bot.Filing{Requester: sam, Dept: "finance", Text: text, Source: "test",
		Fields: map[string]string{"amount": "1200"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Desk.File(f.Ctx, bot.Filing{Requester: sam, Dept: "finance", Type: "personal", Text: "工资不对", Source: "test"}); err != nil {
		t.Fatal(err)
	}
	f.Sent(t)
	f.Clock.Advance(time.Hour)
	f.Do(t, fiona, bot.ActTransfer, "FIN-1", "hr")
	f.Do(t, fiona, bot.ActTransfer, "FIN-2", "hr")

	cards := map[string][]bot.Message{}
	for _, m := range f.Sent(t) {
		if m.CardFor != "" {
			cards[m.To] = append(cards[m.To], m)
		}
	}
	if len(cards["#finance"]) != 2 || len(cards["#hr"]) != 2 {
		t.Fatalf("cards: %d in #finance, %d in #hr; want 2 and 2", len(cards["#finance"]), len(cards["#hr"]))
	}
	for _, m := range cards["#finance"] {
		if m.Lang != "zh-Hans" {
			t.Errorf("%s card in #finance marked %q, want zh-Hans", m.CardFor, m.Lang)
		}
		// The field's name (its type is not HR's) and the zone are data.
		wantChinese(t, m.CardFor+" card in #finance", m.Text+"\n"+m.Change, nil, "HR", "#hr", "1200", "amount", "America/New_York")
		if m.Card == nil || m.Card.Request == nil {
			t.Fatalf("%s card in #finance not drawn", m.CardFor)
		}
		if m.CardFor == "FIN-2" && !strings.ContainsFunc(m.Card.Request.Title, isHan) {
			t.Errorf("private card in #finance titled %q, want Chinese", m.Card.Request.Title)
		}
	}
	for _, m := range cards["#hr"] {
		if m.Lang != "en" {
			t.Errorf("%s card in #hr marked %q, want en", m.CardFor, m.Lang)
		}
		body := strings.NewReplacer(text, "", "财务部", "", "费用报销", "", "个人事务", "", "金额", "").Replace(m.Text + "\n" + m.Change)
		if strings.ContainsFunc(body, isHan) || strings.ContainsAny(body, "，。：（）“”") {
			t.Errorf("%s card in #hr is not wholly English:\n%s", m.CardFor, m.Text+"\n"+m.Change)
		}
	}
}

// TestCardOfARequestWhoseDepartmentLeftTheConfig: HR leaves the config
// while the cards of FIN-1's transfer wait to go. Nothing can draw them
// in full; the line that stands for each is still in its channel's
// language, and English says the state as it always has.
func TestCardOfARequestWhoseDepartmentLeftTheConfig(t *testing.T) {
	cfg, err := config.Parse("askdesk.toml", strings.NewReader(twoLanguages))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := cfg.Directory()
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	f.Desk.SetDir(dir)
	if _, err := f.Desk.File(f.Ctx, bot.Filing{Requester: sam, Dept: "finance", Type: "personal", Text: "工资不对", Source: "test"}); err != nil {
		t.Fatal(err)
	}
	f.Sent(t)
	f.Do(t, fiona, bot.ActTransfer, "FIN-1", "hr")
	gone, err := cfg.Directory()
	if err != nil {
		t.Fatal(err)
	}
	gone.Departments = gone.Departments[:1]
	gone.Index()
	f.Desk.SetDir(gone)

	got := map[string]string{}
	for _, m := range f.Sent(t) {
		if m.CardFor != "" {
			got[m.To] = m.Text
		}
	}
	want := map[string]string{
		"#finance": "*FIN-1* · 待处理 · 私密请求（个人事务）",
		"#hr":      "*FIN-1* · open · Private 个人事务 request",
	}
	for to, w := range want {
		if got[to] != w {
			t.Errorf("card in %s = %q, want %q", to, got[to], w)
		}
	}
}

// TestPrivateRequestFiledFromAMessageIsNamedInTheRequestersLanguage: a
// private request filed from a message is answered where it was filed
// with its type, never its words, in the requester's language.
func TestPrivateRequestFiledFromAMessageIsNamedInTheRequestersLanguage(t *testing.T) {
	cfg, err := config.Parse("askdesk.toml", strings.NewReader(twoLanguages))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := cfg.Directory()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, want string }{
		{"zh-Hans", "已为 <@U0SAM> 向财务部提交 *FIN-1* （私密请求（个人事务））。"},
		{"en", "Filed as *FIN-1* (Private 个人事务 request) with 财务部 for <@U0SAM>."},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			f := newFixture(t)
			dir.People[sam] = &bot.Person{ID: sam, Name: "sam", Lang: tc.lang}
			f.Desk.SetDir(dir)
			if _, err := f.Desk.File(f.Ctx, bot.Filing{Requester: sam, Dept: "finance", Type: "personal", Text: "工资不对", Source: "test",
				OriginChannel: "#general", OriginMessage: "1700000000.000100"}); err != nil {
				t.Fatal(err)
			}
			var got string
			for _, m := range f.Sent(t) {
				if m.To == "#general" {
					got = m.Text
				}
			}
			if !strings.HasPrefix(got, tc.want) || strings.Contains(got, "工资不对") {
				t.Errorf("answer in #general = %q, want %q…", got, tc.want)
			}
		})
	}
}
