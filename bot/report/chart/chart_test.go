package chart_test

import (
	"bytes"
	"image"
	"image/color"
	_ "image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/askdesk/askdesk/bot/report"
	"github.com/askdesk/askdesk/bot/report/chart"
)

func TestTrend(t *testing.T) {
	week := report.ISOWeek{Year: 2026, Week: 40}
	var weeks []report.WeekFigures
	for i := range 8 {
		f := report.Figures{New: 10 + 3*i, Resolved: 8 + 2*i, FirstResponses: 10, FirstResponsesMet: 6 + i%5,
			ResolutionsMet: 7 + i%2, ResolutionTime: report.Spread{N: 1, Median: time.Hour}}
		if i == 3 { // a quiet week: nothing due, a gap in the lines
			f = report.Figures{}
		}
		weeks = append(weeks, report.WeekFigures{Week: week.Add(i).String(), Figures: f})
	}
	for _, c := range []struct {
		name  string
		weeks []report.WeekFigures
	}{{"EightWeeks", weeks}, {"OneWeek", weeks[:1]}, {"AllEmpty", []report.WeekFigures{{Week: "2026-W01"}, {Week: "2026-W02"}}}} {
		t.Run(c.name, func(t *testing.T) {
			png, err := chart.Trend(c.weeks, chart.Words{Title: "Finance · SLA attainment and volume, 2026-W40 to W47"}, language.English)
			if err != nil {
				t.Fatal(err)
			}
			img, format, err := image.Decode(bytes.NewReader(png))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			b := img.Bounds()
			if format != "png" || b.Dx() != 768 || b.Dy() != 480 {
				t.Errorf("%s %dx%d, want png 768x480", format, b.Dx(), b.Dy())
			}
			if n := len(png); n < 5_000 || n > 500_000 {
				t.Errorf("%d bytes", n)
			}
		})
	}
	if _, err := chart.Trend(nil, chart.Words{Title: "x"}, language.English); err == nil {
		t.Error("no weeks: no error")
	}
}

// TestTrendRightFirstTime: the chart draws right first time as a green
// line and, when the department publishes a target, the target as a
// dashed green line across the plot, so a reader sees one against the
// other.
func TestTrendRightFirstTime(t *testing.T) {
	week := report.ISOWeek{Year: 2026, Week: 40}
	weeks := func(target float64) []report.WeekFigures {
		var out []report.WeekFigures
		for i := range 8 {
			f := report.Figures{New: 10, Resolved: 10, FirstResponses: 10, FirstResponsesMet: 6, ResolutionsMet: 5, RightFirstTime: 3 + i%3}
			out = append(out, report.WeekFigures{Week: week.Add(i).String(), Figures: f, RightFirstTimeTarget: target})
		}
		return out
	}
	draw := func(ws []report.WeekFigures) image.Image {
		t.Helper()
		png, err := chart.Trend(ws, chart.Words{Title: "Finance · SLA attainment, right first time and volume"}, language.English)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "trend.png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		img, _, err := image.Decode(bytes.NewReader(png))
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	green := func(c color.Color) bool {
		r, g, b, _ := c.RGBA()
		return r>>8 < 90 && g>>8 > 130 && b>>8 < 90
	}
	// greenestRow is the most green pixels in any row of the upper
	// (percent) plot, and the green pixels there in all.
	greenestRow := func(img image.Image) (most, total int) {
		b := img.Bounds()
		for y := b.Min.Y; y < b.Min.Y+b.Dy()/2; y++ {
			n := 0
			for x := b.Min.X; x < b.Max.X; x++ {
				if green(img.At(x, y)) {
					n++
				}
			}
			most, total = max(most, n), total+n
		}
		return most, total
	}
	withFigure, total := greenestRow(draw(weeks(0)))
	if total < 200 {
		t.Errorf("right first time drawn with %d green pixels", total)
	}
	// The dashed line covers about three fifths of its row.
	withTarget, _ := greenestRow(draw(weeks(90)))
	t.Logf("greenest row: %d pixels with a target, %d without", withTarget, withFigure)
	if width := 768; withTarget < width/3 || withFigure > width/6 {
		t.Errorf("greenest row: %d pixels with a target, %d without; want a dashed line across the plot with one only", withTarget, withFigure)
	}
}
