package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/report"
)

// TestRelationshipMap checks seedQ3's pairs: sam is in Sales, tina in
// Marketing, nobody in no department.
func TestRelationshipMap(t *testing.T) {
	f, n := seedQ3(t)
	now := n("2026-10-05 09:00")
	m, err := report.ComputeMap(f.Ctx, f.DB, f.Desk.Dir(), report.QuarterPeriod(bot.Quarter{Year: 2026, Q: 3}), now)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		from, to                 string
		requests, targets, met   int
		asked, answered, summed5 int
	}
	var got []row
	for _, p := range m.Pairs {
		fg := p.Figures
		sum := 0
		for i, k := range p.CSAT.Dist {
			sum += (i + 1) * k
		}
		got = append(got, row{p.From, p.To, fg.New, fg.FirstResponses + fg.Resolved, fg.FirstResponsesMet + fg.ResolutionsMet,
			p.CSAT.Asked, p.CSAT.Answered, sum})
	}
	want := []row{
		// FIN-2 (all met, rated 5) and FIN-4 (first response missed, not rated).
		{"sales", "finance", 2, 4, 3, 2, 1, 5},
		// FIN-3: both targets met by its latest resolution; rated 2, the
		// second prompt skipped.
		{"marketing", "finance", 1, 2, 2, 1, 1, 2},
		{"sales", "it", 1, 2, 2, 1, 1, 4},
		// FIN-5: first response missed; its resolution not due yet.
		{report.UnknownDept, "finance", 1, 1, 0, 0, 0, 0},
	}
	if len(got) != len(want) {
		t.Fatalf("pairs %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("pair %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if strings.Join(m.Customers, " ") != "marketing sales unknown" || strings.Join(m.Serving, " ") != "finance it" {
		t.Errorf("customers %v, serving %v", m.Customers, m.Serving)
	}
	if p, total, ok := m.BusiestCustomer("finance"); !ok || p.From != "sales" || total != 4 {
		t.Errorf("Finance's busiest customer %+v of %d", p, total)
	}

	t.Run("Slack", func(t *testing.T) {
		want := "*Who serves whom* · 2026-Q3 (1 Jul – 30 Sep 2026)\n" +
			"*Busiest pairs* (requests filed · SLA targets met · rating):\n" +
			"• sales → Finance: 2 requests · 75% of 4 targets met · rated 5.0 / 5 (1)\n" +
			"• marketing → Finance: 1 request · 100% of 2 targets met · rated 2.0 / 5 (1)\n" +
			"• sales → IT: 1 request · 100% of 2 targets met · rated 4.0 / 5 (1)\n" +
			"• unknown department → Finance: 1 request · 0% of 1 targets met\n" +
			"*Each department's busiest internal customer*:\n" +
			"• Finance: sales, 2 of 4 requests (50%)\n" +
			"• IT: sales, 1 of 1 requests (100%)\n" +
			"_1 request came from people askdesk could not place in a department (shown as “unknown department”). To place them, list them in a department's `members` (or its Slack `usergroup`), name their department in `[people]`, or set `[slack] department_field` to the Slack profile field that holds it._\n" +
			"_A requester's department is the one they were in when they filed: from `[people]`, the department they work in, or their Slack profile. The whole map: `askdesk map --format mermaid` (or `dot` for Graphviz)._"
		if got := m.SlackText("2026-Q3"); got != want {
			t.Errorf("summary:\n%s\nwant:\n%s", got, want)
		}
		// /ask map, for anyone, on 20 July: the 30 days from 21 June hold
		// FIN-2 to FIN-4 and IT-1.
		f.Clock.Set(n("2026-07-20 09:00"))
		reply := f.Desk.Command(f.Ctx, tina, "/ask map")
		for _, want := range []string{"*Who serves whom* · last 30 days (21 Jun – 20 Jul 2026)\n", "• sales → Finance: 2 requests", "• Finance: sales, 2 of 3 requests (66%)"} {
			if !strings.Contains(reply.Text, want) {
				t.Errorf("/ask map lacks %q:\n%s", want, reply.Text)
			}
		}
		if reply := f.Desk.Command(f.Ctx, sam, "map 2026-Q3"); !strings.Contains(reply.Text, "askdesk map --quarter 2026-Q3") {
			t.Errorf("/ask map 2026-Q3: %s", reply.Text)
		}
		if help := f.Desk.Command(f.Ctx, sam, "help"); !strings.Contains(help.Text, "`/ask map`: who serves whom, the last 30 days") {
			t.Errorf("help lacks map:\n%s", help.Text)
		}
	})
	t.Run("Formats", func(t *testing.T) {
		var dot, mermaid, table bytes.Buffer
		for _, c := range []struct {
			format string
			w      *bytes.Buffer
		}{{"dot", &dot}, {"mermaid", &mermaid}, {"table", &table}} {
			if err := report.WriteMap(c.w, m, c.format); err != nil {
				t.Fatal(err)
			}
		}
		for _, want := range []string{"digraph askdesk {", `"sales" -> "finance" [label="2 requests\n75% of 4 targets met\nrated 5.0 / 5 (1)", weight=2, penwidth=5.0];`,
			`"unknown" -> "finance" [label="1 request\n0% of 1 targets met", weight=1, penwidth=3.0];`, `"finance" [label="Finance"];`} {
			if !strings.Contains(dot.String(), want) {
				t.Errorf("DOT lacks %s:\n%s", want, dot.String())
			}
		}
		// Nodes: finance d0, it d1, marketing d2, sales d3, unknown d4.
		for _, want := range []string{"flowchart LR\n", `  d0["Finance"]`, `  d3 -->|"2 requests · 75% of 4 targets met · rated 5.0 / 5 (1)"| d0`, `  d4 -->|"1 request · 0% of 1 targets met"| d0`} {
			if !strings.Contains(mermaid.String(), want) {
				t.Errorf("Mermaid lacks %s:\n%s", want, mermaid.String())
			}
		}
		for _, want := range []string{"from \\ to           Finance  IT  total", "sales               2        1   3", "unknown department  1        ·   1", "total               4        1   5"} {
			if !strings.Contains(table.String(), want) {
				t.Errorf("table lacks %q:\n%s", want, table.String())
			}
		}
		if err := report.WriteMap(&table, m, "svg"); bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("format svg: %v", err)
		}
	})
}
