package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/askdesk/askdesk/bot/cjk"
	"github.com/askdesk/askdesk/bot/i18n"
)

// Full-text search over the requests a person may see: /ask search.

// SearchQuery is a parsed search: the words to find and the filters.
type SearchQuery struct {
	// Words must all appear in a request's title, text, fields, replies or
	// notes, each as a word or as the start of one, case aside; a run of
	// Han characters (Chinese, written with no spaces between its words)
	// anywhere in a run, as written. Lower case, letters and digits only,
	// a run of Han a word of its own (SearchWords). None: every request
	// the filters let through, newest first.
	Words []string
	// AnyWords finds requests with any of Words rather than all of them,
	// those with more of them ranked higher (deflection's similar answers).
	AnyWords  bool
	Dept      string    // dept: a department's canonical name
	States    []State   // status: any of these
	Requester string    // from: a user ID
	After     time.Time // after: filed at or after
	Before    time.Time // before: filed before
}

// SearchScope is which requests a viewer may find: their own, those of the
// departments they work in (private ones included), for an admin every
// request that is not private, and for everyone the public requests:
// saved answers and the requests of PublicDepts, none of them private. It
// mirrors Desk.MayView and MaySeePrivate; the desk checks each result
// with them all the same.
type SearchScope struct {
	User  string
	Depts []string
	Admin bool
	// PublicDepts are the departments whose requests are public
	// (public_requests in the catalogue).
	PublicDepts []string
}

// ScopeOf is the scope of what viewer may find in the directory in force.
func (d *Directory) ScopeOf(viewer string) SearchScope {
	scope := SearchScope{User: viewer, Admin: d.IsAdmin(viewer)}
	for _, dep := range d.StaffOf(viewer) {
		scope.Depts = append(scope.Depts, dep.Name)
	}
	for _, dep := range d.Departments {
		if dep.PublicRequests {
			scope.PublicDepts = append(scope.PublicDepts, dep.Name)
		}
	}
	return scope
}

// SearchHit is one request found, with the text of its later events
// (replies, questions, resolution notes, reasons), one a line, for the
// snippet.
type SearchHit struct {
	Request *Request
	Notes   string
}

// Searcher is the store's full-text index; the store implements it beside
// Store (store/search.go), and the desk finds it there.
type Searcher interface {
	// SearchRequests returns the requests matching q within scope, best
	// match first (the title counting most, then the text and fields,
	// then replies and notes), the newest first among equals; skipping
	// offset and at most limit of them. Redacted requests are not found.
	SearchRequests(ctx context.Context, q SearchQuery, scope SearchScope, offset, limit int) ([]SearchHit, error)
}

// ActSearch is the "More" button under a page of search results: its Arg
// is the search's words and filters asking for the next page.
const ActSearch Action = "search"

// SearchPageSize is how many results one page of a search shows.
const SearchPageSize = 10

// maxSearchWords bounds the words of one search.
const maxSearchWords = 12

// SearchWords splits text into the words a search looks for: runs of
// letters, digits and the marks written with them (the vowel signs of
// Hindi, say), in lower case, as the index splits and folds them; a run of
// Han characters is a word of its own ("VPN报销" is "vpn" and "报销"), found
// anywhere in a run of Han (cjk.Bigrams).
func SearchWords(text string) []string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !wordRune(r) })
	if !cjk.HasHan(text) {
		return words
	}
	var out []string
	for _, w := range words {
		out = append(out, cjk.Split(w)...)
	}
	return out
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// SearchResult is one page of a search as the viewer may see it.
type SearchResult struct {
	Hits []SearchHit // requests the viewer may see, text and all
	Page int
	More bool // a next page has results
}

// Search returns page (from 1) of the requests matching q that viewer may
// see: their own, their departments', for admins everyone's but the
// private requests of departments they do not work in, and the public
// ones (saved answers, public departments' requests). It returns
// EINVALID when the store keeps no index.
func (d *Desk) Search(ctx context.Context, viewer string, q SearchQuery, page int) (SearchResult, error) {
	s, ok := d.Store.(Searcher)
	if !ok {
		return SearchResult{}, Errorf(EINVALID, "%s", d.Printer(viewer, nil).T("search.unavailable"))
	}
	if page < 1 {
		page = 1
	}
	dir := d.Dir()
	hits, err := s.SearchRequests(ctx, q, dir.ScopeOf(viewer), (page-1)*SearchPageSize, SearchPageSize+1)
	if err != nil {
		return SearchResult{}, err
	}
	res := SearchResult{Page: page, More: len(hits) > SearchPageSize}
	hits = hits[:min(len(hits), SearchPageSize)]
	// The store's scope is the first fence, this the second: a result
	// the viewer could not open with /ask status, or whose text they may
	// not read, is never shown.
	reqs := make([]*Request, len(hits))
	for i, h := range hits {
		reqs[i] = h.Request
	}
	may, err := d.mayView(ctx, dir, viewer, reqs)
	if err != nil {
		return SearchResult{}, err
	}
	for i, h := range hits {
		if may[i] && dir.MaySeePrivate(viewer, h.Request) {
			res.Hits = append(res.Hits, h)
		}
	}
	return res, nil
}

// ParseSearch parses the words and filters of /ask search for viewer:
// dept:<dept>, status:open|waiting|resolved|closed|cancelled, from:<person>,
// after:YYYY-MM-DD (filed that day or later), before:YYYY-MM-DD (filed
// before that day), in the viewer's time zone, and page:N. It returns the
// query, the page, and EINVALID saying what to fix.
func (d *Desk) ParseSearch(viewer, args string) (SearchQuery, int, error) {
	var q SearchQuery
	page := 1
	loc := d.Location(viewer, nil)
	p := d.Printer(viewer, nil)
	var words []string
	for _, tok := range strings.FieldsFunc(args, unicode.IsSpace) {
		key, val, ok := strings.Cut(tok, ":")
		if !ok || val == "" {
			words = append(words, SearchWords(tok)...)
			continue
		}
		switch strings.ToLower(key) {
		case "dept", "department":
			dep, err := d.Dir().DepartmentIn(p, val)
			if err != nil {
				return q, 0, err
			}
			q.Dept = dep.Name
		case "status", "state":
			states, err := parseSearchStatus(p, val)
			if err != nil {
				return q, 0, err
			}
			q.States = states
		case "from", "by":
			user := d.assigneeNamed(val)
			if !IsUserID(user) {
				return q, 0, Errorf(EINVALID, "%s", p.T("search.who", "Name", Escape(val)))
			}
			q.Requester = user
		case "after", "since":
			t, err := parseSearchDate(p, key, val, loc)
			if err != nil {
				return q, 0, err
			}
			q.After = t
		case "before", "until":
			t, err := parseSearchDate(p, key, val, loc)
			if err != nil {
				return q, 0, err
			}
			q.Before = t
		case "page":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 || n > 1000 {
				return q, 0, Errorf(EINVALID, "%s", p.T("search.page", "Value", Escape(val)))
			}
			page = n
		default:
			// "re:" or a time "10:30": plain words.
			words = append(words, SearchWords(tok)...)
		}
	}
	if len(words) > maxSearchWords {
		return q, 0, Errorf(EINVALID, "%s", p.T("search.too_many", "N", len(words), "Max", maxSearchWords))
	}
	q.Words = words
	if len(q.Words) == 0 && q.Dept == "" && q.States == nil && q.Requester == "" && q.After.IsZero() && q.Before.IsZero() {
		return q, 0, Errorf(EINVALID, "%s", p.T("search.what", "Filters", p.T("search.filters")))
	}
	return q, page, nil
}

func parseSearchStatus(p *i18n.Printer, val string) ([]State, error) {
	var out []State
	for _, v := range strings.FieldsFunc(strings.ToLower(val), func(r rune) bool { return r == '|' || r == ',' }) {
		switch State(v) {
		case Open, "active":
			// "Open" in a search means still being worked on.
			out = append(out, Open, Acknowledged, Waiting, Reopened)
		case Acknowledged, Waiting, Reopened, Resolved, Closed, Cancelled:
			out = append(out, State(v))
		default:
			return nil, Errorf(EINVALID, "%s", p.T("search.bad_state", "Value", Escape(val)))
		}
	}
	if len(out) == 0 {
		return nil, Errorf(EINVALID, "%s", p.T("search.which_state"))
	}
	return out, nil
}

func parseSearchDate(p *i18n.Printer, key, val string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", val, loc)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "%s", p.T("search.bad_date", "Key", Escape(key), "Value", Escape(val), "Lower", Escape(strings.ToLower(key))))
	}
	return t, nil
}

// search is /ask search.
func (d *Desk) search(ctx context.Context, user, args string) (Reply, error) {
	q, page, err := d.ParseSearch(user, args)
	if err != nil {
		return Reply{}, err
	}
	res, err := d.Search(ctx, user, q, page)
	if err != nil {
		return Reply{}, err
	}
	p := d.Printer(user, nil)
	reply := Reply{Text: d.SearchText(user, args, res), Lang: p.Lang()}
	if res.More {
		reply.Buttons = []Button{{Label: p.T("search.more_button"), Action: ActSearch, Arg: withPage(args, res.Page+1)}}
	}
	return reply, nil
}

// SearchText is a page of results as the viewer reads it: per request its
// ID, department, state and title, and a snippet where the words are.
func (d *Desk) SearchText(viewer, args string, res SearchResult) string {
	args = strings.TrimSpace(args)
	words := SearchWords(args)
	p := d.Printer(viewer, nil)
	var b strings.Builder
	if len(res.Hits) == 0 {
		if res.Page > 1 {
			b.WriteString(p.T("search.no_more", "Words", Escape(args)))
		} else {
			b.WriteString(p.T("search.none", "Words", Escape(args), "Filters", p.T("search.filters")))
		}
		return b.String()
	}
	first := (res.Page-1)*SearchPageSize + 1
	switch n := len(res.Hits); {
	case res.Page == 1 && !res.More && n == 1:
		b.WriteString(p.T("search.single", "Words", Escape(args)))
	case res.Page == 1 && !res.More:
		b.WriteString(p.T("search.all", "N", n, "Words", Escape(args)))
	default:
		b.WriteString(p.T("search.page_of", "Words", Escape(args), "First", first, "Last", first+n-1))
	}
	dir := d.Dir()
	for _, h := range res.Hits {
		r := h.Request
		dept := r.Dept
		if dep := dir.ByName(r.Dept); dep != nil {
			dept = dep.DisplayName
		}
		fmt.Fprintf(&b, "\n• *%s* · %s · %s · %s", r.ID, Escape(dept), p.T("search.state."+string(r.State)), Escape(r.Title))
		if s := Snippet(r, h.Notes, words); s != "" {
			fmt.Fprintf(&b, "\n    _%s_", Escape(s))
		}
	}
	if res.More {
		b.WriteString("\n" + p.T("search.more", "Args", Escape(withPage(args, res.Page+1))))
	} else {
		b.WriteString("\n" + p.T("search.end"))
	}
	b.WriteString(p.T("search.status_hint"))
	return b.String()
}

// withPage returns the search's arguments asking for page n.
func withPage(args string, n int) string {
	var keep []string
	for _, tok := range strings.Fields(args) {
		if k, _, ok := strings.Cut(tok, ":"); ok && strings.EqualFold(k, "page") {
			continue
		}
		keep = append(keep, tok)
	}
	return strings.Join(append(keep, "page:"+strconv.Itoa(n)), " ")
}

// snippetLen is about how many characters of text a snippet shows.
const snippetLen = 100

// Snippet is a short stretch of r's text, fields, replies or notes around
// the first of words found there; the start of its text when the words
// are only in its title (or there are none).
func Snippet(r *Request, notes string, words []string) string {
	parts := []string{r.Text}
	for _, f := range r.Fields {
		parts = append(parts, f.Value)
	}
	parts = append(parts, strings.Split(notes, "\n")...)
	for _, p := range parts {
		if at := findWord(p, words); at >= 0 {
			return around(p, at)
		}
	}
	if r.Text == r.Title {
		return ""
	}
	return around(r.Text, 0)
}

// findWord returns the byte offset in s of the first word that starts with
// one of words (case aside), or of a run of Han among words found anywhere
// (Han has no word boundaries to start at), or -1.
func findWord(s string, words []string) int {
	if len(words) == 0 {
		return -1
	}
	lower := strings.ToLower(s)
	if len(lower) != len(s) {
		return -1 // folding changed the lengths; offsets would not match
	}
	first := -1
	for _, w := range words {
		if cjk.IsHanWord(w) {
			if at := strings.Index(lower, w); at >= 0 && (first < 0 || at < first) {
				first = at
			}
		}
	}
	start := -1
	for i, c := range lower {
		if first >= 0 && i >= first {
			break
		}
		if !wordRune(c) {
			start = -1
			continue
		}
		if start < 0 {
			start = i
			for _, w := range words {
				if strings.HasPrefix(lower[i:], w) {
					return i
				}
			}
		}
	}
	return first
}

// around cuts s to about snippetLen characters from a little before at,
// on one line.
func around(s string, at int) string {
	rs := []rune(s[:at])
	from := max(0, len(rs)-snippetLen/4)
	head := string(rs[from:])
	tail := []rune(s[at:])
	cut := min(len(tail), snippetLen-len([]rune(head)))
	out := head + string(tail[:cut])
	out = strings.Join(strings.Fields(out), " ")
	if from > 0 {
		out = "…" + out
	}
	if cut < len(tail) {
		out += "…"
	}
	return out
}
