package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/askdesk/askdesk/bot"
)

// Group commit. Every filing and every change is a small transaction on
// the single writer, and most of its cost is the commit: writing the pages
// it touched to the WAL. When several arrive at once (a busy hour, a burst
// of clicks), committing them together writes each shared page once. The
// batcher takes what is waiting when the writer frees up, runs each job
// under its own SAVEPOINT (a failing job is rolled back alone) and commits
// once; nobody is told "done" before that commit. A lone job runs as a
// plain transaction, so an idle desk pays nothing for this.

// maxBatch bounds the jobs in one commit, so one commit cannot grow long.
const maxBatch = 32

// writeJob is one transaction's worth of work waiting for the writer.
type writeJob struct {
	ctx context.Context
	// by is when the caller must have its answer (bot.AnswerBy); zero
	// when it can wait for as long as the write takes.
	by time.Time
	fn func(ctx context.Context, tx *sql.Tx) error
	// addsDocsOnly says the job touches the search index only to add new
	// requests' documents (pendingDocs), so the documents queued by the
	// jobs before it need not be written before it runs.
	addsDocsOnly bool
	err          error
	done         chan struct{}
	// state is who owns the job's fate: the writer once it starts running
	// it, or the caller once it gave up on it. Whoever moves it out of
	// jobQueued first decides: a job its caller gave up on never runs, so
	// "nothing was filed" stays true.
	state atomic.Int32
}

const (
	jobQueued int32 = iota
	jobRunning
	jobAbandoned
)

// errNotInTime is the error of a write the database could not take before
// its caller's answer was due (another process holding the write lock, or
// a long queue behind one): it was not stored and never will be.
var errNotInTime = errors.New("the database could not take the write before the answer was due")

// minWriteWait is how long a write whose answer is already (nearly) due
// may still wait for the writer: on a free writer it is done in a few
// milliseconds, and filing late, with the answer through response_url,
// beats refusing. Behind a lock it is refused that much later.
const minWriteWait = 100 * time.Millisecond

// answerBy is when ctx's write must have been taken by the database:
// bot.AnswerBy, or minWriteWait from now if that is later.
func answerBy(ctx context.Context) (time.Time, bool) {
	by, ok := bot.AnswerBy(ctx)
	if !ok {
		return time.Time{}, false
	}
	return later(by, time.Now().Add(minWriteWait)), true
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// expired says why j should no longer run: its caller is gone, or its
// answer is due. Nil while it may.
func (j *writeJob) expired() error {
	if err := j.ctx.Err(); err != nil {
		return err
	}
	if !j.by.IsZero() && !time.Now().Before(j.by) {
		return errNotInTime
	}
	return nil
}

// take is the writer's claim on j just before running it. A job whose
// caller gave up, is gone or whose answer is due is not run; the writer
// sets its error unless its caller already gave up on it (and reads
// nothing more).
func (j *writeJob) take() bool {
	why := j.expired()
	if why == nil {
		return j.state.CompareAndSwap(jobQueued, jobRunning)
	}
	if j.state.CompareAndSwap(jobQueued, jobAbandoned) {
		j.err = why
	}
	return false
}

type batcher struct {
	once sync.Once
	jobs chan *writeJob
	stop chan struct{}
	wg   sync.WaitGroup
	// mu orders sends against stopping: a job is queued only while the
	// batcher runs, so none is left behind to wait forever.
	mu     sync.RWMutex
	closed bool
	// shared counts jobs that shared a commit with another, for tests.
	shared atomic.Int64
}

// inBatch runs fn in a write transaction, possibly shared with other
// jobs, and returns once that transaction has committed (or fn's error).
// fn must do all its work through tx and may run again never: it is called
// exactly once.
func (db *DB) inBatch(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	err := db.inBatchOnce(ctx, false, fn)
	db.health.noteWrite(err, faultOf(err, db.path), time.Now())
	return err
}

// inBatchAddingDocs is inBatch for a job that reads and changes no search
// document, and adds those of the requests it files (see writeJob's
// addsDocsOnly).
func (db *DB) inBatchAddingDocs(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	err := db.inBatchOnce(ctx, true, fn)
	db.health.noteWrite(err, faultOf(err, db.path), time.Now())
	return err
}

func (db *DB) inBatchOnce(ctx context.Context, addsDocsOnly bool, fn func(ctx context.Context, tx *sql.Tx) error) error {
	if db.pg {
		// PostgreSQL commits concurrent transactions in parallel and
		// groups their WAL flushes itself.
		return db.pgTx(ctx, fn)
	}
	b := &db.batch
	b.once.Do(func() {
		b.jobs = make(chan *writeJob, maxBatch)
		b.stop = make(chan struct{})
		b.wg.Add(1)
		go db.runBatches()
	})
	j := &writeJob{ctx: ctx, fn: fn, addsDocsOnly: addsDocsOnly, done: make(chan struct{})}
	// A caller with an answer due waits until then and no longer: for a
	// place in the queue, then for the writer to start its job.
	var due <-chan time.Time
	if by, ok := answerBy(ctx); ok {
		j.by = by
		t := time.NewTimer(time.Until(by))
		defer t.Stop()
		due = t.C
	}
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return fmt.Errorf("store closed")
	}
	select {
	case b.jobs <- j:
	case <-ctx.Done():
		b.mu.RUnlock()
		return ctx.Err()
	case <-due:
		b.mu.RUnlock()
		return errNotInTime
	}
	b.mu.RUnlock()
	select {
	case <-j.done:
		return j.err
	case <-ctx.Done():
	case <-due:
	}
	if j.state.CompareAndSwap(jobQueued, jobAbandoned) {
		// The writer has not started it and now never will.
		if err := ctx.Err(); err != nil {
			return err
		}
		return errNotInTime
	}
	// The writer runs it: its outcome is a commit away (the write lock is
	// held by then), and a caller that reported failure for a request
	// that was stored would lie.
	<-j.done
	return j.err
}

// stopBatches ends the batcher after the jobs already queued.
func (db *DB) stopBatches() {
	b := &db.batch
	b.once.Do(func() { b.stop = make(chan struct{}) }) // never started
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.stop)
	}
	b.mu.Unlock()
	b.wg.Wait()
}

func (db *DB) runBatches() {
	b := &db.batch
	defer b.wg.Done()
	batch := make([]*writeJob, 0, maxBatch)
	for {
		batch = batch[:0]
		select {
		case j := <-b.jobs:
			batch = append(batch, j)
		case <-b.stop:
			// Finish what was queued before the stop.
			for {
				select {
				case j := <-b.jobs:
					db.commitBatch([]*writeJob{j})
				default:
					return
				}
			}
		}
		batch = b.gather(batch)
		db.commitBatch(batch)
	}
}

// gatherYields is how many times the writer lets the goroutines it just
// released run before it commits the jobs it found. A commit writes every
// page its jobs touched, 20 to 30 of them for a lone filing and hardly more
// for sixteen (the pages of the hot tables' indexes are shared), so the
// cost of a filing is mostly its share of a commit. Yet the callers a
// commit released need a moment on a CPU before they can queue their next
// job, and on two busy cores the writer came back for them first: commits
// held three jobs on average under 16 clients. Yielding to them before
// committing made it twelve, and took a fifth or more off the CPU of a
// filing (docs/performance.md). When nobody else is runnable a yield returns at
// once, so an idle desk pays nothing for it, and a yield that brought no
// job ends the gathering.
const gatherYields = 2

// gather adds to batch the jobs queued, yielding to the goroutines ready
// to run so that they can queue theirs too (see gatherYields).
func (b *batcher) gather(batch []*writeJob) []*writeJob {
	for yields := 0; ; yields++ {
		had := len(batch)
	drain:
		for len(batch) < maxBatch {
			select {
			case j := <-b.jobs:
				batch = append(batch, j)
			default:
				break drain
			}
		}
		if len(batch) == maxBatch || yields == gatherYields || (yields > 0 && len(batch) == had) {
			return batch
		}
		runtime.Gosched()
	}
}

// commitBatch runs jobs in one transaction and tells each its outcome.
func (db *DB) commitBatch(jobs []*writeJob) {
	defer func() {
		for _, j := range jobs {
			close(j.done)
		}
	}()
	fail := func(err error) {
		for _, j := range jobs {
			if j.err == nil {
				j.err = err
			}
		}
	}
	// Jobs whose callers have given up are dropped before the
	// transaction: an idle writer should not wait for a lock for nobody.
	live, unbounded := 0, false
	var bound time.Time // when the last caller's answer is due
	for _, j := range jobs {
		if j.state.Load() != jobQueued || j.expired() != nil {
			j.take() // not run; sets the error of a job not yet given up
			continue
		}
		live++
		if j.by.IsZero() {
			unbounded = true
		} else if j.by.After(bound) {
			bound = j.by
		}
	}
	if live == 0 {
		return
	}
	if unbounded {
		bound = time.Time{}
	}
	tx, release, err := db.beginBy(bound)
	if err != nil {
		fail(err)
		return
	}
	defer release()
	defer tx.Rollback()
	// The search documents of the requests the jobs file, written
	// together before the commit (search_batch.go).
	docs := &pendingDocs{}
	if len(jobs) == 1 {
		j := jobs[0]
		if !j.take() {
			return
		}
		if j.err = j.fn(withPendingDocs(j.ctx, docs), tx); j.err != nil {
			return
		}
		if j.err = docs.write(j.ctx, db, tx); j.err != nil {
			return
		}
		if err := tx.Commit(); err != nil {
			j.err = fmt.Errorf("commit: %w", err)
		}
		return
	}
	db.batch.shared.Add(int64(len(jobs)))
	ok := 0
	for _, j := range jobs {
		if !j.take() {
			continue
		}
		if !j.addsDocsOnly {
			// The job may read or change the documents queued so far.
			if err := docs.write(context.Background(), db, tx); err != nil {
				fail(err)
				return
			}
		}
		if _, err := db.txExec(context.Background(), tx, "SAVEPOINT job"); err != nil {
			fail(err)
			return
		}
		queued := len(docs.docs)
		// Not cancelled midway: SQLite answers an interrupted write by
		// rolling back the whole transaction, the other jobs' work too.
		if j.err = j.fn(withPendingDocs(context.WithoutCancel(j.ctx), docs), tx); j.err != nil {
			docs.docs = docs.docs[:queued] // the job's requests are not filed
			if _, err := db.txExec(context.Background(), tx, "ROLLBACK TO job"); err != nil {
				fail(err) // the transaction itself is gone (a full disk, say)
				return
			}
		} else {
			ok++
		}
		if _, err := db.txExec(context.Background(), tx, "RELEASE job"); err != nil {
			fail(err)
			return
		}
	}
	if ok == 0 {
		return
	}
	if err := docs.write(context.Background(), db, tx); err != nil {
		fail(err)
		return
	}
	if err := tx.Commit(); err != nil {
		fail(fmt.Errorf("commit: %w", err))
	}
}

// beginBy begins the batch's transaction. While another process holds the
// write lock, BEGIN waits for it up to the busy timeout, or until bound
// (when the last of the batch's callers must have its answer) if that
// comes first: past it the transaction would be for nobody. Only the wait
// is bounded: once begun, the transaction is never cut off by bound, so a
// job the writer started always ends in a commit or a rollback it knows of.
func (db *DB) beginBy(bound time.Time) (tx *sql.Tx, release func(), err error) {
	if bound.IsZero() {
		tx, err = db.begin(context.Background())
		return tx, func() {}, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	t := time.AfterFunc(time.Until(bound), cancel)
	tx, err = db.begin(ctx)
	// Another process still holds the lock after the busy timeout: wait
	// on while the answer is not yet due (a long ack budget), as the
	// timeout is only there to bound the wait of writes nobody awaits.
	for err != nil && sqliteCode(err) == sqliteBusy && ctx.Err() == nil {
		tx, err = db.begin(ctx)
	}
	if t.Stop() {
		// Nothing cancels the context now; it is released once the
		// transaction has ended.
		if err != nil {
			cancel()
			return nil, nil, err
		}
		return tx, cancel, nil
	}
	// The bound passed: database/sql rolls back a transaction begun on
	// the cancelled context, if BEGIN got that far. (It also closes the
	// writer connection that was interrupted; the next write opens a new
	// one with the DSN's pragmas: a cost paid only behind a lock.)
	cancel()
	if err == nil {
		_ = tx.Rollback()
	}
	return nil, nil, errNotInTime
}
