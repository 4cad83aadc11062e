package route_test

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/route"
)

// zhKeywords are Chinese keywords for the example company's departments,
// as a Chinese config would give them (keywords = [...]); the routing of
// Chinese text rests on them and on the Chinese aliases.
var zhKeywords = map[string][]string{
	"finance":    {"报销", "发票", "差旅费", "预算", "付款", "到账", "费用", "财务"},
	"it":         {"电脑", "笔记本", "开机", "VPN", "邮箱", "账号", "打印机", "密码", "登录", "系统", "网络"},
	"hr":         {"年假", "请假", "工资", "社保", "入职", "离职", "产假", "人事"},
	"legal":      {"合同", "审核", "保密协议", "商标", "律师", "律师函", "法务"},
	"marketing":  {"海报", "设计", "公众号", "推文", "宣传", "发布会", "官网", "横幅", "品牌"},
	"sales":      {"报价", "报价单", "折扣", "价格", "潜在客户", "拜访", "订单"},
	"facilities": {"会议室", "空调", "工位", "搬家", "照明", "门禁", "访客", "行政"},
	"purchasing": {"采购", "采购订单", "供应商", "比价", "补货", "库存", "办公椅"},
	"production": {"样品", "样机", "生产", "排期", "产线", "返工", "试用"},
}

// TestRouteAccuracy_Chinese: with Chinese keywords in the catalogue and no
// history, at least 8 in 10 Chinese requests (testdata/routing/
// requests-zh.tsv, typed without spaces, some in traditional characters)
// get their department as the first suggestion. Without Han pairs a
// sentence is one word and nothing matches.
func TestRouteAccuracy_Chinese(t *testing.T) {
	dir := exampleDir(t)
	depts := make([]route.Dept, len(dir.Departments))
	for i, dep := range dir.Departments {
		depts[i] = bot.RouteDept(dep)
	}
	for i := range depts {
		depts[i].Catalogue = append(depts[i].Catalogue, zhKeywords[depts[i].Name]...)
	}
	m := route.New(depts)
	cases := zhEvalSet(t)
	right := 0
	for _, c := range cases {
		if got := m.Rank(c.Text)[0]; got.Dept == c.Dept && got.Score > 0 {
			right++
		} else {
			t.Logf("miss: %q → %s, want %s", c.Text, got.Dept, c.Dept)
		}
	}
	acc := float64(right) / float64(len(cases))
	t.Logf("Chinese, catalogue alone: top-1 %.0f%% of %d", 100*acc, len(cases))
	if len(cases) < 30 || acc < 0.80 {
		t.Errorf("top-1 accuracy %.0f%% of %d requests, want at least 80%% of at least 30", 100*acc, len(cases))
	}
}

func zhEvalSet(tb testing.TB) []evalCase {
	tb.Helper()
	f, err := os.Open("../../testdata/routing/requests-zh.tsv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []evalCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		dept, text, ok := strings.Cut(line, "\t")
		if !ok {
			tb.Fatalf("no tab in %q", line)
		}
		out = append(out, evalCase{Dept: dept, Text: text})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestWordsHan(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"电脑坏了", "电脑 脑坏 坏了"},
		{"VPN连不上", "vpn 连不 不上"},   // each script on its own
		{"請幫我開發票", "我开 开发 发票"},    // traditional folded; 请帮 and 帮我 are common pairs
		{"需要报销", "要报 报销"},         // 需要 is a common pair
		{"灯", "灯"},                // one character stays
		{"the laptops", "laptop"}, // English as before
	} {
		if got := strings.Join(route.Words(tc.in), " "); got != tc.want {
			t.Errorf("Words(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
