package report

import (
	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"

	"fmt"
	"io"
	"slices"
	"strings"
)

// MapFormats are the formats WriteMap writes.
var MapFormats = []string{"table", "dot", "mermaid"}

// WriteMap writes the map in format: "table" (the department × department
// matrix of requests, then each pair's figures), "dot" (a Graphviz
// digraph, edges labelled and weighted by requests) or "mermaid" (a
// flowchart LR that renders in Markdown docs). It returns EINVALID for
// another format.
func WriteMap(w io.Writer, m *RelMap, format string) error { return WriteMapIn(w, nil, m, format) }

// WriteMapIn is WriteMap in p's language (nil: English): the table's words,
// and the title, department and edge labels of the graphs.
func WriteMapIn(w io.Writer, p *i18n.Printer, m *RelMap, format string) error {
	switch format {
	case "table", "":
		m.writeTable(w, p)
	case "dot":
		m.writeDOT(w, p)
	case "mermaid":
		m.writeMermaid(w, p)
	default:
		return bot.E(bot.EINVALID, "report.err.format", "Format", bot.Escape(format), "Formats", listOf(MapFormats))
	}
	return nil
}

func (m *RelMap) title(p *i18n.Printer) string {
	return p.T("map.title", "Period", m.Period.NameIn(p), "Dates", m.Period.DatesIn(p))
}

func (m *RelMap) writeTable(w io.Writer, p *i18n.Printer) {
	fmt.Fprintln(w, m.title(p))
	if m.At.Before(m.to) {
		fmt.Fprintln(w, p.T("map.so_far"))
	}
	if len(m.Pairs) == 0 {
		fmt.Fprintln(w, p.T("map.none"))
		return
	}
	fmt.Fprintln(w, p.T("map.matrix"))
	g := grid{header: append([]string{p.T("map.col.from_to")}, m.labels(p, m.Serving)...)}
	g.header = append(g.header, p.T("map.col.total"))
	colTotals := make([]int, len(m.Serving))
	for _, from := range m.Customers {
		row, total := []string{m.LabelIn(p, from)}, 0
		for i, to := range m.Serving {
			pr, _ := m.Pair(from, to)
			row = append(row, countCell(pr.Figures.New))
			total += pr.Figures.New
			colTotals[i] += pr.Figures.New
		}
		g.rows = append(g.rows, append(row, fmt.Sprint(total)))
	}
	totals, all := []string{p.T("map.col.total")}, 0
	for _, n := range colTotals {
		totals, all = append(totals, fmt.Sprint(n)), all+n
	}
	g.rows = append(g.rows, append(totals, fmt.Sprint(all)))
	g.write(w, false)
	fmt.Fprintln(w, p.T("map.pairs"))
	pairs := grid{header: []string{p.T("map.col.from"), p.T("map.col.to"), p.T("map.col.requests"), p.T("map.col.targets_met"), p.T("map.col.rating")}}
	for _, pr := range m.Pairs {
		f := pr.Figures
		pairs.rows = append(pairs.rows, []string{m.LabelIn(p, pr.From), m.LabelIn(p, pr.To), fmt.Sprint(f.New),
			shareText(p, f.FirstResponsesMet+f.ResolutionsMet, f.FirstResponses+f.Resolved), scoresText(p, pr.CSAT, "report.scores.ratings", "–")})
	}
	pairs.write(w, false)
	fmt.Fprintln(w, p.T("map.footer"))
	if n := m.Unplaced(); n > 0 {
		fmt.Fprintln(w, p.T("map.unplaced", "N", n, "Hint", strings.ReplaceAll(UnplacedHintIn(p), "`", "")))
	}
}

func (m *RelMap) labels(p *i18n.Printer, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = m.LabelIn(p, n)
	}
	return out
}

func countCell(n int) string {
	if n == 0 {
		return "·"
	}
	return fmt.Sprint(n)
}

// nodes lists every department on the map once, customers and servers,
// in the map's order.
func (m *RelMap) nodes() []string {
	out := append([]string{}, m.Customers...)
	for _, s := range m.Serving {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, m.compareNames)
	return out
}

// penWidth scales an edge from 1 to 5 points by its requests.
func (m *RelMap) penWidth(n int) float64 {
	most := 0
	for _, p := range m.Pairs {
		most = max(most, p.Figures.New)
	}
	if most == 0 {
		return 1
	}
	return 1 + 4*float64(n)/float64(most)
}

// writeDOT writes a Graphviz digraph: render with `dot -Tsvg map.dot`.
func (m *RelMap) writeDOT(w io.Writer, p *i18n.Printer) {
	q := func(s string) string {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
	}
	// Graphviz syntax, not words: the words are the labels.
	fmt.Fprintln(w, "digraph askdesk {")                                         //i18n:ok Graphviz syntax
	fmt.Fprintf(w, "  label=%s;\n  labelloc=t;\n  rankdir=LR;\n", q(m.title(p))) //i18n:ok Graphviz syntax
	fmt.Fprintln(w, `  node [shape=box, style=rounded, fontname="Helvetica"];`)  //i18n:ok Graphviz syntax
	fmt.Fprintln(w, `  edge [fontname="Helvetica", fontsize=10];`)               //i18n:ok Graphviz syntax
	for _, n := range m.nodes() {
		fmt.Fprintf(w, "  %s [label=%s];\n", q(n), q(m.LabelIn(p, n))) //i18n:ok Graphviz syntax
	}
	for _, pr := range m.Pairs {
		fmt.Fprintf(w, "  %s -> %s [label=%s, weight=%d, penwidth=%.1f];\n", q(pr.From), q(pr.To), //i18n:ok Graphviz syntax
			q(strings.Join(pairFacts(p, pr, false), "\n")), max(pr.Figures.New, 1), m.penWidth(pr.Figures.New))
	}
	fmt.Fprintln(w, "}")
}

// writeMermaid writes a Mermaid flowchart; node IDs are generated (d0,
// d1, …) since a department name such as "end" would break the syntax,
// and labels are quoted with Mermaid's entity codes.
func (m *RelMap) writeMermaid(w io.Writer, p *i18n.Printer) {
	q := func(s string) string {
		return `"` + strings.NewReplacer(`"`, "#quot;", "\n", " ", "<", "#lt;", ">", "#gt;").Replace(s) + `"`
	}
	fmt.Fprintf(w, "---\ntitle: %s\n---\n", strings.NewReplacer(":", " ", "\n", " ").Replace(m.title(p))) //i18n:ok Mermaid syntax
	fmt.Fprintln(w, "flowchart LR")                                                                       //i18n:ok Mermaid syntax
	ids := map[string]string{}
	for i, n := range m.nodes() {
		ids[n] = fmt.Sprintf("d%d", i)
		fmt.Fprintf(w, "  %s[%s]\n", ids[n], q(m.LabelIn(p, n)))
	}
	for _, pr := range m.Pairs {
		fmt.Fprintf(w, "  %s -->|%s| %s\n", ids[pr.From], q(strings.Join(pairFacts(p, pr, false), " · ")), ids[pr.To])
	}
}
