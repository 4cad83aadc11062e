package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Retry policy for messages the chat could not take.
const (
	minRetry = time.Second
	maxRetry = 5 * time.Minute
	// deliverBatch bounds one read of the outbox.
	deliverBatch = 100
)

// RetryAfterError is implemented by chat errors that say when to try again,
// such as Slack's 429 with Retry-After.
type RetryAfterError interface {
	error
	RetryAfter() time.Duration
}

// PermanentError wraps a chat error that retrying cannot fix (the channel
// does not exist, the bot was removed from it). The message is set aside so
// the messages after it can go.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() } //i18n:ok for logs
func (e *PermanentError) Unwrap() error { return e.Err }

// UnsureError wraps a chat error after which the message may have been
// delivered all the same: the request went out and no answer came back (a
// timeout, a dropped connection), or the chat took it and what had to be
// recorded with it could not be. The message stays in doubt, so the next
// try looks for it before sending it again (Message.MaybeSent).
type UnsureError struct{ Err error }

func (e *UnsureError) Error() string { return e.Err.Error() }
func (e *UnsureError) Unwrap() error { return e.Err }

// OutageError wraps a chat error that no message caused and retrying a
// message cannot fix by itself, such as a revoked token: delivery stops for
// now and every message stays queued, untouched, for the next pass.
type OutageError struct{ Err error }

func (e *OutageError) Error() string { return e.Err.Error() }
func (e *OutageError) Unwrap() error { return e.Err }

// maxAttempts sets a message aside after this many failures (about four
// hours at the longest backoff), so an error nobody foresaw cannot block
// its destination forever.
const maxAttempts = 50

// sendTimeout bounds one delivery. It is not cut short by shutdown: a send
// in flight finishes and is recorded, so it is not repeated after restart.
const sendTimeout = 30 * time.Second

// Notify wakes RunDelivery; the desk calls it after every change.
func (d *Desk) Notify() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Deliver sends every message that is ready now, in order per destination,
// and returns how many were sent. A message the chat refuses is retried
// later with backoff (or when its Retry-After says), and holds back the
// messages after it to the same destination so their order is kept. When
// the database will not record a delivery, Deliver sends nothing more until
// it does (see StorageOutage) and returns a *StorageOutageError meanwhile.
func (d *Desk) Deliver(ctx context.Context) (int, error) {
	// One delivery at a time per desk: two would send the same head twice.
	d.delivering.Lock()
	defer d.delivering.Unlock()
	sent := 0
	left, err := d.settleOutage(ctx)
	if left {
		sent++
	}
	if err != nil {
		return sent, err
	}
	for {
		now := d.Clock.Now()
		items, err := d.Store.PendingMessages(ctx, now, deliverBatch)
		if err != nil {
			return sent, fmt.Errorf("deliver: %w", err)
		}
		if len(items) == 0 {
			return sent, nil
		}
		progress := false
		for _, it := range items {
			if ctx.Err() != nil {
				return sent, ctx.Err()
			}
			if d.held(it.Dest, now) {
				continue
			}
			// The claim's lease runs from this moment, not from the batch's
			// read: sending the items before it may have taken a while.
			mine, inDoubt, err := d.Store.ClaimMessage(ctx, it, d.Clock.Now())
			if err != nil {
				if ctx.Err() != nil {
					// Stopping, not a storage outage: the claim was cut
					// short, nothing was sent, and the next start sends it.
					return sent, ctx.Err()
				}
				// Nothing was sent; the next pass's claim is the probe.
				return sent, d.storageFailed(ctx, nil, fmt.Errorf("deliver: %w", err))
			}
			d.storageBack(ctx)
			if !mine {
				continue // another replica is sending it
			}
			it.InDoubt = inDoubt
			ok, err := d.deliverOne(ctx, it)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
				progress = true
			}
		}
		if !progress {
			return sent, nil
		}
	}
}

// deliverOne sends one item and records the outcome. It returns whether the
// item left the outbox; an error only for storage failures (then a
// *StorageOutageError once the item was sent) and chat outages.
func (d *Desk) deliverOne(ctx context.Context, it OutboxItem) (bool, error) {
	m, err := d.outgoing(ctx, it)
	if err != nil {
		return false, err
	}
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
	sendErr := d.Chat.Send(sendCtx, m)
	cancel()
	now := d.Clock.Now()
	o, unsure := classify(sendErr)
	if unsure {
		it.InDoubt = true
	}
	switch o {
	case outSent:
		return d.record(ctx, d.sentOutcome(it, now, nil))
	case outUnrecorded:
		// Delivered; where it went could not be written. Writing that is
		// part of the outcome, kept and retried with it.
		var unrec *UnrecordedError
		errors.As(sendErr, &unrec)
		return d.record(ctx, d.sentOutcome(it, now, unrec.Record))
	case outOutage:
		d.observer().Delivered(DeliveryOutage)
		d.Log.ErrorContext(ctx, "delivery paused", "err", sendErr)
		if _, err := d.record(ctx, d.releasedOutcome(it, now)); err != nil {
			return false, err
		}
		return false, fmt.Errorf("deliver: %w", sendErr)
	case outDeferred:
		// Pacing under Slack's limits is routine, not a failure: the
		// destination waits in memory for its next slot. Writing it down
		// as a failure would count towards maxAttempts, so a busy channel
		// would see its messages set aside.
		wait := retryWait(sendErr, it.Attempts)
		d.hold(it.Dest, now.Add(wait))
		return d.record(ctx, d.releasedOutcome(it, now.Add(wait)))
	default: // outFailed, outPermanent
		permanent := o == outPermanent || it.Attempts+1 >= maxAttempts
		wait := retryWait(sendErr, it.Attempts)
		d.Log.WarnContext(ctx, "message not delivered", "to", m.To, "request", firstNonEmpty(m.CardFor, m.ThreadOf),
			"attempt", it.Attempts+1, "retry_in", wait, "permanent", permanent, "err", sendErr)
		return d.record(ctx, d.failedOutcome(it, now.Add(wait), permanent, sendErr))
	}
}

// outgoing is the item's message as the chat gets it: tagged for delivery and, for
// a card, drawn from the request's state now. When the request cannot be
// read, the item is given back and the error returned.
func (d *Desk) outgoing(ctx context.Context, it OutboxItem) (Message, error) {
	m := it.Message
	m.OutboxID, m.MaybeSent, m.QueuedAt = it.ID, it.InDoubt, it.CreatedAt
	if it.InDoubt {
		d.Log.WarnContext(ctx, "message in doubt: an earlier delivery ended unrecorded; looking for it before sending",
			"outbox_id", it.ID, "to", m.To)
	}
	if m.CardFor == "" {
		return m, nil
	}
	r, err := d.Store.Request(ctx, m.CardFor)
	if err != nil {
		// Given back, so the destination does not wait out the lease.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
		defer cancel()
		if rerr := d.Store.ReleaseMessage(rctx, it, d.Clock.Now()); rerr != nil {
			d.Log.ErrorContext(ctx, "release message", "err", rerr)
		}
		return Message{}, fmt.Errorf("deliver card %s: %w", m.CardFor, err)
	}
	d.DrawCard(&m, r, d.Clock.Now())
	return m, nil
}

// outcome is what a send's result means for the message.
type outcome int

const (
	outSent       outcome = iota // the chat took it
	outUnrecorded                // the chat took it; what goes with it (where a card was posted) is not written yet
	outOutage                    // no message is at fault (a revoked token): stop the pass, keep everything queued
	outDeferred                  // paced: try again at the destination's next slot, not a failure
	outFailed                    // refused: try again after a backoff or its Retry-After
	outPermanent                 // refused for good: set aside so the messages after it can go
)

// classify reads a chat's Send error. unsure reports that the message may
// have reached the chat all the same (an UnsureError), so it stays in doubt
// and the next try looks for it first; that is said of any outcome but
// outSent and outUnrecorded, which are sure.
func classify(sendErr error) (o outcome, unsure bool) {
	if sendErr == nil {
		return outSent, false
	}
	if unrec := (*UnrecordedError)(nil); errors.As(sendErr, &unrec) {
		return outUnrecorded, false
	}
	unsure = errors.As(sendErr, new(*UnsureError))
	var deferred interface{ Deferred() bool }
	switch {
	case errors.As(sendErr, new(*OutageError)):
		return outOutage, unsure
	case errors.As(sendErr, &deferred) && deferred.Deferred():
		return outDeferred, unsure
	case errors.As(sendErr, new(*PermanentError)):
		return outPermanent, unsure
	}
	return outFailed, unsure
}

// retryWait is how long a destination waits after sendErr: what the chat
// asked for (a RetryAfterError), or the backoff after attempts failures.
func retryWait(sendErr error, attempts int) time.Duration {
	var ra RetryAfterError
	if errors.As(sendErr, &ra) && ra.RetryAfter() > 0 {
		return ra.RetryAfter()
	}
	return backoff(attempts)
}

// sentOutcome records it delivered at now, after first, when set (the
// write an UnrecordedError left to do).
func (d *Desk) sentOutcome(it OutboxItem, now time.Time, first func(ctx context.Context) error) *unrecorded {
	return &unrecorded{item: it, what: "sent", record: func(ctx context.Context) (bool, error) {
		if first != nil {
			if err := first(ctx); err != nil {
				return false, fmt.Errorf("deliver: %w", err)
			}
		}
		ok, err := d.Store.MessageSent(ctx, it, now)
		if err != nil {
			return false, fmt.Errorf("deliver: %w", err)
		}
		d.observer().Delivered(DeliverySent)
		return ok, nil
	}}
}

// releasedOutcome gives it back unsent, to be tried again from at.
func (d *Desk) releasedOutcome(it OutboxItem, at time.Time) *unrecorded {
	return &unrecorded{item: it, what: "released", record: func(ctx context.Context) (bool, error) {
		if err := d.Store.ReleaseMessage(ctx, it, at); err != nil {
			return false, fmt.Errorf("deliver: %w", err)
		}
		return false, nil
	}}
}

// failedOutcome records a failed attempt: it is tried again at next, or set
// aside when permanent.
func (d *Desk) failedOutcome(it OutboxItem, next time.Time, permanent bool, sendErr error) *unrecorded {
	return &unrecorded{item: it, what: "failed", record: func(ctx context.Context) (bool, error) {
		if err := d.Store.MessageFailed(ctx, it, next, permanent, sendErr.Error()); err != nil {
			return false, fmt.Errorf("deliver: %w", err)
		}
		if permanent {
			d.observer().Delivered(DeliveryDead)
		} else {
			d.observer().Delivered(DeliveryRetry)
		}
		return false, nil
	}}
}

// hold keeps dest's messages back until until; held says whether it is.
// Only Deliver calls them, under d.delivering.
func (d *Desk) hold(dest string, until time.Time) {
	if d.holds == nil {
		d.holds = map[string]time.Time{}
	}
	d.holds[dest] = until
}

func (d *Desk) held(dest string, now time.Time) bool {
	until, ok := d.holds[dest]
	if ok && !now.Before(until) {
		delete(d.holds, dest)
		return false
	}
	return ok
}

// backoff doubles from a second up to five minutes.
func backoff(attempts int) time.Duration {
	d := minRetry
	for i := 0; i < attempts && d < maxRetry; i++ {
		d *= 2
	}
	return min(d, maxRetry)
}

// RunDelivery delivers messages until ctx ends: at once when Notify is
// called, and every tick otherwise to pick up retries that came due.
func (d *Desk) RunDelivery(ctx context.Context, tick time.Duration) error {
	t := time.NewTicker(tick)
	defer t.Stop()
	defer d.recordOnStop(ctx)
	for {
		_, err := d.Deliver(ctx)
		var outage *StorageOutageError
		if err != nil && ctx.Err() == nil && !errors.As(err, &outage) { // an outage logs itself, once
			d.Log.ErrorContext(ctx, "delivery", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-d.wake:
			// Changes come in bursts (a busy hour, a sweep's reminders):
			// the wakes of a few milliseconds share one pass, so a burst
			// of filings does not read the outbox once per filing.
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(deliveryGather):
			}
		case <-t.C:
		}
	}
}

// deliveryGather is how long RunDelivery lets wakes gather before a pass.
const deliveryGather = 20 * time.Millisecond

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
