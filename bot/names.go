package bot

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"
	"github.com/askdesk/askdesk/bot/cjk"
	"github.com/askdesk/askdesk/bot/i18n"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

var caseFolder = cases.Fold()

// NormalizeName folds a department name or alias for matching: trimmed,
// NFKC-normalised, width-folded (ＦＩＮ is FIN), traditional Han characters
// folded to simplified ones (財務 is 财务) and case-folded. The Han fold
// touches Han characters only, so other scripts match as before.
func NormalizeName(s string) string {
	s = strings.TrimSpace(s)
	s = cjk.ToSimplified(norm.NFKC.String(width.Fold.String(s)))
	return caseFolder.String(s)
}

// Suggest returns up to three department names that are close to what the
// user typed: by edit distance to any name or alias, or by prefix.
func (d *Directory) Suggest(typed string) []string {
	t := NormalizeName(typed)
	if t == "" {
		return nil
	}
	type cand struct {
		name string
		dist int
	}
	best := map[string]int{}
	for key, dep := range d.byKey {
		dist := levenshtein.ComputeDistance(t, key)
		if strings.HasPrefix(key, t) && utf8.RuneCountInString(t) >= 2 {
			dist = 0
		}
		limit := max(1, utf8.RuneCountInString(key)/3)
		if dist > limit {
			continue
		}
		if old, ok := best[dep.Name]; !ok || dist < old {
			best[dep.Name] = dist
		}
	}
	cands := make([]cand, 0, len(best))
	for n, dist := range best {
		cands = append(cands, cand{n, dist})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		return cands[i].name < cands[j].name
	})
	var out []string
	for i := 0; i < len(cands) && i < 3; i++ {
		out = append(out, cands[i].name)
	}
	return out
}

// maxUserIDLen bounds a user ID: Slack's are 9 to 11 characters today;
// the margin allows for longer ones without letting a payload put
// kilobytes into the log and the database as a "user".
const maxUserIDLen = 32

// IsUserID reports whether s has the form of a Slack user ID: U (W on
// Enterprise Grid) and then 2 to 31 capital letters and digits.
// SystemActor is not one, so nobody can act as askdesk from outside.
func IsUserID(s string) bool {
	if len(s) < 3 || len(s) > maxUserIDLen || s[0] != 'U' && s[0] != 'W' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// CheckUser returns EINVALID unless user is a user ID (IsUserID): what
// every act that comes from a person is checked against, whichever adapter
// it came through.
func CheckUser(user string) error { return CheckUserIn(nil, user) }

// CheckUserIn is CheckUser with its message for a reader of p (nil:
// English): the company's language, as nobody is known.
func CheckUserIn(p *i18n.Printer, user string) error {
	if !IsUserID(user) {
		return Errorf(EINVALID, "%s", p.T("cmd.user.unknown"))
	}
	return nil
}

// IsUsergroup reports whether s names a Slack user group: its ID
// ("S0123ABCD") or its handle with an @ ("@finance-team").
func IsUsergroup(s string) bool {
	if h, ok := strings.CutPrefix(s, "@"); ok {
		if h == "" || len(h) > 80 {
			return false
		}
		for _, r := range h {
			if !(r == '-' || r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsNumber(r)) {
				return false
			}
		}
		return true
	}
	if len(s) < 3 || len(s) > maxUserIDLen || s[0] != 'S' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
