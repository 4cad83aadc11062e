package slackapp

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/i18n"
)

// TestHomeFormsInChinese: the Home's reply and search forms speak the
// reader's language, and nil still means English.
func TestHomeFormsInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	reply := homeReplyModal(zh, "FIN-12")
	search := homeSearchModal(zh)
	for _, c := range []struct{ got, want string }{
		{reply.Title.Text, "回复"}, {reply.Submit.Text, "提交"}, {reply.Close.Text, "取消"},
		{search.Title.Text, "搜索"}, {search.Close.Text, "关闭"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	raw, _ := json.Marshal([]any{reply, search})
	s := strings.ReplaceAll(string(raw), "dept:it", "")
	if !strings.Contains(s, "回复 FIN-12") {
		t.Errorf("reply label lacks the request: %s", raw)
	}
	// Only JSON keys and Block Kit types may be English: look at the texts.
	for _, m := range regexp.MustCompile(`"text":"([^"]*)"`).FindAllStringSubmatch(s, -1) {
		if w := regexp.MustCompile(`[A-Za-z]{3,}`).FindString(strings.ReplaceAll(m[1], "FIN", "")); w != "" {
			t.Errorf("English %q in %q", w, m[1])
		}
	}
	if en := homeReplyModal(nil, "FIN-12"); en.Title.Text != "Reply" || en.Blocks.BlockSet == nil {
		t.Errorf("nil printer: title %q, want Reply", en.Title.Text)
	}
}
