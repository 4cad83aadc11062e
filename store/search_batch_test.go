package store

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"
)

// inOneCommit queues jobs behind a held writer, in order, and lets them go
// as one group commit; it returns each job's error.
func inOneCommit(t *testing.T, db *DB, jobs ...func() error) []error {
	t.Helper()
	ctx := context.Background()
	hold, held := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := db.inBatch(ctx, func(ctx context.Context, tx *sql.Tx) error {
			close(held)
			<-hold
			return nil
		}); err != nil {
			t.Error(err)
		}
	})
	<-held
	errs := make([]error, len(jobs))
	for i, job := range jobs {
		wg.Go(func() { errs[i] = job() })
		for len(db.batch.jobs) < i+1 {
			runtime.Gosched()
		}
	}
	shared := db.batch.shared.Load()
	close(hold)
	wg.Wait()
	if got := db.batch.shared.Load() - shared; got != int64(len(jobs)) {
		t.Fatalf("%d jobs shared a commit, want all %d", got, len(jobs))
	}
	return errs
}

// TestSearchDocsOfAGroupCommit: the search documents of the requests a
// group commit files, written together at its end, are all there and
// found; a job that reads the index sees those queued before it; a job
// rolled back leaves no document behind, and the others' stay.
func TestSearchDocsOfAGroupCommit(t *testing.T) {
	db, _ := openForPages(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	var seenBefore int
	errs := inOneCommit(t, db,
		func() error { return ackFile(ctx, db, 1, at) },
		func() error { return ackFile(ctx, db, 2, at) },
		func() error {
			// A job that is not only filing: the documents queued before
			// it are in the index when it runs.
			return db.inBatch(ctx, func(ctx context.Context, tx *sql.Tx) error {
				return tx.QueryRowContext(ctx, `SELECT count(*) FROM search_fts WHERE search_fts MATCH 'n1 OR n2'`).Scan(&seenBefore)
			})
		},
		func() error {
			// A filing that fails after queueing its document.
			return db.inBatchAddingDocs(ctx, func(ctx context.Context, tx *sql.Tx) error {
				p := pendingDocsOf(ctx)
				if p == nil {
					return errors.New("no pending documents in a group commit's job")
				}
				p.docs = append(p.docs, searchDoc{requestID: "NOPE-1", dept: "finance", requester: "U1", state: "open",
					title: "never filed", body: "never filed"})
				return errors.New("this filing fails")
			})
		},
		func() error { return ackFile(ctx, db, 3, at) },
	)
	for i, err := range errs {
		if want := i == 3; (err != nil) != want {
			t.Errorf("job %d: error %v, want one: %v", i, err, want)
		}
	}
	if seenBefore != 2 {
		t.Errorf("a job after two filings found %d of their documents, want 2", seenBefore)
	}
	var docs, found int
	if err := db.write.QueryRow(`SELECT count(*) FROM search_docs`).Scan(&docs); err != nil {
		t.Fatal(err)
	}
	if err := db.write.QueryRow(`SELECT count(*) FROM search_fts WHERE search_fts MATCH 'load AND test'`).Scan(&found); err != nil {
		t.Fatal(err)
	}
	if docs != 3 || found != 3 {
		t.Errorf("%d documents, %d found by their words; want the 3 filed", docs, found)
	}
	if _, err := db.write.Exec(`INSERT INTO search_fts (search_fts) VALUES ('integrity-check')`); err != nil {
		t.Fatalf("FTS5 integrity check: %v", err)
	}
}
