package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// TestRouteAsksInChinese: free text that names no department is answered
// in Chinese with the likeliest department as a button; pressing it files
// and acknowledges in Chinese; pressing again, or someone else pressing,
// is refused in Chinese.
func TestRouteAsksInChinese(t *testing.T) {
	d := exampleZhDesk(t)
	ctx := context.Background()
	zh := i18n.Default().For(i18n.ZhHans)

	r := d.Command(ctx, songjie, "/ask 我的笔记本电脑屏幕坏了")
	if want := "你没有指定部门，下面是这件事最可能归属的部门：\n> 我的笔记本电脑屏幕坏了\n最可能是IT部。在你选定之前什么都不会提交；要交给别的部门，请点“其他部门…”。"; r.Text != want {
		t.Errorf("routing reply:\ngot  %s\nwant %s", r.Text, want)
	}
	if len(r.Buttons) != 2 || r.Buttons[0].Label != "提交给IT部" || r.Buttons[0].Arg != "it" || r.Buttons[1].Label != "其他部门…" {
		t.Fatalf("buttons %+v", r.Buttons)
	}
	ref := r.Buttons[0].RequestID

	if _, err := d.FileRouted(ctx, yangxue, ref, "it"); bot.ErrorText(zh, err) != "只有输入这个请求的人才能决定把它交给哪个部门。" {
		t.Errorf("someone else pressed: %v", err)
	}
	filed, err := d.FileRouted(ctx, songjie, ref, "it")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(filed.Text, "已提交 *IT-1* 给IT部") || len(filed.Buttons) != 1 || filed.Buttons[0].Label != "撤回" {
		t.Errorf("filed: %q %+v", filed.Text, filed.Buttons)
	}
	_, err = d.FileRouted(ctx, songjie, ref, "it")
	if got, want := bot.ErrorText(zh, err), "这个请求已经提交过了，或者等待选择部门太久，已经失效。发 `/ask list` 可查看你的请求；要重新提交，请再输入一次。"; got != want {
		t.Errorf("pressed twice:\ngot  %s\nwant %s", got, want)
	}
	if got, want := bot.ErrorMessage(err), "That request was filed already, or waited too long for a department. `/ask list` shows your requests; type it again to file it anew."; got != want {
		t.Errorf("pressed twice, in English: %s", got)
	}

	unsure := d.Command(ctx, songjie, "/ask 帮我看看这个")
	if want := "你没有指定部门，下面是这件事最可能归属的部门：\n> 帮我看看这个\n我判断不出这件事该由哪个部门处理。在你选定之前什么都不会提交；要交给别的部门，请点“其他部门…”。"; unsure.Text != want {
		t.Errorf("no likely department:\ngot  %s\nwant %s", unsure.Text, want)
	}
	wantChinese(t, "routing", r.Text+"\n"+unsure.Text+"\n"+filed.Buttons[0].Label+r.Buttons[0].Label, nil)
}

// TestRouteOffersTypesInChinese: a likely department's one-click request
// type is named on its button and in the question, in Chinese punctuation;
// a letter asks for a field, so a request for one is offered to HR as its
// default type (一般咨询), which asks for none.
func TestRouteOffersTypesInChinese(t *testing.T) {
	d := exampleZhDesk(t)
	for _, tc := range []struct{ text, likely, labels, arg string }{
		{"工资和同事之间的问题想私下聊聊", "人力资源部（个人事务）", "提交给人力资源部（个人事务）|其他部门…", "hr/personal"},
		{"帮我开一份在职证明", "人力资源部", "提交给人力资源部|其他部门…", "hr"},
	} {
		r := d.Command(context.Background(), songjie, "/ask "+tc.text)
		var labels []string
		for _, b := range r.Buttons {
			labels = append(labels, b.Label)
		}
		want := "你没有指定部门，下面是这件事最可能归属的部门：\n> " + tc.text + "\n最可能是" + tc.likely + "。在你选定之前什么都不会提交；要交给别的部门，请点“其他部门…”。"
		if r.Text != want || strings.Join(labels, "|") != tc.labels || r.Buttons[0].Arg != tc.arg {
			t.Errorf("routing reply:\n%s\n%q\nwant\n%s\n%s", r.Text, labels, want, tc.labels)
		}
	}
}
