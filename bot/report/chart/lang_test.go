package chart_test

import (
	"bytes"
	"crypto/sha256"
	"flag"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"

	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/bot/report/chart"
)

var zhOut = flag.String("trend-zh", "", "also write the Chinese trend chart to this PNG file, to look at")

var zhHans = language.MustParse("zh-Hans")

// trendWeeks is eight weeks with a quiet fourth week (a gap in the lines)
// and, when target is set, a published right-first-time target.
func trendWeeks(target float64) []report.WeekFigures {
	week := report.ISOWeek{Year: 2026, Week: 40}
	var weeks []report.WeekFigures
	for i := range 8 {
		f := report.Figures{New: 10 + 3*i, Resolved: 8 + 2*i, FirstResponses: 10, FirstResponsesMet: 6 + i%5,
			ResolutionsMet: 7 + i%2, RightFirstTime: 3 + i%3, ResolutionTime: report.Spread{N: 1, Median: time.Hour}}
		if i == 3 {
			f = report.Figures{}
		}
		weeks = append(weeks, report.WeekFigures{Week: week.Add(i).String(), Figures: f, RightFirstTimeTarget: target})
	}
	return weeks
}

// zhWords are the Chinese chart words proposed for the catalogue (the
// digest's title as PostDigest and `askdesk digest --chart` word it).
func zhWords(title string) chart.Words {
	return chart.Words{
		Title:          title,
		FirstResponse:  "首次响应",
		Resolution:     "解决",
		RightFirstTime: "一次解决率（未重新打开、未评1–2分）",
		Target:         func(pct string) string { return "一次解决率目标" + pct },
		New:            "新请求",
		Resolved:       "已解决",
		Percent:        "%",
		Requests:       "请求数",
		Week:           func(_, week int) string { return fmt.Sprintf("第%d周", week) },
	}
}

const (
	zhTitle    = "财务部：最近8周"
	zhCmdTitle = "财务部 · 时限达成率、一次解决率和请求量（2026年第40周至第47周）"
)

// TestFontCoversChineseChart: the embedded font has a glyph (GlyphIndex
// != 0) for every rune a Chinese chart draws: the proposed chart words,
// titles, week labels, digits, %, and department names like those of the
// Chinese example config. Missing also finds what the font lacks, so the
// check is not vacuous.
func TestFontCoversChineseChart(t *testing.T) {
	w := zhWords(zhTitle)
	texts := []string{w.Title, w.FirstResponse, w.Resolution, w.RightFirstTime, w.Target("90%"), w.Target("87.5%"),
		w.New, w.Resolved, w.Percent, w.Requests, w.Week(2026, 47), zhCmdTitle,
		"首次响应", "解决", "一次解决率", "时限", "目标", "新请求", "已解决", "请求数", "第47周",
		"0123456789 %.-–·W", "，。：；（）“”、",
		"财务部", "人事部", "行政部", "信息技术部", "法务部", "采购部", "设施部", "所有部门"}
	for _, s := range texts {
		missing, err := chart.Missing(s)
		if err != nil {
			t.Fatal(err)
		}
		if len(missing) > 0 {
			t.Errorf("%q: no glyph for %q", s, string(missing))
		}
	}
	// 䶮 (CJK Extension A) and Cyrillic are outside the subset.
	got, err := chart.Missing("财务部 䶮 Жж 䶮")
	if err != nil {
		t.Fatal(err)
	}
	if want := []rune("䶮Жж"); !slices.Equal(got, want) {
		t.Errorf("Missing: got %q, want %q", string(got), string(want))
	}
}

// English chart hashes, recorded from main (1c3d31d) before the chart took
// words and a language: sha256 of the PNG of trendWeeks(target) titled
// "Finance: the last 8 weeks".
var englishPNG = map[float64]string{
	0:  "9d334882ca94288c941269f94647f527c9b0a95ff22900ef64b5bea806e676d2",
	90: "af4b174814a911968a8f862ffdc79617425e8ead2c4804aac442658d39a95d3f",
}

// TestTrendEnglishUnchanged: an English chart is byte for byte what it was
// before the chart spoke Chinese, whether the caller gives only a title or
// every English word, and also after a Chinese chart was drawn (which must
// leave gonum/plot's global fonts alone).
func TestTrendEnglishUnchanged(t *testing.T) {
	const title = "Finance: the last 8 weeks"
	check := func(when string) {
		t.Helper()
		for target, want := range englishPNG {
			for name, words := range map[string]chart.Words{"TitleOnly": {Title: title}, "English": chart.English(title)} {
				png, err := chart.Trend(trendWeeks(target), words, language.English)
				if err != nil {
					t.Fatal(err)
				}
				if got := fmt.Sprintf("%x", sha256.Sum256(png)); got != want {
					t.Errorf("%s, %s, target %v: sha256 %s, want %s", when, name, target, got, want)
				}
			}
		}
	}
	check("before a Chinese chart")
	if _, err := chart.Trend(trendWeeks(90), zhWords(zhTitle), zhHans); err != nil {
		t.Fatal(err)
	}
	check("after a Chinese chart")
	if plot.DefaultFont.Typeface != "Liberation" || font.DefaultCache.Has(font.Font{Typeface: "WenQuanYi Micro Hei"}) {
		t.Errorf("a Chinese chart changed gonum/plot's defaults: DefaultFont %+v", plot.DefaultFont)
	}
}

// TestTrendChineseDrawsGlyphs: a Chinese chart is a 768×480 PNG whose
// every text (title, axis label, legend, week ticks) is drawn in glyphs:
// changing one text's hanzi, rune count kept, changes the image. In
// Liberation, which has no hanzi, both draw the same boxes and the images
// are equal; that is what the test would see if the CJK font were lost.
func TestTrendChineseDrawsGlyphs(t *testing.T) {
	weeks := trendWeeks(90)
	render := func(w chart.Words, lang language.Tag) []byte {
		t.Helper()
		png, err := chart.Trend(weeks, w, lang)
		if err != nil {
			t.Fatal(err)
		}
		return png
	}
	png := render(zhWords(zhCmdTitle), zhHans)
	img, format, err := image.Decode(bytes.NewReader(png))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if b := img.Bounds(); format != "png" || b.Dx() != 768 || b.Dy() != 480 {
		t.Errorf("%s %dx%d, want png 768x480", format, b.Dx(), b.Dy())
	}
	if *zhOut != "" {
		if err := os.WriteFile(*zhOut, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// swap replaces each hanzi of s by another, so the text keeps its
	// length and width and only its glyphs change.
	swap := func(s string) string {
		return strings.NewReplacer("首", "末", "次", "回", "响", "答", "应", "复", "解", "处", "决", "理",
			"请", "工", "求", "单", "数", "量", "新", "旧", "已", "未", "第", "本", "周", "月",
			"财", "人", "务", "事", "部", "处").Replace(s)
	}
	for _, c := range []struct {
		name   string
		change func(*chart.Words)
	}{
		{"Title", func(w *chart.Words) { w.Title = swap(w.Title) }},
		{"AxisLabel", func(w *chart.Words) { w.Requests = swap(w.Requests) }},
		{"AttainmentLegend", func(w *chart.Words) { w.FirstResponse = swap(w.FirstResponse) }},
		{"VolumeLegend", func(w *chart.Words) { w.New = swap(w.New) }},
		{"TargetLegend", func(w *chart.Words) { w.Target = func(pct string) string { return swap("首次解决目标") + pct } }},
		{"WeekTicks", func(w *chart.Words) { w.Week = func(_, week int) string { return swap(fmt.Sprintf("第%d周", week)) } }},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, b := zhWords(zhTitle), zhWords(zhTitle)
			if c.name == "TargetLegend" {
				a.Target = func(pct string) string { return "首次解决目标" + pct }
			}
			c.change(&b)
			if !bytes.Equal(render(a, language.English), render(b, language.English)) {
				t.Fatal("in Liberation the two texts draw differently; the test cannot tell glyphs from boxes")
			}
			if bytes.Equal(render(a, zhHans), render(b, zhHans)) {
				t.Error("in Chinese the two texts draw the same: boxes, not glyphs")
			}
		})
	}
}
