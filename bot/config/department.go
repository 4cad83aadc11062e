package config

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/askdesk/askdesk/bot"
)

var (
	// Names appear in commands, logs and URLs, so they stay plain.
	nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)
	// Prefixes start request IDs such as FIN-42.
	prefixRE = regexp.MustCompile(`^[A-Z]{2,6}$`)
	// Channel IDs start with C (public) or G (older private channels);
	// names follow Slack's rules: lower case, no spaces or dots, ≤80.
	channelIDRE = regexp.MustCompile(`^[CG][A-Z0-9]{2,}$`)
	// Custom profile fields' IDs start with Xf.
	profileFieldRE = regexp.MustCompile(`^Xf[A-Z0-9]{2,}$`)
)

func isUserID(s string) bool  { return bot.IsUserID(s) }
func isChannel(s string) bool { return channelIDRE.MatchString(s) || isChannelName(s) }

// isChannelName checks "#name": 1 to 80 lower-case letters (or letters
// without case), digits, _ and -. Written out because the same rule as a
// regexp (\p{Ll}\p{Lo}\p{N}, {1,80}) compiles to 4 MB at start-up.
func isChannelName(s string) bool {
	name, ok := strings.CutPrefix(s, "#")
	if !ok || name == "" {
		return false
	}
	n := 0
	for _, r := range name {
		n++
		ok := r == '_' || r == '-' || unicode.IsLower(r) || unicode.Is(unicode.Lo, r) || unicode.IsNumber(r)
		if !ok || n > 80 {
			return false
		}
	}
	return true
}

// Limits on routing keywords, so that a department's config stays a list
// of words rather than a document.
const (
	maxKeywords   = 200
	maxKeywordLen = 60
)

// buildDepartment checks what a department says about itself and converts
// it. Clashes with other departments are checked by the caller.
func buildDepartment(r *reporter, key string, d DepartmentConfig) *bot.Department {
	dep := &bot.Department{
		Name:           d.Name,
		DisplayName:    d.DisplayName,
		Aliases:        slices.Clone(d.Aliases),
		Prefix:         d.Prefix,
		Channel:        d.Channel,
		IntakeChannels: slices.Clone(d.IntakeChannels),
		Leads:          slices.Clone(d.Leads),
		Members:        slices.Clone(d.Members),
		Usergroup:      d.Usergroup,
		Description:    strings.TrimSpace(d.Description),
		Keywords:       slices.Clone(d.Keywords),
		Language:       checkLanguage(r, join(key, "language"), d.Language),
	}

	switch {
	case d.Name == "":
		r.addf(join(key, "name"), "required: a lower-case identifier such as \"finance\"")
	case !nameRE.MatchString(d.Name):
		r.addf(join(key, "name"), "%q is not a lower-case identifier: use a-z, 0-9, _ and -, at most 32", d.Name)
	}
	if dep.DisplayName == "" {
		dep.DisplayName = titleCase(d.Name)
	}
	for j, a := range d.Aliases {
		if bot.NormalizeName(a) == "" {
			r.add(at(join(key, "aliases"), j), bot.E(bot.EINVALID, "config.empty_alias"))
		}
	}
	for j, w := range d.Keywords {
		switch {
		case strings.TrimSpace(w) == "":
			r.addf(at(join(key, "keywords"), j), "empty keyword")
		case utf8.RuneCountInString(w) > maxKeywordLen:
			r.addf(at(join(key, "keywords"), j), "keyword %q is longer than %d characters: keywords are words or short phrases people type", w, maxKeywordLen)
		}
	}
	if len(d.Keywords) > maxKeywords {
		r.addf(join(key, "keywords"), "%d keywords; at most %d", len(d.Keywords), maxKeywords)
	}
	switch {
	case d.Prefix == "":
		r.addf(join(key, "prefix"), "required: 2 to 6 capital letters for request IDs, such as \"FIN\"")
	case !prefixRE.MatchString(d.Prefix):
		r.addf(join(key, "prefix"), "%q is not 2 to 6 capital letters A-Z", d.Prefix)
	}

	switch {
	case d.Channel == "":
		r.add(join(key, "channel"), bot.E(bot.EINVALID, "config.channel_required"))
	case !isChannel(d.Channel):
		r.add(join(key, "channel"), bot.E(bot.EINVALID, "config.not_channel", "Value", strconv.Quote(d.Channel)))
	}
	// Reactions name their channel by ID only, so intake channels must be
	// IDs: a name could never match.
	for j, ch := range d.IntakeChannels {
		if !isChannel(ch) || strings.HasPrefix(ch, "#") {
			r.add(at(join(key, "intake_channels"), j), bot.E(bot.EINVALID, "config.intake_channel_id", "Value", strconv.Quote(ch)))
		}
	}

	// Someone must be able to pick up requests and be reminded of them. A
	// user group counts: its members are read from Slack once serving.
	if len(d.Leads)+len(d.Members) == 0 && d.Usergroup == "" {
		r.add(join(key, "leads"), bot.E(bot.EINVALID, "config.no_staff"))
	}
	if d.Usergroup != "" && !bot.IsUsergroup(d.Usergroup) {
		r.add(join(key, "usergroup"), bot.E(bot.EINVALID, "config.not_usergroup", "Value", strconv.Quote(d.Usergroup)))
	}
	for _, list := range []struct {
		key string
		ids []string
	}{{join(key, "leads"), d.Leads}, {join(key, "members"), d.Members}} {
		for j, id := range list.ids {
			if !isUserID(id) {
				r.add(at(list.key, j), bot.E(bot.EINVALID, "config.not_user_id", "Value", strconv.Quote(id)))
			}
		}
	}

	dep.Calendar = buildCalendar(r, key, d)
	dep.Targets = buildTargets(r, join(key, "sla"), d.SLA)
	dep.Quality = buildQuality(r, key, d)
	dep.DigestWhenQuiet = d.DigestWhenQuiet
	dep.PublicRequests = d.PublicRequests
	dep.Types = buildTypes(r, key, d.Types)
	checkIntakeType(r, key, d, dep)
	return dep
}

// titleCase makes a default display name: "human-resources" → "Human Resources".
func titleCase(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' })
	for i, w := range words {
		first, size := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(first)) + w[size:]
	}
	return strings.Join(words, " ")
}

// buildTargets checks the SLA table. Only normal is required: a priority
// without targets falls back to normal's (see bot.Department.Target).
func buildTargets(r *reporter, key string, s SLAConfig) map[bot.Priority]bot.Target {
	if s.Normal == nil {
		r.add(join(key, "normal"), bot.E(bot.EINVALID, "config.normal_required"))
	}
	return buildTargetTable(r, key, s)
}

// buildTargetTable checks the priorities an SLA table gives.
func buildTargetTable(r *reporter, key string, s SLAConfig) map[bot.Priority]bot.Target {
	out := map[bot.Priority]bot.Target{}
	for _, p := range []struct {
		prio bot.Priority
		t    *TargetConfig
	}{{bot.Urgent, s.Urgent}, {bot.Normal, s.Normal}, {bot.Low, s.Low}} {
		if p.t == nil {
			continue
		}
		k := join(key, string(p.prio))
		first, ok1 := duration(r, join(k, "first_response"), p.t.FirstResponse)
		res, ok2 := duration(r, join(k, "resolution"), p.t.Resolution)
		if ok1 && ok2 && longer(first, res) {
			r.add(join(k, "first_response"), bot.E(bot.EINVALID, "config.first_after_resolution", "First", first.String(), "Resolution", res.String()))
		}
		out[p.prio] = bot.Target{FirstResponse: first, Resolution: res}
	}
	return out
}

// duration parses a required, positive duration: business hours, working
// days or calendar time.
func duration(r *reporter, key, s string) (bot.BusinessDuration, bool) {
	if strings.TrimSpace(s) == "" {
		r.add(key, bot.E(bot.EINVALID, "config.duration_required"))
		return bot.BusinessDuration{}, false
	}
	d, err := bot.ParseBusinessDuration(s)
	if err != nil {
		r.addErr(key, err)
		return d, false
	}
	if d.IsZero() {
		r.add(key, bot.E(bot.EINVALID, "config.duration_zero", "Value", strconv.Quote(s)))
		return d, false
	}
	return d, true
}

// longer reports whether a is surely longer than b. How many hours a
// business day holds depends on the calendar and the day, so "1d" and "8h"
// are not compared; "4h" and "1d4h" are. Business and calendar time are
// not compared either; two calendar times always are.
func longer(a, b bot.BusinessDuration) bool {
	switch {
	case a.Kind != b.Kind:
		return false
	case a.Kind == bot.CalendarTime:
		return time.Duration(a.Days)*24*time.Hour+a.Time > time.Duration(b.Days)*24*time.Hour+b.Time
	case a.Days == b.Days:
		return a.Time > b.Time
	case a.Days > b.Days:
		return b.Time == 0
	default:
		return false
	}
}

// buildQuality checks the department's quality target.
func buildQuality(r *reporter, key string, d DepartmentConfig) bot.QualityTarget {
	var q bot.QualityTarget
	if d.RightFirstTime != "" {
		p, err := bot.ParsePercent(d.RightFirstTime)
		if err != nil {
			r.add(join(key, "right_first_time"), bot.E(bot.EINVALID, "config.right_first_time", "Problem", codedOr(err)))
		}
		q.RightFirstTime = p
	}
	if d.Satisfaction != 0 {
		if err := bot.CheckSatisfaction(d.Satisfaction); err != nil {
			r.add(join(key, "satisfaction"), bot.E(bot.EINVALID, "config.satisfaction", "Problem", codedOr(err)))
		} else {
			q.Satisfaction = d.Satisfaction
		}
	}
	return q
}
