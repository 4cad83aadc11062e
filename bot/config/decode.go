package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/agnivade/levenshtein"
	toml "github.com/pelletier/go-toml/v2"
)

// unknownKeys turns the decoder's strict-mode complaints into problems that
// name the full key path and suggest what was probably meant.
func (ix *index) unknownKeys(file string, e *toml.StrictMissingError) Problems {
	probs := make(Problems, 0, len(e.Errors))
	for _, de := range e.Errors {
		line, col := de.Position()
		key := ix.pathAt(line, col, de.Key())
		probs = append(probs, Problem{File: file, Line: line, Col: col, Key: key, Msg: unknownKeyMsg(key)})
	}
	return probs
}

// decodeProblem places a syntax or type error. Such an error stops the
// decoder, so it is the only problem reported for the file.
func (ix *index) decodeProblem(file string, de *toml.DecodeError) Problem {
	line, col := de.Position()
	return Problem{
		File: file, Line: line, Col: col,
		Key: ix.pathAt(line, col, de.Key()),
		Msg: strings.TrimPrefix(de.Error(), "toml: "),
	}
}

func unknownKeyMsg(key string) string {
	parts := splitPath(key)
	if len(parts) == 0 {
		return "unknown key"
	}
	known := knownKeys(parts[:len(parts)-1])
	if len(known) == 0 {
		return "unknown key"
	}
	if s := closest(parts[len(parts)-1], known); s != "" {
		return fmt.Sprintf("unknown key; did you mean %q?", s)
	}
	return "unknown key; expected one of " + strings.Join(known, ", ")
}

// knownKeys lists the keys Config accepts in the table at parts (array
// indices dropped, map keys included), sorted; nil when that is not a table
// with fixed keys.
func knownKeys(parts []string) []string {
	t := reflect.TypeFor[Config]()
	for _, p := range parts {
		t = elem(t)
		switch t.Kind() {
		case reflect.Map:
			t = t.Elem() // p is a map key, such as a Slack user ID
		case reflect.Struct:
			f, ok := fieldByKey(t, p)
			if !ok {
				return nil
			}
			t = f.Type
		default:
			return nil
		}
	}
	t = elem(t)
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for i := range t.NumField() {
		if k := tomlKey(t.Field(i)); k != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// elem looks through pointers and slices to the type of one value.
func elem(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t
}

func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		if f := t.Field(i); tomlKey(f) == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func tomlKey(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// closest returns the candidate nearest to s by edit distance, if it is
// near enough to be a plausible typo.
func closest(s string, candidates []string) string {
	best, bestDist := "", max(2, len(s)/3)+1
	for _, c := range candidates {
		if d := levenshtein.ComputeDistance(s, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}
