package catalog_test

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/catalog"
	"github.com/askdesk/askdesk/bot/i18n"
)

// zhTOML is the company with a Chinese finance department (its channel
// reads Chinese) whose lead, Fiona, reads Chinese.
var zhTOML = strings.NewReplacer(
	`U0SAM0001 = { name = "sam", department = "finance" }`,
	`U0SAM0001 = { name = "sam", department = "finance" }`+"\n"+`U0FIONA01 = { name = "fiona", lang = "zh-Hans" }`,
	`name = "finance"`, `name = "finance"`+"\n"+`display_name = "财务部"`+"\n"+`language = "zh-Hans"`,
).Replace(companyTOML)

// openZh is open with the desk saying in which language each reads.
func openZh(t *testing.T, source string) *opened {
	t.Helper()
	o := open(t, openDB(t, filepath.Join(t.TempDir(), "askdesk.db")), parse(t, zhTOML), source)
	o.cat.SetLanguages(o.desk)
	return o
}

// hanLeaks are the English words of 3+ letters in s that are none of the
// allowed (input syntax, config keys, product names).
func hanLeaks(s string, allowed ...string) []string {
	for _, w := range allowed {
		s = strings.ReplaceAll(s, w, "")
	}
	s = regexp.MustCompile("`[^`]*`|<@[A-Z0-9]+>").ReplaceAllString(s, "")
	return regexp.MustCompile(`[A-Za-z]{3,}`).FindAllString(s, -1)
}

// A Chinese-speaking lead edits the standard in Chinese: the form's
// labels and hints (each within Slack's 150 characters), its problems,
// the refusals, and the notes of a change, the channel's in the
// department's language.
func TestCatalogueEditedInChinese(t *testing.T) {
	ctx := context.Background()
	zh := i18n.Default().For(i18n.ZhHans)
	o := openZh(t, catalog.FromSlack)

	fields, err := o.cat.Form(ctx, fiona, "finance")
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]bot.FormField{}
	for _, f := range fields {
		byKey[f.Key] = f
		if n := utf8.RuneCountInString(f.Hint); n > 150 {
			t.Errorf("%s: hint of %d characters, Slack shows 150: %s", f.Key, n, f.Hint)
		}
		syntax := []string{"Slack", "TOML", "IANA", "Asia/Shanghai", "weekdays", "mon", "sun", "sat", "closed", "normal", "urgent", "low",
			"calendar", "types", "name", "description", "default", "private", "sla", "fields", "askdesk", "C0123ABCD", "S0123ABCD"}
		if leaks := hanLeaks(f.Label+" "+f.Hint, syntax...); len(leaks) > 0 {
			t.Errorf("%s leaks English %q: %s / %s", f.Key, leaks, f.Label, f.Hint)
		}
	}
	for key, want := range map[string]string{"display_name": "显示名称", "description": "部门服务范围", "hours": "工作时间",
		"workdays": "调休上班日", "targets": "时限：首次响应 / 解决", "right_first_time": "质量目标：一次解决率"} {
		if got := byKey[key].Label; got != want {
			t.Errorf("label of %s: %q, want %q", key, got, want)
		}
	}
	if got := byKey["holidays"].Hint; got != "每行一个：先写日期，再写名称，例如“2026-10-01 国庆节”。" {
		t.Errorf("hint of holidays: %q", got)
	}

	_, _, err = o.cat.Edit(ctx, fiona, "finance", map[string]string{"hours": "someday 09:00-17:00", "satisfaction": "很高"}, "", "slack")
	var fe *bot.FormError
	if !errors.As(err, &fe) {
		t.Fatalf("a broken edit: %v, want a *bot.FormError", err)
	}
	for key, want := range map[string]string{
		"hours":        `"someday 09:00-17:00"：每行请以 weekdays、mon、tue、wed、thu、fri、sat 或 sun 开头`,
		"satisfaction": `"很高" 不是数字：请写要达到的平均评分，例如 4.2`,
		"reason":       "请用一句话说明为什么修改服务标准；说明会随修改一起保存，并告知部门。",
	} {
		if got := fe.Fields[key]; got != want {
			t.Errorf("%s: %q, want %q", key, got, want)
		}
	}
	_, _, err = o.cat.Edit(ctx, fiona, "finance", map[string]string{"description": "报销"}, strings.Repeat("长", 301), "slack")
	if !errors.As(err, &fe) || fe.Fields["reason"] != "修改原因请写成一行（最多300个字，现在有301个字）。" {
		t.Errorf("a long reason: %v", err)
	}
	_, _, err = o.cat.Edit(ctx, fiona, "finance", map[string]string{"prefix": "FNN"}, "改名", "slack")
	if !errors.As(err, &fe) || fe.Fields["settings"] != "prefix 用来标识部门及其请求（FIN-42），不能修改" {
		t.Errorf("a new prefix: %v", err)
	}

	for _, tc := range []struct {
		name string
		err  func() error
		want string
	}{
		{"NotALead", func() error { _, err := o.cat.Form(ctx, frank, "finance"); return err }, "只有财务部的负责人和 askdesk 管理员才能修改其服务标准。"},
		{"Unchanged", func() error {
			_, _, err := o.cat.Edit(ctx, fiona, "finance", map[string]string{"timezone": "America/New_York"}, "确认", "slack")
			return err
		}, "没有任何改动：财务部的服务标准已经是这样了。"},
		{"OnlyRevision", func() error { _, _, err := o.cat.Compare(ctx, "finance", 9); return err }, "财务部没有第9版：其服务标准目前只有第1版。"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := bot.ErrorText(zh, tc.err()); got != tc.want {
				t.Errorf("%q, want %q", got, tc.want)
			}
		})
	}

	if _, _, err := o.cat.Edit(ctx, fiona, "finance", map[string]string{"targets": "normal 1h / 1d"}, "月底忙完了", "slack"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.cat.Compare(ctx, "finance", 9); bot.ErrorText(zh, err) != "财务部没有第9版：现有版本为第1版至第2版。" {
		t.Errorf("compare 9: %q", bot.ErrorText(zh, err))
	}
	msgs, err := o.db.PendingMessages(ctx, monday10.Add(time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	var told, dm bool
	for _, m := range msgs {
		text := m.Message.Text
		switch {
		case m.Message.To == "#finance-requests":
			told = true
			// What changed is bot.SummarizeChanges' (the standards' words).
			if !strings.HasPrefix(text, "*财务部更新了服务标准* （第2版）：") || m.Message.Lang != "zh-Hans" ||
				!strings.HasSuffix(text, "。原因：“月底忙完了”（"+bot.Mention(fiona)+"）。此后提交的请求按新标准执行，之前提交的仍按原标准。用 `/ask 标准 finance history` 可查看历次修改。") {
				t.Errorf("queue told %q (%s)", text, m.Message.Lang)
			}
		case m.Message.DM && m.Message.To == fiona:
			dm = true
			if !strings.HasPrefix(text, "已保存财务部服务标准的第2版：") || !strings.HasSuffix(text, "。已通知队列频道。") || m.Message.Lang != "zh-Hans" {
				t.Errorf("lead told %q (%s)", text, m.Message.Lang)
			}
		}
	}
	if !told || !dm {
		t.Fatalf("queue told %v, lead confirmed %v; outbox: %+v", told, dm, msgs)
	}
}

// A file-owned catalogue refuses a Chinese lead's edit in Chinese, naming
// the file.
func TestFileOwnedRefusalInChinese(t *testing.T) {
	o := openZh(t, catalog.FromFile)
	_, err := o.cat.Form(context.Background(), fiona, "finance")
	want := `财务部的服务标准保存在配置文件（askdesk.toml）中（[catalog] source = "file"），只能在那里修改，不能在 Slack 中修改：请联系维护 askdesk 的同事修改其 [[department]] 表并应用（askdesk catalog apply）。`
	if got := bot.ErrorText(i18n.Default().For(i18n.ZhHans), err); got != want {
		t.Errorf("%q,\nwant %q", got, want)
	}
}

// With the desk's languages set and nobody reading Chinese, the form and
// the refusals say what they said before, to the byte.
func TestCatalogueWordsInEnglish(t *testing.T) {
	ctx := context.Background()
	o := open(t, openDB(t, filepath.Join(t.TempDir(), "askdesk.db")), parse(t, companyTOML), catalog.FromSlack)
	o.cat.SetLanguages(o.desk)
	fields, err := o.cat.Form(ctx, fiona, "finance")
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, f := range fields {
		labels = append(labels, f.Label)
	}
	want := "Name shown|What the department serves|Queue channel|Leads|Members|Slack user group|Time zone|Opening hours|Holidays|Extra working days|" +
		"Targets: first response / resolution|Request types (TOML)|Quality target: right first time|Satisfaction target|Other settings (TOML)"
	if got := strings.Join(labels, "|"); got != want {
		t.Errorf("labels %q", got)
	}
	if got := fields[2].Hint; got != "Where new requests are posted: #name or a channel ID (C0123ABCD)." {
		t.Errorf("channel hint %q", got)
	}
	_, err = o.cat.Form(ctx, frank, "finance")
	if got := bot.ErrorMessage(err); got != "Only Finance's leads and askdesk's admins may change its service standards." {
		t.Errorf("not a lead: %q", got)
	}
	_, _, err = o.cat.Edit(ctx, fiona, "finance", map[string]string{"hours": "someday 09:00"}, strings.Repeat("x", 301), "slack")
	var fe *bot.FormError
	if !errors.As(err, &fe) || fe.Fields["hours"] != `"someday 09:00": start each line with weekdays, mon, tue, wed, thu, fri, sat or sun` ||
		fe.Fields["reason"] != "Keep the reason to one line (at most 300 characters; this one has 301)." {
		t.Errorf("problems %v", err)
	}
	f := open(t, openDB(t, filepath.Join(t.TempDir(), "file.db")), parse(t, companyTOML), catalog.FromFile)
	_, err = f.cat.Form(ctx, fiona, "finance")
	if got := bot.ErrorMessage(err); got != `Finance's service standards are kept in askdesk.toml ([catalog] source = "file"), so they are changed there, not in Slack: ask whoever looks after askdesk to edit its [[department]] table and apply it (askdesk catalog apply).` {
		t.Errorf("file-owned: %q", got)
	}
}
