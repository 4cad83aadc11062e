package report

import (
	"github.com/askdesk/askdesk/bot"

	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ExportFormats are the formats an export is written in.
var ExportFormats = []string{"csv", "jsonl"}

// RecordWriter writes export records one at a time; Flush must be called
// at the end and reports the first write error.
type RecordWriter interface {
	Write(rec []any) error
	Flush() error
}

// NewRecordWriter returns a writer of format ("csv" or "jsonl") for a
// table with columns; a CSV starts with its header line. It returns
// EINVALID for another format.
func NewRecordWriter(w io.Writer, format string, columns []string) (RecordWriter, error) {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(columns); err != nil {
			return nil, err
		}
		return &csvRecords{w: cw, cells: make([]string, len(columns))}, nil
	case "jsonl":
		return &jsonlRecords{w: bufio.NewWriterSize(w, 64<<10), columns: columns}, nil
	}
	return nil, bot.E(bot.EINVALID, "report.err.export_format", "Format", bot.Escape(format), "Formats", orList(ExportFormats))
}

// csvRecords writes RFC 4180 CSV: encoding/csv quotes cells holding
// commas, quotes or line breaks, and text that a spreadsheet would run as
// a formula is defused (DefuseCell).
type csvRecords struct {
	w     *csv.Writer
	cells []string
}

func (c *csvRecords) Write(rec []any) error {
	for i, v := range rec {
		c.cells[i] = csvCell(v)
	}
	return c.w.Write(c.cells)
}

func (c *csvRecords) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

func csvCell(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return DefuseCell(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return rfc3339(v)
	}
	panic(fmt.Sprintf("export: no CSV form for %T", v))
}

// DefuseCell guards a text cell against CSV injection: a spreadsheet runs
// a cell starting with =, +, -, @, a tab or a line break as a formula
// (=HYPERLINK(…), =cmd|…), so such a cell is written with an apostrophe
// in front, which spreadsheets show as text. Cells starting with an
// apostrophe get one too, so the rule reverses exactly: drop one leading
// apostrophe, when there is one, to get the original text. Numbers and
// times are never prefixed; JSONL is written as is.
func DefuseCell(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r\n'", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// jsonlRecords writes one JSON object per line, keys in column order.
type jsonlRecords struct {
	w       *bufio.Writer
	columns []string
	buf     []byte
}

func (j *jsonlRecords) Write(rec []any) error {
	b := append(j.buf[:0], '{')
	for i, v := range rec {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(appendJSONString(b, j.columns[i]), ':')
		switch v := v.(type) {
		case nil:
			b = append(b, "null"...)
		case string:
			b = appendJSONString(b, v)
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		case bool:
			b = strconv.AppendBool(b, v)
		case time.Time:
			if v.IsZero() {
				b = append(b, "null"...)
			} else {
				b = append(appendTime(append(b, '"'), v), '"')
			}
		default:
			panic(fmt.Sprintf("export: no JSON form for %T", v))
		}
	}
	j.buf = append(b, '}', '\n')
	_, err := j.w.Write(j.buf)
	return err
}

func (j *jsonlRecords) Flush() error { return j.w.Flush() }

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced by U+FFFD, the rest
// (Unicode included) as is.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		case c < utf8.RuneSelf:
			b = append(b, c)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, "\\ufffd"...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		i++
	}
	return append(b, '"')
}

// appendTime appends t in TimeFormat: what t.UTC().AppendFormat does, a
// few times faster, which matters at six instants a row and a million rows.
func appendTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(b, TimeFormat)
	}
	h, mi, s := t.Clock()
	b = appendDigits(b, y, 4)
	b = appendDigits(append(b, '-'), int(mo), 2)
	b = appendDigits(append(b, '-'), d, 2)
	b = appendDigits(append(b, 'T'), h, 2)
	b = appendDigits(append(b, ':'), mi, 2)
	b = appendDigits(append(b, ':'), s, 2)
	b = appendDigits(append(b, '.'), t.Nanosecond()/1e6, 3)
	return append(b, 'Z')
}

func appendDigits(b []byte, n, width int) []byte {
	var buf [4]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, buf[:width]...)
}
