package report

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestAlignedGridMatchesTabwriterOnASCII: writeAligned, which Chinese
// grids use, lays out any ASCII grid exactly as the tabwriter English
// grids keep using (so a Chinese grid is the English layout, measured in
// display cells).
func TestAlignedGridMatchesTabwriterOnASCII(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 18))
	words := []string{"", "–", "new", "92% (101 of 110)", "first response target", "3h 20m", "▲5 pts", "·", "a b c"}
	for i := 0; i < 300; i++ {
		cols := 1 + rng.IntN(6)
		g := grid{}
		for r := 0; r < 1+rng.IntN(5); r++ {
			row := make([]string, cols)
			for c := range row {
				row[c] = words[rng.IntN(len(words))]
			}
			if r == 0 {
				g.header = row
			} else {
				g.rows = append(g.rows, row)
			}
		}
		var tw, al strings.Builder
		g.write(&tw, false) // ASCII: tabwriter
		var b strings.Builder
		writeAligned(&b, append([][]string{g.header}, g.rows...))
		for line := range strings.Lines(b.String()) {
			al.WriteString(strings.TrimRight(line, " \n") + "\n")
		}
		al.WriteString("\n")
		if tw.String() != al.String() {
			t.Fatalf("grid %q:\ntabwriter:\n%s\naligned:\n%s", append([][]string{g.header}, g.rows...), tw.String(), al.String())
		}
	}
}

// TestChineseGridAlignsByDisplayWidth: with Han text (two cells each), the
// columns after it start at the same terminal column on every line.
func TestChineseGridAlignsByDisplayWidth(t *testing.T) {
	g := grid{header: []string{"部门", "新增", "已解决"}, rows: [][]string{{"财务部", "12", "10"}, {"IT", "3", "3"}, {"人力资源部", "0", "–"}}}
	var b strings.Builder
	g.write(&b, false)
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	want := []string{
		"  部门        新增  已解决",
		"  财务部      12    10",
		"  IT          3     3",
		"  人力资源部  0     –",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	for _, l := range lines {
		if i := strings.Index(l, strings.Fields(l)[1]); textWidth(l[:i]) != 14 {
			t.Errorf("second column of %q starts at cell %d, want 14", l, textWidth(l[:i]))
		}
	}
}
