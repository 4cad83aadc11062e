package store_test

import (
	"context"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// BenchmarkSearch answers searches on a store seeded by SeedSynthetic: each
// request's text names two of 72 subjects and a reference shared by one
// request in 5,000, so a subject is in about 3% of the store and the word
// "benchmark" in all of it. Each search asks for a page of 10 (11 rows:
// the desk's "is there more"), ranked.
//
// Postgres100k is the same on PostgreSQL (seeded afresh in a schema of its
// own, about a minute; skipped without a server, see storetest).
func BenchmarkSearch(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000, -100_000, -1_000_000} {
		if testing.Short() && (n > 100_000 || n < -100_000) {
			continue
		}
		name := benchSize(n)
		if n < 0 {
			name = "Postgres" + benchSize(-n)
		}
		b.Run(name, func(b *testing.B) {
			var db *store.DB
			switch {
			case n > 0:
				db = benchStore(b, n)
			case n == -1_000_000:
				db = postgresBenchStore(b)
			default:
				db = MustOpenPostgres(b)
				if err := db.SeedSynthetic(context.Background(), -n, benchNow); err != nil {
					b.Fatal(err)
				}
			}
			ctx := context.Background()
			admin := bot.SearchScope{User: "U0ADMIN01", Admin: true}
			for _, c := range []struct {
				name  string
				q     bot.SearchQuery
				scope bot.SearchScope
			}{
				{"Word", bot.SearchQuery{Words: []string{"laptop"}}, admin},
				{"TwoWords", bot.SearchQuery{Words: []string{"laptop", "ref1234"}}, admin},
				{"Prefix", bot.SearchQuery{Words: []string{"lap"}}, admin},
				{"EveryRequest", bot.SearchQuery{Words: []string{"benchmark"}}, admin},
				{"Requester", bot.SearchQuery{Words: []string{"laptop"}}, bot.SearchScope{User: "U1000"}},
				{"RequesterEveryRequest", bot.SearchQuery{Words: []string{"benchmark"}}, bot.SearchScope{User: "U1000"}},
				{"Staff", bot.SearchQuery{Words: []string{"laptop"}}, bot.SearchScope{User: "U0IVAN001", Depts: []string{"it"}}},
				{"Filtered", bot.SearchQuery{Words: []string{"laptop"}, Dept: "it", States: []bot.State{bot.Closed}}, admin},
				{"Page10", bot.SearchQuery{Words: []string{"laptop"}}, admin},
				// Deflection's look-up (bot.SimilarAnswers): any of the
				// words, resolved or closed, one department, 20 rows.
				{"SimilarAdmin", bot.SearchQuery{Words: []string{"laptop", "screen", "ref1234"}, AnyWords: true, Dept: "it", States: []bot.State{bot.Resolved, bot.Closed}}, admin},
				{"SimilarRequester", bot.SearchQuery{Words: []string{"laptop", "screen", "ref1234"}, AnyWords: true, Dept: "it", States: []bot.State{bot.Resolved, bot.Closed}}, bot.SearchScope{User: "U1000"}},
			} {
				offset := 0
				if c.name == "Page10" {
					offset = 90
				}
				b.Run(c.name, func(b *testing.B) {
					var got int
					for b.Loop() {
						hits, err := db.SearchRequests(ctx, c.q, c.scope, offset, 11)
						if err != nil {
							b.Fatal(err)
						}
						got = len(hits)
					}
					b.ReportMetric(float64(got), "hits/op")
				})
			}
		})
	}
}

func benchSize(n int) string {
	if n >= 1_000_000 {
		return "1M"
	}
	return "100k"
}
