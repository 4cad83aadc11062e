package chart

import (
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
)

// TestUseCJKSetsEveryText: useCJK puts every text style of a plot in the
// CJK font's own cache, the numeric tick labels included (the image test
// in lang_test.go varies only words, so it cannot see the numbers' font),
// and keeps the size plot gave each.
func TestUseCJKSetsEveryText(t *testing.T) {
	p := plot.New()
	before := map[string]float64{}
	styles := func() map[string]*text.Style {
		return map[string]*text.Style{"Title": &p.Title.TextStyle, "X.Label": &p.X.Label.TextStyle, "Y.Label": &p.Y.Label.TextStyle,
			"X.Tick.Label": &p.X.Tick.Label, "Y.Tick.Label": &p.Y.Tick.Label, "Legend": &p.Legend.TextStyle}
	}
	for name, sty := range styles() {
		before[name] = sty.Font.Size.Points()
	}
	if err := useCJK(p); err != nil {
		t.Fatal(err)
	}
	cache, err := cjkCache()
	if err != nil {
		t.Fatal(err)
	}
	for name, sty := range styles() {
		h, ok := sty.Handler.(text.Plain)
		if !ok || h.Fonts != cache || sty.Font.Typeface != cjkTypeface {
			t.Errorf("%s: typeface %q, handler %T: not the CJK font's cache", name, sty.Font.Typeface, sty.Handler)
		}
		if got := sty.Font.Size.Points(); got != before[name] {
			t.Errorf("%s: size %v, want %v", name, got, before[name])
		}
	}
}
