package cjk_test

import (
	"slices"
	"testing"

	"github.com/askdesk/askdesk/bot/cjk"
)

func TestBigramsPairsEachRunAndEndsWithItsLastRune(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"需要第三季度预算", "需要 要第 第三 三季 季度 度预 预算 算"},
		{"税", "税"},
		{"VPN 报销，发票。", "报销 销 发票 票"},
		{"laptop broken", ""},
		{"", ""},
	} {
		if got := cjk.Bigrams(c.in); got != c.want {
			t.Errorf("Bigrams(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestQueryGramsArePairsOrTheOneRune(t *testing.T) {
	if got, want := cjk.QueryGrams("第三季度"), []string{"第三", "三季", "季度"}; !slices.Equal(got, want) {
		t.Errorf("QueryGrams = %q, want %q", got, want)
	}
	if got, want := cjk.QueryGrams("税"), []string{"税"}; !slices.Equal(got, want) {
		t.Errorf("QueryGrams = %q, want %q", got, want)
	}
}

func TestSplitCutsWhereHanMeetsOtherLetters(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"vpn报销", []string{"vpn", "报销"}},
		{"报销vpn账号", []string{"报销", "vpn", "账号"}},
		{"laptop", []string{"laptop"}},
		{"预算", []string{"预算"}},
	} {
		if got := cjk.Split(c.in); !slices.Equal(got, c.want) {
			t.Errorf("Split(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestIsHanTakesCharactersNotRadicals(t *testing.T) {
	for r, want := range map[rune]bool{'预': true, '々': true, '〇': true, '⺀': false, 'a': false, 'の': false, '，': false} {
		if got := cjk.IsHan(r); got != want {
			t.Errorf("IsHan(%q) = %v, want %v", r, got, want)
		}
	}
}
