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

// Tuning, chosen by cross-validation on the tuning part of
// testdata/routing/requests.tsv (see TestTuneHistory).
const (
	k1 = 1.2  // how fast repeated words stop adding (BM25's saturation)
	b  = 0.75 // how much a long document is discounted
	// Neighbours is how many of the most similar past requests vote.
	Neighbours = 10
)

// HistoryWeight is how much the past requests' vote counts against the
// catalogue (both scaled to at most 1).
var HistoryWeight = 1.0

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
// for concurrent use (set HistoryWeight before sharing it).
type Model struct {
	// HistoryWeight is how much history counts against the catalogue;
	// New sets the package's HistoryWeight.
	HistoryWeight float64
	depts         []Dept
	cat           *bm25 // one document per department
	hist          *bm25 // one document per past request
	histDept      []int // the department of each past request
	typeIdx       []*bm25
}

// New builds a model over depts.
func New(depts []Dept) *Model {
	m := &Model{depts: depts, HistoryWeight: HistoryWeight}
	catDocs := make([][]string, len(depts))
	var histDocs [][]string
	m.typeIdx = make([]*bm25, len(depts))
	for i, d := range depts {
		for _, s := range d.Catalogue {
			catDocs[i] = append(catDocs[i], Words(s)...)
		}
		for _, s := range d.History {
			histDocs = append(histDocs, Words(s))
			m.histDept = append(m.histDept, i)
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
	m.hist = newBM25(histDocs, k1)
	return m
}

// Rank returns every department, best first, for text. A department's
// score is its catalogue score divided by the best department's (so the
// best is 1), plus HistoryWeight times its share of the vote of the
// Neighbours past requests most similar to text (each voting with its
// similarity). Departments with equal scores keep the order given.
func (m *Model) Rank(text string) []Suggestion {
	q := Words(text)
	cat := make([]float64, len(m.depts))
	best := 0.0
	for i := range m.depts {
		cat[i] = m.cat.score(i, q)
		best = max(best, cat[i])
	}
	vote := m.vote(q)
	out := make([]Suggestion, len(m.depts))
	for i, d := range m.depts {
		s := m.HistoryWeight * vote[i]
		if best > 0 {
			s += cat[i] / best
		}
		out[i] = Suggestion{Dept: d.Name, Score: s}
		if s > 0 && m.typeIdx[i] != nil {
			bt, btScore := -1, 0.0
			for j := range d.Types {
				if ts := m.typeIdx[i].score(j, q); ts > btScore {
					bt, btScore = j, ts
				}
			}
			if bt >= 0 {
				out[i].Type = d.Types[bt].Name
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

// vote returns each department's share of the similarity of the
// Neighbours past requests most like q; all zero without a match.
func (m *Model) vote(q []string) []float64 {
	out := make([]float64, len(m.depts))
	sims := m.hist.scoreAll(q)
	if len(sims) == 0 {
		return out
	}
	sort.Slice(sims, func(i, j int) bool {
		if sims[i].score != sims[j].score {
			return sims[i].score > sims[j].score
		}
		return sims[i].doc < sims[j].doc
	})
	total := 0.0
	for _, s := range sims[:min(Neighbours, len(sims))] {
		out[m.histDept[s.doc]] += s.score
		total += s.score
	}
	// The vote counts as much as the closest past request resembles q:
	// its score against the score of a past request that said exactly q.
	// One common word in common is a weak hint; the same words, a strong one.
	like := min(1, sims[0].score/m.hist.selfScore(q))
	for i := range out {
		out[i] *= like / total
	}
	return out
}

// bm25 is an index over a few documents (one per department).
type bm25 struct {
	k1     float64
	tf     []map[string]int
	length []int
	avg    float64
	idf    map[string]float64
	// postings lists the documents holding each word, for scoreAll.
	postings map[string][]int
}

type docScore struct {
	doc   int
	score float64
}

// selfScore is roughly the score of a document of average length that
// holds each word of q once: the most a past request can resemble q.
// Words no document holds count with the highest idf.
func (ix *bm25) selfScore(q []string) float64 {
	unseen := math.Log(1 + (float64(len(ix.tf))+0.5)/0.5)
	s := 0.0
	seen := map[string]bool{}
	for _, w := range q {
		if seen[w] {
			continue
		}
		seen[w] = true
		if idf, ok := ix.idf[w]; ok {
			s += idf
		} else {
			s += unseen
		}
	}
	return s
}

// scoreAll returns the score of every document holding a word of q.
func (ix *bm25) scoreAll(q []string) []docScore {
	acc := map[int]float64{}
	seen := map[string]bool{}
	for _, w := range q {
		if seen[w] {
			continue
		}
		seen[w] = true
		for _, i := range ix.postings[w] {
			f := float64(ix.tf[i][w])
			norm := ix.k1 * (1 - b + b*float64(ix.length[i])/ix.avg)
			acc[i] += ix.idf[w] * f * (ix.k1 + 1) / (f + norm)
		}
	}
	out := make([]docScore, 0, len(acc))
	for i, s := range acc {
		out = append(out, docScore{i, s})
	}
	return out
}

func newBM25(docs [][]string, k1 float64) *bm25 {
	ix := &bm25{k1: k1, tf: make([]map[string]int, len(docs)), length: make([]int, len(docs)), idf: map[string]float64{}, postings: map[string][]int{}}
	df := map[string]int{}
	total := 0
	for i, words := range docs {
		ix.tf[i] = map[string]int{}
		for _, w := range words {
			if ix.tf[i][w] == 0 {
				df[w]++
				ix.postings[w] = append(ix.postings[w], i)
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
