package report

import (
	"time"

	"github.com/askdesk/askdesk/bot"
)

// DigestIndex exposes the digest's calendar index to the black-box tests,
// which check it answers exactly as bot.Calendar and bot.SLAClock do.
type DigestIndex struct{ x *bizIndex }

func NewDigestIndex(cal *bot.Calendar, from, to time.Time) DigestIndex {
	return DigestIndex{newBizIndex(cal, from, to)}
}

func (i DigestIndex) Between(a, b time.Time) time.Duration { return i.x.between(a, b) }

func (i DigestIndex) Resolve(t time.Time, bd bot.BusinessDuration) time.Duration {
	return i.x.resolve(t, bd)
}

func (i DigestIndex) Clocks(r *bot.Request, dep *bot.Department) (bot.SLAClock, bot.SLAClock) {
	return i.x.clocks(r, dep)
}

func (i DigestIndex) Breached(c bot.SLAClock, now time.Time) (time.Duration, bool) {
	return i.x.breached(c, now)
}

func (i DigestIndex) Due(c bot.SLAClock, now time.Time) time.Time { return i.x.due(c, now) }
