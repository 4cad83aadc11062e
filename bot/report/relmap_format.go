package report

import (
	"github.com/askdesk/askdesk/bot"

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
func WriteMap(w io.Writer, m *RelMap, format string) error {
	switch format {
	case "table", "":
		m.writeTable(w)
	case "dot":
		m.writeDOT(w)
	case "mermaid":
		m.writeMermaid(w)
	default:
		return bot.Errorf(bot.EINVALID, "Unknown format “%s”: use %s.", bot.Escape(format), strings.Join(MapFormats, ", "))
	}
	return nil
}

func (m *RelMap) title() string {
	return fmt.Sprintf("Who serves whom · %s (%s)", m.Period, m.Period.Dates())
}

func (m *RelMap) writeTable(w io.Writer) {
	fmt.Fprintln(w, m.title())
	if m.At.Before(m.to) {
		fmt.Fprintln(w, "The period is not over: figures so far.")
	}
	if len(m.Pairs) == 0 {
		fmt.Fprintln(w, "No department asked another for anything in this period.")
		return
	}
	fmt.Fprintln(w, "\nRequests filed, by the requester's department (rows) and the department that served (columns):")
	g := grid{header: append([]string{"from \\ to"}, m.labels(m.Serving)...)}
	g.header = append(g.header, "total")
	colTotals := make([]int, len(m.Serving))
	for _, from := range m.Customers {
		row, total := []string{m.Label(from)}, 0
		for i, to := range m.Serving {
			p, _ := m.Pair(from, to)
			row = append(row, countCell(p.Figures.New))
			total += p.Figures.New
			colTotals[i] += p.Figures.New
		}
		g.rows = append(g.rows, append(row, fmt.Sprint(total)))
	}
	totals, all := []string{"total"}, 0
	for _, n := range colTotals {
		totals, all = append(totals, fmt.Sprint(n)), all+n
	}
	g.rows = append(g.rows, append(totals, fmt.Sprint(all)))
	g.write(w, false)
	fmt.Fprintln(w, "Each pair: SLA targets decided in the period (first responses and resolutions) and met, and the ratings given:")
	pairs := grid{header: []string{"from", "to", "requests", "targets met", "rating"}}
	for _, p := range m.Pairs {
		f := p.Figures
		pairs.rows = append(pairs.rows, []string{m.Label(p.From), m.Label(p.To), fmt.Sprint(f.New),
			shareText(f.FirstResponsesMet+f.ResolutionsMet, f.FirstResponses+f.Resolved), scoresText(p.CSAT, "ratings", "–")})
	}
	pairs.write(w, false)
	fmt.Fprintln(w, "A requester's department is the one they were in when they filed: from [people], the department they work in, or their Slack profile.")
	if n := m.Unplaced(); n > 0 {
		fmt.Fprintf(w, "Requests from people askdesk could not place (\"unknown department\"): %d. %s\n", n, strings.ReplaceAll(UnplacedHint, "`", ""))
	}
}

func (m *RelMap) labels(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = m.Label(n)
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
func (m *RelMap) writeDOT(w io.Writer) {
	q := func(s string) string {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
	}
	fmt.Fprintln(w, "digraph askdesk {")
	fmt.Fprintf(w, "  label=%s;\n  labelloc=t;\n  rankdir=LR;\n", q(m.title()))
	fmt.Fprintln(w, `  node [shape=box, style=rounded, fontname="Helvetica"];`)
	fmt.Fprintln(w, `  edge [fontname="Helvetica", fontsize=10];`)
	for _, n := range m.nodes() {
		fmt.Fprintf(w, "  %s [label=%s];\n", q(n), q(m.Label(n)))
	}
	for _, p := range m.Pairs {
		fmt.Fprintf(w, "  %s -> %s [label=%s, weight=%d, penwidth=%.1f];\n", q(p.From), q(p.To),
			q(strings.Join(pairFacts(p, false), "\n")), max(p.Figures.New, 1), m.penWidth(p.Figures.New))
	}
	fmt.Fprintln(w, "}")
}

// writeMermaid writes a Mermaid flowchart; node IDs are generated (d0,
// d1, …) since a department name such as "end" would break the syntax,
// and labels are quoted with Mermaid's entity codes.
func (m *RelMap) writeMermaid(w io.Writer) {
	q := func(s string) string {
		return `"` + strings.NewReplacer(`"`, "#quot;", "\n", " ", "<", "#lt;", ">", "#gt;").Replace(s) + `"`
	}
	fmt.Fprintf(w, "---\ntitle: %s\n---\n", strings.NewReplacer(":", " ", "\n", " ").Replace(m.title()))
	fmt.Fprintln(w, "flowchart LR")
	ids := map[string]string{}
	for i, n := range m.nodes() {
		ids[n] = fmt.Sprintf("d%d", i)
		fmt.Fprintf(w, "  %s[%s]\n", ids[n], q(m.Label(n)))
	}
	for _, p := range m.Pairs {
		fmt.Fprintf(w, "  %s -->|%s| %s\n", ids[p.From], q(strings.Join(pairFacts(p, false), " · ")), ids[p.To])
	}
}
