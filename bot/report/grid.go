package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"golang.org/x/text/width"
)

// grid is a table of text that renders aligned for a terminal or as a
// Markdown table.
type grid struct {
	header []string
	rows   [][]string
}

func (g grid) write(w io.Writer, markdown bool) {
	if markdown {
		line := func(cells []string) {
			esc := make([]string, len(cells))
			for i, c := range cells {
				esc[i] = strings.ReplaceAll(c, "|", `\|`)
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(esc, " | "))
		}
		line(g.header)
		line(slices.Repeat([]string{"---"}, len(g.header)))
		for _, r := range g.rows {
			line(r)
		}
		fmt.Fprintln(w)
		return
	}
	var b strings.Builder
	lines := append([][]string{g.header}, g.rows...)
	if g.wide() {
		writeAligned(&b, lines)
	} else {
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, r := range lines {
			fmt.Fprintf(tw, "  %s\n", strings.Join(r, "\t"))
		}
		tw.Flush()
	}
	for line := range strings.Lines(b.String()) { // an empty last cell pads
		fmt.Fprintln(w, strings.TrimRight(line, " \n"))
	}
	fmt.Fprintln(w)
}

// wide reports whether a cell holds a character a terminal draws two
// cells wide (Han, full-width punctuation): text/tabwriter counts runes, so
// such a grid is aligned by writeAligned instead.
func (g grid) wide() bool {
	for _, r := range append([][]string{g.header}, g.rows...) {
		for _, c := range r {
			for _, ru := range c {
				if cellWidth(ru) == 2 {
					return true
				}
			}
		}
	}
	return false
}

// cellWidth is how many terminal cells r takes: 2 for East Asian Wide and
// Fullwidth characters, 1 otherwise (ambiguous ones included, as
// tabwriter and most terminals count them).
func cellWidth(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

func textWidth(s string) int {
	n := 0
	for _, r := range s {
		n += cellWidth(r)
	}
	return n
}

// writeAligned lays lines out as grid.write's tabwriter does (a two-space
// indent, each column but the last padded to its widest cell plus two),
// counting display width rather than runes.
func writeAligned(b *strings.Builder, lines [][]string) {
	var widths []int
	for _, r := range lines {
		for i, c := range r {
			if i == len(r)-1 {
				break // the last cell of a line is not a column
			}
			if i == 0 {
				c = "  " + c
			}
			for len(widths) <= i {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], textWidth(c)+2)
		}
	}
	for _, r := range lines {
		for i, c := range r {
			if i == 0 {
				c = "  " + c
			}
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-textWidth(c)))
			}
		}
		b.WriteString("\n")
	}
}
