package chart

import (
	_ "embed"
	"fmt"
	"sync"

	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/language"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
)

// cjkTypeface names the embedded font in the chart's own font cache.
const cjkTypeface = "WenQuanYi Micro Hei"

// cjkTTF is WenQuanYi Micro Hei cut down to Latin, punctuation, full-width
// forms and the 6,763 GB2312 hanzi (Apache-2.0; fonts/README.md says how,
// fonts/NOTICE whose). gonum/plot's text.Plain draws each text in one face
// with no fallback, so a Chinese chart draws all its text, Latin and digits
// included, in this font.
//
//go:embed fonts/wqy-microhei-gb2312.ttf
var cjkTTF []byte

// cjkFont parses the embedded font once, on the first Chinese chart.
var cjkFont = sync.OnceValues(func() (*opentype.Font, error) {
	f, err := opentype.Parse(cjkTTF)
	if err != nil {
		return nil, fmt.Errorf("trend chart: CJK font: %w", err)
	}
	return f, nil
})

// cjkCache holds only the CJK font: a Chinese chart looks its faces up
// here, never in gonum's font.DefaultCache, which stays as plot set it.
var cjkCache = sync.OnceValues(func() (*font.Cache, error) {
	f, err := cjkFont()
	if err != nil {
		return nil, err
	}
	return font.NewCache(font.Collection{{Font: font.Font{Typeface: cjkTypeface}, Face: f}}), nil
})

// needsCJK reports whether a chart in lang is drawn in the CJK font.
func needsCJK(lang language.Tag) bool {
	base, _ := lang.Base()
	return base.String() == "zh"
}

// useCJK sets every text of p (title, axis labels, tick labels, legend) in
// the CJK font at the size plot gave it.
func useCJK(p *plot.Plot) error {
	cache, err := cjkCache()
	if err != nil {
		return err
	}
	for _, sty := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle,
		&p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		sty.Font = font.From(font.Font{Typeface: cjkTypeface}, sty.Font.Size)
		sty.Handler = text.Plain{Fonts: cache}
	}
	return nil
}

// Missing returns the runes of s, once each in order, that a Chinese chart
// cannot draw (the embedded font has no glyph for them and would draw a
// box): a department's display name may use rarer characters than GB2312.
// Spaces and other control characters are never missing.
func Missing(s string) ([]rune, error) {
	f, err := cjkFont()
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	var out []rune
	seen := map[rune]bool{}
	for _, r := range s {
		if r < ' ' || seen[r] {
			continue
		}
		seen[r] = true
		i, err := f.GlyphIndex(&buf, r)
		if err != nil {
			return nil, fmt.Errorf("trend chart: CJK font: %w", err)
		}
		if i == 0 {
			out = append(out, r)
		}
	}
	return out, nil
}
