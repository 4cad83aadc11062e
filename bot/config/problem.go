package config

import (
	"fmt"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/i18n"

	"sort"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a config file, placed as precisely as the
// source allows so that an operator can fix every mistake in one edit.
type Problem struct {
	File string // file name as given to Parse or Load; "" for a Config built in code
	Line int    // 1-based; 0 when the position is unknown
	Col  int    // 1-based column of the key; 0 when unknown
	Key  string // key path such as department[3].sla.urgent.first_response
	Msg  string

	// Err, when set, is Msg as a catalogue message (bot.E), so that a lead
	// editing the standard in Slack reads it in their language; Msg is
	// its English rendering, what the config file's diagnostics say.
	Err *bot.Error
}

// String formats the problem as "file:line: key: msg", leaving out the parts
// that are unknown.
func (p Problem) String() string {
	var b strings.Builder
	loc := p.File
	if p.Line > 0 {
		if loc != "" {
			loc += ":"
		}
		loc += strconv.Itoa(p.Line)
	}
	if loc != "" {
		b.WriteString(loc)
		b.WriteString(": ")
	}
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every problem found in a config file, in file order. It is the
// error returned by Parse, Load, Validate and Directory when the config is
// unusable; get at the list with errors.As.
type Problems []Problem

// Error lists every problem, one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// sorted orders problems as they appear in the file; problems without a
// position go last, in the order they were found.
func (ps Problems) sorted() Problems {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if (a.Line == 0) != (b.Line == 0) {
			return b.Line == 0
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return ps
}

// reporter collects problems during validation and places each one using the
// source index.
type reporter struct {
	file  string
	ix    *index // nil for a Config built in code
	probs Problems
}

// addf records a problem at key, positioned at key or its nearest parent
// that appears in the file.
func (r *reporter) addf(key, format string, args ...any) {
	line, col := r.ix.lookup(key)
	r.probs = append(r.probs, Problem{File: r.file, Line: line, Col: col, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// add records a problem whose message is the catalogue's (see Problem.Err).
func (r *reporter) add(key string, e *bot.Error) {
	line, col := r.ix.lookup(key)
	r.probs = append(r.probs, Problem{File: r.file, Line: line, Col: col, Key: key, Msg: e.Message, Err: e})
}

// addErr records err at key: a coded error as add does, any other as its
// text.
func (r *reporter) addErr(key string, err error) {
	if e, ok := err.(*bot.Error); ok {
		r.add(key, e)
		return
	}
	r.addf(key, "%v", err)
}

// text is the problem's message for a reader of p (nil: English).
func (p Problem) text(pr *i18n.Printer) string {
	if p.Err != nil {
		return bot.ErrorText(pr, p.Err)
	}
	return p.Msg
}

// codedOr is err as an argument of bot.E: a coded error, said in the
// reader's language, or err's text.
func codedOr(err error) any {
	if e, ok := err.(*bot.Error); ok {
		return e
	}
	return err.Error()
}
