package chart_test

import (
	"bytes"
	"image"
	_ "image/png"
	"testing"
	"time"

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
			png, err := chart.Trend(c.weeks, "Finance · SLA attainment and volume, 2026-W40 to W47")
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
	if _, err := chart.Trend(nil, "x"); err == nil {
		t.Error("no weeks: no error")
	}
}
