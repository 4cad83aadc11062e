package config

import (
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// The decoder fills structs but forgets where each value came from, so a
// second pass over the syntax tree records the position of every key path.
// Paths look like department[3].sla.urgent.first_response: array elements
// (from [[tables]] or inline arrays) carry a 0-based index, and key parts
// that are not bare TOML keys are quoted.

type position struct{ line, col int }

// mention is one appearance of a key path in the file.
type mention struct {
	position
	path   string
	header bool // the path of a [table] or [[array table]] header
}

type index struct {
	first    map[string]position // where each path first appears
	mentions []mention           // every appearance, in file order
	arrays   map[string]int      // array-table path → elements so far
}

// buildIndex records key positions in data. A syntax error ends the index
// early: the decoder reports the error itself, and the index still places
// everything before it.
func buildIndex(data []byte) *index {
	ix := &index{first: map[string]position{}, arrays: map[string]int{}}
	var p unstable.Parser
	p.Reset(data)
	table := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table:
			table = ix.header(&p, e, false)
		case unstable.ArrayTable:
			table = ix.header(&p, e, true)
		case unstable.KeyValue:
			ix.keyValue(&p, table, e)
		}
	}
	return ix
}

func (ix *index) note(path string, pos position, header bool) {
	if _, ok := ix.first[path]; !ok {
		ix.first[path] = pos
	}
	ix.mentions = append(ix.mentions, mention{pos, path, header})
}

// header resolves a table header to a path. Parts that name an array table
// refer to its latest element, as TOML specifies; the last part of an
// [[array table]] header starts a new element.
func (ix *index) header(p *unstable.Parser, e *unstable.Node, array bool) string {
	path := ""
	it := e.Key()
	for it.Next() {
		k := it.Node()
		pos := start(p, k.Raw)
		path = join(path, string(k.Data))
		if array && it.IsLast() {
			n := ix.arrays[path]
			ix.arrays[path] = n + 1
			ix.note(path, pos, false)
			path = at(path, n)
		} else if n, ok := ix.arrays[path]; ok {
			ix.note(path, pos, false)
			path = at(path, n-1)
		}
		ix.note(path, pos, it.IsLast())
	}
	return path
}

// keyValue records a (possibly dotted) key under prefix, then whatever its
// value nests.
func (ix *index) keyValue(p *unstable.Parser, prefix string, e *unstable.Node) {
	path := prefix
	it := e.Key()
	for it.Next() {
		k := it.Node()
		path = join(path, string(k.Data))
		ix.note(path, start(p, k.Raw), false)
	}
	ix.value(p, path, e.Value())
}

func (ix *index) value(p *unstable.Parser, path string, v *unstable.Node) {
	switch v.Kind {
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				ix.keyValue(p, path, c)
			}
		}
	case unstable.Array:
		i := 0
		it := v.Children()
		for it.Next() {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			elem := at(path, i)
			i++
			// Nested arrays carry no range; their elements fall back to
			// the key's line.
			if c.Raw.Length > 0 {
				ix.note(elem, start(p, c.Raw), false)
			}
			ix.value(p, elem, c)
		}
	}
}

func start(p *unstable.Parser, r unstable.Range) position {
	s := p.Shape(r).Start
	return position{s.Line, s.Column}
}

// lookup returns the line and column where key, or its nearest parent
// present in the file, first appears; 0, 0 when none does or ix is nil.
func (ix *index) lookup(key string) (line, col int) {
	if ix == nil {
		return 0, 0
	}
	for k := key; k != ""; k = parent(k) {
		if pos, ok := ix.first[k]; ok {
			return pos.line, pos.col
		}
	}
	return 0, 0
}

// pathAt names the key a decoder error at line:col is about. The decoder's
// own key drops array indices and is sometimes incomplete, so prefer a path
// on that line that matches it, then the key starting exactly there, then
// the enclosing table.
func (ix *index) pathAt(line, col int, hint []string) string {
	want := ""
	for _, k := range hint {
		want = join(want, k)
	}
	var exact, table string
	for _, m := range ix.mentions {
		if m.line == line {
			if want != "" && stripIndices(m.path) == want {
				return m.path
			}
			if m.col == col && len(m.path) > len(exact) {
				exact = m.path
			}
		}
		if m.header && m.line <= line {
			table = m.path
		}
	}
	switch {
	case exact != "":
		return exact
	case table != "":
		return table
	default:
		return want
	}
}

// join appends a key part to a path, quoting it unless it is a bare key.
func join(path, part string) string {
	if !isBare(part) {
		part = strconv.Quote(part)
	}
	if path == "" {
		return part
	}
	return path + "." + part
}

// at appends an array index to a path.
func at(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func isBare(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// splitPath undoes join and at: it returns the key parts of path without
// array indices.
func splitPath(path string) []string {
	var parts []string
	for path != "" {
		switch path[0] {
		case '.':
			path = path[1:]
		case '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return parts
			}
			path = path[end+1:]
		case '"':
			q, err := strconv.QuotedPrefix(path)
			if err != nil {
				return parts
			}
			s, _ := strconv.Unquote(q) // QuotedPrefix vouched for it
			parts = append(parts, s)
			path = path[len(q):]
		default:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			parts = append(parts, path[:end])
			path = path[end:]
		}
	}
	return parts
}

func stripIndices(path string) string {
	out := ""
	for _, p := range splitPath(path) {
		out = join(out, p)
	}
	return out
}

// parent drops the last key part or array index from path.
func parent(path string) string {
	cut, quoted := 0, false
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && (c == '.' || c == '['):
			cut = i
		}
	}
	return path[:cut]
}
