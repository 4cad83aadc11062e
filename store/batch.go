package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
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
	ctx  context.Context
	fn   func(ctx context.Context, tx *sql.Tx) error
	err  error
	done chan struct{}
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
	j := &writeJob{ctx: ctx, fn: fn, done: make(chan struct{})}
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
	}
	b.mu.RUnlock()
	// Once queued the job will run; its outcome must be waited for, or a
	// caller could report failure for a request that was stored.
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
	gather:
		for len(batch) < maxBatch {
			select {
			case j := <-b.jobs:
				batch = append(batch, j)
			default:
				break gather
			}
		}
		db.commitBatch(batch)
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
	// The transaction is not cancelled by any one caller's context: the
	// others' work shares it. Each job's statements use its own context.
	tx, err := db.begin(context.Background())
	if err != nil {
		fail(err)
		return
	}
	defer tx.Rollback()
	if len(jobs) == 1 {
		j := jobs[0]
		if j.err = j.ctx.Err(); j.err != nil {
			return
		}
		if j.err = j.fn(j.ctx, tx); j.err != nil {
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
		if j.err = j.ctx.Err(); j.err != nil {
			continue
		}
		if _, err := tx.Exec("SAVEPOINT job"); err != nil {
			fail(err)
			return
		}
		// Not cancelled midway: SQLite answers an interrupted write by
		// rolling back the whole transaction, the other jobs' work too.
		if j.err = j.fn(context.WithoutCancel(j.ctx), tx); j.err != nil {
			if _, err := tx.Exec("ROLLBACK TO job"); err != nil {
				fail(err) // the transaction itself is gone (a full disk, say)
				return
			}
		} else {
			ok++
		}
		if _, err := tx.Exec("RELEASE job"); err != nil {
			fail(err)
			return
		}
	}
	if ok == 0 {
		return
	}
	if err := tx.Commit(); err != nil {
		fail(fmt.Errorf("commit: %w", err))
	}
}
