package bot_test

import (
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"
)

// Quality against its targets reads in Chinese for a Chinese reader, and
// the text with a target begins with the text without one (the digest
// trims the one from the other).
func TestQualityTextInChinese(t *testing.T) {
	zh := i18n.Default().For(i18n.ZhHans)
	for _, tc := range []struct{ name, got, want string }{
		{"RightFirstTimeBelow", bot.RightFirstTimeTextIn(zh, 11, 13, 90), "84%（11/13），低于90%的目标"},
		{"RightFirstTimeMeets", bot.RightFirstTimeTextIn(zh, 9, 10, 90), "90%（9/10），达到90%的目标"},
		{"RightFirstTimeNothing", bot.RightFirstTimeTextIn(zh, 0, 0, 90), "–（尚无已解决的请求），目标90%"},
		{"SatisfactionMeets", bot.SatisfactionTextIn(zh, 4.3, 6, 4.2), "4.3/5（6个评分），达到4.2的目标"},
		{"SatisfactionOne", bot.SatisfactionTextIn(zh, 5, 1, 0), "5.0/5（1个评分）"},
		{"SatisfactionNone", bot.SatisfactionTextIn(zh, 0, 0, 4.2), "暂无评分，目标4.2"},
		{"Line", bot.QualityLineIn(zh, bot.QualityTarget{RightFirstTime: 90}, bot.QualityFigures{Resolved: 2, RightFirstTime: 2, Ratings: 2, Average: 4}),
			"一次解决率 100%（2/2），达到90%的目标 · 满意度 4.0/5（2个评分）"},
		{"EnglishUnchanged", bot.QualityLineIn(nil, bot.QualityTarget{RightFirstTime: 90}, bot.QualityFigures{Resolved: 13, RightFirstTime: 11, Ratings: 1, Average: 4}),
			"right first time 84% (11 of 13), below the 90% target · satisfaction 4.0 / 5 from 1 rating"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
			if tc.name != "EnglishUnchanged" {
				wantChinese(t, tc.name, tc.got, nil)
			}
		})
	}
}
