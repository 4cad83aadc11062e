package bot

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// A delivery is two writes around one chat call: the claim before it, the
// outcome after it. When the chat took a message and the database then
// refuses the outcome (its disk is full, its file read-only, its lock held
// by another process), the outbox still says the message is due, and each
// pass would send it again: one card went out 28 times over a 30 s disk
// outage. So a failed delivery write is a storage outage: the desk keeps
// the outcome in memory, sends nothing more, and tries the write again
// with backoff. Once it succeeds, delivery resumes where it stopped. Should
// the process end first, the message is left claimed and unsettled, in
// doubt, and the next process looks for it in the chat before sending it
// again (see Outbox.ClaimMessage).

// Storage outage probes back off from a second up to this: a single-row
// write is cheap to try, and deliveries wait for the first that succeeds.
const maxProbe = 30 * time.Second

// StorageOutageError is Deliver's error while delivery is paused because
// the database would not record a delivery (see Desk.StorageOutage). The
// desk logs the outage when it begins and when it ends, not on every pass.
type StorageOutageError struct {
	Since time.Time // when the first write failed
	Err   error     // the last write's error
}

func (e *StorageOutageError) Error() string {
	return fmt.Sprintf("storage outage since %s: delivery paused: %v", e.Since.Format(time.RFC3339), e.Err) //i18n:ok for logs
}
func (e *StorageOutageError) Unwrap() error { return e.Err }

// UnrecordedError is a chat's error for a message it delivered when what
// had to be recorded with it (where a card was posted) could not be: the
// database failed, not the chat. Record retries that write. The desk takes
// it as a storage outage: it calls Record, and then records the message
// sent, instead of sending the message again. A chat wraps it in an
// UnsureError, so that a desk that ends before then leaves the message in
// doubt.
type UnrecordedError struct {
	Err    error
	Record func(ctx context.Context) error
}

func (e *UnrecordedError) Error() string { return "delivered, not recorded: " + e.Err.Error() } //i18n:ok for logs
func (e *UnrecordedError) Unwrap() error { return e.Err }

// storageOutage is what the desk knows while the database refuses its
// delivery writes. since and cause are read by StorageOutage from any
// goroutine, under mu; the rest belongs to Deliver, under Desk.delivering.
type storageOutage struct {
	mu    sync.Mutex
	since time.Time // zero when there is no outage
	cause error

	pending   *unrecorded // the outcome to record before anything is sent; nil if none
	probes    int         // failed writes so far, for the backoff
	nextProbe time.Time
}

// unrecorded is a delivery's outcome the database would not take.
type unrecorded struct {
	item OutboxItem
	what string // "sent", "failed" or "released", for the log
	// record writes the outcome, and reports whether the item left the
	// outbox. It is safe to call again after it failed.
	record func(ctx context.Context) (bool, error)
}

// StorageOutage reports whether delivery is paused because the database
// would not record a delivery's outcome, and since when. It is safe to call
// from any goroutine (a health check); ok turns false once a delivery write
// succeeds again.
func (d *Desk) StorageOutage() (since time.Time, ok bool) {
	o := &d.outage
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.since, !o.since.IsZero()
}

// record writes u's outcome. If the database refuses, the desk enters a
// storage outage holding u, and the error is a *StorageOutageError.
func (d *Desk) record(ctx context.Context, u *unrecorded) (bool, error) {
	// Recorded even if ctx ended during the send (a shutdown): a message
	// sent but not marked sent would go again.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
	defer cancel()
	left, err := u.record(rctx)
	if err != nil {
		return false, d.storageFailed(ctx, u, err)
	}
	d.storageBack(ctx)
	return left, nil
}

// settleOutage starts a pass of Deliver during a storage outage: before the
// next probe is due it returns a *StorageOutageError at once; then it
// records the outcome held, if any, and ends the outage when that works.
// With no outcome held, the pass's first claim is the probe. It returns
// whether the held item left the outbox.
func (d *Desk) settleOutage(ctx context.Context) (bool, error) {
	o := &d.outage
	since, down := d.StorageOutage()
	if !down {
		return false, nil
	}
	if d.Clock.Now().Before(o.nextProbe) {
		o.mu.Lock()
		defer o.mu.Unlock()
		return false, &StorageOutageError{Since: since, Err: o.cause}
	}
	if o.pending == nil {
		return false, nil
	}
	return d.record(ctx, o.pending)
}

// storageFailed enters or prolongs the storage outage after a delivery
// write failed with err; u is the outcome to keep (nil when nothing was
// sent, as when a claim failed). It logs the outage once, as it begins.
func (d *Desk) storageFailed(ctx context.Context, u *unrecorded, err error) error {
	o := &d.outage
	now := d.Clock.Now()
	o.mu.Lock()
	first := o.since.IsZero()
	if first {
		o.since, o.probes = now, 0
	}
	o.cause = err
	since := o.since
	o.mu.Unlock()
	if u != nil {
		o.pending = u
	}
	o.nextProbe = now.Add(min(minRetry<<min(o.probes, 8), maxProbe))
	o.probes++
	args := []any{"err", err, "retry_in", o.nextProbe.Sub(now)}
	if p := o.pending; p != nil {
		args = append(args, "outbox_id", p.item.ID, "to", p.item.Message.To, "outcome", p.what)
	}
	if first {
		d.Log.ErrorContext(ctx, "storage outage: the database would not record a delivery; delivery is paused, nothing more is sent until it takes writes again, and what was sent is kept in memory meanwhile", args...)
	} else {
		d.Log.DebugContext(ctx, "storage outage: the database still refuses writes", args...)
	}
	return &StorageOutageError{Since: since, Err: err}
}

// storageBack ends the storage outage, if any, after a delivery write
// succeeded: the outcome held was recorded, or there was none.
func (d *Desk) storageBack(ctx context.Context) {
	o := &d.outage
	o.mu.Lock()
	since := o.since
	o.since, o.cause = time.Time{}, nil
	o.mu.Unlock()
	if since.IsZero() {
		return
	}
	args := []any{"outage", d.Clock.Now().Sub(since), "failed_writes", o.probes}
	if p := o.pending; p != nil {
		args = append(args, "outbox_id", p.item.ID, "outcome", p.what)
	}
	o.pending, o.probes, o.nextProbe = nil, 0, time.Time{}
	d.Log.WarnContext(ctx, "storage outage over: the database takes writes again; what was sent meanwhile is recorded and delivery resumes", args...)
}

// recordOnStop is RunDelivery's last try at the outcome held through a
// storage outage, as it stops. If that fails too, the message stays
// claimed and unsettled: the next start finds it in doubt and looks for it
// in the chat before sending it again.
func (d *Desk) recordOnStop(ctx context.Context) {
	d.delivering.Lock()
	defer d.delivering.Unlock()
	u := d.outage.pending
	if u == nil {
		return
	}
	// Briefly: shutdown waits for this, and the database has been failing.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopRecordTimeout)
	defer cancel()
	if _, err := u.record(rctx); err != nil {
		d.Log.ErrorContext(ctx, "stopping with a delivery the database would not record: the next start looks for it in the chat before sending it again",
			"outbox_id", u.item.ID, "to", u.item.Message.To, "outcome", u.what, "err", err)
		return
	}
	d.storageBack(ctx)
}

// stopRecordTimeout bounds recordOnStop.
const stopRecordTimeout = 5 * time.Second
