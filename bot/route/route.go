// Package route guesses which department should serve a request written in
// plain words. It knows neither Slack nor SQL nor the desk's types: the
// caller gives each department's catalogue text (description, names,
// keywords, request types) and the words of past requests it served, and
// asks for a ranking.
//
// The model is BM25, the ranking function of most search engines, over two
// documents per department: its catalogue text and its history (the titles
// of requests it resolved, and of those requesters sent it after a
// suggestion). Words are lower-cased, folded to a rough stem ("invoices",
// "invoicing" and "invoice" count as one) and common words are dropped.
// A department's score is its catalogue score plus HistoryWeight times its
// history score, so the catalogue decides when there is no history and
// history takes over as it grows.
package route

import (
	"math"
	"sort"
)

// Tuning, chosen on the tuning half of testdata/routing/requests.tsv.
const (
	k1 = 1.2  // how fast repeated words stop adding (BM25's saturation)
	b  = 0.75 // how much a long document is discounted
	// HistoryWeight is how much a department's history counts against its
	// catalogue text.
	HistoryWeight = 1.5
	// historyK1 saturates more slowly: a word seen in many past requests
	// of one department is strong evidence.
	historyK1 = 2.0
)

// Dept is what the model knows of one department.
type Dept struct {
	Name string
	// Catalogue is its own words: description, names, aliases, keywords,
	// its request types' names and descriptions.
	Catalogue []string
	// History is the text of past requests it served, newest first.
	History []string
	// Types are its request types, to suggest one within it.
	Types []Type
}

// Type is one request type: Name is what is filed, Text its words.
type Type struct {
	Name string
	Text []string
}

// Suggestion is one ranked department, with the type that matched best
// ("" when none did) and its score (0 when nothing matched).
type Suggestion struct {
	Dept  string
	Type  string
	Score float64
}

// Model ranks departments for a text. It is read-only once built and safe
// for concurrent use.
type Model struct {
	depts   []Dept
	cat     *bm25
	hist    *bm25
	typeIdx []*bm25 // per department, over its types' texts
}

// New builds a model over depts.
func New(depts []Dept) *Model {
	m := &Model{depts: depts}
	catDocs := make([][]string, len(depts))
	histDocs := make([][]string, len(depts))
	m.typeIdx = make([]*bm25, len(depts))
	for i, d := range depts {
		for _, s := range d.Catalogue {
			catDocs[i] = append(catDocs[i], Words(s)...)
		}
		for _, s := range d.History {
			histDocs[i] = append(histDocs[i], Words(s)...)
		}
		if len(d.Types) > 0 {
			tdocs := make([][]string, len(d.Types))
			for j, t := range d.Types {
				for _, s := range t.Text {
					tdocs[j] = append(tdocs[j], Words(s)...)
				}
			}
			m.typeIdx[i] = newBM25(tdocs, k1)
		}
	}
	m.cat = newBM25(catDocs, k1)
	m.hist = newBM25(histDocs, historyK1)
	return m
}

// Rank returns every department, best first, for text. Departments
// with equal scores keep the order they were given in.
func (m *Model) Rank(text string) []Suggestion {
	q := Words(text)
	out := make([]Suggestion, len(m.depts))
	for i, d := range m.depts {
		s := m.cat.score(i, q) + HistoryWeight*m.hist.score(i, q)
		out[i] = Suggestion{Dept: d.Name, Score: s}
		if s > 0 && m.typeIdx[i] != nil {
			best, bestScore := -1, 0.0
			for j := range d.Types {
				if ts := m.typeIdx[i].score(j, q); ts > bestScore {
					best, bestScore = j, ts
				}
			}
			if best >= 0 {
				out[i].Type = d.Types[best].Name
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

// bm25 is an index over a few documents (one per department).
type bm25 struct {
	k1     float64
	tf     []map[string]int
	length []int
	avg    float64
	idf    map[string]float64
}

func newBM25(docs [][]string, k1 float64) *bm25 {
	ix := &bm25{k1: k1, tf: make([]map[string]int, len(docs)), length: make([]int, len(docs)), idf: map[string]float64{}}
	df := map[string]int{}
	total := 0
	for i, words := range docs {
		ix.tf[i] = map[string]int{}
		for _, w := range words {
			if ix.tf[i][w] == 0 {
				df[w]++
			}
			ix.tf[i][w]++
		}
		ix.length[i] = len(words)
		total += len(words)
	}
	if len(docs) > 0 {
		ix.avg = float64(total) / float64(len(docs))
	}
	n := float64(len(docs))
	for w, c := range df {
		ix.idf[w] = math.Log(1 + (n-float64(c)+0.5)/(float64(c)+0.5))
	}
	return ix
}

// score is document i's BM25 score for the query words.
func (ix *bm25) score(i int, q []string) float64 {
	if ix.length[i] == 0 || ix.avg == 0 {
		return 0
	}
	norm := ix.k1 * (1 - b + b*float64(ix.length[i])/ix.avg)
	s := 0.0
	for _, w := range q {
		f := float64(ix.tf[i][w])
		if f == 0 {
			continue
		}
		s += ix.idf[w] * f * (ix.k1 + 1) / (f + norm)
	}
	return s
}
