package bot

import (
	"context"
	"time"
)

// A person waiting for an answer (a slash command, a button) must get one
// by a fixed time, and it must be true: "filed" only if the request is
// stored, "nothing was filed" only if it never will be. Work done for them
// carries that time, and the store gives up on a write it could not start
// by then, before the write can commit, rather than answer late or commit
// after the answer said it had not. It is a wall-clock time, not the
// desk's Clock: it is about how long a person waits.

type answerByKey struct{}

// WithAnswerBy returns ctx saying that its writes must be decided by t.
// Unlike a context deadline it does not cut off reads or anything else
// done for the person: a slow read still answers, only later.
func WithAnswerBy(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, answerByKey{}, t)
}

// AnswerBy returns the time set by WithAnswerBy, if any.
func AnswerBy(ctx context.Context) (time.Time, bool) {
	t, ok := ctx.Value(answerByKey{}).(time.Time)
	return t, ok
}
