// Package chart draws the weekly digest's trend image with gonum/plot. The
// digest reads fine without it; adapters attach it where they can (a file
// upload in Slack, a file path in the console).
package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/askdesk/askdesk/bot/report"
)

// Size of the image: readable inline in Slack and small to upload.
const (
	width  = 8 * vg.Inch
	height = 5 * vg.Inch
	dpi    = 96
)

var (
	blue   = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	orange = color.RGBA{R: 255, G: 127, B: 14, A: 255}
	grey   = color.RGBA{R: 160, G: 160, B: 160, A: 255}
	green  = color.RGBA{R: 44, G: 160, B: 44, A: 255}
)

// Words are the chart's words, given by the caller in the chart's
// language (report.ChartWords); an empty field is the English word.
type Words = report.ChartWords

// English returns the chart's English words under title: what every
// empty field of Words falls back to.
func English(title string) Words {
	w := report.ChartWordsIn(nil, title)
	w.Week = nil // the default tick: "W47"
	return w
}

// orEnglish fills w's empty fields with the English words.
func orEnglish(w Words) Words {
	en := English(w.Title)
	for _, f := range []struct{ got, en *string }{{&w.FirstResponse, &en.FirstResponse}, {&w.Resolution, &en.Resolution},
		{&w.RightFirstTime, &en.RightFirstTime}, {&w.New, &en.New}, {&w.Resolved, &en.Resolved},
		{&w.Percent, &en.Percent}, {&w.Requests, &en.Requests}} {
		if *f.got == "" {
			*f.got = *f.en
		}
	}
	if w.Target == nil {
		w.Target = en.Target
	}
	return w
}

// Trend draws weeks, oldest first, as a PNG: SLA attainment in percent
// (first response and resolution) and right first time above, with the
// right-first-time target as a dashed line when one is published; volume
// (new and resolved) below. A week where nothing was due leaves a gap in
// its line. Its text is words; a Chinese lang (zh, zh-Hans) draws all of
// it in the embedded CJK font, any other in gonum/plot's Liberation.
func Trend(weeks []report.WeekFigures, words Words, lang language.Tag) ([]byte, error) {
	if len(weeks) == 0 {
		return nil, fmt.Errorf("trend chart: no weeks")
	}
	words = orEnglish(words)
	labels := make([]string, len(weeks))
	for i, w := range weeks {
		labels[i] = weekLabel(w.Week, words.Week)
	}
	top, err := attainmentPlot(weeks, labels, words)
	if err != nil {
		return nil, err
	}
	bottom, err := volumePlot(weeks, labels, words)
	if err != nil {
		return nil, err
	}
	if needsCJK(lang) {
		for _, p := range []*plot.Plot{top, bottom} {
			if err := useCJK(p); err != nil {
				return nil, err
			}
		}
	}
	img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(4),
		PadLeft: vg.Points(4), PadRight: vg.Points(8), PadY: vg.Points(10)}
	canvases := plot.Align([][]*plot.Plot{{top}, {bottom}}, tiles, dc)
	top.Draw(canvases[0][0])
	bottom.Draw(canvases[1][0])
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("trend chart: %w", err)
	}
	return buf.Bytes(), nil
}

// weekLabel is the tick label of an ISO week like "2026-W47": label's
// when there is one, else "W47" (the title says the year).
func weekLabel(week string, label func(year, week int) string) string {
	if label != nil {
		if y, w, err := report.ParseISOWeek(week); err == nil {
			return label(y, w)
		}
	}
	if _, short, ok := strings.Cut(week, "-"); ok {
		return short
	}
	return week
}

func attainmentPlot(weeks []report.WeekFigures, labels []string, words Words) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = words.Title
	p.Y.Label.Text = words.Percent
	p.Y.Min, p.Y.Max = 0, 100
	p.X.Min, p.X.Max = -0.5, float64(len(weeks))-0.5
	p.NominalX(labels...)
	p.Add(plotter.NewGrid())
	p.Legend.Top, p.Legend.Left = false, true
	series := []struct {
		name  string
		pct   func(report.Figures) (float64, bool)
		color color.Color
		shape draw.GlyphDrawer
	}{
		{words.FirstResponse, report.Figures.FirstResponsePct, blue, draw.CircleGlyph{}},
		{words.Resolution, report.Figures.ResolutionPct, orange, draw.SquareGlyph{}},
		{words.RightFirstTime, report.Figures.RightFirstTimePct, green, draw.TriangleGlyph{}},
	}
	for _, s := range series {
		var all plotter.XYs
		var run plotter.XYs
		flush := func() error {
			if len(run) > 1 {
				l, err := plotter.NewLine(run)
				if err != nil {
					return err
				}
				l.Color, l.Width = s.color, vg.Points(2)
				p.Add(l)
			}
			run = nil
			return nil
		}
		for i, w := range weeks {
			v, ok := s.pct(w.Figures)
			if !ok {
				if err := flush(); err != nil {
					return nil, fmt.Errorf("trend chart: %w", err)
				}
				continue
			}
			run = append(run, plotter.XY{X: float64(i), Y: v})
			all = append(all, plotter.XY{X: float64(i), Y: v})
		}
		if err := flush(); err != nil {
			return nil, fmt.Errorf("trend chart: %w", err)
		}
		if len(all) == 0 {
			continue
		}
		pts, err := plotter.NewScatter(all)
		if err != nil {
			return nil, fmt.Errorf("trend chart: %w", err)
		}
		pts.Color, pts.Shape, pts.Radius = s.color, s.shape, vg.Points(3)
		p.Add(pts)
		p.Legend.Add(s.name, pts)
	}
	if err := targetLine(p, weeks, words.Target); err != nil {
		return nil, err
	}
	return p, nil
}

func volumePlot(weeks []report.WeekFigures, labels []string, words Words) (*plot.Plot, error) {
	p := plot.New()
	p.Y.Label.Text = words.Requests
	p.Y.Min = 0
	p.X.Min, p.X.Max = -0.5, float64(len(weeks))-0.5
	p.Add(plotter.NewGrid())
	newV, resolvedV := make(plotter.Values, len(weeks)), make(plotter.Values, len(weeks))
	top := 1.0
	for i, w := range weeks {
		newV[i], resolvedV[i] = float64(w.New), float64(w.Resolved)
		top = max(top, newV[i], resolvedV[i])
	}
	p.Y.Max = top * 1.15
	bw := vg.Points(14)
	for _, b := range []struct {
		name   string
		v      plotter.Values
		color  color.Color
		offset vg.Length
	}{{words.New, newV, grey, -bw / 2}, {words.Resolved, resolvedV, blue, bw / 2}} {
		bars, err := plotter.NewBarChart(b.v, bw)
		if err != nil {
			return nil, fmt.Errorf("trend chart: %w", err)
		}
		bars.Color, bars.LineStyle.Width, bars.Offset = b.color, 0, b.offset
		p.Add(bars)
		p.Legend.Add(b.name, bars)
	}
	p.Legend.Top, p.Legend.Left = true, true
	p.NominalX(labels...)
	return p, nil
}

// targetLine draws the latest week's right-first-time target, if any, as a
// dashed line across the chart, so a reader sees the figure against it.
func targetLine(p *plot.Plot, weeks []report.WeekFigures, legend func(pct string) string) error {
	target := weeks[len(weeks)-1].RightFirstTimeTarget
	if target <= 0 {
		return nil
	}
	l, err := plotter.NewLine(plotter.XYs{{X: p.X.Min, Y: target}, {X: p.X.Max, Y: target}})
	if err != nil {
		return fmt.Errorf("trend chart: %w", err)
	}
	l.Color, l.Width, l.Dashes = green, vg.Points(1.5), []vg.Length{vg.Points(6), vg.Points(4)}
	p.Add(l)
	p.Legend.Add(legend(strconv.FormatFloat(target, 'f', -1, 64)+"%"), l)
	return nil
}
