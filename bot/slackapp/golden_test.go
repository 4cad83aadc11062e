package slackapp_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/config"
)

// updateGolden rewrites testdata/*.golden.json:
//
//	go test ./bot/slackapp -update
//
// Other test files in this package use it too; a second "update" flag
// would panic.
var updateGolden = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current output")

// htmlEscapes matches \u003c, \u003e and \u0026 preceded by an even number
// of backslashes (an escaped backslash followed by "u003c" is text).
var htmlEscapes = regexp.MustCompile(`(?:^|[^\\])(?:\\\\)*\\u00(?:3c|3e|26)`)

// assertGolden compares v, as indented JSON, with testdata/<name>.golden.json.
// HTML characters are left unescaped so a reviewer reads "<@U…>" and
// "&lt;" exactly as Slack receives them.
func assertGolden(tb testing.TB, name string, v any) {
	tb.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		tb.Fatalf("marshal %s: %v", name, err)
	}
	// Some of slack-go's types marshal their parts with json.Marshal, which
	// escapes HTML anyway: undo that. Matches cannot overlap, so
	// "\u003c\u003e" takes two rounds.
	got := buf.Bytes()
	for htmlEscapes.Match(got) {
		got = htmlEscapes.ReplaceAllFunc(got, func(m []byte) []byte {
			i := bytes.LastIndexByte(m, '\\')
			return append(m[:i:i], map[string]byte{"u003c": '<', "u003e": '>', "u0026": '&'}[string(m[i+1:])])
		})
	}
	var before, after any
	if json.Unmarshal(buf.Bytes(), &before) != nil || json.Unmarshal(got, &after) != nil || !reflect.DeepEqual(before, after) {
		tb.Fatalf("%s: unescaping changed the JSON", name)
	}
	path := filepath.Join("testdata", name+".golden.json")
	if *updateGolden {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test ./bot/slackapp -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file; if the change is intended, run go test ./bot/slackapp -update and review the diff.\ngot:\n%s", path, got)
	}
}

// MustExampleDirectory returns the directory of the built-in example
// company (config.example.toml).
func MustExampleDirectory(tb testing.TB) *bot.Directory {
	tb.Helper()
	f, err := os.Open(filepath.Join("..", "..", "config.example.toml"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	cfg, err := config.Parse("config.example.toml", f)
	if err != nil {
		tb.Fatal(err)
	}
	dir, err := cfg.Directory()
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// People and times of the fixtures: the console demo's Tuesday, two days
// before Thanksgiving (a Finance holiday).
const (
	sam   = "U0SAM0001" // requester, in sales
	fiona = "U0FIONA01" // Finance lead
	frank = "U0FRANK01" // Finance member
	farah = "U0FARAH01" // Finance member
)

func tuesday(tb testing.TB) time.Time {
	tb.Helper()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		tb.Fatal(err)
	}
	return time.Date(2026, 11, 24, 9, 30, 0, 0, ny)
}

// requestBuilder replays a request's history, as the desk would have
// written it.
type requestBuilder struct {
	tb testing.TB
	r  *bot.Request
}

// fileRequest starts a request filed by requester with dept at at.
func fileRequest(tb testing.TB, id, dept, requester string, p bot.Priority, text string, at time.Time) *requestBuilder {
	tb.Helper()
	b := &requestBuilder{tb: tb, r: &bot.Request{}}
	b.apply(bot.Event{RequestID: id, Kind: bot.EvCreated, Actor: requester, At: at, Dept: dept,
		Priority: p, Title: bot.Title(text), Text: text, Source: "slash"})
	return b
}

// then applies one more event; fill sets its kind-specific fields.
func (b *requestBuilder) then(kind bot.EventKind, actor string, at time.Time, fill func(*bot.Event)) *requestBuilder {
	b.tb.Helper()
	ev := bot.Event{RequestID: b.r.ID, Kind: kind, Actor: actor, At: at}
	if fill != nil {
		fill(&ev)
	}
	b.apply(ev)
	return b
}

func (b *requestBuilder) apply(ev bot.Event) {
	b.tb.Helper()
	ev.Seq = b.r.Version + 1
	if err := b.r.Apply(ev); err != nil {
		b.tb.Fatalf("apply %s: %v", ev.Kind, err)
	}
}

// drawCard returns r's card message for channel as the desk draws it at
// delivery.
func drawCard(tb testing.TB, dir *bot.Directory, r *bot.Request, channel, change string, now time.Time) bot.Message {
	tb.Helper()
	desk := bot.New(dir, nil, bot.Discard{}, bot.NewManualClock(now), nil)
	m := bot.Message{To: channel, CardFor: r.ID, Change: change}
	desk.DrawCard(&m, r, now)
	if m.Card == nil {
		tb.Fatalf("no card drawn for %s", r.ID)
	}
	return m
}
