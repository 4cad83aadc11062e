package bot_test

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/bot/slackapp"
)

// FuzzParseCommand runs hostile /ask lines (seeds in
// testdata/fuzz/FuzzParseCommand: Slack markup, SQL, NUL bytes, invalid
// UTF-8, bidi and zero-width characters, huge lines) through the grammar:
// ParseFiling, the department lookup and the whole Desk.Command against a
// real store. Nothing may panic; every refusal is a coded error; every
// filing has non-empty, valid UTF-8 text within the limit, an existing
// department, and is stored verbatim; no reply carries live markup.
func FuzzParseCommand(f *testing.F) {
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, line string) {
		checkParseFiling(t, line)
		checkDepartment(t, fx.Desk.Dir(), line)

		reply := fx.Desk.Command(fx.Ctx, sam, line)
		if strings.TrimSpace(reply.Text) == "" {
			t.Fatalf("empty reply to %q", line)
		}
		assertNoLiveMarkup(t, fx.Desk.Dir(), slackapp.Mrkdwn(reply.Text))
		if !strings.HasPrefix(reply.Text, "Filed *") {
			return
		}
		r := reply.Request
		if r == nil {
			t.Fatalf("filed without a request: %q", reply.Text)
		}
		if err := bot.CheckText(r.Text); err != nil {
			t.Fatalf("filed text %q: %v", r.Text, err)
		}
		if !utf8.ValidString(r.Text) || !utf8.ValidString(r.Title) {
			t.Fatalf("filed text is not valid UTF-8: %q (title %q)", r.Text, r.Title)
		}
		if fx.Desk.Dir().ByName(r.Dept) == nil || r.Requester != sam {
			t.Fatalf("filed in %q by %q", r.Dept, r.Requester)
		}
		if strings.ContainsFunc(r.Text, func(c rune) bool { return unicode.IsControl(c) && c != '\t' && c != '\n' }) {
			t.Fatalf("filed text %q holds control characters", r.Text)
		}
		if !strings.Contains(bot.CleanText(line), r.Text) {
			t.Fatalf("filed text %q is not from the line %q", r.Text, line)
		}
		got, err := fx.DB.Request(fx.Ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Text != r.Text || got.Title != r.Title || got.Dept != r.Dept {
			t.Fatalf("stored %q %q in %s, filed %q %q in %s", got.Text, got.Title, got.Dept, r.Text, r.Title, r.Dept)
		}
	})
}

// checkParseFiling: a priority flag is recognised or refused, never mangled,
// and the text is a piece of the input.
func checkParseFiling(t *testing.T, rest string) {
	t.Helper()
	p, text, err := bot.ParseFiling(rest)
	if err != nil {
		var e *bot.Error
		if !errors.As(err, &e) || e.Code != bot.EINVALID || e.Message == "" {
			t.Fatalf("ParseFiling(%q) = %v, want a coded EINVALID", rest, err)
		}
		return
	}
	if p != "" && !slices.Contains(bot.Priorities, p) {
		t.Fatalf("ParseFiling(%q): priority %q", rest, p)
	}
	if !strings.Contains(rest, text) {
		t.Fatalf("ParseFiling(%q): text %q is not from the input", rest, text)
	}
	if utf8.ValidString(rest) && !utf8.ValidString(text) {
		t.Fatalf("ParseFiling(%q): text %q cut inside a character", rest, text)
	}
}

// checkDepartment: the first word names an existing department or gets
// ENOTFOUND, whose message echoes the word escaped.
func checkDepartment(t *testing.T, dir *bot.Directory, line string) {
	t.Helper()
	fields := strings.FieldsFunc(line, unicode.IsSpace)
	if len(fields) == 0 {
		return
	}
	dep, err := dir.Department(fields[0])
	if err == nil {
		if !slices.Contains(dir.Departments, dep) {
			t.Fatalf("Department(%q) = %+v, not one of the directory's", fields[0], dep)
		}
		return
	}
	var e *bot.Error
	if !errors.As(err, &e) || e.Code != bot.ENOTFOUND || e.Message == "" {
		t.Fatalf("Department(%q) = %v, want a coded ENOTFOUND", fields[0], err)
	}
	if strings.ContainsAny(slackapp.Mrkdwn(e.Message), "<>") { // as Slack gets it
		t.Fatalf("Department(%q): unescaped input in %q", fields[0], e.Message)
	}
}

// legitRef is markup the desk writes itself: a mention or a channel.
var legitRef = regexp.MustCompile(`<[@#]([A-Z0-9]+)>`)

// assertNoLiveMarkup fails when mrkdwn s holds a broadcast, a link or a
// mention of anyone the directory does not know.
func assertNoLiveMarkup(t *testing.T, dir *bot.Directory, s string) {
	t.Helper()
	rest := legitRef.ReplaceAllStringFunc(s, func(m string) string {
		id := legitRef.FindStringSubmatch(m)[1]
		if _, ok := dir.People[id]; ok || m[1] == '#' {
			return ""
		}
		return m
	})
	for _, bad := range []string{"<!", "<@", "<#", "<http", "<mailto"} {
		if strings.Contains(rest, bad) {
			t.Fatalf("reply lets %q through: %q", bad, s)
		}
	}
}
