package config

import (
	"regexp"
	"strings"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// RatingsConfig is [ratings]: how requesters are asked to rate.
type RatingsConfig struct {
	// Emoji are the five reactions offered, worst first, by Slack name.
	Emoji []string `toml:"emoji"`
	// Window is how long after a resolution a rating may be given or
	// changed, in calendar time ("7d").
	Window string `toml:"window"`
	// RemindAfter sends one reminder when no rating came ("2d"; "off").
	RemindAfter string `toml:"remind_after"`
	// MinInterval is the least time between two prompts to one person
	// ("7d"; "off", the default: every resolution is asked about).
	MinInterval string `toml:"min_interval"`
	// Sample is the share of resolutions asked about, 0 < sample ≤ 1.
	Sample *float64 `toml:"sample"`
	// Reactions has the bot add the five emoji to the prompt as
	// reactions, while Slack's tier for them has room (default false: the
	// buttons rate, and so does reacting, without the bot's five calls).
	Reactions *bool `toml:"reactions"`
}

var emojiNameRE = regexp.MustCompile(`^[a-z0-9_+\-']{1,64}$`)

// ratingPolicy builds the rating policy from [ratings] over the defaults.
func ratingPolicy(r *reporter, rc *RatingsConfig) bot.RatingPolicy {
	p := bot.DefaultRatingPolicy
	if rc == nil {
		return p
	}
	if rc.Emoji != nil {
		if len(rc.Emoji) != 5 {
			r.addf("ratings.emoji", "give exactly five emoji, worst first; got %d", len(rc.Emoji))
		} else {
			p.Emoji = nil
			for i, e := range rc.Emoji {
				e = strings.Trim(e, ":")
				if !emojiNameRE.MatchString(e) {
					r.addf(at("ratings.emoji", i), "%q is not a Slack emoji name like \"slightly_smiling_face\"", rc.Emoji[i])
				}
				p.Emoji = append(p.Emoji, e)
			}
		}
	}
	calendar := func(key, v string, dst *time.Duration, offOK bool) {
		switch strings.TrimSpace(v) {
		case "":
		case "off":
			if !offOK {
				r.addf(key, "cannot be off")
				return
			}
			*dst = -1
		default:
			if d, ok := duration(r, key, v); ok {
				*dst = time.Duration(d.Days)*24*time.Hour + d.Time
			}
		}
	}
	calendar("ratings.window", rc.Window, &p.Window, false)
	calendar("ratings.remind_after", rc.RemindAfter, &p.RemindAfter, true)
	calendar("ratings.min_interval", rc.MinInterval, &p.MinInterval, true)
	if p.MinInterval < 0 {
		p.MinInterval = 0
	}
	if rc.Reactions != nil {
		p.Reactions = *rc.Reactions
	}
	if rc.Sample != nil {
		if *rc.Sample <= 0 || *rc.Sample > 1 {
			r.addf("ratings.sample", "%v is not a share between 0 (exclusive) and 1", *rc.Sample)
		} else {
			p.Sample = *rc.Sample
		}
	}
	return p
}
