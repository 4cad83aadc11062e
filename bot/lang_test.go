package bot_test

import (
	"errors"
	"testing"

	"github.com/askdesk/askdesk/bot"
)

// locales is a chat's locale cache as the Slack adapter keeps it.
type locales map[string]string

func (l locales) UserLocale(user string) (string, bool) { s, ok := l[user]; return s, ok }

// TestPrinterPrecedence: a reader's language is their [people] lang, then
// their chat locale when askdesk speaks it, then their department's, then
// the company's, then English; a channel's skips the person.
func TestPrinterPrecedence(t *testing.T) {
	en, zh := "en", "zh-Hans"
	zhDept := &bot.Department{Name: "facilities", Language: "zh-Hans"}
	enDept := &bot.Department{Name: "finance", Language: "en"}
	plain := &bot.Department{Name: "it"}
	for _, tc := range []struct {
		name    string
		lang    string // [people] lang of U1
		locale  string // U1's Slack locale; "" unknown
		dep     *bot.Department
		company string
		want    string
	}{
		{"NothingKnownIsEnglish", "", "", nil, "", en},
		{"CompanyDefault", "", "", plain, "zh-Hans", zh},
		{"DepartmentOverCompany", "", "", enDept, "zh-Hans", en},
		{"DepartmentWithoutCompany", "", "", zhDept, "", zh},
		{"SlackLocaleOverDepartment", "", "zh-CN", enDept, "", zh},
		{"SlackEnglishOverDepartment", "", "en-US", zhDept, "zh-Hans", en},
		{"TraditionalReadsSimplified", "", "zh-TW", enDept, "", zh},
		{"UnsupportedLocaleFallsToDepartment", "", "ja-JP", zhDept, "", zh},
		{"UnsupportedLocaleFallsToCompany", "", "ja-JP", plain, "zh-Hans", zh},
		{"PeopleOverSlack", "en", "zh-CN", zhDept, "zh-Hans", en},
		{"PeopleChinese", "zh-Hans", "en-US", enDept, "", zh},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := &bot.Directory{Language: tc.company, People: map[string]*bot.Person{
				"U1": {ID: "U1", Name: "one", Lang: tc.lang},
			}}
			d := &bot.Desk{}
			if tc.locale != "" {
				d.Locales = locales{"U1": tc.locale}
			}
			d.SetDir(dir)
			if got := d.Printer("U1", tc.dep).Lang(); got != tc.want {
				t.Errorf("Printer = %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("ChannelIgnoresPeople", func(t *testing.T) {
		d := &bot.Desk{Locales: locales{"U1": "zh-CN"}}
		d.SetDir(&bot.Directory{Language: "en", People: map[string]*bot.Person{"U1": {ID: "U1", Lang: "zh-Hans"}}})
		if got := d.ChannelPrinter(plain).Lang(); got != "en" {
			t.Errorf("ChannelPrinter(no language) = %s, want the company's en", got)
		}
		if got := d.ChannelPrinter(zhDept).Lang(); got != "zh-Hans" {
			t.Errorf("ChannelPrinter(zh department) = %s", got)
		}
		if got := d.ChannelPrinter(nil).Lang(); got != "en" {
			t.Errorf("ChannelPrinter(nil) = %s", got)
		}
	})
}

func TestErrorTextApologisesInTheReadersLanguage(t *testing.T) {
	d := &bot.Desk{}
	d.SetDir(&bot.Directory{Language: "zh-Hans"})
	p := d.ChannelPrinter(nil)
	if got := bot.ErrorText(p, errors.New("db down")); got != "抱歉，我们这边出了点问题，已记录在日志中。请稍后再试。" {
		t.Errorf("zh apology = %q", got)
	}
	if got, want := bot.ErrorText(nil, errors.New("db down")), "Something went wrong on our side; the error has been logged. Please try again in a moment."; got != want {
		t.Errorf("en apology = %q", got)
	}
	coded := bot.Errorf(bot.EINVALID, "No such request.")
	if got := bot.ErrorText(p, coded); got != "No such request." {
		t.Errorf("a coded error = %q, want its message", got)
	}
}
