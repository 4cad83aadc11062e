package bot

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"
)

// Rating is the requester's verdict on one resolution of a request.
type Rating struct {
	RequestID string
	Round     int    // which resolution: Request.Reopens when it was resolved
	Requester string // who was asked
	Dept      string // the department that served
	AskedAt   time.Time
	// Skipped says why the requester was not asked ("fatigue": asked
	// recently about something else; "sampling"); "" when asked.
	Skipped  string
	Score    int // 1 (bad) … 5 (great); 0 when not rated or withdrawn
	RatedAt  time.Time
	Comment  string
	Reminded time.Time
	// Private is set, by the reads of exports, for a rating of a private
	// request, whose comment an export leaves out (reqtype.go).
	Private bool
}

// Rated reports whether a score stands.
func (r Rating) Rated() bool { return r.Score > 0 }

// RatingPolicy says how and how often requesters are asked to rate.
type RatingPolicy struct {
	// Emoji are the five reactions offered, worst first, by Slack name
	// ("disappointed"); a reaction's place is its score.
	Emoji []string
	// Window is how long after a resolution a rating may be given or
	// changed, in calendar time.
	Window time.Duration
	// RemindAfter is when one reminder goes to a requester who has not
	// rated; zero for the default, negative for none.
	RemindAfter time.Duration
	// MinInterval is the least time between two prompts to one person;
	// prompts sooner are skipped and counted as not asked ("fatigue").
	MinInterval time.Duration
	// Sample is the share of resolutions that are asked about (0–1].
	Sample float64
	// Reactions has the bot add the five emoji to the prompt as reactions,
	// so rating is one click on an emoji already there. Off by default:
	// the buttons rate in one click and reacting rates whether or not the
	// bot added any, and each prompt then costs five Slack calls fewer
	// (reactions.add is Tier 3, about 50 a minute for the whole workspace).
	// The Slack adapter adds them only while that tier has room.
	Reactions bool
}

// DefaultRatingPolicy applies where the config says nothing.
var DefaultRatingPolicy = RatingPolicy{
	Emoji:       []string{"disappointed", "slightly_frowning_face", "neutral_face", "slightly_smiling_face", "heart_eyes"},
	Window:      7 * 24 * time.Hour,
	RemindAfter: 2 * 24 * time.Hour,
	MinInterval: 0,
	Sample:      1,
}

// emojiGlyphs shows the default rating emoji where Slack's names mean
// nothing (the console).
var emojiGlyphs = map[string]string{
	"disappointed": "😞", "slightly_frowning_face": "🙁", "neutral_face": "😐",
	"slightly_smiling_face": "🙂", "heart_eyes": "😍",
}

// Glyph returns the character for a Slack emoji name, or ":name:".
func Glyph(name string) string {
	if g, ok := emojiGlyphs[name]; ok {
		return g
	}
	return ":" + name + ":"
}

// ScoreOf returns the score an emoji (a Slack name, with or without colons,
// or the character itself) stands for under p, or 0.
func (p RatingPolicy) ScoreOf(emoji string) int {
	e := strings.Trim(strings.TrimSpace(emoji), ":")
	// Slack sends skin tones as "name::skin-tone-2".
	e, _, _ = strings.Cut(e, "::")
	for i, name := range p.Emoji {
		if e == name || e == Glyph(name) {
			return i + 1
		}
	}
	return 0
}

// sampled decides, the same way every time for a given resolution, whether
// it falls in the sample.
func (p RatingPolicy) sampled(id string, round int) bool {
	if p.Sample >= 1 {
		return true
	}
	h := fnv.New32a()
	fmt.Fprintf(h, "%s#%d", id, round)
	return float64(h.Sum32()%10000)/10000 < p.Sample
}
