package config_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot/config"
)

// The Chinese command aliases are command words too: a department alias
// 我的 would make "/ask 我的" mean a department or the list of one's
// requests, so the config is refused, in traditional characters as well.
func TestReservedWords_ChineseAliases(t *testing.T) {
	for _, w := range []string{"帮助", "我的", "部门", "关系图"} {
		if !slices.Contains(config.ReservedWords, w) {
			t.Errorf("ReservedWords lacks %q", w)
		}
	}
	for _, alias := range []string{"我的", "幫助"} {
		probs := mustProblems(t, replaceLine(finance, 3, `aliases = ["fin", "`+alias+`"]`))
		if len(probs) != 1 || probs[0].Key != "department[0].aliases[1]" || !strings.Contains(probs[0].Msg, "is an /ask command word") {
			t.Errorf("alias %q: got problems %v, want one: an /ask command word", alias, probs)
		}
	}
}
